// Uploads that survive a dropped connection and a reloaded tab: each file goes to /v1/uploads with
// the tus protocol (tus-js-client), which resumes from the server's offset after a network error,
// and the job is then made of the upload ids (POST /v1/jobs with a JSON body). The upload URLs are
// reported as they become known, so that the caller can remember them (state/pendingUpload) and a
// reloaded tab can go on where the last one stopped: tus asks the server for the offset first.
import type { DetailedError, Upload } from 'tus-js-client';
import { request, type ConversionOptions, type Job } from './client';
import { ApiError, parseErrorBody } from './errors';
import { acceptLanguage } from './language';

export const UPLOAD_ENDPOINT = '/v1/uploads';
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

/** A tus-js-client error as the app's ApiError (the server's JSON error when it answered). */
export function tusError(error: Error | DetailedError): ApiError {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (response && response.getStatus() > 0) return parseErrorBody(response.getStatus(), response.getBody() ?? '');
  return new ApiError(0, 'network', error.message);
}

async function uploadOne(
  item: ResumableFile,
  onProgress: (sent: number) => void,
  onUrl: (url: string) => void,
  current: { upload: Upload | null; canceled: boolean },
): Promise<string> {
  const { Upload } = await tus();
  // Stopped while the module loaded: nothing starts.
  if (current.canceled) throw new ApiError(0, 'aborted', 'upload canceled');
  return new Promise<string>((resolve, reject) => {
    const upload = new Upload(item.file, {
      endpoint: UPLOAD_ENDPOINT,
      uploadUrl: item.uploadUrl,
      retryDelays: RETRY_DELAYS,
      metadata: { filename: item.name, filetype: item.file.type || 'application/octet-stream' },
      headers: { 'Accept-Language': acceptLanguage() },
      // The app keeps the URLs itself, with the files (IndexedDB): nothing in localStorage.
      storeFingerprintForResuming: false,
      onProgress: (sent) => onProgress(sent),
      onUploadUrlAvailable: () => {
        if (upload.url) onUrl(upload.url);
      },
      onSuccess: () => resolve(upload.url ?? ''),
      onError: (error) => reject(tusError(error)),
    });
    current.upload = upload;
    upload.start();
  });
}

/** Uploads the files one after the other (then the watermark), then makes the job of them. */
export function uploadJobResumable(req: ResumableJobRequest, events: ResumableEvents): ResumableHandle {
  const items = req.watermark ? [...req.files, req.watermark] : req.files;
  const total = items.reduce((sum, item) => sum + item.file.size, 0);
  const current: { upload: Upload | null; canceled: boolean } = { upload: null, canceled: false };
  const urls: string[] = [];

  const run = async (): Promise<Job> => {
    let done = 0;
    for (let i = 0; i < items.length; i++) {
      if (current.canceled) throw new ApiError(0, 'aborted', 'upload canceled');
      const item = items[i]!;
      const url = await uploadOne(
        item,
        (sent) => events.onProgress(done + sent, total),
        (u) => events.onUploadUrl(i, u),
        current,
      );
      urls.push(url);
      done += item.file.size;
      events.onProgress(done, total);
    }
    if (current.canceled) throw new ApiError(0, 'aborted', 'upload canceled');
    const imageUrls = urls.slice(0, req.files.length);
    const watermarkUrl = req.watermark ? (urls[req.files.length] ?? null) : null;
    return requestJob(jobFromUploadsBody(imageUrls, watermarkUrl, req.options, req.name), req.idempotencyKey);
  };

  let rejectCanceled: (e: unknown) => void = () => {};
  const canceledPromise = new Promise<never>((_, reject) => {
    rejectCanceled = reject;
  });
  const promise = Promise.race([run(), canceledPromise]);
  return {
    promise,
    cancel: () => {
      current.canceled = true;
      // abort(true): tus termination (DELETE) of the upload in progress.
      void current.upload?.abort(true).catch(() => {});
      void tus().then(({ Upload }) => {
        for (const url of urls) void Upload.terminate(url, { headers: {} }).catch(() => {});
      });
      rejectCanceled(new ApiError(0, 'aborted', 'upload canceled'));
    },
    stop: () => {
      current.canceled = true;
      void current.upload?.abort(false).catch(() => {});
      rejectCanceled(new ApiError(0, STOPPED, 'upload stopped'));
    },
  };
}

async function requestJob(body: Record<string, unknown>, idempotencyKey: string): Promise<Job> {
  return request<Job>('POST', '/v1/jobs', body, undefined, { 'Idempotency-Key': idempotencyKey });
}
