// The options form: its state, the keep-ratio lock, validation, and the `options` JSON it sends
// (only what differs from the server's defaults, so the job records stay short).
import type { ConversionOptions, Fit, OutputFormat, Position } from '../api/types';
import { utf8Length } from './format';

export const FITS: Fit[] = ['contain', 'cover', 'fill', 'inside', 'outside'];
export const FORMATS: OutputFormat[] = ['original', 'jpeg', 'png', 'webp', 'avif', 'gif', 'tiff', 'bmp'];
export const POSITIONS: Position[] = [
  'TOP_LEFT',
  'TOP_CENTER',
  'TOP_RIGHT',
  'MIDDLE_LEFT',
  'CENTER',
  'MIDDLE_RIGHT',
  'BOTTOM_LEFT',
  'BOTTOM_CENTER',
  'BOTTOM_RIGHT',
];
export const MAX_DIMENSION = 16384;
export const MAX_WATERMARK_TEXT_BYTES = 500;

/** Formats whose encoders take a quality (the slider is disabled for the others). */
export const LOSSY_FORMATS: OutputFormat[] = ['original', 'jpeg', 'webp', 'avif'];

export type WatermarkKind = 'none' | 'text' | 'image';

export interface OptionsForm {
  /** as typed: '' means "keep the input's size" */
  width: string;
  height: string;
  /** keep the aspect ratio: only the dimension typed last is sent, the other follows */
  keepRatio: boolean;
  /** which dimension the person typed last (the one sent while keepRatio is on) */
  driver: 'width' | 'height';
  /** how both dimensions are met when keepRatio is off and both are set */
  fit: Fit;
  format: OutputFormat;
  quality: number;
  watermark: WatermarkKind;
  text: string;
  position: Position;
  /** 0-1 */
  opacity: number;
  /** watermark width as a fraction of the output width, 0-1 */
  size: number;
  /** #rrggbb */
  color: string;
}

export const DEFAULT_FORM: OptionsForm = {
  width: '',
  height: '',
  keepRatio: true,
  driver: 'width',
  fit: 'contain',
  format: 'original',
  quality: 80,
  watermark: 'none',
  text: '',
  position: 'BOTTOM_RIGHT',
  opacity: 0.5,
  size: 0.25,
  color: '#ffffff',
};

function parseDimension(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  return Number(t);
}

/**
 * Sets width or height. With the lock on and the first image's aspect ratio (width / height)
 * known, the other dimension follows so the person sees what they will get.
 */
export function setDimension(
  form: OptionsForm,
  which: 'width' | 'height',
  value: string,
  aspect: number | null,
): OptionsForm {
  const next: OptionsForm = { ...form, [which]: value, driver: which };
  if (!form.keepRatio) return next;
  const n = parseDimension(value);
  const other = which === 'width' ? 'height' : 'width';
  if (n === null || !aspect || aspect <= 0) {
    next[other] = '';
    return next;
  }
  const linked = which === 'width' ? n / aspect : n * aspect;
  next[other] = String(Math.max(1, Math.round(linked)));
  return next;
}

export function toggleKeepRatio(form: OptionsForm, aspect: number | null): OptionsForm {
  const next = { ...form, keepRatio: !form.keepRatio };
  // Turning the lock on re-derives the other side from the one typed last.
  return next.keepRatio ? setDimension(next, form.driver, form[form.driver], aspect) : next;
}

export type FormErrors = Partial<Record<'width' | 'height' | 'quality' | 'text' | 'logo' | 'color', string>>;

