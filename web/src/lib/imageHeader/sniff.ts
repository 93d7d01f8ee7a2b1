// Which accepted image format a file is, from its first bytes: the same rules as the server's
// sniffer (src/imaging/codecs/format_sniffer.cpp), so the browser refuses exactly what the upload
// would. Anything else (SVG, PDF, text, JPEG XL, Photoshop ...) is null.
import { be32, hasAscii, le32, type Bytes } from './bytes';

export type InputFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'avif' | 'heic';

/** BMP: "BM" and a DIB header of a size the decoder knows (core, info, v2-v5). */
function plausibleBmp(b: Bytes): boolean {
  if (b.length < 26 || !hasAscii(b, 0, 'BM')) return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(le32(b, 14) ?? 0);
}

const HEVC_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'];

/** ISO BMFF: AVIF or HEIC by the major and compatible brands of the "ftyp" box. */
function sniffHeif(b: Bytes): InputFormat | null {
  if (b.length < 16 || !hasAscii(b, 4, 'ftyp')) return null;
  const box = Math.min(be32(b, 0) ?? 0, b.length);
  if (box < 16) return null;
  const brands = [8];
  for (let at = 16; at + 4 <= box; at += 4) brands.push(at);
  const names = brands.map((at) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!));
  if (names.some((n) => n === 'avif' || n === 'avis')) return 'avif';
  if (names.some((n) => HEVC_BRANDS.includes(n) || n === 'mif1' || n === 'msf1')) return 'heic';
  return null;
}

export function sniffFormat(b: Bytes): InputFormat | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (hasAscii(b, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (hasAscii(b, 0, 'GIF87a') || hasAscii(b, 0, 'GIF89a')) return 'gif';
  if (hasAscii(b, 0, 'RIFF') && hasAscii(b, 8, 'WEBP')) return 'webp';
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].some((m) => hasAscii(b, 0, m))) return 'tiff';
  if (plausibleBmp(b)) return 'bmp';
  return sniffHeif(b);
}
