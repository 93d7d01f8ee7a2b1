import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMegapixels, formatNumber, formatPercent, formatPercentChange, progressPercent, sizeSaved, utf8Length } from './format';

const EN = 'en-GB';
const KO = 'ko-KR';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes', '0바이트'],
    [1023, '1,023 bytes', '1,023바이트'],
    [1024, '1 kB', '1kB'],
    [1536, '1.5 kB', '1.5kB'],
    [34478, '33.7 kB', '33.7kB'],
    [20 * 1024 * 1024, '20 MB', '20MB'],
    [1.25 * 1024 ** 3, '1.25 GB', '1.25GB'],
    [150 * 1024, '150 kB', '150kB'],
    [-2048, '-2 kB', '-2kB'],
  ])('%d -> %s / %s', (n, en, ko) => {
    expect(formatBytes(n, EN)).toBe(en);
    expect(formatBytes(n, KO)).toBe(ko);
  });
  it('shows a dash for nothing', () => {
    expect(formatBytes(null, EN)).toBe('—');
    expect(formatBytes(undefined, KO)).toBe('—');
    expect(formatBytes(Number.NaN, EN)).toBe('—');
  });
});

describe('counts and megapixels', () => {
  it('group digits the locale’s way', () => {
    expect(formatNumber(12345, EN)).toBe('12,345');
    expect(formatNumber(12345, KO)).toBe('12,345');
    expect(formatMegapixels(280_000_000, KO)).toBe('280 MP');
    expect(formatMegapixels(1_500_000, EN)).toBe('1.5 MP');
    expect(formatPercent(42, EN)).toBe('42%');
    expect(formatPercent(100, KO)).toBe('100%');
  });
});

describe('sizeSaved', () => {
  it('shrink', () => {
    const s = sizeSaved(1000, 250);
    expect(s).toEqual({ before: 1000, after: 250, saved: 750, percent: 75 });
    expect(formatPercentChange(s, EN)).toBe('-75%');
  });
  it('one decimal', () => {
    const s = sizeSaved(3000, 2000);
    expect(s.percent).toBe(33.3);
    expect(formatPercentChange(s, KO)).toBe('-33.3%');
  });
  it('growth is negative saving', () => {
    const s = sizeSaved(1000, 1100);
    expect(s.saved).toBe(-100);
    expect(s.percent).toBe(-10);
    expect(formatPercentChange(s, EN)).toBe('+10%');
  });
  it('no input bytes', () => {
    expect(sizeSaved(0, 10).percent).toBe(0);
    expect(formatPercentChange(sizeSaved(0, 10), EN)).toBe('');
  });
});

describe('progressPercent', () => {
  it('counts failed images as finished', () => {
    expect(progressPercent(1, 1, 4)).toBe(50);
    expect(progressPercent(2, 1, 3)).toBe(100);
    expect(progressPercent(1, 0, 3)).toBe(33);
  });
  it('never over 100, zero for an empty job', () => {
    expect(progressPercent(5, 0, 3)).toBe(100);
    expect(progressPercent(0, 0, 0)).toBe(0);
  });
});

describe('formatDuration and utf8Length', () => {
  it.each([
    [440, '440 milliseconds', '440밀리초'],
    [2500, '2.5 seconds', '2.5초'],
    [42_000, '42 seconds', '42초'],
    [60_000, '1 minute', '1분'],
    [125_000, '2 minutes 5 seconds', '2분 5초'],
    [3_725_000, '1 hour 2 minutes 5 seconds', '1시간 2분 5초'],
  ])('%d ms -> %s / %s', (ms, en, ko) => {
    expect(formatDuration(ms, EN)).toBe(en);
    expect(formatDuration(ms, KO)).toBe(ko);
  });
  it('nothing is a dash', () => {
    expect(formatDuration(null, EN)).toBe('—');
  });
  it('Hangul takes 3 bytes a character', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('테스트')).toBe(9);
  });
});