/** Error keys (i18n) per field; empty when the form can be sent. */
export function validateForm(form: OptionsForm, hasLogo: boolean): FormErrors {
  const errors: FormErrors = {};
  for (const which of ['width', 'height'] as const) {
    if (form[which].trim() === '') continue;
    const n = parseDimension(form[which]);
    if (n === null || n < 1 || n > MAX_DIMENSION) errors[which] = 'options.error.dimension';
  }
  if (!Number.isInteger(form.quality) || form.quality < 1 || form.quality > 100) errors.quality = 'options.error.quality';
  if (form.watermark === 'text') {
    if (form.text.trim() === '') errors.text = 'options.error.textEmpty';
    else if (utf8Length(form.text) > MAX_WATERMARK_TEXT_BYTES) errors.text = 'options.error.textLong';
    if (!/^#[0-9a-fA-F]{6}$/.test(form.color)) errors.color = 'options.error.color';
  }
  if (form.watermark === 'image' && !hasLogo) errors.logo = 'options.error.logo';
  return errors;
}

/** The `options` JSON for POST /v1/jobs and /v1/preview. */
export function buildOptions(form: OptionsForm): ConversionOptions {
  const options: ConversionOptions = {};
  const width = parseDimension(form.width);
  const height = parseDimension(form.height);
  if (form.keepRatio) {
    // One dimension: the other follows each image's own ratio (batches mix ratios).
    const sent = form.driver === 'width' ? width : height;
    if (sent !== null) options[form.driver] = sent;
  } else {
    if (width !== null) options.width = width;
    if (height !== null) options.height = height;
    if (width !== null && height !== null && form.fit !== 'contain') options.fit = form.fit;
  }
  if (form.format !== 'original') options.format = form.format;
  if (form.quality !== 80 && LOSSY_FORMATS.includes(form.format)) options.quality = form.quality;
  if (form.watermark !== 'none') {
    options.watermark = {
      type: form.watermark,
      position: form.position,
      opacity: form.opacity,
      size: form.size,
    };
    if (form.watermark === 'text') {
      options.watermark.text = form.text;
      options.watermark.color = form.color.toLowerCase();
    }
  }
  return options;
}

/** A stable key for the options that change the preview (debounce and cache on it). */
export function optionsKey(options: ConversionOptions): string {
  return JSON.stringify(options, Object.keys(flatten(options)).sort());
}

function flatten(o: object, out: Record<string, true> = {}): Record<string, true> {
  for (const [k, v] of Object.entries(o)) {
    out[k] = true;
    if (v && typeof v === 'object') flatten(v as object, out);
  }
  return out;
}

/** Where a 9-grid position sits: row and column 0-2 (for the position picker and arrow keys). */
export function positionCell(p: Position): { row: number; col: number } {
  const i = POSITIONS.indexOf(p);
  return { row: Math.floor(i / 3), col: i % 3 };
}

export function movePosition(p: Position, key: string): Position {
  const { row, col } = positionCell(p);
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
  };
  const m = moves[key];
  if (!m) return p;
  const r = Math.min(2, Math.max(0, row + m[0]));
  const c = Math.min(2, Math.max(0, col + m[1]));
  return POSITIONS[r * 3 + c] ?? p;
}

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The options of a job in a few words: "800 px wide · WEBP · quality 80 · watermark …". */
export function describeOptions(o: ConversionOptions, t: T): string {
  const parts: string[] = [];
  if (o.width && o.height) {
    parts.push(t('describe.both', { w: o.width, h: o.height }) + (o.fit && o.fit !== 'contain' ? ` (${o.fit})` : ''));
  } else if (o.width) parts.push(t('describe.width', { w: o.width }));
  else if (o.height) parts.push(t('describe.height', { h: o.height }));
  else parts.push(t('describe.original'));
  const format = o.format ?? 'original';
  parts.push(format === 'original' ? t('options.format.original') : format.toUpperCase());
  if (LOSSY_FORMATS.includes(format) && !o.lossless) parts.push(t('describe.quality', { q: o.quality ?? 80 }));
  const w = o.watermark;
  if (w && w.type && w.type !== 'none') {
    const vars = {
      text: w.text ?? '',
      position: t(`position.${w.position ?? 'BOTTOM_RIGHT'}`),
      opacity: Math.round((w.opacity ?? 0.5) * 100),
    };
    parts.push(t(w.type === 'text' ? 'describe.watermarkText' : 'describe.watermarkImage', vars));
  }
  return parts.join(' · ');
}
