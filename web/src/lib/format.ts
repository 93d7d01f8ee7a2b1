// Numbers for people, in the reader's locale (Intl): bytes, sizes saved, percentages, durations,
// dates, counts. Each takes the locale (see I18n's `fmt`, which binds it).

/** Intl's units for the binary multiples (1 KB = 1024 B, as the server's 20 MB limit is 20 MiB). */
const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** 1536 -> "1.5 kB" (en) / "1.5kB" (ko); 1023 -> "1,023 bytes" / "1,023바이트". */
export function formatBytes(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // "1,023 bytes" reads better than the short form's "1,023 byte"; "MB" better than "megabytes".
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: digits,
  }).format(bytes < 0 ? -value : value);
}

/** A count: 12345 -> "12,345". */
export function formatNumber(n: number, locale: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(n);
}

/** Megapixels, for pixel limits: 280_000_000 -> "280 MP" (one decimal under 10). */
export function formatMegapixels(pixels: number, locale: string): string {
  const mp = pixels / 1_000_000;
  return `${formatNumber(mp, locale, mp < 10 ? 1 : 0)} MP`;
}

export interface Saved {
  before: number;
  after: number;
  /** bytes saved; negative when the output grew */
  saved: number;
  /** share of `before` saved, in percent with one decimal; negative when it grew */
  percent: number;
}

export function sizeSaved(before: number, after: number): Saved {
  const saved = before - after;
  const percent = before > 0 ? Math.round((saved / before) * 1000) / 10 : 0;
  return { before, after, saved, percent };
}

/** A share out of 100 as the locale writes it: 42 -> "42%". */
export function formatPercent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
}

/** "-42.5%" for a shrink, "+3%" for growth, as shown next to before -> after. */
export function formatPercentChange(s: Saved, locale: string): string {
  if (s.before <= 0) return '';
  return new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(-s.percent / 100);
}

/** Progress of a job in percent, 0-100, counting failed images as finished. */
export function progressPercent(done: number, failed: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round(((done + failed) / total) * 100));
}

function unit(value: number, name: 'millisecond' | 'second' | 'minute' | 'hour', locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long', maximumFractionDigits: digits }).format(value);
}

/** 440 -> "440 milliseconds" / "440밀리초"; 2500 -> "2.5 seconds"; 125000 -> "2 minutes 5 seconds" / "2분 5초". */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return unit(Math.round(ms), 'millisecond', locale);
  const s = ms / 1000;
  if (s < 60) return unit(s < 10 ? Math.round(s * 10) / 10 : Math.round(s), 'second', locale, 1);
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(unit(h, 'hour', locale));
  if (m > 0) parts.push(unit(m, 'minute', locale));
  if (rest > 0 || parts.length === 0) parts.push(unit(rest, 'second', locale));
  return new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format(parts);
}

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** UTF-8 length, as the server counts watermark text (at most 500 bytes). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
