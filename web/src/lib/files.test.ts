import { describe, expect, it } from 'vitest';
import { addFiles, foldRefusals, isAcceptedType, NO_REFUSALS, removeFileAt, totalBytes, worthReading, type FileLike } from './files';
import type { HeaderInfo } from './imageHeader';
import { SERVER_LIMITS } from './limits';

const MAX_FILES = SERVER_LIMITS.maxFiles;
const MAX_FILE_BYTES = SERVER_LIMITS.maxFileBytes;

const file = (name: string, size = 1000, type = 'image/jpeg', lastModified = 1): FileLike => ({ name, size, type, lastModified });

describe('addFiles', () => {
  it('accepts up to 50 and refuses the 51st and later by name', () => {
    const incoming = Array.from({ length: 52 }, (_, i) => file(`p${i + 1}.jpg`));
    const { files, rejected } = addFiles([], incoming);
    expect(files).toHaveLength(MAX_FILES);
    expect(rejected).toEqual([
      { name: 'p51.jpg', reason: 'too_many', size: 1000 },
      { name: 'p52.jpg', reason: 'too_many', size: 1000 },
    ]);
  });

  it('counts what was already picked', () => {
    const current = Array.from({ length: 49 }, (_, i) => file(`a${i}.jpg`));
    const { files, rejected } = addFiles(current, [file('b.jpg'), file('c.jpg')]);
    expect(files).toHaveLength(50);
    expect(files.at(-1)?.name).toBe('b.jpg');
    expect(rejected.map((r) => [r.name, r.reason])).toEqual([['c.jpg', 'too_many']]);
  });

  it('refuses files over 20 MB, and takes exactly 20 MB', () => {
    const { files, rejected } = addFiles([], [file('big.jpg', MAX_FILE_BYTES + 1), file('edge.jpg', MAX_FILE_BYTES)]);
    expect(files.map((f) => f.name)).toEqual(['edge.jpg']);
    expect(rejected).toEqual([{ name: 'big.jpg', reason: 'too_large', size: MAX_FILE_BYTES + 1 }]);
  });

  it('a too-large file does not use up a place', () => {
    const current = Array.from({ length: 49 }, (_, i) => file(`a${i}.jpg`));
    const { files, rejected } = addFiles(current, [file('big.jpg', MAX_FILE_BYTES * 2), file('ok.jpg')]);
    expect(files.at(-1)?.name).toBe('ok.jpg');
    expect(rejected.map((r) => r.reason)).toEqual(['too_large']);
  });

  it('refuses other types, empty files and the same file twice', () => {
    const a = file('a.jpg');
    const { files, rejected } = addFiles([a], [file('x.svg', 10, 'image/svg+xml'), file('doc.pdf', 10, 'application/pdf'), file('e.png', 0, 'image/png'), { ...a }]);
    expect(files).toEqual([a]);
    expect(rejected.map((r) => `${r.name}:${r.reason}`)).toEqual(['x.svg:type', 'doc.pdf:type', 'e.png:empty', 'a.jpg:duplicate']);
  });

  it('honours other limits', () => {
    const { files, rejected } = addFiles([], [file('a.jpg', 10), file('b.jpg', 20), file('c.jpg', 5)], { ...SERVER_LIMITS, maxFiles: 2, maxFileBytes: 15 });
    expect(files.map((f) => f.name)).toEqual(['a.jpg', 'c.jpg']);
    expect(rejected.map((r) => r.reason)).toEqual(['too_large']);
  });
});

