// Applying the server's Server-Sent Events to what the pages show. Pure: the hooks feed parsed
// events in and render what comes out.
//
// Events (src/app/job_worker.cpp, event_routes.cpp):
//   snapshot        /v1/events: {jobs: Job[] (queued+processing), unread_notifications}
//                   /v1/jobs/{id}/events: the Job with its images
//   progress        {job_id, done, failed, total, status, image}
//   job.completed   the finished Job (no images)     job.failed: same, status "failed"
//   notification    {id, type, job_id, message, params, read, created_at}
import type { Job, JobImage, NotificationItem } from '../api/client';

export interface ServerEvent {
  type: string;
  data: unknown;
  id?: string;
}

export interface ProgressData {
  job_id: string;
  done: number;
  failed: number;
  total: number;
  status: Job['status'];
  image?: JobImage;
}

export const EVENT_TYPES = ['snapshot', 'progress', 'job.completed', 'job.failed', 'notification'] as const;

export function parseEvent(type: string, raw: string, id?: string): ServerEvent | null {
  try {
    return { type, data: JSON.parse(raw), id: id || undefined };
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isProgress(v: unknown): v is ProgressData {
  return isObject(v) && typeof v.job_id === 'string' && typeof v.done === 'number' && typeof v.total === 'number';
}

function isJob(v: unknown): v is Job {
  return isObject(v) && typeof v.id === 'string' && typeof v.status === 'string';
}

/** The finished fields of a job event, without `images` (the event carries none). */
function jobFields(job: Job): Partial<Job> {
  const { images: _images, ...rest } = job;
  return rest;
}

/** One job (its page): progress replaces the image and counts; completion fills the summary. */
export function applyToJob(job: Job | null, event: ServerEvent): Job | null {
  if (event.type === 'snapshot') return isJob(event.data) ? event.data : job;
  if (!job) return job;
  if (event.type === 'progress' && isProgress(event.data) && event.data.job_id === job.id) {
    const p = event.data;
    const next: Job = { ...job, done: p.done, failed: p.failed, total: p.total };
    if (!isFinal(job.status)) next.status = p.status;
    if (p.image && job.images) {
      const img = p.image;
      next.images = job.images.map((i) => (i.index === img.index ? img : i));
    }
    return next;
  }
  if ((event.type === 'job.completed' || event.type === 'job.failed') && isJob(event.data) && event.data.id === job.id) {
    return { ...job, ...jobFields(event.data) };
  }
  return job;
}

/** The jobs list: updates the jobs it shows; a snapshot refreshes the running ones. */
export function applyToJobs(jobs: Job[], event: ServerEvent): Job[] {
  if (event.type === 'snapshot') {
    const data = event.data;
    if (!isObject(data) || !Array.isArray(data.jobs)) return jobs;
    const running = new Map<string, Job>();
    for (const j of data.jobs) if (isJob(j)) running.set(j.id, j);
    return jobs.map((j) => {
      const fresh = running.get(j.id);
      return fresh ? { ...j, ...jobFields(fresh) } : j;
    });
  }
  let changed = false;
  const next = jobs.map((j) => {
    const updated = applyToJob(j, event);
    if (updated !== j && updated) {
      changed = true;
      return updated;
    }
    return j;
  });
  return changed ? next : jobs;
}

/**
 * A job the list does not show yet (started in another tab or by the API) goes on top, if it is
 * not older than the top one (an old job retried far down the pages stays where it is). The
 * first of its fetch and its completion event to arrive wins; the later one no longer adds it
 * (applyToJobs updates it instead), so a slow fetch cannot bring back a stale "processing".
 */
export function withNewJob(jobs: Job[], job: Job): Job[] {
  if (jobs.some((j) => j.id === job.id)) return jobs;
  const top = jobs[0];
  if (top && job.created_at < top.created_at) return jobs;
  const { images: _images, ...summary } = job;
  return [summary, ...jobs];
}

/** The bell's unread count. */
export function applyToUnread(unread: number, event: ServerEvent): number {
  if (event.type === 'snapshot' && isObject(event.data) && typeof event.data.unread_notifications === 'number') {
    return event.data.unread_notifications;
  }
  const n = notificationOf(event);
  if (n && !n.read) return unread + 1;
  return unread;
}

/** A notification event's record; null for anything else, or one without the fields the server
 * always sends (id, type, message, read, created_at). */
export function notificationOf(event: ServerEvent): NotificationItem | null {
  if (event.type !== 'notification' || !isObject(event.data)) return null;
  const d = event.data;
  if (typeof d.id !== 'number' || typeof d.type !== 'string' || typeof d.message !== 'string') return null;
  if (typeof d.read !== 'boolean' || typeof d.created_at !== 'string') return null;
  return { ...(d as unknown as NotificationItem), params: isObject(d.params) ? (d.params as NotificationItem['params']) : {} };
}

/** A job that ended (for the browser notification): completed or failed event. */
export function finishedJobOf(event: ServerEvent): Job | null {
  if ((event.type === 'job.completed' || event.type === 'job.failed') && isJob(event.data)) return event.data;
  return null;
}

export function isFinal(status: Job['status']): boolean {
  return status === 'done' || status === 'partial' || status === 'failed' || status === 'canceled' || status === 'expired';
}

/** Reconnect delay after `attempt` failures: 1 s, 2 s, 4 s ... capped at 30 s, with jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + 0.5 * random()));
}
