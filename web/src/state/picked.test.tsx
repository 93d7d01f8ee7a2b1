// @vitest-environment jsdom
/// <reference types="node" />
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dropzone } from '../components/Dropzone';
import { I18nProvider } from '../i18n/I18n';
import type { FileLike } from '../lib/files';
import type { HeaderInfo } from '../lib/imageHeader';
import { limitsFromServer, SERVER_LIMITS } from '../lib/limits';
import { initialPicked, pickedReducer, usePickedFiles, type Picked } from './picked';
import { useServerLimits } from './serverLimits';

const repo = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const CORPUS = path.resolve(process.env.CORPUS ?? path.join(repo, '../shared/corpus'));

const file = (name: string, size = 1000): FileLike => ({ name, size, type: 'image/jpeg', lastModified: 1 });

describe('pickedReducer', () => {
  const reduce = pickedReducer<FileLike>(SERVER_LIMITS);
  it('counts the files being checked, then adds the good ones and marks the refused', () => {
    const giant = file('giant.jpg');
    const ok = file('ok.jpg');
    let s: Picked<FileLike> = reduce(initialPicked(), { type: 'checking', count: 2 });
    expect(s.checking).toBe(2);
    const headers = new Map<FileLike, HeaderInfo | null>([
      [giant, { format: 'jpeg', size: { width: 20000, height: 14000, progressive: false } }],
      [ok, { format: 'jpeg', size: { width: 100, height: 100, progressive: false } }],
    ]);
    s = reduce(s, { type: 'add', incoming: [giant, ok], headers, generation: 0 });
    expect(s.checking).toBe(0);
    expect(s.files).toEqual([ok]);
    expect(s.refusals.marked.map((m) => [m.name, m.reason])).toEqual([['giant.jpg', 'too_many_pixels']]);
    s = reduce(s, { type: 'dismiss', index: 0 });
    expect(s.refusals.marked).toEqual([]);
  });
  it('"Remove all" while a pick is being read drops that pick', () => {
    let s: Picked<FileLike> = reduce(initialPicked(), { type: 'checking', count: 1 });
    s = reduce(s, { type: 'clear' });
    expect(s.checking).toBe(0);
    s = reduce(s, { type: 'add', incoming: [file('late.jpg')], headers: new Map(), generation: 0 });
    expect(s.files).toEqual([]);
  });
  it('a removal forgets the last pick’s counts', () => {
    let s: Picked<FileLike> = reduce(initialPicked(), {
      type: 'add',
      incoming: Array.from({ length: 52 }, (_, i) => file(`p${i}.jpg`)),
      headers: new Map(),
      generation: 0,
    });
    expect(s.refusals.leftOut).toBe(2);
    s = reduce(s, { type: 'remove', index: 0 });
    expect(s.files).toHaveLength(49);
    expect(s.refusals.leftOut).toBe(0);
  });
});

function Picker({ serverLimits = false }: { serverLimits?: boolean }) {
  const fromServer = useServerLimits();
  const limits = serverLimits ? fromServer : SERVER_LIMITS;
  const { picked, add, remove, dismiss, clear } = usePickedFiles(limits);
  return (
    <Dropzone
      files={picked.files}
      refusals={picked.refusals}
      checking={picked.checking}
      limits={limits}
      onAdd={(incoming) => void add(incoming)}
      onRemove={remove}
      onDismiss={dismiss}
      onClear={clear}
    />
  );
}

describe('picking real files', () => {
  beforeAll(() => {
    URL.createObjectURL = () => 'blob:test';
    URL.revokeObjectURL = () => undefined;
    localStorage.setItem('imagesprint.lang', 'ko');
  });
  afterEach(cleanup);

  it('the 280-megapixel JPEG and a text file named .jpg are marked (in Korean); the PNG goes', async () => {
    const corpus = (name: string, type: string) => new File([fs.readFileSync(path.join(CORPUS, name))], path.basename(name), { type });
    render(
      <I18nProvider>
        <Picker />
      </I18nProvider>,
    );
    const giant = corpus('edge/giant-image.jpg', 'image/jpeg');
    const fake = new File(['this is not a photo'], 'fake.jpg', { type: 'image/jpeg' });
    const png = corpus('edge/with-alpha.png', 'image/png');
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [giant, fake, png] } });
    await waitFor(() => expect(screen.getByTestId('picked-count').textContent).toMatch(/^50장 중 1장, .* · 2개 업로드 안 함$/));
    const marked = screen.getAllByTestId('refused').map((el) => [el.dataset.reason, el.querySelector('.thumb-name')?.textContent, el.querySelector('.thumb-reason')?.textContent]);
    expect(marked).toEqual([
      ['too_many_pixels', 'giant-image.jpg', '업로드 안 함: 20000 × 14000 (280 MP), 제한 100 MP 초과'],
      ['type', 'fake.jpg', '업로드 안 함: 지원하지 않는 이미지 형식'],
    ]);
    expect(screen.getByTestId('checking').textContent).toBe('');
  });
});

describe('the server’s limits (GET /v1/limits)', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('are what the pick is checked against, not the built-in defaults', async () => {
    // A server set up with 40,000-pixel inputs and 2 files a job: the 256 × 192 PNG (49,152
    // pixels) is over it here, though far under the default 100 MP.
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return new Response(
        JSON.stringify({
          max_files: 2,
          max_file_bytes: 20 * 1024 * 1024,
          max_watermark_bytes: 5 * 1024 * 1024,
          max_pixels: 40_000,
          max_progressive_pixels: 20_000,
          max_output_pixels: 100_000_000,
          input_formats: ['jpeg', 'png'],
          quotas: { max_active_jobs: 10, max_queued_images: 500, max_stored_bytes: 1 },
          usage: { active_jobs: 0, queued_images: 0, stored_bytes: 0 },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    });
    localStorage.setItem('imagesprint.lang', 'en');
    render(
      <I18nProvider>
        <Picker serverLimits />
      </I18nProvider>,
    );
    await waitFor(() => expect(asked).toContain('/v1/limits'));
    await waitFor(() => expect(screen.getByText(/^Up to 2 images/)).toBeTruthy());
    const png = new File([fs.readFileSync(path.join(CORPUS, 'edge/with-alpha.png'))], 'with-alpha.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [png] } });
    await waitFor(() => expect(screen.getAllByTestId('refused').map((el) => el.dataset.reason)).toEqual(['too_many_pixels']));
    expect(screen.getByTestId('refused').querySelector('.thumb-reason')?.textContent).toMatch(/256 × 192/);
  });

  it('map field by field', () => {
    expect(
      limitsFromServer({
        max_files: 7,
        max_file_bytes: 1000,
        max_watermark_bytes: 200,
        max_pixels: 30,
        max_progressive_pixels: 20,
        max_output_pixels: 40,
        input_formats: ['jpeg'],
        quotas: { max_active_jobs: 1, max_queued_images: 2, max_stored_bytes: 3 },
        usage: { active_jobs: 0, queued_images: 0, stored_bytes: 0 },
      }),
    ).toEqual({ maxFiles: 7, maxFileBytes: 1000, maxLogoBytes: 200, maxPixels: 30, maxProgressivePixels: 20 });
  });
});
