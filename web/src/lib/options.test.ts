import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { translate } from '../i18n/translate';
import {
  buildOptions,
  DEFAULT_FORM,
  describeOptions,
  movePosition,
  optionsKey,
  setDimension,
  toggleKeepRatio,
  validateForm,
  type OptionsForm,
} from './options';

const form = (patch: Partial<OptionsForm> = {}): OptionsForm => ({ ...DEFAULT_FORM, ...patch });
const t = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars);

describe('buildOptions', () => {
  it('the defaults send nothing: the server applies its own', () => {
    expect(buildOptions(DEFAULT_FORM)).toEqual({});
  });

  it('with the ratio locked only the side typed last is sent', () => {
    const f = setDimension(form(), 'width', '800', 1.6);
    expect(f.height).toBe('500');
    expect(buildOptions(f)).toEqual({ width: 800 });
    const g = setDimension(f, 'height', '300', 1.6);
    expect(g.width).toBe('480');
    expect(buildOptions(g)).toEqual({ height: 300 });
  });

  it('unlocked: both sides and the fit mode', () => {
    const f = form({ keepRatio: false, width: '640', height: '640', fit: 'cover' });
    expect(buildOptions(f)).toEqual({ width: 640, height: 640, fit: 'cover' });
    expect(buildOptions({ ...f, fit: 'contain' })).toEqual({ width: 640, height: 640 });
    // fit means nothing with one side
    expect(buildOptions({ ...f, height: '' })).toEqual({ width: 640 });
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

describe('setDimension and the lock', () => {
  it('without a known ratio the other side is cleared, not guessed', () => {
    const f = setDimension(form({ height: '123' }), 'width', '800', null);
    expect(f.height).toBe('');
    expect(buildOptions(f)).toEqual({ width: 800 });
  });
  it('clearing the typed side clears the other', () => {
    const f = setDimension(setDimension(form(), 'width', '800', 1.6), 'width', '', 1.6);
    expect(f.height).toBe('');
    expect(buildOptions(f)).toEqual({});
  });
  it('unlocked sides are independent', () => {
    const f = setDimension(form({ keepRatio: false, height: '77' }), 'width', '800', 1.6);
    expect(f.height).toBe('77');
  });
  it('never below 1 px', () => {
    expect(setDimension(form(), 'width', '1', 100).height).toBe('1');
  });
  it('locking again re-derives from the side typed last', () => {
    const unlocked = form({ keepRatio: false, width: '1000', height: '10', driver: 'width' });
    const locked = toggleKeepRatio(unlocked, 2);
    expect(locked.keepRatio).toBe(true);
    expect(locked.height).toBe('500');
    expect(toggleKeepRatio(locked, 2).keepRatio).toBe(false);
  });
});

describe('validateForm', () => {
  it('accepts the defaults', () => {
    expect(validateForm(DEFAULT_FORM, false)).toEqual({});
  });
  it('dimensions are whole numbers from 1 to 16384', () => {
    for (const bad of ['0', '16385', '12.5', 'abc', '-3']) {
      expect(validateForm(form({ width: bad }), false).width).toBe('options.error.dimension');
    }
    expect(validateForm(form({ width: '16384', height: ' 1 ' }), false)).toEqual({});
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
      ...validateForm(form({ width: 'x', height: '0', quality: 0, watermark: 'text', text: '', color: 'red' }), false),
      ...validateForm(form({ watermark: 'image' }), false),
    };
    expect(Object.keys(errors).sort()).toEqual(['color', 'height', 'logo', 'quality', 'text', 'width']);
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
    expect(describeOptions({ width: 10, height: 20, fit: 'cover', format: 'png' }, t)).toBe('10 × 20 px (cover) · PNG');
    expect(describeOptions({}, t)).toBe('original size · Same as input · quality 80');
  });
});
