// useEventStream: one EventSource with its named events parsed and handed to `onEvent`.
// The browser reconnects by itself after a dropped connection (sending Last-Event-ID, so the
// server replays what was missed). When the browser gives up (the server answered an error, or
// the stream was closed for good) this hook opens a new one after a growing delay; the new
// stream starts with a fresh snapshot.
import { useEffect, useRef, useState } from 'react';
import { backoffDelay, EVENT_TYPES, parseEvent, type ServerEvent } from '../lib/jobEvents';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'off';

export function useEventStream(url: string | null, onEvent: (event: ServerEvent) => void): StreamState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<StreamState>(url ? 'connecting' : 'off');

  useEffect(() => {
    if (!url) {
      setState('off');
      return;
    }
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const open = () => {
      if (stopped) return;
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => {
        attempt = 0;
        setState('open');
      };
      source.onerror = () => {
        if (!source || stopped) return;
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          setState('reconnecting');
          timer = setTimeout(open, backoffDelay(attempt++));
        } else {
          setState('reconnecting'); // the browser retries by itself
        }
      };
      for (const type of EVENT_TYPES) {
        source.addEventListener(type, (e) => {
          const m = e as MessageEvent<string>;
          const event = parseEvent(type, m.data, m.lastEventId);
          if (event) handler.current(event);
        });
      }
    };
    setState('connecting');
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [url]);

  return state;
}