describe('addFiles with the headers read in the browser', () => {
  const jpegHeader = (width: number, height: number, progressive = false): HeaderInfo => ({ format: 'jpeg', size: { width, height, progressive } });
  it('marks a file over the pixel limit and one that is not an image; the rest go, and the refused use no place', () => {
    const giant = file('giant-image.jpg', 1_093_910);
    const fake = file('notes.jpg', 300);
    const ok = file('ok.jpg');
    const heic = file('IMG_1.HEIC', 5000, '');
    const headers = new Map<FileLike, HeaderInfo | null>([
      [giant, jpegHeader(20000, 14000)],
      [fake, { format: null, size: null }],
      [ok, jpegHeader(2560, 1600)],
      // No size in the header (HEIC): the server decides.
      [heic, { format: 'heic', size: null }],
    ]);
    const current = Array.from({ length: 48 }, (_, i) => file(`a${i}.jpg`));
    const { files, rejected } = addFiles(current, [giant, fake, ok, heic], SERVER_LIMITS, headers);
    expect(files.slice(48).map((f) => f.name)).toEqual(['ok.jpg', 'IMG_1.HEIC']);
    expect(rejected).toEqual([
      { name: 'giant-image.jpg', reason: 'too_many_pixels', size: 1_093_910, pixels: { width: 20000, height: 14000, limit: 100_000_000, progressive: false } },
      { name: 'notes.jpg', reason: 'type', size: 300 },
    ]);
  });
  it('a progressive JPEG has the lower limit; exactly at a limit is fine; an unread file goes', () => {
    const prog = file('prog.jpg');
    const base = file('base.jpg', 1001);
    const edge = file('edge.jpg', 1002);
    const unread = file('unread.jpg', 1003);
    const headers = new Map<FileLike, HeaderInfo | null>([
      [prog, jpegHeader(8000, 7000, true)],
      [base, jpegHeader(8000, 7000, false)],
      [edge, jpegHeader(10000, 10000)],
      [unread, null],
    ]);
    const { files, rejected } = addFiles([], [prog, base, edge, unread], SERVER_LIMITS, headers);
    expect(files.map((f) => f.name)).toEqual(['base.jpg', 'edge.jpg', 'unread.jpg']);
    expect(rejected[0]?.pixels).toEqual({ width: 8000, height: 7000, limit: 50_000_000, progressive: true });
  });
  it('too large is said before what the header says; only files passing name and size are worth reading', () => {
    const big = file('big.jpg', MAX_FILE_BYTES + 1);
    const { rejected } = addFiles([], [big], SERVER_LIMITS, new Map([[big, { format: null, size: null }]]));
    expect(rejected.map((r) => r.reason)).toEqual(['too_large']);
    expect(worthReading(big)).toBe(false);
    expect(worthReading(file('x.svg', 10, 'image/svg+xml'))).toBe(false);
    expect(worthReading(file('e.png', 0, 'image/png'))).toBe(false);
    expect(worthReading(file('ok.png', 10, 'image/png'))).toBe(true);
  });
  it('foldRefusals marks the pixel refusals in the grid', () => {
    const r = foldRefusals(NO_REFUSALS, [{ name: 'g.jpg', reason: 'too_many_pixels', size: 1, pixels: { width: 2, height: 2, limit: 1, progressive: false } }]);
    expect(r.marked.map((m) => m.reason)).toEqual(['too_many_pixels']);
  });
});

describe('isAcceptedType', () => {
  it('takes every input format the engine reads', () => {
    for (const t of ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif', 'image/tiff', 'image/bmp', 'image/heic', 'image/heif']) {
      expect(isAcceptedType(file('x', 1, t))).toBe(true);
    }
  });
  it('falls back to the extension when the browser gives no type (HEIC)', () => {
    expect(isAcceptedType(file('IMG_0001.HEIC', 1, ''))).toBe(true);
    expect(isAcceptedType(file('notes.txt', 1, ''))).toBe(false);
    expect(isAcceptedType(file('noext', 1, ''))).toBe(false);
  });
  it('trusts a known type over the name', () => {
    expect(isAcceptedType(file('fake.jpg', 1, 'image/svg+xml'))).toBe(false);
  });
});

describe('helpers', () => {
  it('removeFileAt and totalBytes', () => {
    const list = [file('a', 1), file('b', 2), file('c', 3)];
    expect(removeFileAt(list, 1).map((f) => f.name)).toEqual(['a', 'c']);
    expect(totalBytes(list)).toBe(6);
  });
});

describe('foldRefusals', () => {
  it('marks wrong types, oversize and empty files; counts the rest', () => {
    const { rejected } = addFiles(
      [file('a.jpg')],
      [file('x.svg', 10, 'image/svg+xml'), file('big.jpg', MAX_FILE_BYTES + 1), file('zero.jpg', 0), file('a.jpg'), ...Array.from({ length: 52 }, (_, i) => file(`p${i}.jpg`))],
    );
    const r = foldRefusals(NO_REFUSALS, rejected);
    expect(r.marked.map((m) => [m.name, m.reason])).toEqual([
      ['x.svg', 'type'],
      ['big.jpg', 'too_large'],
      ['zero.jpg', 'empty'],
    ]);
    expect(r.leftOut).toBe(3);
    expect(r.duplicates).toBe(1);
  });

  it('keeps the marked files of earlier picks, each once; the counts are the last pick\'s', () => {
    const first = foldRefusals(NO_REFUSALS, [{ name: 'x.svg', reason: 'type', size: 10 }, { name: 'p51.jpg', reason: 'too_many', size: 1 }]);
    const second = foldRefusals(first, [{ name: 'x.svg', reason: 'type', size: 10 }, { name: 'y.pdf', reason: 'type', size: 5 }]);
    expect(second.marked.map((m) => m.name)).toEqual(['x.svg', 'y.pdf']);
    expect(second.leftOut).toBe(0);
  });
});
