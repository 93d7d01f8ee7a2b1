import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { translate } from '../i18n/translate';
import { hasKey } from '../i18n/translate';
import {
  BOX_FITS,
  CROP_GRAVITIES,
  ONE_SIDE_MODES,
  SIZE_MODES,
  buildOptions,
  DEFAULT_FORM,
  describeOptions,
  movePosition,
  optionsKey,
  setSizeMode,
  sizeModeOf,
  validateForm,
  type OptionsForm,
} from './options';

const form = (patch: Partial<OptionsForm> = {}): OptionsForm => ({ ...DEFAULT_FORM, ...patch });
const t = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars);

describe('buildOptions', () => {
  it('the defaults send nothing: the server applies its own', () => {
    expect(buildOptions(DEFAULT_FORM)).toEqual({});
  });

  it('long edge N sends width N + height N + fit inside', () => {
    expect(buildOptions(form({ sizeMode: 'long', edge: '2048' }))).toEqual({ width: 2048, height: 2048, fit: 'inside' });
  });

  it('short edge N sends width N + height N + fit outside', () => {
    expect(buildOptions(form({ sizeMode: 'short', edge: '1080' }))).toEqual({ width: 1080, height: 1080, fit: 'outside' });
  });

  it('width or height alone: the other side follows each image', () => {
    expect(buildOptions(form({ sizeMode: 'width', edge: '800' }))).toEqual({ width: 800 });
    expect(buildOptions(form({ sizeMode: 'height', edge: ' 600 ' }))).toEqual({ height: 600 });
  });

  it('an exact box sends both sides and its fit (contain, the default, is left out)', () => {
    const box = form({ sizeMode: 'box', width: '640', height: '480' });
    expect(buildOptions(box)).toEqual({ width: 640, height: 480 });
    expect(buildOptions({ ...box, fit: 'fill' })).toEqual({ width: 640, height: 480, fit: 'fill' });
    expect(buildOptions({ ...box, fit: 'cover' })).toEqual({ width: 640, height: 480, fit: 'cover' });
  });

  it('cover carries the smart-crop choice (centre, the default, is left out)', () => {
    const cover = form({ sizeMode: 'box', width: '500', height: '500', fit: 'cover' });
    expect(buildOptions({ ...cover, gravity: 'attention' })).toEqual({ width: 500, height: 500, fit: 'cover', gravity: 'attention' });
    expect(buildOptions({ ...cover, gravity: 'entropy' })).toEqual({ width: 500, height: 500, fit: 'cover', gravity: 'entropy' });
    expect(buildOptions({ ...cover, gravity: 'centre' })).toEqual({ width: 500, height: 500, fit: 'cover' });
    // a crop position means nothing without a crop
    expect(buildOptions({ ...cover, fit: 'contain', gravity: 'attention' })).toEqual({ width: 500, height: 500 });
  });

  it('original size sends no size, whatever was typed in another mode', () => {
    expect(buildOptions(form({ sizeMode: 'original', edge: '800', width: '10', height: '20' }))).toEqual({});
    // and a one-side mode ignores the box's numbers
    expect(buildOptions(form({ sizeMode: 'long', edge: '300', width: '10', height: '20' }))).toEqual({ width: 300, height: 300, fit: 'inside' });
  });

  it('every mode sends only names the server knows', () => {
    const fits = new Set(['contain', 'inside', 'fill', 'cover', 'outside']);
    const gravities = new Set(['centre', 'attention', 'entropy']);
    for (const f of [
      form({ sizeMode: 'long', edge: '9' }),
      form({ sizeMode: 'short', edge: '9' }),
      form({ sizeMode: 'box', width: '9', height: '9', fit: 'cover', gravity: 'attention' }),
      form({ sizeMode: 'box', width: '9', height: '9', fit: 'cover', gravity: 'entropy' }),
      form({ sizeMode: 'box', width: '9', height: '9', fit: 'fill' }),
    ]) {
      const o = buildOptions(f);
      if (o.fit) expect(fits.has(o.fit)).toBe(true);
      if (o.gravity) expect(gravities.has(o.gravity)).toBe(true);
    }
  });

  it('format and quality; quality only where the encoder takes it', () => {
    expect(buildOptions(form({ format: 'webp', quality: 65 }))).toEqual({ format: 'webp', quality: 65 });
    expect(buildOptions(form({ format: 'webp', quality: 80 }))).toEqual({ format: 'webp' });
    expect(buildOptions(form({ format: 'png', quality: 50 }))).toEqual({ format: 'png' });
  });

  it('a text watermark carries text, position, opacity, size and colour', () => {
    const f = form({ watermark: 'text', text: 'ImageSprint 이미지', position: 'TOP_LEFT', opacity: 0.7, size: 0.3, color: '#FF0000' });
    expect(buildOptions(f)).toEqual({
      watermark: { type: 'text', text: 'ImageSprint 이미지', position: 'TOP_LEFT', opacity: 0.7, size: 0.3, color: '#ff0000' },
    });
  });

  it('a logo watermark has no text or colour (the file goes as watermark_image)', () => {
    expect(buildOptions(form({ watermark: 'image', text: 'ignored' }))).toEqual({
      watermark: { type: 'image', position: 'BOTTOM_RIGHT', opacity: 0.5, size: 0.25 },
    });
  });
});

