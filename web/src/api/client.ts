// The typed API client. Same origin, cookie session (set by login/signup, HttpOnly), so no
// token is kept in the page. Every failure becomes an ApiError.
import { ApiError, parseErrorBody } from './errors';
import { acceptLanguage } from './language';
import type { components, paths } from './schema';

// The API's shapes, generated into schema.d.ts from the server's OpenAPI document (see
// scripts/gen-api-types.mjs); here they only get the names the app uses.
type Schemas = components['schemas'];
export type User = Schemas['User'];
export type AuthResult = Schemas['AuthResult'];
export type ApiKey = Schemas['ApiKey'];
/** POST /v1/api-keys answers the key once, in `key`. */
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type JobStatus = Schemas['JobStatus'];
export type ImageStatus = Schemas['ImageStatus'];
export type ImageOutput = Schemas['ImageOutput'];
export type JobImage = Schemas['Image'];
export type Job = Schemas['Job'];
/** The `options` JSON of POST /v1/jobs and /v1/preview; every key optional, unknown keys refused. */
export type ConversionOptions = Schemas['ConversionOptions'];
export type Fit = NonNullable<ConversionOptions['fit']>;
export type OutputFormat = NonNullable<ConversionOptions['format']>;
export type WatermarkOptions = NonNullable<ConversionOptions['watermark']>;
export type Position = NonNullable<WatermarkOptions['position']>;
export type NotificationItem = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];
export type ServerLimits = Schemas['Limits'];
export type Webhook = Schemas['Webhook'];
export type WebhookType = Webhook['type'];
export type WebhookEvent = Schemas['WebhookEvent'];
export type WebhookInput = Schemas['WebhookInput'];
export type WebhookPatch = Schemas['WebhookPatch'];
export type WebhookTestResult = Schemas['WebhookTestResult'];
export type DeliveryAttempt = Schemas['DeliveryAttempt'];
export type Delivery = Schemas['Delivery'];
export type Preset = Schemas['Preset'];
export type PresetInput = Schemas['PresetInput'];
export type PresetPatch = Schemas['PresetPatch'];

/** What POST /v1/preview says about the full-size result, from its X-Output-* headers. */
export interface PreviewInfo {
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** the byte count is the server's estimate (the preview's size scaled by area) */
  estimated: boolean;
  format: string | null;
}

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
/** The JSON body of an operation's success answer (200, 201 or 202), `void` for 204. */
type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : R extends { 202: { content: { 'application/json': infer B } } }
        ? B
        : void
  : never;
/** The JSON request body of an operation. */
type Input<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** A thumbnail size the server renders (longer side, px): 128, 256, 512 or 1024 today; the
 * largest one offered is read from the API document (capabilities). */
export type ThumbnailSize = number;

type Body = Record<string, unknown> | FormData | undefined;

/** Dispatched on window when the API answers 401: the session ended (expired, logged out elsewhere). */
export const UNAUTHORIZED_EVENT = 'imagesprint:unauthorized';

