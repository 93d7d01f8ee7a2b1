import { describe, expect, it } from 'vitest';
import { buildOptions, DEFAULT_FORM, type OptionsForm } from './options';
import { keptSize, planResize } from './resize';

const form = (patch: Partial<OptionsForm>): OptionsForm => ({ ...DEFAULT_FORM, ...patch });
const portrait = { width: 2880, height: 5120 };
const landscape = { width: 5120, height: 2880 };

describe('planResize (as the server plans it)', () => {
  it('long edge 2048: the longer side becomes 2048 either way round', () => {
    const long = buildOptions(form({ sizeMode: 'long', edge: '2048' }));
    expect(planResize(portrait, long)).toEqual({ width: 1152, height: 2048 });
    expect(planResize(landscape, long)).toEqual({ width: 2048, height: 1152 });
  });
  it('short edge 1080: the shorter side becomes 1080 either way round', () => {
    const short = buildOptions(form({ sizeMode: 'short', edge: '1080' }));
    expect(planResize(portrait, short)).toEqual({ width: 1080, height: 1920 });
    expect(planResize(landscape, short)).toEqual({ width: 1920, height: 1080 });
  });
  it('one side: the other follows the ratio', () => {
    expect(planResize({ width: 2560, height: 1600 }, { width: 800 })).toEqual({ width: 800, height: 500 });
    expect(planResize({ width: 2560, height: 1600 }, { height: 400 })).toEqual({ width: 640, height: 400 });
  });
  it('an exact box: contain fits inside, cover crops to the box, fill stretches', () => {
    const box = { width: 500, height: 500 };
    expect(planResize(landscape, box)).toEqual({ width: 500, height: 281 });
    expect(planResize(landscape, { ...box, fit: 'cover' })).toEqual({ width: 500, height: 500 });
    expect(planResize(landscape, { ...box, fit: 'fill' })).toEqual({ width: 500, height: 500 });
  });
  it('nothing is enlarged unless asked', () => {
    const small = { width: 450, height: 600 };
    expect(planResize(small, { width: 2048, height: 2048, fit: 'inside' })).toEqual(small);
    expect(planResize(small, { width: 900 })).toEqual(small);
    expect(planResize(small, { width: 2048, height: 2048, fit: 'inside', enlarge: true })).toEqual({ width: 1536, height: 2048 });
  });
});

describe('keptSize: what was left alone', () => {
  const long = { width: 2048, height: 2048, fit: 'inside', gravity: 'centre', enlarge: false } as const;
  it('an image smaller than asked, not enlarged, is kept at its size', () => {
    expect(keptSize(long, { width: 800, height: 600 }, { width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
    expect(keptSize({ width: 1000 }, { width: 800, height: 600 }, { width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
  });
  it('an EXIF quarter turn swaps the sides: still the same size', () => {
    // stored 600x450 with orientation 6 comes out upright 450x600
    expect(keptSize(long, { width: 600, height: 450 }, { width: 450, height: 600 })).toEqual({ width: 450, height: 600 });
  });
  it('no note when the image was resized, already had the asked size, or nothing was asked', () => {
    expect(keptSize(long, { width: 5120, height: 2880 }, { width: 2048, height: 1152 })).toBeNull();
    // long edge 600 of a 450x600 image: exactly what was asked
    expect(keptSize({ ...long, width: 600, height: 600 }, { width: 450, height: 600 }, { width: 450, height: 600 })).toBeNull();
    expect(keptSize({ width: 800 }, { width: 800, height: 600 }, { width: 800, height: 600 })).toBeNull();
    expect(keptSize({ format: 'webp' }, { width: 800, height: 600 }, { width: 800, height: 600 })).toBeNull();
  });
  it('no note when enlarging was on, the image failed, or its size is unknown', () => {
    expect(keptSize({ ...long, enlarge: true }, { width: 800, height: 600 }, { width: 800, height: 600 })).toBeNull();
    expect(keptSize(long, { width: 800, height: 600 }, null)).toBeNull();
    expect(keptSize(long, { width: 0, height: 0 }, { width: 800, height: 600 })).toBeNull();
  });
  it('a box that only one side exceeds', () => {
    // 800x600 into 1000x500 contain: the height decides, so it shrinks (not kept)
    expect(keptSize({ width: 1000, height: 500 }, { width: 800, height: 600 }, { width: 667, height: 500 })).toBeNull();
    // 800x600 into 1000x700 contain: both larger, kept
    expect(keptSize({ width: 1000, height: 700 }, { width: 800, height: 600 }, { width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
  });
});
