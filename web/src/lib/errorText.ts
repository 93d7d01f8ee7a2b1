// What a person reads for an error: a sentence in their language made from the stable `code`
// (and the file or field it is about), then the server's own message (which names the field and
// the value, e.g. "quality: expected an integer from 1 to 100, got 150"), kept as a secondary
// detail: it is in English, and precise.
import type { ApiError } from '../api/errors';
import { hasKey } from '../i18n/translate';

type T = (key: string, vars?: Record<string, string | number>) => string;

export interface ErrorText {
  /** the sentence for the code, in the reader's language (with the file's name when it is about one) */
  summary: string;
  /** the field the error is about, by its label in the reader's language ("Field: Quality") */
  field: string | null;
  /** the server's message, when it says more than the code */
  detail: string | null;
}

/**
 * The file an upload refusal is about: the server starts those messages with the file's name in
 * quotes, unescaped (`"big.jpg": larger than the limit of 20971520 bytes`, app/job_upload.cpp).
 */
export function fileNamed(message: string): string | null {
  const m = /^"(.+?)": /.exec(message);
  return m ? (m[1] ?? null) : null;
}

function fieldLabel(field: string, t: T): string {
  const key = `field.${field}`;
  return hasKey(key) ? t(key) : field;
}

export function errorText(error: ApiError, t: T, context?: 'login'): ErrorText {
  if (context === 'login' && error.code === 'unauthorized') return { summary: t('error.login'), field: null, detail: null };
  const key = `error.${error.code}`;
  const sentence = hasKey(key) ? t(key) : t('error.title');
  const message = error.message.trim();
  // (The logo's refusals quote the part's name, "watermark_image": its field label says it better.)
  const file = error.field === 'files' ? fileNamed(message) : null;
  const summary = file ? t('error.aboutFile', { name: file, summary: sentence }) : sentence;
  // A file's name says more than "Field: Files".
  const field = error.field && !file ? t('error.field', { field: fieldLabel(error.field, t) }) : null;
  if (error.code === 'network' || error.code === 'aborted' || message === '') return { summary, field, detail: null };
  return { summary, field, detail: message };
}

export interface ImageFailureText {
  /** what went wrong with this image, in the reader's language */
  summary: string;
  /** the server's message (a decoder's words, in English), for whoever wants them */
  detail: string | null;
}

/** A failed image of a job: its `error.code` in words worded for the job page; the detail is the
 * server's technical `detail` (older servers: their `message`, which held it). */
export function imageFailureText(error: { code: string; message: string; detail?: string }, t: T): ImageFailureText {
  const summary = hasKey(`imageError.${error.code}`)
    ? t(`imageError.${error.code}`)
    : hasKey(`error.${error.code}`)
      ? t(`error.${error.code}`)
      : t('error.title');
  const detail = (error.detail ?? error.message).trim();
  return { summary, detail: detail === '' || detail === error.code ? null : detail };
}
