// WebP: the first chunk after "RIFF....WEBP" says which kind: lossy (VP8), lossless (VP8L) or
// extended (VP8X: animation, alpha, metadata; its canvas size is what the decoder reports).
import { hasAscii, le16, le24, le32, sizeOf, type Bytes, type ImageSize } from './bytes';

/** The chunk's data starts at 20 (12: fourcc, 16: size). */
const DATA = 20;

export function readWebp(b: Bytes): ImageSize | null {
  if (hasAscii(b, 12, 'VP8 ')) {
    // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (2 bits of scale).
    if (b[DATA + 3] !== 0x9d || b[DATA + 4] !== 0x01 || b[DATA + 5] !== 0x2a) return null;
    const w = le16(b, DATA + 6);
    const h = le16(b, DATA + 8);
    return w === undefined || h === undefined ? null : sizeOf(w & 0x3fff, h & 0x3fff);
  }
  if (hasAscii(b, 12, 'VP8L')) {
    // Signature 0x2f, then width - 1 and height - 1 in 14 bits each.
    const bits = le32(b, DATA + 1);
    if (b[DATA] !== 0x2f || bits === undefined) return null;
    return sizeOf((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (hasAscii(b, 12, 'VP8X')) {
    // Flags (1), reserved (3), canvas width - 1 (24 bits), canvas height - 1 (24 bits).
    const w = le24(b, DATA + 4);
    const h = le24(b, DATA + 7);
    return w === undefined || h === undefined ? null : sizeOf(w + 1, h + 1);
  }
  return null;
}
