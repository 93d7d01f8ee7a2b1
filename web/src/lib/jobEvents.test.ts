import { describe, expect, it } from 'vitest';
import type { Job, JobImage } from '../api/client';
import {
  applyToJob,
  applyToJobs,
  applyToUnread,
  backoffDelay,
  finishedJobOf,
  notificationOf,
  parseEvent,
  withNewJob,
  type ServerEvent,
} from './jobEvents';

const image = (index: number, patch: Partial<JobImage> = {}): JobImage => ({
  index,
  source_name: `p${index}.jpg`,
  output_name: null,
  status: 'queued',
  error: null,
  input: { width: 100, height: 50, bytes: 1000 },
  output: null,
  attempts: 0,
  ...patch,
});

const job = (patch: Partial<Job> = {}): Job => ({
  id: 'J1',
  name: 'photos',
  status: 'queued',
  total: 3,
  done: 0,
  failed: 0,
  bytes_in: 3000,
  bytes_out: 0,
  options: {},
  created_at: '2026-11-25T10:00:00Z',
  started_at: null,
  finished_at: null,
  expires_at: null,
  duration_ms: null,
  sources_kept: true,
  ...patch,
});

const ev = (type: string, data: unknown): ServerEvent => ({ type, data });

const doneImage = image(1, {
  status: 'done',
  output_name: 'p1.webp',
  output: { format: 'webp', width: 50, height: 25, bytes: 200, quality_used: 80, blurhash: '' },
});
const progress = (p: Partial<{ job_id: string; done: number; failed: number; total: number; image: JobImage }>) =>
  ev('progress', { job_id: 'J1', done: 1, failed: 0, total: 3, status: 'processing', image: doneImage, ...p });

describe('applyToJob (a job page)', () => {
  it('a snapshot replaces the job with its images', () => {
    const snap = job({ status: 'processing', images: [image(0), image(1), image(2)] });
    expect(applyToJob(null, ev('snapshot', snap))).toEqual(snap);
  });

  it('progress updates the counts and replaces the image by index', () => {
    const start = job({ images: [image(0), image(1), image(2)] });
    const next = applyToJob(start, progress({}))!;
    expect(next.done).toBe(1);
    expect(next.status).toBe('processing');
    expect(next.images?.[1]).toEqual(doneImage);
    expect(next.images?.[0]).toBe(start.images?.[0]);
    expect(start.images?.[1]?.status).toBe('queued'); // not mutated
  });

  it('ignores another job, and a stale progress cannot reopen a finished job', () => {
    const start = job();
    expect(applyToJob(start, progress({ job_id: 'OTHER' }))).toBe(start);
    const finished = job({ status: 'done', done: 3 });
    expect(applyToJob(finished, progress({ done: 3 }))?.status).toBe('done');
  });

  it('completion fills the summary but keeps the images', () => {
    const start = job({ status: 'processing', done: 3, images: [image(0)] });
    const completed = job({ status: 'done', done: 3, bytes_out: 600, finished_at: '2026-11-25T10:00:02Z' });
    const next = applyToJob(start, ev('job.completed', completed))!;
    expect(next.status).toBe('done');
    expect(next.bytes_out).toBe(600);
    expect(next.images).toEqual([image(0)]);
    expect(applyToJob(start, ev('job.failed', { ...completed, status: 'failed' }))?.status).toBe('failed');
  });

  it('ignores malformed data', () => {
    const start = job();
    expect(applyToJob(start, ev('progress', { nope: 1 }))).toBe(start);
    expect(applyToJob(start, ev('job.completed', 'x'))).toBe(start);
    expect(applyToJob(start, ev('snapshot', null))).toBe(start);
  });
});

describe('applyToJobs (the list)', () => {
  it('updates the matching job only, and keeps the array when nothing matched', () => {
    const list = [job(), job({ id: 'J2' })];
    const next = applyToJobs(list, progress({ done: 2 }));
    expect(next[0]?.done).toBe(2);
    expect(next[1]).toBe(list[1]);
    expect(applyToJobs(list, progress({ job_id: 'J9' }))).toBe(list);
  });

  it('a global snapshot refreshes the running jobs it lists', () => {
    const list = [job({ status: 'queued' }), job({ id: 'J2', status: 'done', done: 3 })];
    const next = applyToJobs(list, ev('snapshot', { jobs: [job({ status: 'processing', done: 2 })], unread_notifications: 4 }));
    expect(next[0]?.status).toBe('processing');
    expect(next[0]?.done).toBe(2);
    expect(next[1]).toBe(list[1]);
  });
});

