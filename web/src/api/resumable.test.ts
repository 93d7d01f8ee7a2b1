import { DetailedError } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { jobFromUploadsBody, RETRY_DELAYS, STOPPED, tusError, uploadId, uploadJobResumable } from './resumable';

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
    await new Promise((r) => setTimeout(r, 50)); // the module loads; nothing starts after a stop
    expect(sent).toEqual([]);
  });
});
