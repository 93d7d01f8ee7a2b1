// A notification's text in the reader's language. The server keeps each notification as its type
// and parameters (src/domain/messages.cpp has the same sentences) and answers GET
// /v1/notifications in the request's language; an event stream cannot say its language, so a
// notification that arrives live is worded here from the same type and parameters. A record from
// before the parameters were kept (params {}) keeps the server's text.
import type { NotificationItem } from '../api/client';
import { hasKey } from '../i18n/translate';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** `remaining` is seconds; the dictionary wants it in words ("2 hours", "2시간"). */
export function notificationText(n: Pick<NotificationItem, 'type' | 'message' | 'params'>, t: T, duration: (ms: number) => string): string {
  const params = n.params ?? {};
  // A sentence of its own for a variant of the type (JOB_FAILED "archive": the ZIP failed).
  const key = typeof params.variant === 'string' ? `notifications.text.${n.type}.${params.variant}` : `notifications.text.${n.type}`;
  if (!hasKey(key) || Object.keys(params).length === 0) return n.message;
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') vars[name] = value;
  }
  if (typeof vars.remaining === 'number') vars.remaining = duration(vars.remaining * 1000);
  const text = t(key, vars);
  // A sentence whose parameter is missing would show "{name}": the server's text is better.
  return /\{\w+\}/.test(text) ? n.message : text;
}
