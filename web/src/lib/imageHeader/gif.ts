// GIF: the logical screen's width and height, little-endian, right after the signature (an
// animation's frames sit inside it).
import { le16, sizeOf, type Bytes, type ImageSize } from './bytes';

export function readGif(b: Bytes): ImageSize | null {
  return sizeOf(le16(b, 6), le16(b, 8));
}
