/// <reference types="node" />
// The header readers on real files (the shared corpus, as the C++ tests use it: CORPUS, or
// ../shared/corpus beside the checkout) and on headers built here for what the corpus lacks
// (BMP, lossless WebP, long JPEG segments, broken frames).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFileHeader, readHeader } from './index';
import { readJpeg } from './jpeg';
import { sniffFormat } from './sniff';

const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const CORPUS = path.resolve(process.env.CORPUS ?? path.join(repo, '../shared/corpus'));
const corpus = (name: string) => new Uint8Array(fs.readFileSync(path.join(CORPUS, name)));

describe('the corpus', () => {
  it('is there', () => {
    expect(fs.existsSync(path.join(CORPUS, 'MANIFEST.md')), `the test corpus at ${CORPUS} (set CORPUS)`).toBe(true);
  });

  // Sizes as libvips (and ImageMagick's identify) report them.
  it.each([
    ['photos/fallenleaf-2560x1600.jpg', 'jpeg', { width: 2560, height: 1600, progressive: false }],
    ['photos/colorfulcups-2560x1600.jpg', 'jpeg', { width: 2560, height: 1600, progressive: true }],
    ['photos/volna-5120x2880.jpg', 'jpeg', { width: 5120, height: 2880, progressive: true }],
    ['photos/kleiber-6028x3391.jpg', 'jpeg', { width: 6028, height: 3391, progressive: false }],
    ['orientation/Portrait_6.jpg', 'jpeg', { width: 600, height: 450, progressive: false }],
    ['edge/Channel_digital_image_CMYK_color.jpg', 'jpeg', { width: 500, height: 333, progressive: false }],
    // The decompression bomb: 280 megapixels in 1 MB, its header intact.
    ['edge/giant-image.jpg', 'jpeg', { width: 20000, height: 14000, progressive: false }],
    // Cut after the header: the size is there; the decoder fails later, on the server.
    ['edge/truncated.jpg', 'jpeg', { width: 2725, height: 2225, progressive: false }],
    ['edge/with-alpha.png', 'png', { width: 256, height: 192 }],
    ['edge/16-bit-grey-alpha.png', 'png', { width: 109, height: 96 }],
    ['edge/truncated.png', 'png', { width: 294, height: 240 }],
    ['photos/path-2560x1600.png', 'png', { width: 2560, height: 1600 }],
    ['edge/4.webp', 'webp', { width: 1024, height: 772 }],
    ['edge/big-height.webp', 'webp', { width: 13, height: 169 }],
    ['edge/animated-loop-3.webp', 'webp', { width: 370, height: 285 }],
    ['edge/animated-loop-3.gif', 'gif', { width: 370, height: 285 }],
    ['edge/rotating-squares.gif', 'gif', { width: 80, height: 80 }],
    ['edge/cielab-dagams.tiff', 'tiff', { width: 400, height: 266 }],
    ['edge/tifftag-photoshop.tiff', 'tiff', { width: 317, height: 211 }],
    ['edge/G31D.TIF', 'tiff', { width: 2464, height: 3248 }],
  ])('%s: %s %o', (file, format, size) => {
    expect(readHeader(corpus(file))).toEqual({ format, size });
  });

  it('AVIF is accepted, its size left to the server', () => {
    expect(readHeader(corpus('edge/pitm.avif'))).toEqual({ format: 'avif', size: null });
  });

  it('a JPEG whose header is broken is a JPEG of unknown size (the server decides)', () => {
    expect(readHeader(corpus('edge/corrupt-header.jpg'))).toEqual({ format: 'jpeg', size: null });
  });

  it('an SVG is not an accepted image', () => {
    expect(readHeader(corpus('edge/check.svg'))).toEqual({ format: null, size: null });
  });

  it('readFileHeader reads a Blob, a second time when the header lies past the first read', async () => {
    expect(await readFileHeader(new Blob([corpus('edge/giant-image.jpg')]))).toEqual({
      format: 'jpeg',
      size: { width: 20000, height: 14000, progressive: false },
    });
    // G31D.TIF's directory is at byte 125564, past the first 64 KB.
    expect(await readFileHeader(new Blob([corpus('edge/G31D.TIF')]))).toEqual({ format: 'tiff', size: { width: 2464, height: 3248 } });
  });
});

