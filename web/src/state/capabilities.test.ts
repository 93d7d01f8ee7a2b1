import { describe, expect, it } from 'vitest';
import { capabilitiesFrom } from './capabilities';

describe('capabilitiesFrom', () => {
  it('finds the optional routes in the API document', () => {
    expect(capabilitiesFrom({ '/v1/jobs': {}, '/v1/preview': {} })).toEqual({
      loaded: true,
      preview: true,
      webhooks: false,
      presets: false,
      redeliver: false,
      sourceImages: null,
      largestThumbnail: 1024,
    });
    expect(
      capabilitiesFrom({ '/v1/presets': {}, '/v1/webhooks/{id}/deliveries/{delivery}/redeliver': {} }),
    ).toMatchObject({ presets: true, redeliver: true });
    expect(capabilitiesFrom({ '/v1/webhooks': {}, '/v1/jobs/{id}/images/{n}/source': {} })).toMatchObject({
      webhooks: true,
      sourceImages: 'source',
    });
    expect(capabilitiesFrom({ '/v1/jobs/{job}/images/{index}/input': {} }).sourceImages).toBe('input');
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}': {} }).sourceImages).toBeNull();
  });
  it('reads the largest thumbnail size the image routes offer', () => {
    const sizes = (values: number[]) => ({ get: { parameters: [{ name: 'n', in: 'path' }, { name: 'size', in: 'query', schema: { type: 'integer', enum: values } }] } });
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}/source': sizes([128, 256, 512, 1024]) }).largestThumbnail).toBe(1024);
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}/source': sizes([128, 2048]) }).largestThumbnail).toBe(2048);
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}': sizes([256]) }).largestThumbnail).toBe(256);
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}/source': {} }).largestThumbnail).toBe(1024);
  });
});