describe('size modes', () => {
  it('switching between one-side modes keeps the number', () => {
    const long = form({ sizeMode: 'long', edge: '2048' });
    expect(setSizeMode(long, 'width')).toMatchObject({ sizeMode: 'width', edge: '2048' });
    expect(buildOptions(setSizeMode(long, 'short'))).toEqual({ width: 2048, height: 2048, fit: 'outside' });
  });
  it('an empty box starts from the number typed, and back', () => {
    const box = setSizeMode(form({ sizeMode: 'width', edge: '800' }), 'box');
    expect(box).toMatchObject({ width: '800', height: '800' });
    expect(setSizeMode(form({ sizeMode: 'box', width: '640', height: '480' }), 'long').edge).toBe('640');
    // a box already filled is not overwritten
    expect(setSizeMode(form({ sizeMode: 'width', edge: '800', width: '1', height: '2' }), 'box')).toMatchObject({ width: '1', height: '2' });
  });
  it('a job\'s options name their mode', () => {
    expect(sizeModeOf({})).toBe('original');
    expect(sizeModeOf({ width: 2048, height: 2048, fit: 'inside' })).toBe('long');
    expect(sizeModeOf({ width: 2048, height: 2048, fit: 'outside' })).toBe('short');
    expect(sizeModeOf({ width: 800 })).toBe('width');
    expect(sizeModeOf({ height: 800, fit: 'contain' })).toBe('height');
    expect(sizeModeOf({ width: 2048, height: 1024, fit: 'inside' })).toBe('box');
    expect(sizeModeOf({ width: 500, height: 500, fit: 'cover' })).toBe('box');
    // every mode the form sends comes back as itself
    for (const f of [form({ sizeMode: 'long', edge: '5' }), form({ sizeMode: 'short', edge: '5' }), form({ sizeMode: 'width', edge: '5' }), form({ sizeMode: 'height', edge: '5' })]) {
      expect(sizeModeOf(buildOptions(f))).toBe(f.sizeMode);
    }
  });
});

describe('validateForm', () => {
  it('accepts the defaults', () => {
    expect(validateForm(DEFAULT_FORM, false)).toEqual({});
  });
  it('dimensions are whole numbers from 1 to 16384', () => {
    for (const bad of ['0', '16385', '12.5', 'abc', '-3']) {
      expect(validateForm(form({ sizeMode: 'box', width: bad, height: '5' }), false).width).toBe('options.error.dimension');
      expect(validateForm(form({ sizeMode: 'long', edge: bad }), false).edge).toBe('options.error.dimension');
    }
    expect(validateForm(form({ sizeMode: 'box', width: '16384', height: ' 1 ' }), false)).toEqual({});
  });
  it('a chosen mode needs its number; a box needs both sides', () => {
    expect(validateForm(form({ sizeMode: 'short' }), false).edge).toBe('options.error.sizeEmpty');
    expect(validateForm(form({ sizeMode: 'box', width: '10' }), false)).toEqual({ height: 'options.error.sizeEmpty' });
    // numbers of the modes not chosen do not count
    expect(validateForm(form({ sizeMode: 'original', edge: 'x', width: 'y' }), false)).toEqual({});
  });
  it('watermark text is required and at most 500 UTF-8 bytes', () => {
    expect(validateForm(form({ watermark: 'text', text: '  ' }), false).text).toBe('options.error.textEmpty');
    expect(validateForm(form({ watermark: 'text', text: '가'.repeat(167) }), false).text).toBe('options.error.textLong'); // 501 bytes
    expect(validateForm(form({ watermark: 'text', text: '가'.repeat(166) }), false)).toEqual({}); // 498 bytes
  });
  it('a logo watermark needs the file', () => {
    expect(validateForm(form({ watermark: 'image' }), false).logo).toBe('options.error.logo');
    expect(validateForm(form({ watermark: 'image' }), true)).toEqual({});
  });
  it('every error is a dictionary key', () => {
    const errors = {
      ...validateForm(form({ sizeMode: 'box', width: 'x', height: '0', quality: 0, watermark: 'text', text: '', color: 'red' }), false),
      ...validateForm(form({ watermark: 'image', sizeMode: 'long' }), false),
    };
    expect(Object.keys(errors).sort()).toEqual(['color', 'edge', 'height', 'logo', 'quality', 'text', 'width']);
    for (const key of Object.values(errors)) expect(key in en).toBe(true);
  });
});

