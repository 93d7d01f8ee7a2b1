// The remembered upload on an IndexedDB implementation (fake-indexeddb: the API as browsers have
// it, in memory): what a reloaded tab finds, URLs added as they come, one user's never another's.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { asFile, forgetUpload, pendingUpload, rememberUpload, rememberUploadUrl, type PendingUpload } from './pendingUpload';

function upload(): PendingUpload {
  return {
    files: [
      { blob: new Blob(['first image'], { type: 'image/jpeg' }), name: '사진 1.jpg', uploadUrl: null },
      { blob: new Blob(['second'], { type: 'image/png' }), name: 'b.png', uploadUrl: null },
    ],
    watermark: { blob: new Blob(['logo'], { type: 'image/png' }), name: 'logo.png', uploadUrl: null },
    options: { width: 800, format: 'webp' },
    name: 'Wedding',
    idempotencyKey: 'key-1',
    startedAt: 1000,
  };
}

afterEach(async () => {
  await forgetUpload(1);
  await forgetUpload(2);
});

describe('pendingUpload', () => {
  it('gives back the files, their bytes and the settings', async () => {
    expect(await pendingUpload(1)).toBeNull();
    expect(await rememberUpload(1, upload())).toBe(true);
    const found = await pendingUpload(1);
    expect(found?.files.map((f) => f.name)).toEqual(['사진 1.jpg', 'b.png']);
    expect(await found?.files[0]?.blob.text()).toBe('first image');
    expect(found?.files[0]?.blob.type).toBe('image/jpeg');
    expect(found?.options).toEqual({ width: 800, format: 'webp' });
    expect(found?.name).toBe('Wedding');
    expect(found?.idempotencyKey).toBe('key-1');
    const file = asFile(found!.files[0]!);
    expect(file.name).toBe('사진 1.jpg');
    expect(file.type).toBe('image/jpeg');
    expect(await file.text()).toBe('first image');
  });

  it('adds upload URLs as they come, all of them, the watermark after the images', async () => {
    await rememberUpload(1, upload());
    await Promise.all([
      rememberUploadUrl(1, 0, 'http://127.0.0.1/v1/uploads/a'),
      rememberUploadUrl(1, 1, 'http://127.0.0.1/v1/uploads/b'),
      rememberUploadUrl(1, 2, 'http://127.0.0.1/v1/uploads/w'),
    ]);
    const found = await pendingUpload(1);
    expect(found?.files.map((f) => f.uploadUrl)).toEqual(['http://127.0.0.1/v1/uploads/a', 'http://127.0.0.1/v1/uploads/b']);
    expect(found?.watermark?.uploadUrl).toBe('http://127.0.0.1/v1/uploads/w');
  });

  it('keeps each user apart and forgets on request', async () => {
    await rememberUpload(1, upload());
    expect(await pendingUpload(2)).toBeNull();
    await rememberUploadUrl(2, 0, 'http://127.0.0.1/v1/uploads/x'); // nothing remembered for 2
    expect(await pendingUpload(2)).toBeNull();
    await forgetUpload(1);
    expect(await pendingUpload(1)).toBeNull();
  });

  it('does not offer an upload without files', async () => {
    await rememberUpload(1, { ...upload(), files: [] });
    expect(await pendingUpload(1)).toBeNull();
  });
});
