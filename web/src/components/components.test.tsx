// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../api/types';
import { I18nProvider, useI18n } from '../i18n/I18n';
import { addFiles, type Rejection } from '../lib/files';
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
  const [rejected, setRejected] = useState<Rejection[]>([]);
  return (
    <Dropzone
      files={files}
      rejected={rejected}
      onAdd={(incoming) => {
        const r = addFiles(files, incoming);
        setFiles(r.files);
        setRejected(r.rejected);
      }}
      onRemove={(i) => setFiles(files.filter((_, j) => j !== i))}
      onClear={() => setFiles([])}
    />
  );
}

const jpeg = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

describe('Dropzone', () => {
  it('shows thumbnails and names the refused files with the reason', () => {
    render(
      <I18nProvider>
        <Picker />
      </I18nProvider>,
    );
    const input = screen.getByTestId('file-input');
    const files = Array.from({ length: 51 }, (_, i) => jpeg(`p${i + 1}.jpg`));
    const big = jpeg('huge.jpg');
    Object.defineProperty(big, 'size', { value: 21 * 1024 * 1024 });
    fireEvent.change(input, { target: { files: [big, ...files] } });
    expect(screen.getByTestId('picked-count').textContent).toMatch(/^50 of 50 images/);
    expect(screen.getAllByRole('listitem').filter((li) => li.classList.contains('thumb'))).toHaveLength(50);
    const refused = screen.getByTestId('rejected').textContent ?? '';
    expect(refused).toContain('huge.jpg: 21 MB, over 20 MB');
    expect(refused).toContain('p51.jpg: over the limit of 50 images');
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
