// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEvent } from '../lib/jobEvents';
import { useEventStream, type StreamState } from './sse';

/** A stand-in EventSource that the test drives. */
class FakeSource extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static all: FakeSource[] = [];
  readyState = FakeSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    super();
    FakeSource.all.push(this);
  }
  open() {
    this.readyState = FakeSource.OPEN;
    this.onopen?.();
  }
  emit(type: string, data: string, id = '') {
    this.dispatchEvent(new MessageEvent(type, { data, lastEventId: id }));
  }
  fail(closed: boolean) {
    this.readyState = closed ? FakeSource.CLOSED : FakeSource.CONNECTING;
    this.onerror?.();
  }
  close() {
    this.closed = true;
    this.readyState = FakeSource.CLOSED;
  }
}

let states: StreamState[] = [];
let events: ServerEvent[] = [];
function Probe({ url }: { url: string | null }) {
  states.push(useEventStream(url, (e) => events.push(e)));
  return null;
}

beforeEach(() => {
  FakeSource.all = [];
  states = [];
  events = [];
  vi.useFakeTimers();
  vi.stubGlobal('EventSource', FakeSource);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useEventStream', () => {
  it('opens with the cookie, parses named events, and closes on unmount', () => {
    const { unmount } = render(<Probe url="/v1/events" />);
    const source = FakeSource.all[0]!;
    expect(source.url).toBe('/v1/events');
    expect(source.init?.withCredentials).toBe(true);
    act(() => source.open());
    expect(states.at(-1)).toBe('open');
    act(() => source.emit('progress', '{"job_id":"J1","done":1,"failed":0,"total":2}', '5'));
    act(() => source.emit('progress', 'not json'));
    expect(events).toEqual([{ type: 'progress', data: { job_id: 'J1', done: 1, failed: 0, total: 2 }, id: '5' }]);
    unmount();
    expect(source.closed).toBe(true);
  });

  it('leaves a dropped connection to the browser, and opens a new one after the browser gave up', () => {
    render(<Probe url="/v1/events" />);
    const first = FakeSource.all[0]!;
    act(() => first.open());
    act(() => first.fail(false)); // the browser reconnects by itself (with Last-Event-ID)
    expect(states.at(-1)).toBe('reconnecting');
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeSource.all).toHaveLength(1);
    act(() => first.fail(true)); // closed for good: our turn, after a delay
    expect(first.closed).toBe(true);
    act(() => vi.advanceTimersByTime(500));
    expect(FakeSource.all).toHaveLength(1);
    act(() => vi.advanceTimersByTime(1000));
    expect(FakeSource.all).toHaveLength(2);
    act(() => FakeSource.all[1]!.open());
    expect(states.at(-1)).toBe('open');
  });

  it('no URL, no stream', () => {
    render(<Probe url={null} />);
    expect(FakeSource.all).toHaveLength(0);
    expect(states.at(-1)).toBe('off');
  });
});
