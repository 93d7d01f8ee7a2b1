// Uploads that survive a dropped connection and a reloaded tab, and whose images start converting
// while the later ones are still on the way. Three steps:
//   1. Every file gets its upload on the server first (the tus creation request, tusCreation.ts:
//      no bytes yet), unless it has one from an earlier attempt that is still there. The URLs are
//      reported as they become known, so that the caller can remember them (state/pendingUpload)
//      and a reloaded tab goes on where the last one stopped.
//   2. Then two things at once: POST /v1/jobs names the uploads with `await_uploads: true`, and
//      the bytes go up with tus (tus-js-client: HEAD asks the server's offset, PATCH sends the
//      rest, a network error is retried from the offset the server kept), the watermark first and
//      then the images in order, as the server takes them: it checks each one and queues its
//      conversion as soon as its last byte has arrived, and answers with the job once it took the
//      last one.
//   3. A refusal of the job (a bad file, a bad option) stops the uploads still running and is the
//      answer; the uploads stay on the server as they were. When the server would rather make the
//      job once the uploads finished (409 conflict naming the uploads: no bytes for 60 s, or the
//      wait would be too long), or the request itself was lost, the uploads finish and the job is
//      asked for again the ordinary way, without waiting (askAgainAfterUploads). Both requests
//      carry one Idempotency-Key, so the job is made once. An upload that fails for good (tus
//      gave up) drops the waiting request and is the answer (a network failure can be resumed).
// cancel() stops everything and deletes the uploads (tus termination); stop() stops and keeps them.
import type { DetailedError, Upload } from 'tus-js-client';
import { request, type ConversionOptions, type Job } from './client';
import { ApiError, parseErrorBody } from './errors';
import { acceptLanguage } from './language';
import { createUpload, uploadGone } from './tusCreation';

/** The error code of an upload stop()ped to be resumed later (the page went away). */
export const STOPPED = 'stopped';

/** tus-js-client, loaded when the first upload starts (it stays out of the main bundle). */
let tusModule: Promise<typeof import('tus-js-client')> | null = null;
function tus(): Promise<typeof import('tus-js-client')> {
  tusModule ??= import('tus-js-client');
  return tusModule;
}
/**
 * Waits (ms) before each retry after a failed request. The first waits half a second: the server
 * has then recorded the bytes of a request that broke off, so the retry's HEAD sees them and the
 * bytes are not sent twice.
 */
export const RETRY_DELAYS = [500, 1000, 3000, 5000, 10000, 20000];

export interface ResumableFile {
  file: Blob;
  name: string;
  /** The upload URL of an earlier attempt, to resume from (null: a new upload). */
  uploadUrl: string | null;
}

export interface ResumableJobRequest {
  files: ResumableFile[];
  watermark: ResumableFile | null;
  options: ConversionOptions;
  name: string;
  idempotencyKey: string;
}

export interface ResumableHandle {
  promise: Promise<Job>;
  /** Stops, and deletes on the server what was uploaded (the person canceled). */
  cancel: () => void;
  /** Stops and keeps what was uploaded, to be resumed (the page went away). */
  stop: () => void;
}

export interface ResumableEvents {
  onProgress: (loaded: number, total: number) => void;
  /** The upload URL of file `index` (the watermark's is index files.length) is known. */
  onUploadUrl: (index: number, url: string) => void;
}

/** The id at the end of an upload URL ("http://host/v1/uploads/abc" -> "abc"). */
export function uploadId(url: string): string {
  const path = url.split('?')[0] ?? '';
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** The body of POST /v1/jobs that makes a job of finished uploads. */
export function jobFromUploadsBody(
  uploadUrls: string[],
  watermarkUrl: string | null,
  options: ConversionOptions,
  name: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { uploads: uploadUrls.map(uploadId), options };
  if (name.trim()) body.name = name.trim();
  if (watermarkUrl) body.watermark_upload = uploadId(watermarkUrl);
  return body;
}

/**
 * Whether a job request that waited for its uploads failed only for the waiting, so that the same
 * job is to be asked for again once the uploads finished: the server's 409 conflict naming the
 * uploads (no bytes arrived for a while, or the wait would be too long), a lost connection, a 5xx
 * (a proxy that gave up on the long request, a server that failed), or a server from before
 * `await_uploads` (400 naming it as an unknown field).
 */
export function askAgainAfterUploads(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0 || error.status >= 500) return true;
  if (error.status === 400 && error.field === 'await_uploads') return true;
  return error.status === 409 && error.code === 'conflict' && (error.field === 'uploads' || error.field === 'watermark_upload');
}

/** A tus-js-client error as the app's ApiError (the server's JSON error when it answered). */
export function tusError(error: Error | DetailedError): ApiError {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (response && response.getStatus() > 0) return parseErrorBody(response.getStatus(), response.getBody() ?? '');
  return new ApiError(0, 'network', error.message);
}

/** The bytes going up: the running tus upload, and whether (why) they were stopped. */
interface Sending {
  upload: Upload | null;
  /** Set once the uploads are stopped: the running one is aborted and no further one starts. */
  halted: ApiError | null;
  /** Rejects the running upload's promise (an aborted tus upload calls no callback). */
  fail: (error: ApiError) => void;
}

