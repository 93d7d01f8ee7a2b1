// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../api/client';
import { I18nProvider, useI18n } from '../i18n/I18n';
import { addFiles, foldRefusals, NO_REFUSALS, type Refusals } from '../lib/files';
import { Dropzone } from './Dropzone';
import { PositionGrid } from './PositionGrid';
import { LangSwitch } from './Layout';

beforeAll(() => {
  // jsdom has no object URLs; the thumbnails only need a string.
  URL.createObjectURL = () => 'blob:test';
  URL.revokeObjectURL = () => undefined;
  localStorage.setItem('imagesprint.lang', 'en');
});
afterEach(cleanup);

function Picker() {
  const [files, setFiles] = useState<File[]>([]);
  const [refusals, setRefusals] = useState<Refusals>(NO_REFUSALS);
  const [shown, setShown] = useState(0);
  return (
    <Dropzone
      files={files}
      refusals={refusals}
      previewIndex={shown}
      onPreview={setShown}
      onAdd={(incoming) => {
        const r = addFiles(files, incoming);
        setFiles(r.files);
        setRefusals(foldRefusals(refusals, r.rejected));
      }}
      onRemove={(i) => setFiles(files.filter((_, j) => j !== i))}
      onDismiss={(i) => setRefusals({ ...refusals, marked: refusals.marked.filter((_, j) => j !== i) })}
      onClear={() => setFiles([])}
    />
  );
}

const jpeg = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

describe('Dropzone', () => {
  it('says how many were left out past 50, and marks a refused file in the grid with its reason', () => {
    render(
      <I18nProvider>
        <Picker />
      </I18nProvider>,
    );
    const input = screen.getByTestId('file-input');
    const files = Array.from({ length: 62 }, (_, i) => jpeg(`p${i + 1}.jpg`));
    const big = jpeg('huge.jpg');
    Object.defineProperty(big, 'size', { value: 21 * 1024 * 1024 });
    const svg = new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' });
    fireEvent.change(input, { target: { files: [big, svg, ...files] } });
    expect(screen.getByTestId('picked-count').textContent).toMatch(/^50 of 50 images, .* · 2 not uploaded$/);
    expect(screen.getByTestId('left-out').textContent).toBe('12 left out: a job takes at most 50 images.');
    const tiles = screen.getAllByRole('listitem').filter((li) => li.classList.contains('thumb'));
    expect(tiles).toHaveLength(52);
    const refused = screen.getAllByTestId('refused');
    expect(refused.map((r) => r.dataset.reason)).toEqual(['too_large', 'type']);
    expect(refused[0]!.textContent).toContain('huge.jpg');
    expect(refused[0]!.textContent).toContain('21 MB, over 20 MB');
    expect(refused[1]!.textContent).toContain('logo.svg');
    expect(refused[1]!.textContent).toContain('not an accepted image type');
    // a marked file can be taken off the grid; the others stay
    fireEvent.click(screen.getByRole('button', { name: 'Remove huge.jpg' }));
    expect(screen.getAllByTestId('refused')).toHaveLength(1);
    expect(screen.getByTestId('picked-count').textContent).toMatch(/^50 of 50 images/);
  });

  it('a tap on a thumbnail puts that image in the preview', () => {
    render(
      <I18nProvider>
        <Picker />
      </I18nProvider>,
    );
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [jpeg('a.jpg'), jpeg('b.jpg')] } });
    const a = screen.getByRole('button', { name: 'Show a.jpg in the preview' });
    const b = screen.getByRole('button', { name: 'Show b.jpg in the preview' });
    expect(a.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(b);
    expect(b.getAttribute('aria-pressed')).toBe('true');
    expect(a.getAttribute('aria-pressed')).toBe('false');
  });

  it('a picked file can be removed by its labelled button', () => {
    render(
      <I18nProvider>
        <Picker />
      </I18nProvider>,
    );
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [jpeg('a.jpg'), jpeg('b.jpg')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove a.jpg' }));
    expect(screen.getByTestId('picked-count').textContent).toMatch(/^1 of 50/);
  });
});

describe('PositionGrid', () => {
  function Grid() {
    const [p, setP] = useState<Position>('CENTER');
    return <PositionGrid value={p} onChange={setP} labelId="x" />;
  }
  it('is a radio group that arrow keys move through', () => {
    render(
      <I18nProvider>
        <Grid />
      </I18nProvider>,
    );
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(9);
    const center = screen.getByRole('radio', { name: 'Centre' });
    expect(center.getAttribute('aria-checked')).toBe('true');
    expect(center.tabIndex).toBe(0);
    fireEvent.keyDown(center, { key: 'ArrowUp' });
    const top = screen.getByRole('radio', { name: 'Top centre' });
    expect(top.getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(top);
    expect(radios.filter((r) => r.tabIndex === 0)).toHaveLength(1);
  });
});

describe('language switch', () => {
  function Title() {
    const { t } = useI18n();
    return <h1>{t('convert.title')}</h1>;
  }
  it('switches the text and remembers the choice', () => {
    render(
      <I18nProvider>
        <LangSwitch />
        <Title />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading').textContent).toBe('Convert images');
    act(() => screen.getByRole('button').click());
    expect(screen.getByRole('heading').textContent).toBe('이미지 변환');
    expect(localStorage.getItem('imagesprint.lang')).toBe('ko');
    expect(document.documentElement.lang).toBe('ko');
  });
});
