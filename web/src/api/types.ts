// Shapes of the ImageSprint API (src/adapters/http/api/openapi.json and app/json_views.cpp).

export interface User {
  id: number;
  email: string;
  created_at: string;
}

export interface AuthResult {
  token: string;
  user: User;
  expires_at: string;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** POST /v1/api-keys answers the key once, in `key`. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export type JobStatus = 'queued' | 'processing' | 'done' | 'partial' | 'failed' | 'canceled' | 'expired';
export type ImageStatus = 'queued' | 'processing' | 'done' | 'failed' | 'canceled';

export interface ImageOutput {
  format: string;
  width: number;
  height: number;
  bytes: number;
  quality_used: number | null;
  blurhash: string;
}

export interface JobImage {
  index: number;
  source_name: string;
  output_name: string | null;
  status: ImageStatus;
  error: { code: string; message: string } | null;
  input: { width: number; height: number; bytes: number };
  output: ImageOutput | null;
  attempts?: number;
}

export type Fit = 'contain' | 'inside' | 'fill' | 'cover' | 'outside';
export type OutputFormat = 'original' | 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'bmp';
export type Position =
  | 'TOP_LEFT'
  | 'TOP_CENTER'
  | 'TOP_RIGHT'
  | 'MIDDLE_LEFT'
  | 'CENTER'
  | 'MIDDLE_RIGHT'
  | 'BOTTOM_LEFT'
  | 'BOTTOM_CENTER'
  | 'BOTTOM_RIGHT';

export interface WatermarkOptions {
  type?: 'none' | 'text' | 'image';
  text?: string;
  position?: Position;
  opacity?: number;
  size?: number;
  color?: string;
  margin?: number;
  tile?: boolean;
}

/** The `options` JSON of POST /v1/jobs and /v1/preview; every key optional, unknown keys refused. */
export interface ConversionOptions {
  width?: number;
  height?: number;
  fit?: Fit;
  gravity?: string;
  enlarge?: boolean;
  format?: OutputFormat;
  quality?: number;
  lossless?: boolean;
  progressive?: boolean;
  metadata?: 'strip' | 'keep' | 'copyright';
  background?: string;
  watermark?: WatermarkOptions;
}

export interface Job {
  id: string;
  name: string;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  bytes_in: number;
  bytes_out: number;
  options: ConversionOptions;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  expires_at: string | null;
  duration_ms?: number | null;
  images?: JobImage[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface NotificationItem {
  id: number;
  type: 'JOB_STARTED' | 'JOB_DONE' | 'JOB_PARTIAL' | 'JOB_FAILED' | 'RESULT_EXPIRED' | 'WEBHOOK_DISABLED' | string;
  job_id: string | null;
  message: string;
  read?: boolean;
  created_at?: string;
}

export interface NotificationPage extends Page<NotificationItem> {
  unread: number;
}

export type WebhookType = 'slack' | 'discord' | 'generic';
export type WebhookEvent = 'job.completed' | 'job.failed' | 'job.expired';

export interface Webhook {
  id: number | string;
  type: WebhookType;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  /** why it is off ("" or null when on) */
  disabled_reason: string | null;
  consecutive_failures?: number;
  /** generic webhooks carry a signing secret */
  signed?: boolean;
  created_at: string;
  /** Generic webhooks only, answered once on creation. */
  secret?: string;
}

export interface WebhookTestResult {
  ok: boolean;
  /** 0 or null when no HTTP answer came */
  status: number | null;
  latency_ms: number | null;
  /** "" or null when none */
  error: string | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** 0 or null when no HTTP answer came */
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  next_retry_at: string | null;
}

export interface Delivery {
  id: number | string;
  event: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  created_at: string;
  next_attempt_at: string | null;
  attempts_log?: DeliveryAttempt[];
}

/** What POST /v1/preview says about the full-size result, from its X-Output-* headers. */
export interface PreviewInfo {
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** the byte count is the server's estimate (the preview's size scaled by area) */
  estimated: boolean;
  format: string | null;
}
