// Reading integers and magic strings out of the first bytes of a file; out of range reads as
// undefined, so a short or cut file never throws.

export type Bytes = Uint8Array;

/** Whether `text` (Latin-1, as file signatures are written) is at `at`. */
export function hasAscii(b: Bytes, at: number, text: string): boolean {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function be16(b: Bytes, at: number): number | undefined {
  return at + 2 <= b.length ? ((b[at]! << 8) | b[at + 1]!) : undefined;
}

export function be32(b: Bytes, at: number): number | undefined {
  return at + 4 <= b.length ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0 : undefined;
}

export function le16(b: Bytes, at: number): number | undefined {
  return at + 2 <= b.length ? (b[at]! | (b[at + 1]! << 8)) : undefined;
}

export function le24(b: Bytes, at: number): number | undefined {
  return at + 3 <= b.length ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) : undefined;
}

export function le32(b: Bytes, at: number): number | undefined {
  return at + 4 <= b.length ? ((b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0) : undefined;
}

/** The size an image header gives; `progressive` for a progressive JPEG (its own pixel limit). */
export interface ImageSize {
  width: number;
  height: number;
  progressive?: boolean;
}

/** A size only when both sides are positive numbers. */
export function sizeOf(width: number | undefined, height: number | undefined, progressive?: boolean): ImageSize | null {
  if (!width || !height || width <= 0 || height <= 0) return null;
  return progressive === undefined ? { width, height } : { width, height, progressive };
}
