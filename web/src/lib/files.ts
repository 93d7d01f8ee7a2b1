// Which picked files go into a job, checked before any upload: at most 50, at most 20 MB each,
// an accepted image type by name and by its first bytes, not over the pixel limit (the server's
// limits: lib/limits.ts). Every refused file is named with its reason.
import type { HeaderInfo } from './imageHeader';
import { SERVER_LIMITS, type Limits } from './limits';
import { judgeHeader, type PixelRefusal } from './preflight';

/** Accepted inputs (README): JPEG, PNG, WebP, AVIF, GIF, TIFF, BMP, HEIC/HEIF. */
const ACCEPTED_TYPES = new Set([
  'image/jpeg',
  'image/pjpeg',
  'image/png',
  'image/webp',
  'image/avif',
  'image/gif',
  'image/tiff',
  'image/bmp',
  'image/x-ms-bmp',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);
const ACCEPTED_EXTENSIONS = new Set(['jpg', 'jpeg', 'jfif', 'png', 'webp', 'avif', 'gif', 'tif', 'tiff', 'bmp', 'heic', 'heif']);

/** For the file picker's accept attribute. */
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_TYPES, ...[...ACCEPTED_EXTENSIONS].map((e) => `.${e}`)].join(',');

export interface FileLike {
  name: string;
  size: number;
  type: string;
  lastModified?: number;
}

export type RejectReason = 'too_many' | 'too_large' | 'too_many_pixels' | 'type' | 'empty' | 'duplicate';

export interface Rejection {
  name: string;
  reason: RejectReason;
  size: number;
  /** for too_many_pixels: the header's size and the limit */
  pixels?: PixelRefusal;
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * Whether a file looks like an accepted image. Browsers leave `type` empty for HEIC on many
 * systems, so an empty type falls back to the extension; a known non-image type (SVG, PDF) is
 * refused whatever its name. The server sniffs the real type anyway.
 */
export function isAcceptedType(file: FileLike): boolean {
  if (file.type) return ACCEPTED_TYPES.has(file.type.toLowerCase());
  return ACCEPTED_EXTENSIONS.has(extension(file.name));
}

function sameFile(a: FileLike, b: FileLike): boolean {
  return a.name === b.name && a.size === b.size && (a.lastModified ?? 0) === (b.lastModified ?? 0);
}

/** Whether a file passes the checks by name and size, so its header is worth reading. */
export function worthReading(file: FileLike, limits: Limits = SERVER_LIMITS): boolean {
  return isAcceptedType(file) && file.size > 0 && file.size <= limits.maxFileBytes;
}

/**
 * Adds `incoming` to `current` in order: each file is refused for its type (by name), emptiness,
 * size, what its header says (not an image, too many pixels: `headers`, when they were read), for
 * being picked twice, or once the count is reached (the 51st and after). A refused file does not
 * use up a place.
 */
export function addFiles<T extends FileLike>(
  current: readonly T[],
  incoming: readonly T[],
  limits: Limits = SERVER_LIMITS,
  headers?: ReadonlyMap<T, HeaderInfo | null>,
): { files: T[]; rejected: Rejection[] } {
  const files = [...current];
  const rejected: Rejection[] = [];
  for (const file of incoming) {
    const refuse = (reason: RejectReason, pixels?: PixelRefusal) =>
      rejected.push(pixels ? { name: file.name, reason, size: file.size, pixels } : { name: file.name, reason, size: file.size });
    const header = headers?.get(file);
    const byHeader = header ? judgeHeader(header, limits) : null;
    if (!isAcceptedType(file)) refuse('type');
    else if (file.size === 0) refuse('empty');
    else if (file.size > limits.maxFileBytes) refuse('too_large');
    else if (byHeader) refuse(byHeader.reason, byHeader.reason === 'too_many_pixels' ? byHeader.pixels : undefined);
    else if (files.some((f) => sameFile(f, file))) refuse('duplicate');
    else if (files.length >= limits.maxFiles) refuse('too_many');
    else files.push(file);
  }
  return { files, rejected };
}

export function removeFileAt<T>(files: readonly T[], index: number): T[] {
  return files.filter((_, i) => i !== index);
}

export function totalBytes(files: readonly FileLike[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}

/** Refusals shown on the file itself in the grid (the file is there, it just will not go). */
const MARKED: ReadonlySet<RejectReason> = new Set(['type', 'too_large', 'too_many_pixels', 'empty']);

export interface Refusals {
  /** files marked in the grid with their reason: wrong type, too large, too many pixels, empty */
  marked: Rejection[];
  /** how many were left out for being past the limit of files per job */
  leftOut: number;
  /** how many were already picked (not added twice) */
  duplicates: number;
}

export const NO_REFUSALS: Refusals = { marked: [], leftOut: 0, duplicates: 0 };

/**
 * Folds the refusals of one pick into what the page shows: marked files stay in the grid until
 * removed (a later pick adds to them, the same file once), the counts are the last pick's.
 */
export function foldRefusals(previous: Refusals, rejected: readonly Rejection[]): Refusals {
  const marked = [...previous.marked];
  for (const r of rejected) {
    if (MARKED.has(r.reason) && !marked.some((m) => m.name === r.name && m.size === r.size)) marked.push(r);
  }
  return {
    marked,
    leftOut: rejected.filter((r) => r.reason === 'too_many').length,
    duplicates: rejected.filter((r) => r.reason === 'duplicate').length,
  };
}
