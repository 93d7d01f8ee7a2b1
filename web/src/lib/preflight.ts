// The check of a picked file's first bytes before any upload: not an accepted image type, or more
// pixels than the server converts, is refused now, in the grid, rather than failing the whole
// upload (the server refuses a job whose file has either, src/app/job_upload.cpp). A file whose
// size the header does not give (AVIF, HEIC, a broken header) goes: the server decides.
import { readFileHeader, type HeaderInfo } from './imageHeader';
import type { Limits } from './limits';

/** Why a header refuses its file, and the numbers to say so. */
export interface PixelRefusal {
  width: number;
  height: number;
  /** the limit it is over, in pixels */
  limit: number;
  /** a progressive JPEG, which has its own lower limit */
  progressive: boolean;
}

export type HeaderRefusal = { reason: 'type' } | { reason: 'too_many_pixels'; pixels: PixelRefusal };

export function judgeHeader(header: HeaderInfo, limits: Limits): HeaderRefusal | null {
  if (header.format === null) return { reason: 'type' };
  const size = header.size;
  if (!size) return null;
  const progressive = header.format === 'jpeg' && size.progressive === true;
  const limit = progressive ? limits.maxProgressivePixels : limits.maxPixels;
  if (size.width * size.height <= limit) return null;
  return { reason: 'too_many_pixels', pixels: { width: size.width, height: size.height, limit, progressive } };
}

/**
 * The headers of the files, read in the browser (64 KB each, 512 KB for a long JPEG header);
 * null for a file that could not be read (the server decides). `worth` skips files refused
 * anyway by name or size.
 */
export async function readHeaders<T extends Blob>(files: readonly T[], worth: (file: T) => boolean = () => true): Promise<Map<T, HeaderInfo | null>> {
  const entries = await Promise.all(files.filter(worth).map(async (f) => [f, await readFileHeader(f)] as const));
  return new Map(entries);
}
