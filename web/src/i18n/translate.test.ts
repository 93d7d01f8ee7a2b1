import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ko } from './ko';
import { initialLang, interpolate, translate } from './translate';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('Korean has every English key and no other', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });
  it('each Korean text uses the same placeholders as the English one', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, p: placeholders(ko[key]) }).toEqual({ key, p: placeholders(en[key]) });
    }
  });
  it('no text is empty', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(ko)]) expect({ k, empty: v.trim() === '' }).toEqual({ k, empty: false });
  });
});

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translate('en', 'convert.start', { n: 3 })).toBe('Convert 3 images');
    expect(translate('ko', 'convert.start', { n: 3 })).toBe('이미지 3장 변환');
  });
  it('an unknown key shows itself (a status the UI does not know yet)', () => {
    expect(translate('ko', 'status.paused')).toBe('status.paused');
  });
  it('writes numbers the locale’s way, text as it is', () => {
    expect(translate('en', 'convert.leftOut', { n: 1234, max: 50 })).toBe('1,234 left out: a job takes at most 50 images.');
    expect(translate('ko', 'convert.checking', { n: 12345 })).toBe('파일 12,345개 확인 중…');
    expect(translate('en', 'job.kept', { width: '2048', height: '1536' })).toMatch(/^kept at 2048 × 1536/);
  });
  it('interpolate leaves unknown placeholders', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(interpolate('plain')).toBe('plain');
  });
});

describe('initialLang', () => {
  it('the stored choice wins', () => {
    expect(initialLang('en', ['ko-KR'])).toBe('en');
    expect(initialLang('ko', ['en-US'])).toBe('ko');
  });
  it('otherwise the browser language', () => {
    expect(initialLang(null, ['ko-KR', 'en'])).toBe('ko');
    expect(initialLang(null, ['en-US', 'ko'])).toBe('en');
    expect(initialLang('fr', undefined)).toBe('en');
  });
});
