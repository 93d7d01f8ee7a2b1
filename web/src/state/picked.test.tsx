// @vitest-environment jsdom
/// <reference types="node" />
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dropzone } from '../components/Dropzone';
import { I18nProvider } from '../i18n/I18n';
import type { FileLike } from '../lib/files';
import type { HeaderInfo } from '../lib/imageHeader';
import { SERVER_LIMITS } from '../lib/limits';
import { initialPicked, pickedReducer, usePickedFiles, type Picked } from './picked';

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

function Picker() {
  const { picked, add, remove, dismiss, clear } = usePickedFiles();
  return (
    <Dropzone
      files={picked.files}
      refusals={picked.refusals}
      checking={picked.checking}
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
