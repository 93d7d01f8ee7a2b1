// Reusing settings: options from a preset, an earlier job or the last upload back into the
// Convert form; the options a job is sent with (the form, what the form does not show, and
// whether the ZIP carries manifest.json); and the last options used, remembered per user.
import type { ConversionOptions, Position } from '../api/client';
import {
  BOX_FITS,
  CROP_GRAVITIES,
  DEFAULT_FORM,
  POSITIONS,
  buildOptions,
  sizeModeOf,
  type BoxFit,
  type CropGravity,
  type OptionsForm,
  type WatermarkKind,
} from './options';

/** What the Convert page sends besides its files. */
export interface JobSettings {
  form: OptionsForm;
  /** options the form has no control for (lossless, metadata, enlarge ...), kept as given */
  extra: ConversionOptions;
  /** whether the job's ZIP includes manifest.json; the web app leaves it out by default */
  manifest: boolean;
}

export const DEFAULT_SETTINGS: JobSettings = { form: DEFAULT_FORM, extra: {}, manifest: false };

/** The keys the form (and the manifest checkbox) set; everything else is `extra`. */
const FORM_KEYS = new Set(['width', 'height', 'fit', 'gravity', 'format', 'quality', 'watermark', 'manifest', 'keep_ratio']);

/** The server's defaults: an extra option equal to one is not worth carrying. */
const SERVER_DEFAULTS: Record<string, unknown> = {
  enlarge: false,
  lossless: false,
  progressive: false,
  palette: false,
  metadata: 'strip',
  background: '#ffffff',
  timeout_seconds: 30,
};

function isDefault(key: string, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (key === 'background' && typeof value === 'string') return /^#ffffff(ff)?$/i.test(value);
  return SERVER_DEFAULTS[key] === value;
}

function numberText(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? String(n) : '';
}

/** The form for a set of options, as the server keeps them (a preset, a job) or as we sent them. */
export function formFromOptions(o: ConversionOptions): OptionsForm {
  const form: OptionsForm = { ...DEFAULT_FORM };
  form.sizeMode = sizeModeOf(o);
  switch (form.sizeMode) {
    case 'long':
    case 'short':
    case 'width':
      form.edge = numberText(o.width);
      break;
    case 'height':
      form.edge = numberText(o.height);
      break;
    case 'box':
      form.width = numberText(o.width);
      form.height = numberText(o.height);
      form.fit = (BOX_FITS as readonly string[]).includes(o.fit ?? '') ? (o.fit as BoxFit) : 'contain';
      form.gravity = (CROP_GRAVITIES as readonly string[]).includes(o.gravity ?? '') ? (o.gravity as CropGravity) : 'centre';
      break;
    case 'original':
      break;
  }
  if (o.format) form.format = o.format;
  if (typeof o.quality === 'number') form.quality = o.quality;
  const w = o.watermark;
  if (w && (w.type === 'text' || w.type === 'image' || (!w.type && w.text))) {
    form.watermark = (w.type ?? 'text') as WatermarkKind;
    form.text = w.text ?? '';
    if (w.position && POSITIONS.includes(w.position as Position)) form.position = w.position as Position;
    if (typeof w.opacity === 'number') form.opacity = w.opacity;
    if (typeof w.size === 'number') form.size = w.size;
    // The server keeps colours as #rrggbbaa; the form's colour input takes #rrggbb.
    if (typeof w.color === 'string' && /^#[0-9a-fA-F]{6}/.test(w.color)) form.color = w.color.slice(0, 7).toLowerCase();
  }
  return form;
}

/** Everything the Convert page needs to show and send `o` again. */
export function settingsFromOptions(o: ConversionOptions): JobSettings {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (!FORM_KEYS.has(key) && !isDefault(key, value)) extra[key] = value;
  }
  // Absent means the server's default: a ZIP with its manifest.
  return { form: formFromOptions(o), extra: extra as ConversionOptions, manifest: o.manifest !== false };
}

/** The options of the preview: the form's and the extra ones (the manifest changes no pixel). */
export function previewOptions(s: JobSettings): ConversionOptions {
  return { ...s.extra, ...buildOptions(s.form) };
}

/** The `options` of POST /v1/jobs (and of a saved preset). */
export function jobOptions(s: JobSettings): ConversionOptions {
  const options = previewOptions(s);
  if (!s.manifest) options.manifest = false;
  return options;
}

/** Where the last options used are kept, one entry per user (this browser only). */
export function lastOptionsKey(userId: number | string): string {
  return `imagesprint.lastOptions.${userId}`;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): KeyValueStore | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage refused (privacy settings)
  }
}

export function rememberOptions(userId: number | string, options: ConversionOptions, storage = browserStorage()): void {
  try {
    storage?.setItem(lastOptionsKey(userId), JSON.stringify(options));
  } catch {
    // full or refused: nothing to remember then
  }
}

/** The options this user last sent from this browser; null when none (or unreadable). */
export function recallOptions(userId: number | string, storage = browserStorage()): ConversionOptions | null {
  try {
    const text = storage?.getItem(lastOptionsKey(userId));
    if (!text) return null;
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as ConversionOptions) : null;
  } catch {
    return null;
  }
}

/** The settings the Convert page starts with: a job's to convert again, else the last used, else the defaults. */
export function initialSettings(again: ConversionOptions | null | undefined, userId: number | string | null | undefined): JobSettings {
  if (again) return settingsFromOptions(again);
  const last = userId != null ? recallOptions(userId) : null;
  return last ? settingsFromOptions(last) : DEFAULT_SETTINGS;
}

/** The router state the job page hands to the Convert page ("Convert again with these settings"). */
export interface ConvertAgainState {
  options: ConversionOptions;
}

export function convertAgainOptions(state: unknown): ConversionOptions | null {
  if (!state || typeof state !== 'object') return null;
  const options = (state as Partial<ConvertAgainState>).options;
  return options && typeof options === 'object' && !Array.isArray(options) ? options : null;
}
