// TIFF: the first image file directory's ImageWidth (256) and ImageLength (257), when that
// directory lies within the bytes read (writers may put it at the end: then the server decides).
// BigTIFF is left to the server.
import { be16, be32, hasAscii, le16, le32, sizeOf, type Bytes, type ImageSize } from './bytes';

const SHORT = 3;
const LONG = 4;

export function readTiff(b: Bytes): ImageSize | null {
  const little = hasAscii(b, 0, 'II*\0');
  if (!little && !hasAscii(b, 0, 'MM\0*')) return null;
  const u16 = little ? le16 : be16;
  const u32 = little ? le32 : be32;
  const ifd = u32(b, 4);
  const count = ifd === undefined ? undefined : u16(b, ifd);
  if (ifd === undefined || count === undefined) return null;
  let width: number | undefined;
  let height: number | undefined;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    const tag = u16(b, entry);
    const type = u16(b, entry + 2);
    if (tag === undefined || type === undefined) return null;
    if (tag !== 256 && tag !== 257) continue;
    // A single SHORT sits in the first two bytes of the value field, a LONG fills it.
    const value = type === SHORT ? u16(b, entry + 8) : type === LONG ? u32(b, entry + 8) : undefined;
    if (tag === 256) width = value;
    else height = value;
  }
  return sizeOf(width, height);
}
