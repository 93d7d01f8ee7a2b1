// @vitest-environment jsdom
// The Convert page's preset picker and the Settings list, against a fake server (fetch).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preset } from '../api/client';
import { I18nProvider } from '../i18n/I18n';
import { DEFAULT_FORM } from '../lib/options';
import { DEFAULT_SETTINGS, jobOptions, type JobSettings } from '../lib/presets';
import { CapabilitiesProvider } from '../state/capabilities';
import { PresetPicker } from './PresetPicker';
import { PresetsSection } from './PresetsSettings';

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A server with presets: GET/POST /v1/presets, PATCH/DELETE /v1/presets/{id}. */
function fakeServer(initial: Preset[]) {
  const presets = [...initial];
  const calls: Call[] = [];
  const json = (status: number, body: unknown) =>
    new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path, body });
    if (path === '/openapi.json') return json(200, { paths: { '/v1/presets': {}, '/v1/webhooks': {} } });
    if (path === '/v1/presets' && method === 'GET') return json(200, { items: presets, max_presets: 50 });
    if (path === '/v1/presets' && method === 'POST') {
      const input = body as { name: string; options: Preset['options'] };
      if (presets.some((p) => p.name === input.name)) {
        return json(409, { error: { code: 'conflict', message: 'name: you already have a preset named "x"', field: 'name' } });
      }
      const created: Preset = { id: presets.length + 10, name: input.name, options: input.options, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' };
      presets.push(created);
      return json(201, created);
    }
    const match = /^\/v1\/presets\/(\d+)$/.exec(path);
    const at = match ? presets.findIndex((p) => p.id === Number(match[1])) : -1;
    if (at >= 0 && method === 'PATCH') {
      presets[at] = { ...presets[at], ...(body as { name?: string }) } as Preset;
      return json(200, presets[at]);
    }
    if (at >= 0 && method === 'DELETE') {
      presets.splice(at, 1);
      return json(204, null);
    }
    return json(404, { error: { code: 'not_found', message: 'no such thing' } });
  });
  return { fetch, calls, presets };
}

const WEDDING: Preset = {
  id: 1,
  name: 'Wedding 2048',
  options: { width: 2048, height: 2048, fit: 'inside', format: 'webp', quality: 70, metadata: 'keep', manifest: true },
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
};

beforeAll(() => localStorage.setItem('imagesprint.lang', 'en'));
let server: ReturnType<typeof fakeServer>;
beforeEach(() => {
  server = fakeServer([WEDDING]);
  vi.stubGlobal('fetch', server.fetch);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The picker with the page's state; what a job would be sent with is shown for the test. */
function Page({ start = DEFAULT_SETTINGS }: { start?: JobSettings }) {
  const [settings, setSettings] = useState(start);
  return (
    <I18nProvider>
      <CapabilitiesProvider>
        <PresetPicker settings={settings} onApply={setSettings} />
        <output data-testid="sent">{JSON.stringify(jobOptions(settings))}</output>
      </CapabilitiesProvider>
    </I18nProvider>
  );
}

const sent = () => JSON.parse(screen.getByTestId('sent').textContent ?? '{}') as Record<string, unknown>;

describe('PresetPicker', () => {
  it('applies a preset to the form, keeping the options the form has no control for', async () => {
    render(<Page />);
    const select = await screen.findByRole('option', { name: 'Wedding 2048' });
    fireEvent.change(select.closest('select')!, { target: { value: '1' } });
    expect(sent()).toEqual({ width: 2048, height: 2048, fit: 'inside', format: 'webp', quality: 70, metadata: 'keep' });
    expect(screen.getByTestId('preset-status').textContent).toBe('Preset “Wedding 2048” applied.');
  });

  it('saves the options set now under a name; Enter saves the preset, not the page', async () => {
    const settings: JobSettings = { form: { ...DEFAULT_FORM, sizeMode: 'width', edge: '800', format: 'png' }, extra: {}, manifest: false };
    render(<Page start={settings} />);
    await screen.findByRole('option', { name: 'Wedding 2048' });
    fireEvent.click(screen.getByTestId('preset-save'));
    fireEvent.change(screen.getByTestId('preset-name'), { target: { value: '  Shop 800  ' } });
    fireEvent.keyDown(screen.getByTestId('preset-name'), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('preset-status').textContent).toBe('Saved as preset “Shop 800”.'));
    const post = server.calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ name: 'Shop 800', options: { width: 800, format: 'png', manifest: false } });
    // The list is read again and offers the new one.
    await screen.findByRole('option', { name: 'Shop 800' });
  });

  it('shows the server’s refusal of a taken name', async () => {
    render(<Page />);
    await screen.findByRole('option', { name: 'Wedding 2048' });
    fireEvent.click(screen.getByTestId('preset-save'));
    fireEvent.change(screen.getByTestId('preset-name'), { target: { value: 'Wedding 2048' } });
    fireEvent.click(screen.getByTestId('preset-save-confirm'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('you already have a preset named');
  });
});

describe('PresetsSection', () => {
  it('lists the presets with their options in words, renames and deletes', async () => {
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    render(
      <I18nProvider>
        <CapabilitiesProvider>
          <PresetsSection />
        </CapabilitiesProvider>
      </I18nProvider>,
    );
    expect((await screen.findByTestId('preset-name-shown')).textContent).toBe('Wedding 2048');
    expect(screen.getByTestId('presets-section').textContent).toContain('1 of 50');
    fireEvent.click(screen.getByTestId('preset-rename'));
    fireEvent.change(screen.getByTestId('preset-rename-input'), { target: { value: 'Wedding' } });
    fireEvent.click(screen.getByTestId('preset-rename-save'));
    await waitFor(() => expect(screen.getByTestId('preset-name-shown').textContent).toBe('Wedding'));
    expect(server.calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/v1/presets/1', body: { name: 'Wedding' } });
    fireEvent.click(screen.getByTestId('preset-delete'));
    expect(confirm).toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('preset-name-shown')).toBeNull());
    expect(server.presets).toEqual([]);
  });
});
