// BMP: the DIB header after the 14-byte file header. The old OS/2 core header (12 bytes) has
// 16-bit sides; the others 32-bit, the height negative for a top-down bitmap.
import { le16, le32, sizeOf, type Bytes, type ImageSize } from './bytes';

export function readBmp(b: Bytes): ImageSize | null {
  if (le32(b, 14) === 12) return sizeOf(le16(b, 18), le16(b, 20));
  const w = le32(b, 18);
  const h = le32(b, 22);
  if (w === undefined || h === undefined) return null;
  return sizeOf(w | 0, Math.abs(h | 0));
}
