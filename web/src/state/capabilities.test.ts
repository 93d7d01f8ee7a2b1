import { describe, expect, it } from 'vitest';
import { capabilitiesFrom } from './capabilities';

describe('capabilitiesFrom', () => {
  it('finds the optional routes in the API document', () => {
    expect(capabilitiesFrom({ '/v1/jobs': {}, '/v1/preview': {} })).toEqual({ loaded: true, preview: true, webhooks: false, sourceImages: null });
    expect(capabilitiesFrom({ '/v1/webhooks': {}, '/v1/jobs/{id}/images/{n}/source': {} })).toMatchObject({
      webhooks: true,
      sourceImages: 'source',
    });
    expect(capabilitiesFrom({ '/v1/jobs/{job}/images/{index}/input': {} }).sourceImages).toBe('input');
    expect(capabilitiesFrom({ '/v1/jobs/{id}/images/{n}': {} }).sourceImages).toBeNull();
  });
});