/** Stops the uploads (tus abort: what the server has stays there). */
function halt(sending: Sending, why: ApiError): void {
  if (sending.halted) return;
  sending.halted = why;
  void sending.upload?.abort(false).catch(() => {});
  sending.fail(why);
}

/** Sends the bytes the server does not have yet of the upload at `url`. */
async function sendOne(file: Blob, url: string, onProgress: (sent: number) => void, sending: Sending): Promise<void> {
  const { Upload } = await tus();
  if (sending.halted) throw sending.halted;
  return new Promise<void>((resolve, reject) => {
    // No endpoint: an upload that went is an error here, not a new upload the job does not name.
    const upload = new Upload(file, {
      uploadUrl: url,
      retryDelays: RETRY_DELAYS,
      headers: { 'Accept-Language': acceptLanguage() },
      // The app keeps the URLs itself, with the files (IndexedDB): nothing in localStorage.
      storeFingerprintForResuming: false,
      onProgress: (sent) => onProgress(sent),
      onSuccess: () => resolve(),
      onError: (error) => reject(tusError(error)),
    });
    sending.upload = upload;
    sending.fail = reject;
    upload.start();
  });
}

/** Makes a job of the files, converting each image as soon as it is uploaded (see the top). */
export function uploadJobResumable(req: ResumableJobRequest, events: ResumableEvents): ResumableHandle {
  const items = req.watermark ? [...req.files, req.watermark] : req.files;
  const images = req.files.length;
  const total = items.reduce((sum, item) => sum + item.file.size, 0);
  const urls: (string | null)[] = items.map((item) => item.uploadUrl);
  const sending: Sending = { upload: null, halted: null, fail: () => {} };
  // `requests`: the creations and the job request made after the uploads; `waiting`: the job
  // request that waits for the uploads (aborted too when an upload fails).
  const requests = new AbortController();
  const waiting = new AbortController();

  /** The watermark first (the server takes it first), then the images in order. */
  const sendAll = async (): Promise<void> => {
    const order = items.map((_, i) => i);
    if (req.watermark) order.unshift(order.pop()!);
    let done = 0;
    for (const i of order) {
      if (sending.halted) throw sending.halted;
      const item = items[i]!;
      await sendOne(item.file, urls[i]!, (sent) => events.onProgress(done + sent, total), sending);
      done += item.file.size;
      events.onProgress(done, total);
    }
  };

  const run = async (): Promise<Job> => {
    await tus();
    for (let i = 0; i < items.length; i++) {
      if (sending.halted) throw sending.halted;
      const item = items[i]!;
      if (item.uploadUrl && !(await uploadGone(item.uploadUrl, requests.signal))) continue;
      const url = await createUpload(item.file, item.name, requests.signal, RETRY_DELAYS);
      urls[i] = url;
      events.onUploadUrl(i, url);
    }
    if (sending.halted) throw sending.halted;
    const made = urls as string[];
    const body = jobFromUploadsBody(made.slice(0, images), req.watermark ? made[images]! : null, req.options, req.name);

    const uploaded = sendAll().catch((error: unknown) => {
      waiting.abort(); // the server would wait for bytes that do not come
      throw error;
    });
    uploaded.catch(() => {}); // awaited below only where it matters
    try {
      const job = await requestJob({ ...body, await_uploads: true }, req.idempotencyKey, waiting.signal);
      // The server took every upload, so it has every byte: a PATCH still answering is moot.
      halt(sending, new ApiError(0, 'aborted', 'the job took the uploads'));
      events.onProgress(total, total);
      return job;
    } catch (error) {
      if (sending.halted) throw sending.halted; // cancel() or stop()
      if (waiting.signal.aborted) {
        await uploaded; // rejects with the upload's error
        throw error;
      }
      if (!askAgainAfterUploads(error)) {
        halt(sending, new ApiError(0, 'aborted', 'the job was refused'));
        throw error;
      }
    }
    await uploaded;
    return requestJob(body, req.idempotencyKey, requests.signal);
  };

  let rejectCanceled: (e: unknown) => void = () => {};
  const canceledPromise = new Promise<never>((_, reject) => {
    rejectCanceled = reject;
  });
  const promise = Promise.race([run(), canceledPromise]);
  const stopAll = (why: ApiError) => {
    requests.abort();
    waiting.abort();
    halt(sending, why);
    rejectCanceled(why);
  };
  return {
    promise,
    cancel: () => {
      stopAll(new ApiError(0, 'aborted', 'upload canceled'));
      // tus termination (DELETE) of every upload made or resumed so far.
      const known = urls.filter((url): url is string => url !== null);
      void tus().then(({ Upload }) => {
        for (const url of known) {
          void Upload.terminate(url, { headers: { 'Accept-Language': acceptLanguage() }, retryDelays: RETRY_DELAYS }).catch(() => {});
        }
      });
    },
    stop: () => stopAll(new ApiError(0, STOPPED, 'upload stopped')),
  };
}

async function requestJob(body: Record<string, unknown>, idempotencyKey: string, signal: AbortSignal): Promise<Job> {
  return request<Job>('POST', '/v1/jobs', body, signal, { 'Idempotency-Key': idempotencyKey });
}
