import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercentChange, progressPercent, sizeSaved, utf8Length } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [34478, '33.7 KB'],
    [20 * 1024 * 1024, '20 MB'],
    [1.25 * 1024 ** 3, '1.25 GB'],
    [150 * 1024, '150 KB'],
    [-2048, '-2 KB'],
  ])('%d -> %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
  it('shows a dash for nothing', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('sizeSaved', () => {
  it('shrink', () => {
    const s = sizeSaved(1000, 250);
    expect(s).toEqual({ before: 1000, after: 250, saved: 750, percent: 75 });
    expect(formatPercentChange(s)).toBe('-75%');
  });
  it('one decimal', () => {
    const s = sizeSaved(3000, 2000);
    expect(s.percent).toBe(33.3);
    expect(formatPercentChange(s)).toBe('-33.3%');
  });
  it('growth is negative saving', () => {
    const s = sizeSaved(1000, 1100);
    expect(s.saved).toBe(-100);
    expect(s.percent).toBe(-10);
    expect(formatPercentChange(s)).toBe('+10%');
  });
  it('no input bytes', () => {
    expect(sizeSaved(0, 10).percent).toBe(0);
    expect(formatPercentChange(sizeSaved(0, 10))).toBe('');
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
  it('durations', () => {
    expect(formatDuration(440)).toBe('440 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
  });
  it('Hangul takes 3 bytes a character', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('테스트')).toBe(9);
  });
});
