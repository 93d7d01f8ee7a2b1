// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18n';
import { ImageViewer, type ViewerItem } from './ImageViewer';

beforeAll(() => localStorage.setItem('imagesprint.lang', 'en'));
afterEach(cleanup);

const item = (index: number, name: string, drawable = true): ViewerItem => ({
  index,
  name,
  after: { full: `/v1/jobs/j/images/${index}`, fallback: `/v1/jobs/j/images/${index}?size=1024`, drawable: true, caption: '800 × 500 · 30 KB' },
  before: { full: `/v1/jobs/j/images/${index}/source`, fallback: `/v1/jobs/j/images/${index}/source?size=1024`, drawable, caption: '2560 × 1600 · 600 KB' },
});

function open(items: ViewerItem[], onClose = vi.fn()) {
  render(
    <I18nProvider>
      <button type="button">opener</button>
      <ImageViewer items={items} start={0} onClose={onClose} />
    </I18nProvider>,
  );
  return onClose;
}

const key = (k: string, init: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(screen.getByTestId('viewer'), { key: k, ...init });
const divider = () => screen.getByRole('slider', { name: 'Before/after divider' });
const srcs = () => screen.getAllByRole('img').map((i) => i.getAttribute('src'));

describe('ImageViewer', () => {
  it('shows the output over its source at full size, the divider focused at 50%', () => {
    open([item(0, 'a.webp')]);
    expect(screen.getByRole('dialog', { name: 'a.webp' })).toBeTruthy();
    expect(srcs()).toEqual(['/v1/jobs/j/images/0', '/v1/jobs/j/images/0/source']);
    expect(document.activeElement).toBe(divider());
    expect(divider().getAttribute('aria-valuenow')).toBe('50');
  });

  it('arrows move the divider, + and - zoom, 0 fits, Esc closes', () => {
    const onClose = open([item(0, 'a.webp')]);
    key('ArrowLeft');
    expect(divider().getAttribute('aria-valuenow')).toBe('45');
    key('ArrowRight', { shiftKey: true });
    expect(divider().getAttribute('aria-valuenow')).toBe('46');
    expect(divider().getAttribute('aria-valuetext')).toBe('46% before');
    const viewer = screen.getByTestId('viewer');
    key('+');
    expect(viewer.dataset.zoom).toBe('1.5');
    key('+');
    expect(viewer.dataset.zoom).toBe('2');
    expect(screen.getByTestId('zoom-level').textContent).toContain('200%');
    key('-');
    expect(viewer.dataset.zoom).toBe('1.5');
    key('0');
    expect(viewer.dataset.zoom).toBe('1');
    expect(onClose).not.toHaveBeenCalled();
    key('Escape');
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('the zoom buttons do the same, and stop at the ends', () => {
    open([item(0, 'a.webp')]);
    expect((screen.getByTestId('zoom-out') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('zoom-in'));
    expect(screen.getByTestId('viewer').dataset.zoom).toBe('1.5');
  });

  it('a HEIC or TIFF upload is shown through the largest thumbnail, and says so', () => {
    open([item(0, 'scan.tiff', false)]);
    expect(srcs()).toEqual(['/v1/jobs/j/images/0', '/v1/jobs/j/images/0/source?size=1024']);
    expect(screen.getByText(/cannot show the file itself/)).toBeTruthy();
  });

  it('a file that fails to decode falls back to the thumbnail', () => {
    open([item(0, 'a.webp')]);
    const after = screen.getAllByRole('img')[0]!;
    fireEvent.error(after);
    expect(after.getAttribute('src')).toBe('/v1/jobs/j/images/0?size=1024');
  });

  it('Page Down goes to the next image', () => {
    open([item(0, 'a.webp'), item(1, 'b.webp')]);
    expect(screen.getByText(/1 of 2/)).toBeTruthy();
    key('PageDown');
    expect(screen.getByRole('dialog', { name: /b\.webp/ })).toBeTruthy();
    expect(srcs()[0]).toBe('/v1/jobs/j/images/1');
  });
});
