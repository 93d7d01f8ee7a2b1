// The signed-in person's live stream (/v1/events): the bell's unread count, job events for the
// pages that listen, and a browser notification when a job ends (if they allowed it).
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useEventStream, type StreamState } from '../api/sse';
import { useI18n } from '../i18n/I18n';
import { applyToUnread, finishedJobOf, type ServerEvent } from '../lib/jobEvents';

type Listener = (event: ServerEvent) => void;

export interface Live {
  state: StreamState;
  unread: number;
  setUnread: (n: number) => void;
  /** listen to every event of the stream; returns the unsubscribe function */
  subscribe: (listener: Listener) => () => void;
}

const Context = createContext<Live | null>(null);

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const [unread, setUnread] = useState(0);
  const listeners = useRef(new Set<Listener>());
  const tRef = useRef(t);
  tRef.current = t;

  const onEvent = useCallback((event: ServerEvent) => {
    setUnread((n) => applyToUnread(n, event));
    const job = finishedJobOf(event);
    if (job) notifyBrowser(job.status === 'failed' ? 'notifications.jobFailed' : 'notifications.jobDone', job, tRef.current);
    for (const l of listeners.current) l(event);
  }, []);
  const state = useEventStream(enabled ? '/v1/events' : null, onEvent);
  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const value = useMemo(() => ({ state, unread, setUnread, subscribe }), [state, unread, subscribe]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

function notifyBrowser(
  titleKey: string,
  job: { id: string; name: string; done: number; total: number },
  t: (k: string, v?: Record<string, string | number>) => string,
) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(t(titleKey, { name: job.name }), {
      body: t('notifications.jobBody', { done: job.done, total: job.total }),
      tag: `job-${job.id}`,
      icon: '/favicon.svg',
    });
    n.onclick = () => {
      window.focus();
      window.location.assign(`/jobs/${encodeURIComponent(job.id)}`);
    };
  } catch {
    // some browsers (Android Chrome) only allow notifications from a service worker
  }
}

export function useLive(): Live {
  const ctx = useContext(Context);
  if (!ctx) throw new Error('useLive outside LiveProvider');
  return ctx;
}
