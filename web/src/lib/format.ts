// Numbers for people: bytes, sizes saved, percentages, durations, dates.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB" (binary multiples, as the server's 20 MB limit is 20 MiB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${Number.parseFloat(value.toFixed(digits))} ${UNITS[unit]}`;
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

/** "-42.5%" for a shrink, "+3%" for growth, as shown next to before -> after. */
export function formatPercentChange(s: Saved): string {
  if (s.before <= 0) return '';
  const change = -s.percent;
  const text = Number.isInteger(change) ? String(change) : change.toFixed(1);
  return `${change > 0 ? '+' : ''}${text}%`;
}

/** Progress of a job in percent, 0-100, counting failed images as finished. */
export function progressPercent(done: number, failed: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round(((done + failed) / total) * 100));
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
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
