import { DetailedError } from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUploadServer } from '../testing/fakeUploadServer';
import { ApiError } from './errors';
import { askAgainAfterUploads, jobFromUploadsBody, RETRY_DELAYS, STOPPED, tusError, uploadId, uploadJobResumable, type ResumableFile } from './resumable';

let server: FakeUploadServer;
beforeEach(async () => {
  server = new FakeUploadServer();
  await server.install();
});
afterEach(async () => {
  await server.uninstall();
});

function item(name: string, bytes: number, uploadUrl: string | null = null): ResumableFile {
  return { file: new Blob(['x'.repeat(bytes)], { type: name.endsWith('.png') ? 'image/png' : 'image/jpeg' }), name, uploadUrl };
}

/** Starts a job of `files` (and `watermark`), recording what it reports. */
function start(files: ResumableFile[], watermark: ResumableFile | null = null) {
  const urls: [number, string][] = [];
  const progress: number[] = [];
  const handle = uploadJobResumable(
    { files, watermark, options: { width: 640 }, name: '', idempotencyKey: 'key-1' },
    { onProgress: (loaded) => progress.push(loaded), onUploadUrl: (i, url) => urls.push([i, url]) },
  );
  return { handle, urls, progress };
}

/** Lets every request already under way go as far as it can (no clock involved in what is checked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

const url = (id: string) => `http://127.0.0.1/v1/uploads/${id}`;

describe('resumable uploads', () => {
  it('takes the upload id from its URL', () => {
    expect(uploadId('http://127.0.0.1:8080/v1/uploads/AbC-_9')).toBe('AbC-_9');
    expect(uploadId('/v1/uploads/xyz?x=1')).toBe('xyz');
  });

  it('makes the job of the uploads in order, the watermark and the name apart', () => {
    const body = jobFromUploadsBody(
      ['http://h/v1/uploads/a', 'http://h/v1/uploads/b'],
      'http://h/v1/uploads/w',
      { width: 640 },
      '  Trip  ',
    );
    expect(body).toEqual({ uploads: ['a', 'b'], options: { width: 640 }, name: 'Trip', watermark_upload: 'w' });
    expect(jobFromUploadsBody(['http://h/v1/uploads/a'], null, {}, ' ')).toEqual({ uploads: ['a'], options: {} });
  });

  it('retries at once only after the server had time to record a broken request', () => {
    expect(RETRY_DELAYS[0]).toBeGreaterThanOrEqual(500);
    expect(RETRY_DELAYS.length).toBeGreaterThanOrEqual(5);
  });

  it("turns the server's refusal into the app's error, naming the field", () => {
    const response = {
      getStatus: () => 413,
      getBody: () => JSON.stringify({ error: { code: 'too_large', message: 'Upload-Length: too large', field: 'Upload-Length' } }),
      getHeader: () => undefined,
      getUnderlyingObject: () => null,
    };
    // As tus-js-client builds it: (message, causingError, request, response).
    const detailed = new DetailedError('tus: unexpected response');
    detailed.originalResponse = response;
    const error = tusError(detailed);
    expect(error.status).toBe(413);
    expect(error.code).toBe('too_large');
    expect(error.field).toBe('Upload-Length');
    const lost = tusError(new Error('tus: failed to upload chunk'));
    expect(lost.status).toBe(0);
    expect(lost.code).toBe('network');
  });

  it('asks for the job again after the uploads only when the waiting is what failed', () => {
    const conflict = (field: string) => new ApiError(409, 'conflict', 'uploads[3]: no bytes arrived for 60 s', field);
    expect(askAgainAfterUploads(conflict('uploads'))).toBe(true);
    expect(askAgainAfterUploads(conflict('watermark_upload'))).toBe(true);
    expect(askAgainAfterUploads(new ApiError(0, 'network', 'Failed to fetch'))).toBe(true);
    expect(askAgainAfterUploads(new ApiError(504, 'internal', 'gateway timeout'))).toBe(true);
    expect(askAgainAfterUploads(new ApiError(400, 'invalid_request', 'await_uploads: unknown field', 'await_uploads'))).toBe(true);
    expect(askAgainAfterUploads(conflict('Idempotency-Key'))).toBe(false);
    expect(askAgainAfterUploads(new ApiError(415, 'unsupported_format', 'uploads[0]: not an image', 'uploads'))).toBe(false);
    expect(askAgainAfterUploads(new ApiError(400, 'invalid_option', 'options.width: too large', 'options.width'))).toBe(false);
  });

  it('stops to be resumed, or cancels, at once and before anything is sent', async () => {
    const sent: number[] = [];
    const request = {
      files: [{ file: new Blob(['image bytes']), name: 'a.jpg', uploadUrl: null }],
      watermark: null,
      options: {},
      name: '',
      idempotencyKey: 'k',
    };
    const events = { onProgress: (loaded: number) => sent.push(loaded), onUploadUrl: () => {} };
    const stopped = uploadJobResumable(request, events);
    stopped.stop();
    await expect(stopped.promise).rejects.toMatchObject({ code: STOPPED });
    const canceled = uploadJobResumable(request, events);
    canceled.cancel();
    await expect(canceled.promise).rejects.toMatchObject({ code: 'aborted' });
    await settle(); // the module loads; nothing starts after a stop
    expect(sent).toEqual([]);
    expect(server.log).toEqual([]);
  });
});

describe('a job that converts while its files upload', () => {
  it('creates every upload, asks for the job before the bytes go, and sends the watermark first', async () => {
    const { handle, urls, progress } = start([item('a.jpg', 10), item('사진.jpg', 20)], item('logo.png', 5));
    await expect(handle.promise).resolves.toMatchObject({ id: 'J1' });
    expect(server.log).toEqual([
      'POST /v1/uploads a.jpg',
      'POST /v1/uploads 사진.jpg',
      'POST /v1/uploads logo.png',
      // The job request goes before any byte: the server converts each image once it is complete.
      'POST /v1/jobs await',
      'HEAD u3',
      'PATCH u3 0+5',
      'HEAD u1',
      'PATCH u1 0+10',
      'HEAD u2',
      'PATCH u2 0+20',
      'took all /v1/jobs',
      '201 /v1/jobs',
    ]);
    expect(server.jobBodies).toEqual([{ uploads: ['u1', 'u2'], watermark_upload: 'u3', options: { width: 640 }, await_uploads: true }]);
    expect(server.jobKeys).toEqual(['key-1']);
    // The tus creation headers, as tus-js-client sends them.
    expect(server.creations[1]).toMatchObject({
      'tus-resumable': '1.0.0',
      'upload-length': '20',
      'upload-metadata': `filename ${btoa(String.fromCharCode(...new TextEncoder().encode('사진.jpg')))},filetype ${btoa('image/jpeg')}`,
      'accept-language': 'en',
    });
    // The index convention of the URLs the page remembers: images 0..n-1, the watermark n.
    expect(urls).toEqual([
      [0, url('u1')],
      [1, url('u2')],
      [2, url('u3')],
    ]);
    expect(progress.at(-1)).toBe(35);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it("stops the uploads still running when the job is refused, and answers the server's error", async () => {
    server.hold('u2');
    // The server finds a bad while b's bytes are on the way.
    server.refuseUpload = async (id) => {
      if (id !== 'u1') return null;
      await server.seen('PATCH u2');
      return { status: 415, code: 'unsupported_format', message: 'uploads[0]: not an image this server reads', field: 'uploads' };
    };
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20), item('c.jpg', 30)]);
    const error = await handle.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 415, code: 'unsupported_format', field: 'uploads' });
    server.release('u2'); // had b's upload gone on, it would complete now, and c's would follow
    await settle();
    expect(server.log).toContain('abort PATCH u2');
    expect(server.uploads.get('u2')?.offset).toBe(0);
    expect(server.log.filter((entry) => entry.endsWith(' u3') || entry.startsWith('PATCH u3'))).toEqual([]);
    // The uploads stay as they were (the server kept them), and no second job request is made.
    expect(server.log.some((entry) => entry.startsWith('DELETE'))).toBe(false);
    expect(server.jobBodies).toHaveLength(1);
  });

  it('finishes the uploads and asks again without waiting when the server would rather not wait', async () => {
    server.giveUp = (id) => ({ status: 409, code: 'conflict', message: `uploads[0]: no bytes arrived for 60 s (${id})`, field: 'uploads' });
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20)]);
    await expect(handle.promise).resolves.toMatchObject({ id: 'J1' });
    expect(server.log).toEqual([
      'POST /v1/uploads a.jpg',
      'POST /v1/uploads b.jpg',
      'POST /v1/jobs await',
      'HEAD u1',
      'PATCH u1 0+10',
      'HEAD u2',
      'PATCH u2 0+20',
      'POST /v1/jobs',
      'took all /v1/jobs',
      '201 /v1/jobs',
    ]);
    expect(server.jobBodies[1]).toEqual({ uploads: ['u1', 'u2'], options: { width: 640 } });
    expect(server.jobKeys).toEqual(['key-1', 'key-1']);
  });

  it('asks again after the uploads when the waiting request is lost', async () => {
    server.giveUp = () => 'network';
    const { handle } = start([item('a.jpg', 10)], item('logo.png', 5));
    await expect(handle.promise).resolves.toMatchObject({ id: 'J1' });
    expect(server.log.slice(-4)).toEqual(['PATCH u1 0+10', 'POST /v1/jobs', 'took all /v1/jobs', '201 /v1/jobs']);
    expect(server.jobBodies[1]).toEqual({ uploads: ['u1'], watermark_upload: 'u2', options: { width: 640 } });
  });

  it('goes on with the uploads of an earlier attempt, and makes anew only the one that went', async () => {
    const resumed = server.add('a.jpg', 10, 4); // u1: 4 of its 10 bytes arrived before the reload
    const { handle, urls } = start([item('a.jpg', 10, resumed), item('b.jpg', 20, url('gone')), item('c.jpg', 30)]);
    await expect(handle.promise).resolves.toMatchObject({ id: 'J1' });
    expect(server.log).toEqual([
      'HEAD u1 (check)',
      'HEAD gone (check)',
      'POST /v1/uploads b.jpg',
      'POST /v1/uploads c.jpg',
      'POST /v1/jobs await',
      'HEAD u1',
      'PATCH u1 4+6',
      'HEAD u2',
      'PATCH u2 0+20',
      'HEAD u3',
      'PATCH u3 0+30',
      'took all /v1/jobs',
      '201 /v1/jobs',
    ]);
    expect(urls).toEqual([
      [1, url('u2')],
      [2, url('u3')],
    ]);
    expect(server.jobBodies[0]).toMatchObject({ uploads: ['u1', 'u2', 'u3'], await_uploads: true });
  });

  it('sends no byte again when every upload of an earlier attempt had arrived', async () => {
    const a = server.add('a.jpg', 10, 10);
    const b = server.add('b.jpg', 20, 20);
    const { handle, urls, progress } = start([item('a.jpg', 10, a), item('b.jpg', 20, b)]);
    await expect(handle.promise).resolves.toMatchObject({ id: 'J1' });
    await settle();
    expect(server.log.filter((entry) => entry.startsWith('POST') || entry.startsWith('PATCH'))).toEqual(['POST /v1/jobs await']);
    expect(urls).toEqual([]);
    expect(progress.at(-1)).toBe(30);
  });

  it("answers the server's refusal of a file's creation, and sends nothing more", async () => {
    server.refuseCreation = (name) =>
      name === 'b.jpg' ? { status: 413, code: 'too_large', message: 'Upload-Length: larger than 20 MB', field: 'Upload-Length' } : null;
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20)]);
    const error = await handle.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, code: 'too_large', field: 'Upload-Length' });
    await settle();
    expect(server.log).toEqual(['POST /v1/uploads a.jpg', 'POST /v1/uploads b.jpg']);
  });

  it("gives up on the waiting job when an upload fails, and answers the upload's error", async () => {
    server.refusePatch = (id) => (id === 'u2' ? { status: 410, code: 'expired', message: 'the upload expired', field: '' } : null);
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20), item('c.jpg', 30)]);
    await expect(handle.promise).rejects.toMatchObject({ status: 410, code: 'expired' });
    await settle();
    expect(server.log).toContain('abort POST /v1/jobs await');
    expect(server.log.some((entry) => entry.startsWith('PATCH u3'))).toBe(false);
  });

  it('cancel aborts the job request and deletes every upload', async () => {
    server.hold('u1');
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20)]);
    await server.seen('PATCH u1');
    handle.cancel();
    await expect(handle.promise).rejects.toMatchObject({ code: 'aborted' });
    await settle();
    expect(server.log).toContain('abort POST /v1/jobs await');
    expect(server.log).toContain('abort PATCH u1');
    expect(server.log).toContain('DELETE u1');
    expect(server.log).toContain('DELETE u2');
    expect(server.uploads.size).toBe(0);
  });

  it('cancel after the last byte, while the server still checks it, aborts the job request', async () => {
    server.holdJobAnswer = true;
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20)]);
    await server.seen('took all');
    handle.cancel();
    await expect(handle.promise).rejects.toMatchObject({ code: 'aborted' });
    await settle();
    expect(server.log.slice(-3).sort()).toEqual(['DELETE u1', 'DELETE u2', 'abort POST /v1/jobs await']);
  });

  it('stop aborts the job request and keeps the uploads, to be resumed', async () => {
    server.hold('u1');
    const { handle } = start([item('a.jpg', 10), item('b.jpg', 20)]);
    await server.seen('PATCH u1');
    handle.stop();
    await expect(handle.promise).rejects.toMatchObject({ code: STOPPED });
    server.release('u1');
    await settle();
    expect(server.log).toContain('abort POST /v1/jobs await');
    expect(server.log).toContain('abort PATCH u1');
    expect(server.log.some((entry) => entry.startsWith('DELETE') || entry.startsWith('PATCH u2'))).toBe(false);
    expect([...server.uploads.keys()]).toEqual(['u1', 'u2']);
  });
});
