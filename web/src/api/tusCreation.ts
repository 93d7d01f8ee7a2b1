// The tus creation request on its own: POST /v1/uploads with the file's length and name makes an
// empty upload and answers its URL (Location), before any byte is sent. tus-js-client only
// creates an upload on the way to sending it; the app creates every upload of a job first, so
// that the job can be asked for (naming them all) while their bytes are still on the way
// (resumable.ts). The headers are the ones tus-js-client sends. Also here: whether a remembered
// upload URL still names an upload (a tab reopened after the upload expired makes a new one).
import { ApiError, parseErrorBody } from './errors';
import { acceptLanguage } from './language';

export const UPLOAD_ENDPOINT = '/v1/uploads';
const TUS_VERSION = '1.0.0';

/** Base64 of the text's UTF-8 bytes, as tus-js-client encodes Upload-Metadata values. */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Upload-Metadata: "key base64value" pairs joined by commas. */
export function uploadMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${base64(value)}`)
    .join(',');
}

function aborted(): DOMException {
  return new DOMException('the upload was stopped', 'AbortError');
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** fetch, with a failure to reach the server as a network ApiError (an abort stays an AbortError). */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'same-origin' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message);
  }
}

/**
 * Creates an upload for `file` and answers its URL (the server's Location, absolute). A refusal
 * (413 too_large naming Upload-Length, 429 a quota) is the server's ApiError; a network failure
 * or a 5xx is tried again after each of `retryDelays` (ms), as tus-js-client does.
 */
export async function createUpload(
  file: Blob,
  name: string,
  signal: AbortSignal,
  retryDelays: readonly number[],
): Promise<string> {
  const headers = {
    'Tus-Resumable': TUS_VERSION,
    'Upload-Length': String(file.size),
    'Upload-Metadata': uploadMetadata({ filename: name, filetype: file.type || 'application/octet-stream' }),
    'Accept-Language': acceptLanguage(),
  };
  for (let attempt = 0; ; attempt++) {
    let error: ApiError;
    try {
      const response = await send(UPLOAD_ENDPOINT, { method: 'POST', headers, signal });
      const location = response.headers.get('Location');
      if (response.status === 201 && location) return location;
      error = response.ok
        ? new ApiError(response.status, 'internal', 'the server made no upload (no Location)')
        : parseErrorBody(response.status, await response.text());
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
    }
    const retry = error.status === 0 || error.status >= 500;
    const delay = retryDelays[attempt];
    if (!retry || delay === undefined) throw error;
    await pause(delay, signal);
  }
}

/**
 * Whether the upload at `url` is gone (404, or 410 once it expired). Anything else, a network
 * failure too, counts as still there: sending its bytes (tus) asks again and retries.
 */
export async function uploadGone(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await send(url, { method: 'HEAD', headers: { 'Tus-Resumable': TUS_VERSION }, signal });
    return response.status === 404 || response.status === 410;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
}
