// JPEG: walk the marker segments (APPn with EXIF and ICC profiles can be long) to the first
// start-of-frame, which holds the height and width. SOF2/6/10/14 mean progressive.
import { be16, sizeOf, type Bytes, type ImageSize } from './bytes';

/** Start-of-frame markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const PROGRESSIVE = new Set([0xc2, 0xc6, 0xca, 0xce]);

/** The size from the frame header; null when it is not within `b` or the file is broken. */
export function readJpeg(b: Bytes): ImageSize | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null; // not a marker: broken, let the server say so
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    // The scan (or the end) came before any frame header.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = be16(b, at + 2);
    if (length === undefined || length < 2) return null;
    if (isStartOfFrame(marker)) {
      // length(2) precision(1) height(2) width(2)
      return sizeOf(be16(b, at + 7), be16(b, at + 5), PROGRESSIVE.has(marker));
    }
    at += 2 + length;
  }
  return null;
}
