// The upload in progress, remembered in IndexedDB (the files themselves, as Blobs, with their
// upload URLs and the job's settings), so that a reloaded or reopened tab can offer to go on
// with it, as Uppy's Golden Retriever does. Written when an upload starts, each upload URL added
// as the server gives it, deleted when the job is made or the person cancels or discards it.
// One per signed-in user; IndexedDB stays on this device and is cleared with the site's data.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ConversionOptions } from '../api/client';

export interface PendingFile {
  blob: Blob;
  name: string;
  /** The tus upload URL once the server made it; null before. */
  uploadUrl: string | null;
}

export interface PendingUpload {
  files: PendingFile[];
  watermark: PendingFile | null;
  options: ConversionOptions;
  name: string;
  idempotencyKey: string;
  /** When the upload started (ms since the epoch). */
  startedAt: number;
}

let defaultStore: UseStore | null = null;
function store(): UseStore {
  defaultStore ??= createStore('imagesprint-uploads', 'pending');
  return defaultStore;
}

function key(userId: number): string {
  return `user:${userId}`;
}

/** Whether this browser can keep files across a reload (no IndexedDB: private modes, tests). */
export function canRemember(): boolean {
  return typeof indexedDB !== 'undefined';
}

/**
 * Remembers `upload` for `userId`. False when it could not be kept (no IndexedDB, the quota
 * refused the files): the upload still runs, only a reload cannot resume it.
 */
export async function rememberUpload(userId: number, upload: PendingUpload): Promise<boolean> {
  if (!canRemember()) return false;
  try {
    await set(key(userId), upload, store());
    return true;
  } catch {
    return false;
  }
}

/** The remembered upload of `userId`, or null. */
export async function pendingUpload(userId: number): Promise<PendingUpload | null> {
  if (!canRemember()) return null;
  try {
    const value = (await get(key(userId), store())) as PendingUpload | undefined;
    return value && Array.isArray(value.files) && value.files.length > 0 ? value : null;
  } catch {
    return null;
  }
}

/**
 * Records the upload URL of file `index` (index files.length: the watermark). Writes are chained,
 * so URLs reported in quick succession are all kept.
 */
let writes: Promise<unknown> = Promise.resolve();
export function rememberUploadUrl(userId: number, index: number, url: string): Promise<void> {
  const next = writes.then(async () => {
    const upload = await pendingUpload(userId);
    if (!upload) return;
    const target = index < upload.files.length ? upload.files[index] : upload.watermark;
    if (!target) return;
    target.uploadUrl = url;
    await rememberUpload(userId, upload);
  });
  writes = next.catch(() => {});
  return next;
}

/** Forgets the remembered upload (the job was made, or it was canceled or discarded). */
export function forgetUpload(userId: number): Promise<void> {
  const next = writes.then(async () => {
    if (!canRemember()) return;
    try {
      await del(key(userId), store());
    } catch {
      // Nothing to forget.
    }
  });
  writes = next.catch(() => {});
  return next;
}

/** A remembered file as a File again (name and type kept). */
export function asFile(pending: PendingFile): File {
  if (pending.blob instanceof File && pending.blob.name === pending.name) return pending.blob;
  return new File([pending.blob], pending.name, { type: pending.blob.type });
}
