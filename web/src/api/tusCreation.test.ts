import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { createUpload, uploadGone, uploadMetadata } from './tusCreation';

afterEach(() => vi.unstubAllGlobals());

/** fetch answering `answers` in turn (an Error: the network failed). */
function answers(...list: (Response | Error)[]) {
  const fetchMock = vi.fn(async () => {
    const next = list.shift();
    if (!next || next instanceof Error) throw next ?? new Error('no more answers');
    return next;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const created = () => new Response(null, { status: 201, headers: { Location: 'http://127.0.0.1/v1/uploads/u1' } });

describe('tus creation', () => {
  it('encodes metadata values as base64 of their UTF-8 bytes, as tus-js-client does', () => {
    expect(uploadMetadata({ filename: 'a.jpg', filetype: 'image/jpeg' })).toBe(`filename ${btoa('a.jpg')},filetype ${btoa('image/jpeg')}`);
    // 사진 is EC 82 AC EC A7 84 in UTF-8.
    expect(uploadMetadata({ filename: '사진' })).toBe(`filename ${btoa('\xEC\x82\xAC\xEC\xA7\x84')}`);
  });

  it("makes an empty upload of the file's length and answers its Location", async () => {
    const fetchMock = answers(created());
    const url = await createUpload(new Blob(['12345'], { type: 'image/png' }), 'logo.png', new AbortController().signal, []);
    expect(url).toBe('http://127.0.0.1/v1/uploads/u1');
    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/v1/uploads');
    expect(init.method).toBe('POST');
    expect(init.body).toBeUndefined();
    expect(init.headers).toMatchObject({ 'Tus-Resumable': '1.0.0', 'Upload-Length': '5', 'Upload-Metadata': uploadMetadata({ filename: 'logo.png', filetype: 'image/png' }) });
  });

  it("answers the server's refusal at once, naming the field", async () => {
    const fetchMock = answers(
      new Response('{"error":{"code":"too_large","message":"Upload-Length: larger than 20 MB","field":"Upload-Length"}}', { status: 413 }),
      created(),
    );
    const error = await createUpload(new Blob(['x']), 'big.jpg', new AbortController().signal, [0, 0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, code: 'too_large', field: 'Upload-Length' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('tries again after a lost connection or a 5xx, as many times as there are delays', async () => {
    answers(new TypeError('Failed to fetch'), new Response('', { status: 503 }), created());
    await expect(createUpload(new Blob(['x']), 'a.jpg', new AbortController().signal, [0, 0])).resolves.toBe('http://127.0.0.1/v1/uploads/u1');
    answers(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), created());
    await expect(createUpload(new Blob(['x']), 'a.jpg', new AbortController().signal, [0])).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('stops waiting to try again when aborted', async () => {
    answers(new TypeError('Failed to fetch'), created());
    const stop = new AbortController();
    const creating = createUpload(new Blob(['x']), 'a.jpg', stop.signal, [60_000]);
    stop.abort();
    await expect(creating).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('tells an upload that went (404, 410) from one that is there or cannot be asked about', async () => {
    const signal = new AbortController().signal;
    answers(new Response(null, { status: 404 }), new Response(null, { status: 410 }), new Response(null, { status: 200 }), new TypeError('Failed to fetch'));
    expect(await uploadGone('http://127.0.0.1/v1/uploads/a', signal)).toBe(true);
    expect(await uploadGone('http://127.0.0.1/v1/uploads/a', signal)).toBe(true);
    expect(await uploadGone('http://127.0.0.1/v1/uploads/a', signal)).toBe(false);
    expect(await uploadGone('http://127.0.0.1/v1/uploads/a', signal)).toBe(false);
  });
});
