// What the first bytes of a picked file say, before any upload: whether it is an image type the
// server accepts, and its width and height where the header holds them (JPEG, PNG, GIF, WebP,
// BMP, TIFF). AVIF and HEIC keep their size deep in nested boxes: "unknown", the server decides.
import { readBmp } from './bmp';
import type { Bytes, ImageSize } from './bytes';
import { readGif } from './gif';
import { readJpeg } from './jpeg';
import { readPng } from './png';
import { sniffFormat, type InputFormat } from './sniff';
import { readTiff } from './tiff';
import { readWebp } from './webp';

export type { ImageSize } from './bytes';
export type { InputFormat } from './sniff';

export interface HeaderInfo {
  /** null: not an accepted image type */
  format: InputFormat | null;
  /** null: not in the bytes read, or a format whose size is left to the server */
  size: ImageSize | null;
}

const READERS: Partial<Record<InputFormat, (b: Bytes) => ImageSize | null>> = {
  jpeg: readJpeg,
  png: readPng,
  gif: readGif,
  webp: readWebp,
  bmp: readBmp,
  tiff: readTiff,
};

export function readHeader(b: Bytes): HeaderInfo {
  const format = sniffFormat(b);
  const read = format ? READERS[format] : undefined;
  return { format, size: read ? read(b) : null };
}

/** Enough for nearly every header; a JPEG with long EXIF or ICC segments gets a second read. */
const FIRST_READ = 64 * 1024;
/** As much as the server keeps to read a header (HEAD_BYTES in app/job_upload.cpp). */
const LONGEST_READ = 512 * 1024;

async function bytesOf(blob: Blob, length: number): Promise<Bytes> {
  const part = blob.slice(0, length);
  if (typeof part.arrayBuffer === 'function') return new Uint8Array(await part.arrayBuffer());
  // Older engines (and jsdom) have no Blob.arrayBuffer.
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsArrayBuffer(part);
  });
}

/** The header of a file as the browser can read it; null when the file cannot be read. */
export async function readFileHeader(file: Blob): Promise<HeaderInfo | null> {
  try {
    let info = readHeader(await bytesOf(file, FIRST_READ));
    if (info.format && !info.size && file.size > FIRST_READ) info = readHeader(await bytesOf(file, LONGEST_READ));
    return info;
  } catch {
    return null;
  }
}
