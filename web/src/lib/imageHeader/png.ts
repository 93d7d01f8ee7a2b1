// PNG (and APNG): the IHDR chunk comes first, width and height big-endian.
import { be32, hasAscii, sizeOf, type Bytes, type ImageSize } from './bytes';

export function readPng(b: Bytes): ImageSize | null {
  if (!hasAscii(b, 12, 'IHDR')) return null;
  return sizeOf(be32(b, 16), be32(b, 20));
}
