// @vitest-environment jsdom
// The job page against a fake server: an expired job whose uploads the server still keeps offers
// "Convert the same files again", which makes a new job from them and opens it; one whose uploads
// went does not offer it. A retried job that ends before its event stream opens shows its end.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../api/client';
import { I18nProvider } from '../i18n/I18n';
import { CapabilitiesProvider } from '../state/capabilities';
import { jsonResponse as json } from '../testing/jsonResponse';
import { JobPage } from './JobPage';

function job(patch: Partial<Job>): Job {
  return {
    id: 'J1',
    name: 'Trip',
    status: 'expired',
    total: 1,
    done: 1,
    failed: 0,
    bytes_in: 1000,
    bytes_out: 500,
    options: { width: 64, format: 'webp' },
    created_at: '2026-12-01T00:00:00Z',
    started_at: '2026-12-01T00:00:01Z',
    finished_at: '2026-12-01T00:00:02Z',
    expires_at: '2026-12-02T00:00:02Z',
    duration_ms: 1000,
    sources_kept: true,
    images: [],
    ...patch,
  } as Job;
}

class QuietSource extends EventTarget {
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  close() {}
}

let calls: { method: string; path: string }[];
let first: Job;

beforeAll(() => localStorage.setItem('imagesprint.lang', 'en'));
beforeEach(() => {
  calls = [];
  vi.stubGlobal('EventSource', QuietSource);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const method = init?.method ?? 'GET';
      calls.push({ method, path });
      if (path === '/openapi.json') return json(200, { paths: {} });
      if (path === '/v1/jobs/J1' && method === 'GET') return json(200, first);
      if (path === '/v1/jobs/J1/convert-again' && method === 'POST') return json(201, job({ id: 'J2', status: 'queued', done: 0, finished_at: null, expires_at: null }));
      if (path === '/v1/jobs/J2') return json(200, job({ id: 'J2', status: 'queued', done: 0, finished_at: null, expires_at: null }));
      return json(404, { error: { code: 'not_found', message: 'no' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderJob() {
  return render(
    <MemoryRouter initialEntries={['/jobs/J1']}>
      <I18nProvider>
        <CapabilitiesProvider>
          <Routes>
            <Route path="/jobs/:id" element={<JobPage />} />
          </Routes>
        </CapabilitiesProvider>
      </I18nProvider>
    </MemoryRouter>,
  );
}

describe('Job page: convert the same files again', () => {
  it('an expired job with its uploads kept becomes a new job, which opens', async () => {
    first = job({});
    const { container } = renderJob();
    const button = await screen.findByTestId('convert-files-again');
    expect(button.textContent).toBe('Convert the same files again');
    expect(screen.getByText(/uploaded files are still kept/)).toBeTruthy();
    fireEvent.click(button);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/v1/jobs/J1/convert-again')).toBe(true));
    await waitFor(() => expect(container.querySelector('[data-job-id]')?.getAttribute('data-job-id')).toBe('J2'));
  });

  it('an expired job whose uploads went does not offer it', async () => {
    first = job({ sources_kept: false });
    renderJob();
    await screen.findByTestId('convert-again'); // the page is there (the settings button)
    expect(screen.queryByTestId('convert-files-again')).toBeNull();
    expect(screen.getByText('The results of this job have expired and were deleted.')).toBeTruthy();
  });
});

/** An event stream the test drives: the page's sources, newest last. */
class DrivenSource extends EventTarget {
  static made: DrivenSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  readyState = 1;
  constructor(readonly url: string) {
    super();
    DrivenSource.made.push(this);
  }
  close() {}
  send(type: string, data: unknown) {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

describe('Job page: a retry', () => {
  it('ends on the state the stream found, whatever the read asked before it answers later', async () => {
    // The retried image fails again within milliseconds: the job is partial again before the
    // stream opens (the stream's snapshot says so), while the read asked right after the retry
    // saw it still processing and its answer comes last. It must not undo the snapshot.
    DrivenSource.made = [];
    vi.stubGlobal('EventSource', DrivenSource);
    const partial = job({ status: 'partial', total: 2, done: 1, failed: 1 });
    const processing = job({ status: 'processing', total: 2, done: 1, failed: 0, finished_at: null, expires_at: null });
    let answerLateRead: (() => void) | null = null;
    let reads = 0;
      vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = String(input);
        const method = init?.method ?? 'GET';
        if (path === '/openapi.json') return json(200, { paths: {} });
        if (path === '/v1/jobs/J1/retry' && method === 'POST') return json(202, processing);
        if (path === '/v1/jobs/J1' && method === 'GET') {
          if (++reads === 1) return json(200, partial);
          return new Promise<Response>((resolve) => {
            answerLateRead = () => resolve(json(200, processing));
          });
        }
        return json(404, { error: { code: 'not_found', message: 'no' } });
      }),
    );
    const { container } = renderJob();
    const status = () => container.querySelector('.job-page')?.getAttribute('data-status');
    fireEvent.click(await screen.findByRole('button', { name: 'Retry failed images' }));
    await waitFor(() => expect(answerLateRead).not.toBeNull());
    await waitFor(() => expect(DrivenSource.made.length).toBe(1));
    DrivenSource.made[0]!.send('snapshot', partial);
    await waitFor(() => expect(status()).toBe('partial'));
    answerLateRead!();
    await new Promise((r) => setTimeout(r, 50));
    expect(status()).toBe('partial');
  });
});