const bytes = (...parts: (number[] | string | Uint8Array)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));
const u16be = (n: number) => [n >> 8, n & 0xff];
const u16le = (n: number) => [n & 0xff, n >> 8];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** A JPEG marker segment: FF, marker, length (counting itself), payload. */
const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16be(payload.length + 2), ...payload];
const sof = (marker: number, width: number, height: number) => segment(marker, [8, ...u16be(height), ...u16be(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);

describe('JPEG', () => {
  it('skips long APPn segments (EXIF, ICC) to the frame header', () => {
    const app1 = segment(0xe1, new Array(65_000).fill(0));
    const app2 = segment(0xe2, new Array(40_000).fill(1));
    expect(readJpeg(bytes([0xff, 0xd8], app1, app2, sof(0xc0, 4000, 3000)))).toEqual({ width: 4000, height: 3000, progressive: false });
  });
  it('SOF2 is progressive; fill bytes and restart markers are stepped over', () => {
    expect(readJpeg(bytes([0xff, 0xd8, 0xff, 0xff], sof(0xc2, 9000, 7000)))).toEqual({ width: 9000, height: 7000, progressive: true });
    expect(readJpeg(bytes([0xff, 0xd8, 0xff, 0xd0], sof(0xc1, 10, 20)))).toEqual({ width: 10, height: 20, progressive: false });
  });
  it('DHT (C4) is not a frame; a scan before any frame, a zero height or a cut file give no size', () => {
    expect(readJpeg(bytes([0xff, 0xd8], segment(0xc4, [0, 1, 2]), sof(0xc0, 30, 40)))).toEqual({ width: 30, height: 40, progressive: false });
    expect(readJpeg(bytes([0xff, 0xd8], segment(0xda, [0]), sof(0xc0, 30, 40)))).toBeNull();
    expect(readJpeg(bytes([0xff, 0xd8], sof(0xc0, 30, 0)))).toBeNull();
    expect(readJpeg(bytes([0xff, 0xd8], segment(0xe1, new Array(100).fill(0))).subarray(0, 50))).toBeNull();
    expect(readJpeg(bytes([0xff, 0xd8, 0x12, 0x34]))).toBeNull();
  });
});

describe('built headers', () => {
  it('BMP: info header, top-down (negative height) and the OS/2 core header', () => {
    const fileHeader = bytes('BM', u32le(0), u32le(0), u32le(54));
    expect(readHeader(bytes(fileHeader, u32le(40), u32le(640), u32le(480), u16le(1), u16le(24), new Array(24).fill(0)))).toEqual({
      format: 'bmp',
      size: { width: 640, height: 480 },
    });
    expect(readHeader(bytes(fileHeader, u32le(124), u32le(12000), u32le(-9000 >>> 0), new Array(112).fill(0))).size).toEqual({ width: 12000, height: 9000 });
    expect(readHeader(bytes(fileHeader, u32le(12), u16le(300), u16le(200), u16le(1), u16le(24), new Array(8).fill(0))).size).toEqual({ width: 300, height: 200 });
  });
  it('"BM" with a DIB header size no decoder knows is not a BMP', () => {
    expect(sniffFormat(bytes('BM', u32le(0), u32le(0), u32le(54), u32le(41), new Array(20).fill(0)))).toBeNull();
  });
  it('WebP lossless (VP8L): 14-bit sides minus one', () => {
    const bits = (300 - 1) | ((200 - 1) << 14);
    expect(readHeader(bytes('RIFF', u32le(100), 'WEBP', 'VP8L', u32le(80), [0x2f], u32le(bits), new Array(8).fill(0)))).toEqual({
      format: 'webp',
      size: { width: 300, height: 200 },
    });
  });
  it('a PNG of 12000 × 9000', () => {
    const b = bytes('\x89PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0x2e, 0xe0, 0, 0, 0x23, 0x28, 8, 6, 0, 0, 0]);
    expect(readHeader(b)).toEqual({ format: 'png', size: { width: 12000, height: 9000 } });
  });
  it('HEIC by its brands; JPEG XL, PDF, Photoshop and text are not accepted', () => {
    expect(sniffFormat(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).toBe('heic');
    expect(sniffFormat(bytes([0, 0, 0, 20], 'ftypmif1', [0, 0, 0, 0], 'mif1'))).toBe('heic');
    expect(sniffFormat(bytes([0, 0, 0, 20], 'ftypisom', [0, 0, 0, 0], 'mp41'))).toBeNull();
    expect(sniffFormat(bytes([0, 0, 0, 0x0c], 'JXL ', [0x0d, 0x0a, 0x87, 0x0a]))).toBeNull();
    expect(sniffFormat(bytes('%PDF-1.7\n'))).toBeNull();
    expect(sniffFormat(bytes('8BPS', [0, 1]))).toBeNull();
    expect(sniffFormat(bytes('hello, world'))).toBeNull();
    expect(sniffFormat(new Uint8Array())).toBeNull();
  });
});
