// @vitest-environment jsdom
// Settings against a fake server: a delivery names its job and can be sent again; a generic
// webhook tested before it is added keeps the secret its test was signed with.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delivery, Webhook } from '../api/client';
import { I18nProvider } from '../i18n/I18n';
import { CapabilitiesProvider } from '../state/capabilities';
import { jsonResponse as json } from '../testing/jsonResponse';
import { SettingsPage } from './SettingsPage';

const HOOK: Webhook = {
  id: 3,
  type: 'generic',
  url: 'https://example.com/hook',
  events: ['job.completed'],
  enabled: true,
  disabled_reason: '',
  consecutive_failures: 0,
  created_at: '2026-12-01T00:00:00Z',
} as Webhook;

function delivery(status: Delivery['status']): Delivery {
  return {
    id: 'msg_1',
    webhook_id: 3,
    event: 'job.completed',
    job_id: 'job_abc',
    job_name: 'Wedding day',
    status,
    attempts: 1,
    created_at: '2026-12-01T00:00:00Z',
    next_attempt_at: null,
    attempts_log: [{ attempt: 1, at: '2026-12-01T00:00:00Z', status_code: 500, latency_ms: 12, error: 'HTTP 500', next_retry_at: null }],
  } as Delivery;
}

let calls: { method: string; path: string; body: unknown }[];
let state: Delivery['status'];

beforeAll(() => localStorage.setItem('imagesprint.lang', 'en'));
beforeEach(() => {
  calls = [];
  state = 'failed';
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const method = init?.method ?? 'GET';
      calls.push({ method, path, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      if (path === '/openapi.json') {
        return json(200, { paths: { '/v1/webhooks': {}, '/v1/presets': {}, '/v1/webhooks/{id}/deliveries/{delivery}/redeliver': {} } });
      }
      if (path === '/v1/webhooks' && method === 'GET') return json(200, { items: [HOOK] });
      if (path === '/v1/webhooks' && method === 'POST') return json(201, { ...HOOK, id: 4, secret: (calls.at(-1)?.body as { secret?: string }).secret });
      if (path === '/v1/webhooks/test') return json(200, { ok: true, status: 200, latency_ms: 5, error: '', secret: 'whsec_fromTheTest' });
      if (path.startsWith('/v1/webhooks/3/deliveries/msg_1/redeliver')) {
        state = 'pending';
        return json(202, delivery('pending'));
      }
      if (path.startsWith('/v1/webhooks/3/deliveries')) return json(200, { items: [delivery(state)], next_cursor: null });
      if (path === '/v1/presets') return json(200, { items: [], max_presets: 50 });
      if (path === '/v1/api-keys') return json(200, { items: [] });
      return json(404, { error: { code: 'not_found', message: 'no' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSettings() {
  render(
    <MemoryRouter>
      <I18nProvider>
        <CapabilitiesProvider>
          <SettingsPage />
        </CapabilitiesProvider>
      </I18nProvider>
    </MemoryRouter>,
  );
}

describe('Settings: webhook deliveries', () => {
  it('name their job and send a failed one again', async () => {
    renderSettings();
    fireEvent.click(await screen.findByTestId('webhook-deliveries'));
    const job = await screen.findByTestId('delivery-job');
    expect(job.textContent).toBe('job Wedding day');
    expect(job.getAttribute('href')).toBe('/jobs/job_abc');
    fireEvent.click(screen.getByTestId('redeliver'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/v1/webhooks/3/deliveries/msg_1/redeliver')).toBe(true));
    // Pending again: no button until it has been sent.
    await waitFor(() => expect(screen.queryByTestId('redeliver')).toBeNull());
  });

  it('a generic webhook added after its test keeps the test’s secret', async () => {
    renderSettings();
    fireEvent.change(await screen.findByTestId('webhook-url'), { target: { value: 'https://example.com/new' } });
    fireEvent.click(screen.getByTestId('webhook-test'));
    await screen.findByTestId('webhook-test-result');
    fireEvent.click(screen.getByTestId('webhook-add'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/v1/webhooks')).toBe(true));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/v1/webhooks')?.body).toMatchObject({
      type: 'generic',
      url: 'https://example.com/new',
      secret: 'whsec_fromTheTest',
    });
  });
});
