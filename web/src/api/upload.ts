// POST /v1/jobs with upload progress. fetch() cannot report upload progress, XMLHttpRequest can.
import { ApiError, parseErrorBody } from './errors';
import { acceptLanguage } from './language';
import type { ConversionOptions, Job } from './client';

export interface UploadRequest {
  files: File[];
  options: ConversionOptions;
  watermarkImage: File | null;
  name: string;
  /** Same key on a retried submit: the server answers the first job instead of a second one. */
  idempotencyKey: string;
}

export interface UploadHandle {
  promise: Promise<Job>;
  abort: () => void;
}

export function buildJobForm(req: Omit<UploadRequest, 'idempotencyKey'>): FormData {
  const form = new FormData();
  // Small text parts first: the server validates the options before streaming the images.
  form.append('options', JSON.stringify(req.options));
  if (req.name.trim()) form.append('name', req.name.trim());
  if (req.watermarkImage) form.append('watermark_image', req.watermarkImage, req.watermarkImage.name);
  for (const f of req.files) form.append('files', f, f.name);
  return form;
}

export function uploadJob(req: UploadRequest, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Job>((resolve, reject) => {
    xhr.open('POST', '/v1/jobs');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Idempotency-Key', req.idempotencyKey);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', acceptLanguage());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Job);
        } catch {
          reject(new ApiError(xhr.status, 'internal', 'unreadable answer'));
        }
      } else {
        reject(parseErrorBody(xhr.status, xhr.responseText));
      }
    };
    // The server closes the connection after refusing a part mid-stream; the browser may then
    // report a network error without the response. Say so rather than nothing.
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was interrupted'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload canceled'));
    xhr.send(buildJobForm(req));
  });
  return { promise, abort: () => xhr.abort() };
}