describe('withNewJob (a job started elsewhere)', () => {
  const older = job({ id: 'OLD', created_at: '2026-11-25T09:00:00Z' });
  it('goes on top, without its images', () => {
    const fresh = job({ id: 'NEW', created_at: '2026-11-25T11:00:00Z', images: [image(0)] });
    const next = withNewJob([older], fresh);
    expect(next.map((j) => j.id)).toEqual(['NEW', 'OLD']);
    expect(next[0]?.images).toBeUndefined();
    expect(withNewJob([], fresh).map((j) => j.id)).toEqual(['NEW']);
  });
  it('the completion event first, then a stale fetch: the fetch changes nothing', () => {
    const done = job({ id: 'NEW', status: 'done', done: 3, created_at: '2026-11-25T11:00:00Z' });
    const list = withNewJob([older], done);
    expect(withNewJob(list, { ...done, status: 'processing', done: 1 })).toBe(list);
    expect(list[0]?.status).toBe('done');
  });
  it('an old job retried far down the pages is not pulled to the top', () => {
    const list = [job({ id: 'TOP', created_at: '2026-11-25T12:00:00Z' })];
    expect(withNewJob(list, older)).toBe(list);
  });
});

describe('the bell', () => {
  it('a snapshot sets the count, a notification adds one', () => {
    expect(applyToUnread(7, ev('snapshot', { jobs: [], unread_notifications: 2 }))).toBe(2);
    const at = '2026-12-02T10:00:00.000Z';
    expect(applyToUnread(2, ev('notification', { id: 5, type: 'JOB_DONE', message: 'x', params: {}, read: false, created_at: at }))).toBe(3);
    expect(applyToUnread(2, ev('notification', { id: 5, type: 'JOB_DONE', message: 'x', params: {}, read: true, created_at: at }))).toBe(2);
    // read and created_at are always sent: an event without them is not a notification.
    expect(applyToUnread(2, ev('notification', { id: 5, type: 'JOB_DONE', message: 'x' }))).toBe(2);
    expect(applyToUnread(2, progress({}))).toBe(2);
    // a job page's snapshot (a Job) says nothing about the bell
    expect(applyToUnread(2, ev('snapshot', job()))).toBe(2);
  });
  it('notificationOf and finishedJobOf', () => {
    const full = { id: 5, type: 'JOB_DONE', job_id: 'J1', message: 'm', params: { name: 'a' }, read: false, created_at: '2026-12-02T10:00:00.000Z' };
    expect(notificationOf(ev('notification', full))).toEqual(full);
    expect(notificationOf(ev('notification', { ...full, params: undefined }))?.params).toEqual({});
    expect(notificationOf(ev('notification', { type: 'JOB_DONE' }))).toBeNull();
    expect(notificationOf(ev('notification', { ...full, read: undefined }))).toBeNull();
    expect(notificationOf(ev('notification', { ...full, created_at: undefined }))).toBeNull();
    expect(notificationOf(progress({}))).toBeNull();
    expect(finishedJobOf(ev('job.completed', job({ status: 'done' })))?.id).toBe('J1');
    expect(finishedJobOf(ev('job.failed', job({ status: 'failed' })))?.status).toBe('failed');
    expect(finishedJobOf(progress({}))).toBeNull();
  });
});

describe('parseEvent and backoff', () => {
  it('parses JSON data and keeps the id', () => {
    expect(parseEvent('progress', '{"a":1}', '42')).toEqual({ type: 'progress', data: { a: 1 }, id: '42' });
    expect(parseEvent('progress', '{"a":1}', '')).toEqual({ type: 'progress', data: { a: 1 }, id: undefined });
    expect(parseEvent('progress', 'not json')).toBeNull();
  });
  it('backs off 1 s, 2 s, 4 s ... up to 30 s, with jitter of ±25%', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(0, () => 0)).toBe(750);
    expect(backoffDelay(0, () => 1)).toBe(1250);
  });
});