describe('position grid keys', () => {
  it('arrows move within the 3x3 grid and stop at its edges', () => {
    expect(movePosition('CENTER', 'ArrowUp')).toBe('TOP_CENTER');
    expect(movePosition('CENTER', 'ArrowLeft')).toBe('MIDDLE_LEFT');
    expect(movePosition('BOTTOM_RIGHT', 'ArrowDown')).toBe('BOTTOM_RIGHT');
    expect(movePosition('BOTTOM_RIGHT', 'ArrowRight')).toBe('BOTTOM_RIGHT');
    expect(movePosition('TOP_LEFT', 'ArrowRight')).toBe('TOP_CENTER');
    expect(movePosition('TOP_LEFT', 'Enter')).toBe('TOP_LEFT');
  });
});

describe('optionsKey and describeOptions', () => {
  it('the key does not depend on key order', () => {
    expect(optionsKey({ width: 1, format: 'png' })).toBe(optionsKey({ format: 'png', width: 1 }));
    expect(optionsKey({ width: 1 })).not.toBe(optionsKey({ width: 2 }));
    expect(optionsKey({ watermark: { type: 'text', text: 'a' } })).not.toBe(optionsKey({ watermark: { type: 'text', text: 'b' } }));
  });
  it('describes a job in words', () => {
    expect(describeOptions({ width: 800, format: 'webp', quality: 80, watermark: { type: 'text', text: 'Hi', position: 'BOTTOM_LEFT', opacity: 0.5 } }, t)).toBe(
      '800 px wide · WEBP · quality 80 · watermark “Hi”, Bottom left, 50%',
    );
    expect(describeOptions({ width: 10, height: 20, fit: 'cover', format: 'png' }, t)).toBe('10 × 20 px box, cover · PNG');
    expect(describeOptions({}, t)).toBe('original size · Same as input · quality 80');
  });
  it('describes each size mode, as the server echoes the options (fit and gravity always set)', () => {
    const echoed = { fit: 'contain', gravity: 'centre', enlarge: false } as const;
    expect(describeOptions({ ...echoed, width: 2048, height: 2048, fit: 'inside', format: 'jpeg', quality: 80 }, t)).toBe('long edge 2048 px · JPEG · quality 80');
    expect(describeOptions({ ...echoed, width: 1080, height: 1080, fit: 'outside', format: 'png' }, t)).toBe('short edge 1080 px · PNG');
    expect(describeOptions({ ...echoed, width: 800, format: 'png' }, t)).toBe('800 px wide · PNG');
    expect(describeOptions({ ...echoed, height: 600, format: 'png' }, t)).toBe('600 px high · PNG');
    expect(describeOptions({ ...echoed, width: 640, height: 480, format: 'png' }, t)).toBe('640 × 480 px box, contain · PNG');
    expect(describeOptions({ ...echoed, width: 500, height: 500, fit: 'cover', gravity: 'attention', format: 'png' }, t)).toBe(
      '500 × 500 px box, cover (attention) · PNG',
    );
    expect(describeOptions({ ...echoed, width: 500, height: 400, fit: 'cover', gravity: 'north', format: 'png' }, t)).toBe('500 × 400 px box, cover (north) · PNG');
    // Pixel sizes stay digits in every language (a count would be grouped: "2,048").
    expect(describeOptions({ ...echoed, width: 2048, height: 2048, fit: 'inside', format: 'png' }, (k, v) => translate('ko', k, v))).toBe('긴 변 2048px · PNG');
  });
});

describe('dictionary keys built from names', () => {
  it('every mode, fit and crop has its words', () => {
    const keys = [
      ...SIZE_MODES.flatMap((m) => [`options.mode.${m}`, `options.modeHint.${m}`]),
      ...ONE_SIDE_MODES.map((m) => `options.edge.${m}`),
      ...BOX_FITS.flatMap((f) => [`options.fit.${f}`, `options.fitHint.${f}`]),
      ...['contain', 'cover', 'fill', 'inside', 'outside'].map((f) => `describe.fit.${f}`),
      ...CROP_GRAVITIES.flatMap((g) => [`options.gravity.${g}`, `options.gravityHint.${g}`]),
      ...CROP_GRAVITIES.filter((g) => g !== 'centre').map((g) => `describe.gravity.${g}`),
      ...['type', 'too_large', 'empty'].map((r) => `convert.reason.${r}`),
      'describe.long',
      'describe.short',
      'describe.box',
    ];
    expect(keys.filter((k) => !hasKey(k))).toEqual([]);
  });
});