export async function request<T>(
  method: string,
  path: string,
  body?: Body,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal, headers: { ...headers, accept: 'application/json', 'accept-language': acceptLanguage() } };
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
  signup: (email: string, password: string) =>
    request<Answer<'/v1/auth/signup', 'post'>>('POST', '/v1/auth/signup', { email, password } satisfies Input<'/v1/auth/signup', 'post'>),
  login: (email: string, password: string) =>
    request<Answer<'/v1/auth/login', 'post'>>('POST', '/v1/auth/login', { email, password } satisfies Input<'/v1/auth/login', 'post'>),
  logout: () => request<Answer<'/v1/auth/logout', 'post'>>('POST', '/v1/auth/logout'),
  me: () => request<Answer<'/v1/me', 'get'>>('GET', '/v1/me'),

  apiKeys: () => request<Answer<'/v1/api-keys', 'get'>>('GET', '/v1/api-keys'),
  createApiKey: (name: string) =>
    request<Answer<'/v1/api-keys', 'post'>>('POST', '/v1/api-keys', { name } satisfies Input<'/v1/api-keys', 'post'>),
  deleteApiKey: (id: number) => request<Answer<'/v1/api-keys/{id}', 'delete'>>('DELETE', `/v1/api-keys/${id}`),

  jobs: (cursor?: string | null, limit = 20, status?: JobStatus) =>
    request<Answer<'/v1/jobs', 'get'>>('GET', `/v1/jobs${query({ cursor, limit, status })}`),
  job: (id: string, signal?: AbortSignal) =>
    request<Answer<'/v1/jobs/{id}', 'get'>>('GET', `/v1/jobs/${encodeURIComponent(id)}`, undefined, signal),
  deleteJob: (id: string) => request<Answer<'/v1/jobs/{id}', 'delete'>>('DELETE', `/v1/jobs/${encodeURIComponent(id)}`),
  retryJob: (id: string) => request<Answer<'/v1/jobs/{id}/retry', 'post'>>('POST', `/v1/jobs/${encodeURIComponent(id)}/retry`),
  cancelJob: (id: string) => request<Answer<'/v1/jobs/{id}/cancel', 'post'>>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`),
  /** A new job from this one's uploads and options (410 sources_gone once the uploads went). */
  convertAgain: (id: string) =>
    request<Answer<'/v1/jobs/{id}/convert-again', 'post'>>('POST', `/v1/jobs/${encodeURIComponent(id)}/convert-again`),
  /** This server's upload limits and the user's quotas and usage. */
  limits: (signal?: AbortSignal) => request<Answer<'/v1/limits', 'get'>>('GET', '/v1/limits', undefined, signal),
  archiveUrl: (id: string) => `/v1/jobs/${encodeURIComponent(id)}/archive`,
  /** One output; with `size`, its thumbnail (WebP, longer side `size` px, rendered by the server). */
  imageUrl: (id: string, n: number, size?: ThumbnailSize) =>
    `/v1/jobs/${encodeURIComponent(id)}/images/${n}${query({ size })}`,
  /** The upload as received; with `size`, its thumbnail (browsers cannot show HEIC or TIFF). */
  sourceUrl: (id: string, n: number, segment = 'source', size?: ThumbnailSize) =>
    `/v1/jobs/${encodeURIComponent(id)}/images/${n}/${segment}${query({ size })}`,

  notifications: (cursor?: string | null, limit = 20) =>
    request<Answer<'/v1/notifications', 'get'>>('GET', `/v1/notifications${query({ cursor, limit })}`),
  markRead: (id: number) => request<Answer<'/v1/notifications/{id}/read', 'post'>>('POST', `/v1/notifications/${id}/read`),
  markAllRead: () => request<Answer<'/v1/notifications/read-all', 'post'>>('POST', '/v1/notifications/read-all'),

  webhooks: () => request<Answer<'/v1/webhooks', 'get'>>('GET', '/v1/webhooks'),
  createWebhook: (w: WebhookInput) => request<Answer<'/v1/webhooks', 'post'>>('POST', '/v1/webhooks', w),
  updateWebhook: (id: Webhook['id'], patch: WebhookPatch) =>
    request<Answer<'/v1/webhooks/{id}', 'patch'>>('PATCH', `/v1/webhooks/${id}`, patch),
  deleteWebhook: (id: Webhook['id']) => request<Answer<'/v1/webhooks/{id}', 'delete'>>('DELETE', `/v1/webhooks/${id}`),
  testWebhook: (w: WebhookInput) => request<Answer<'/v1/webhooks/test', 'post'>>('POST', '/v1/webhooks/test', w),
  deliveries: (id: Webhook['id'], limit = 20) =>
    request<Answer<'/v1/webhooks/{id}/deliveries', 'get'>>('GET', `/v1/webhooks/${id}/deliveries${query({ limit })}`),
  redeliver: (id: Webhook['id'], delivery: Delivery['id']) =>
    request<Answer<'/v1/webhooks/{id}/deliveries/{delivery}/redeliver', 'post'>>(
      'POST',
      `/v1/webhooks/${id}/deliveries/${encodeURIComponent(delivery)}/redeliver`,
    ),

  presets: () => request<Answer<'/v1/presets', 'get'>>('GET', '/v1/presets'),
  createPreset: (p: PresetInput) => request<Answer<'/v1/presets', 'post'>>('POST', '/v1/presets', p),
  updatePreset: (id: Preset['id'], patch: PresetPatch) =>
    request<Answer<'/v1/presets/{id}', 'patch'>>('PATCH', `/v1/presets/${id}`, patch),
  deletePreset: (id: Preset['id']) => request<Answer<'/v1/presets/{id}', 'delete'>>('DELETE', `/v1/presets/${id}`),

  /** The API document: which routes this server has (preview, webhooks, source images). */
  openapi: () => request<Answer<'/openapi.json', 'get'>>('GET', '/openapi.json'),
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
    response = await fetch('/v1/preview', { method: 'POST', body: form, credentials: 'same-origin', signal, headers: { 'accept-language': acceptLanguage() } });
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
