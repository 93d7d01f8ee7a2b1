// The options form: its state, the keep-ratio lock, validation, and the `options` JSON it sends
// (only what differs from the server's defaults, so the job records stay short).
import type { ConversionOptions, Fit, OutputFormat, Position } from '../api/client';
import { utf8Length } from './format';

/** The fits offered for an exact box (inside/outside are what long/short edge send). */
export const BOX_FITS = ['cover', 'contain', 'fill'] as const satisfies readonly Fit[];
export type BoxFit = (typeof BOX_FITS)[number];
/** Where `cover` crops from: the middle, or libvips' smart crops (the server's gravity names). */
export const CROP_GRAVITIES = ['centre', 'attention', 'entropy'] as const;
export type CropGravity = (typeof CROP_GRAVITIES)[number];
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

/**
 * How the size is given, in words rather than a padlock:
 * - original: no resize;
 * - long / short: the longer / shorter side becomes N px, whichever way the image is turned
 *   (sent as width N + height N + fit inside / outside);
 * - width / height: that side becomes N px, the other follows each image's own ratio;
 * - box: width and height both, met by `fit` (and for cover, cropped from `gravity`).
 */
export type SizeMode = 'original' | 'long' | 'short' | 'width' | 'height' | 'box';
export const SIZE_MODES: SizeMode[] = ['original', 'long', 'short', 'width', 'height', 'box'];
/** The modes that take one number (`edge`). */
export const ONE_SIDE_MODES: SizeMode[] = ['long', 'short', 'width', 'height'];

export interface OptionsForm {
  sizeMode: SizeMode;
  /** as typed, px: the one number of the long, short, width and height modes */
  edge: string;
  /** as typed, px: the box's sides (box mode only) */
  width: string;
  height: string;
  /** how the image meets the box (box mode only); default contain */
  fit: BoxFit;
  /** where cover crops from (box mode with cover only); default centre */
  gravity: CropGravity;
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
  sizeMode: 'original',
  edge: '',
  width: '',
  height: '',
  fit: 'contain',
  gravity: 'centre',
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
 * Switches the size mode and carries the number over: the one-side modes share `edge`; a box
 * left empty starts from it (and `edge` from the box's width), so no typing is lost.
 */
export function setSizeMode(form: OptionsForm, mode: SizeMode): OptionsForm {
  const next: OptionsForm = { ...form, sizeMode: mode };
  if (mode === 'box' && form.width.trim() === '' && form.height.trim() === '' && form.edge.trim() !== '') {
    next.width = form.edge;
    next.height = form.edge;
  }
  if (ONE_SIDE_MODES.includes(mode) && form.edge.trim() === '' && form.width.trim() !== '') next.edge = form.width;
  return next;
}

export type FormErrors = Partial<Record<'edge' | 'width' | 'height' | 'quality' | 'text' | 'logo' | 'color', string>>;

function dimensionError(text: string): string | undefined {
  if (text.trim() === '') return 'options.error.sizeEmpty';
  const n = parseDimension(text);
  return n === null || n < 1 || n > MAX_DIMENSION ? 'options.error.dimension' : undefined;
}

/** Error keys (i18n) per field; empty when the form can be sent. */
export function validateForm(form: OptionsForm, hasLogo: boolean): FormErrors {
  const errors: FormErrors = {};
  const put = (field: keyof FormErrors, error: string | undefined) => {
    if (error) errors[field] = error;
  };
  if (ONE_SIDE_MODES.includes(form.sizeMode)) put('edge', dimensionError(form.edge));
  if (form.sizeMode === 'box') {
    put('width', dimensionError(form.width));
    put('height', dimensionError(form.height));
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

/** The size part of the options JSON for the form's mode (nothing for a number not yet valid). */
export function sizeOptions(form: OptionsForm): Pick<ConversionOptions, 'width' | 'height' | 'fit' | 'gravity'> {
  const edge = parseDimension(form.edge);
  switch (form.sizeMode) {
    case 'original':
      return {};
    case 'long':
      // Both sides N, the whole image inside the N x N square: its longer side becomes N.
      return edge === null ? {} : { width: edge, height: edge, fit: 'inside' };
    case 'short':
      // Both sides N, the image covering the square without a crop: its shorter side becomes N.
      return edge === null ? {} : { width: edge, height: edge, fit: 'outside' };
    case 'width':
      return edge === null ? {} : { width: edge };
    case 'height':
      return edge === null ? {} : { height: edge };
    case 'box': {
      const width = parseDimension(form.width);
      const height = parseDimension(form.height);
      if (width === null || height === null) return {};
      const out: Pick<ConversionOptions, 'width' | 'height' | 'fit' | 'gravity'> = { width, height };
      if (form.fit !== 'contain') out.fit = form.fit;
      if (form.fit === 'cover' && form.gravity !== 'centre') out.gravity = form.gravity;
      return out;
    }
  }
}

/** The `options` JSON for POST /v1/jobs and /v1/preview. */
export function buildOptions(form: OptionsForm): ConversionOptions {
  const options: ConversionOptions = { ...sizeOptions(form) };
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

/** The size mode a job's options stand for (options from the API, maybe not from this form). */
export function sizeModeOf(o: ConversionOptions): SizeMode {
  if (o.width && o.height) {
    if (o.width === o.height && o.fit === 'inside') return 'long';
    if (o.width === o.height && o.fit === 'outside') return 'short';
    return 'box';
  }
  if (o.width) return 'width';
  if (o.height) return 'height';
  return 'original';
}

/** The size of a job in words: "long edge 2048 px", "800 × 600 px box, cover (attention)".
 * Pixel sizes go in as text, so they stay digits ("2048", never "2,048"). */
export function describeSize(o: ConversionOptions, t: T): string {
  const mode = sizeModeOf(o);
  switch (mode) {
    case 'original':
      return t('describe.original');
    case 'long':
    case 'short':
      return t(`describe.${mode}`, { n: String(o.width ?? 0) });
    case 'width':
      return t('describe.width', { w: String(o.width ?? 0) });
    case 'height':
      return t('describe.height', { h: String(o.height ?? 0) });
    case 'box': {
      const fit = o.fit ?? 'contain';
      const gravity = fit === 'cover' && o.gravity && o.gravity !== 'centre' ? o.gravity : null;
      // The smart crops in words; a compass gravity (from the API) by its own name.
      const where = gravity && (CROP_GRAVITIES as readonly string[]).includes(gravity) ? t(`describe.gravity.${gravity}`) : gravity;
      const how = t(`describe.fit.${fit}`) + (where ? ` (${where})` : '');
      return t('describe.box', { w: String(o.width ?? 0), h: String(o.height ?? 0), fit: how });
    }
  }
}

/** The options of a job in a few words: "800 px wide · WEBP · quality 80 · watermark …". */
export function describeOptions(o: ConversionOptions, t: T): string {
  const parts: string[] = [];
  parts.push(describeSize(o, t));
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
