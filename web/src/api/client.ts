// The typed API client. Same origin, cookie session (set by login/signup, HttpOnly), so no
// token is kept in the page. Every failure becomes an ApiError.
import { ApiError, parseErrorBody } from './errors';
import type {
  ApiKey,
  AuthResult,
  ConversionOptions,
  CreatedApiKey,
  Delivery,
  Job,
  JobStatus,
  NotificationPage,
  Page,
  PreviewInfo,
  User,
  Webhook,
  WebhookEvent,
  WebhookTestResult,
  WebhookType,
} from './types';

/** A thumbnail size the server renders (longer side, px): 128, 256, 512 or 1024 today; the
 * largest one offered is read from the API document (capabilities). */
export type ThumbnailSize = number;

type Body = Record<string, unknown> | FormData | undefined;

/** Dispatched on window when the API answers 401: the session ended (expired, logged out elsewhere). */
export const UNAUTHORIZED_EVENT = 'imagesprint:unauthorized';

export async function request<T>(method: string, path: string, body?: Body, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal, headers: { accept: 'application/json' } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/v1/auth/')) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw parseErrorBody(response.status, await response.text());
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  signup: (email: string, password: string) => request<AuthResult>('POST', '/v1/auth/signup', { email, password }),
  login: (email: string, password: string) => request<AuthResult>('POST', '/v1/auth/login', { email, password }),
  logout: () => request<void>('POST', '/v1/auth/logout'),
  me: () => request<User>('GET', '/v1/me'),

  apiKeys: () => request<{ items: ApiKey[] }>('GET', '/v1/api-keys'),
  createApiKey: (name: string) => request<CreatedApiKey>('POST', '/v1/api-keys', { name }),
  deleteApiKey: (id: number) => request<void>('DELETE', `/v1/api-keys/${id}`),

  jobs: (cursor?: string | null, limit = 20, status?: JobStatus) =>
    request<Page<Job>>('GET', `/v1/jobs${query({ cursor, limit, status })}`),
  job: (id: string, signal?: AbortSignal) => request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`, undefined, signal),
  deleteJob: (id: string) => request<void>('DELETE', `/v1/jobs/${encodeURIComponent(id)}`),
  retryJob: (id: string) => request<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/retry`),
  cancelJob: (id: string) => request<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`),
  archiveUrl: (id: string) => `/v1/jobs/${encodeURIComponent(id)}/archive`,
  /** One output; with `size`, its thumbnail (WebP, longer side `size` px, rendered by the server). */
  imageUrl: (id: string, n: number, size?: ThumbnailSize) =>
    `/v1/jobs/${encodeURIComponent(id)}/images/${n}${query({ size })}`,
  /** The upload as received; with `size`, its thumbnail (browsers cannot show HEIC or TIFF). */
  sourceUrl: (id: string, n: number, segment = 'source', size?: ThumbnailSize) =>
    `/v1/jobs/${encodeURIComponent(id)}/images/${n}/${segment}${query({ size })}`,

  notifications: (cursor?: string | null, limit = 20) =>
    request<NotificationPage>('GET', `/v1/notifications${query({ cursor, limit })}`),
  markRead: (id: number) => request<void>('POST', `/v1/notifications/${id}/read`),
  markAllRead: () => request<{ marked: number }>('POST', '/v1/notifications/read-all'),

  webhooks: () => request<{ items: Webhook[] }>('GET', '/v1/webhooks'),
  createWebhook: (w: { type: WebhookType; url: string; events?: WebhookEvent[]; secret?: string }) =>
    request<Webhook>('POST', '/v1/webhooks', w),
  updateWebhook: (id: Webhook['id'], patch: { enabled?: boolean; events?: WebhookEvent[]; rotate_secret?: boolean }) =>
    request<Webhook>('PATCH', `/v1/webhooks/${id}`, patch),
  deleteWebhook: (id: Webhook['id']) => request<void>('DELETE', `/v1/webhooks/${id}`),
  testWebhook: (w: { type: WebhookType; url: string; secret?: string }) =>
    request<WebhookTestResult>('POST', '/v1/webhooks/test', w),
  deliveries: (id: Webhook['id'], limit = 20) => request<Page<Delivery>>('GET', `/v1/webhooks/${id}/deliveries${query({ limit })}`),

  /** The API document: which routes this server has (preview, webhooks, source images). */
  openapi: () => request<{ paths: Record<string, unknown> }>('GET', '/openapi.json'),
};

/** The server's engine renders the first image with the options; small, for display. */
export async function preview(
  file: File,
  options: ConversionOptions,
  watermarkImage: File | null,
  signal: AbortSignal,
): Promise<{ blob: Blob; info: PreviewInfo }> {
  const form = new FormData();
  form.append('options', JSON.stringify(options));
  if (watermarkImage) form.append('watermark_image', watermarkImage, watermarkImage.name);
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/v1/preview', { method: 'POST', body: form, credentials: 'same-origin', signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (!response.ok) throw parseErrorBody(response.status, await response.text());
  return { blob: await response.blob(), info: previewInfo(response.headers) };
}

export function previewInfo(headers: Headers): PreviewInfo {
  const num = (name: string) => {
    const v = headers.get(name);
    const n = v === null ? NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const exact = num('X-Output-Bytes');
  return {
    width: num('X-Output-Width'),
    height: num('X-Output-Height'),
    bytes: exact ?? num('X-Estimated-Output-Bytes'),
    estimated: exact === null,
    format: headers.get('X-Output-Format'),
  };
}
