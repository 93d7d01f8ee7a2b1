// What a person reads for an API error: a sentence in their language for the code, then the
// server's own message (which names the field and the value, e.g. "quality: expected an integer
// from 1 to 100, got 150") when it adds something.
import type { ApiError } from '../api/errors';
import { hasKey } from '../i18n/translate';

type T = (key: string, vars?: Record<string, string | number>) => string;

export interface ErrorText {
  summary: string;
  detail: string | null;
}

export function errorText(error: ApiError, t: T, context?: 'login'): ErrorText {
  if (context === 'login' && error.code === 'unauthorized') return { summary: t('error.login'), detail: null };
  const key = `error.${error.code}`;
  const summary = hasKey(key) ? t(key) : t('error.title');
  const message = error.message.trim();
  if (error.code === 'network' || error.code === 'aborted' || message === '') {
    return { summary, detail: error.field ? t('error.field', { field: error.field }) : null };
  }
  return { summary, detail: message };
}
