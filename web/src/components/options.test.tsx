// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/I18n';
import { buildOptions, DEFAULT_FORM, validateForm, type OptionsForm } from '../lib/options';
import { OptionsPanel } from './OptionsPanel';

beforeAll(() => {
  URL.createObjectURL = () => 'blob:logo';
  URL.revokeObjectURL = () => undefined;
  localStorage.setItem('imagesprint.lang', 'en');
});
afterEach(cleanup);

/** The panel with its state; the options it would send are shown for the test to read. */
function Panel({ sample = { width: 2560, height: 1600 } }: { sample?: { width: number; height: number } | null }) {
  const [form, setForm] = useState<OptionsForm>(DEFAULT_FORM);
  const [logo, setLogo] = useState<File | null>(null);
  return (
    <I18nProvider>
      <OptionsPanel form={form} onChange={setForm} errors={validateForm(form, logo !== null)} sample={sample} logo={logo} onLogo={setLogo} />
      <output data-testid="sent">{JSON.stringify(buildOptions(form))}</output>
    </I18nProvider>
  );
}

const sent = () => JSON.parse(screen.getByTestId('sent').textContent ?? '{}') as Record<string, unknown>;
const mode = (name: string) => fireEvent.click(screen.getByRole('radio', { name }));
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('OptionsPanel size modes', () => {
  it('names the modes in words; original size sends nothing', () => {
    render(<Panel />);
    const names = screen.getAllByRole('radio').map((r) => r.closest('label')?.textContent);
    expect(names.slice(0, 6)).toEqual(['Original size', 'Long edge', 'Short edge', 'Width', 'Height', 'Exact box']);
    expect(screen.getByRole('radio', { name: 'Original size' })).toHaveProperty('checked', true);
    expect(sent()).toEqual({});
  });

  it('long edge N sends width N, height N, fit inside', () => {
    render(<Panel />);
    mode('Long edge');
    type('size-value', '2048');
    expect(sent()).toEqual({ width: 2048, height: 2048, fit: 'inside' });
    expect(screen.getByTestId('size-result').textContent).toBe('Image in the preview: 2560 × 1600 → 2048 × 1280');
  });

  it('short edge N sends width N, height N, fit outside', () => {
    render(<Panel />);
    mode('Short edge');
    type('size-value', '1080');
    expect(sent()).toEqual({ width: 1080, height: 1080, fit: 'outside' });
    expect(screen.getByTestId('size-result').textContent).toBe('Image in the preview: 2560 × 1600 → 1728 × 1080');
  });

  it('width or height alone sends that side; the number carries over between modes', () => {
    render(<Panel />);
    mode('Width');
    type('size-value', '800');
    expect(sent()).toEqual({ width: 800 });
    expect(screen.getByTestId('size-result').textContent).toBe('Image in the preview: 2560 × 1600 → 800 × 500');
    mode('Height');
    expect(sent()).toEqual({ height: 800 });
  });

  it('an image smaller than asked is said to be kept, not enlarged', () => {
    render(<Panel sample={{ width: 600, height: 450 }} />);
    mode('Long edge');
    type('size-value', '2048');
    expect(screen.getByTestId('size-result').textContent).toBe('Image in the preview: kept at 600 × 450, smaller than asked, not enlarged');
  });

  it('an exact box shows the fit menu, enabled and explained, and for cover the smart crop', () => {
    render(<Panel />);
    mode('Exact box');
    type('width', '640');
    type('height', '480');
    const fit = screen.getByTestId('fit') as HTMLSelectElement;
    expect(fit.disabled).toBe(false);
    expect([...fit.options].map((o) => o.value)).toEqual(['cover', 'contain', 'fill']);
    expect(screen.getByTestId('fit-hint').textContent).toMatch(/Nothing is cut/);
    expect(sent()).toEqual({ width: 640, height: 480 });
    expect(screen.queryByRole('radio', { name: 'Attention' })).toBeNull();

    fireEvent.change(fit, { target: { value: 'cover' } });
    expect(screen.getByTestId('fit-hint').textContent).toMatch(/cut off/);
    expect(sent()).toEqual({ width: 640, height: 480, fit: 'cover' });
    mode('Attention');
    expect(sent()).toEqual({ width: 640, height: 480, fit: 'cover', gravity: 'attention' });
    mode('Entropy');
    expect(sent()).toEqual({ width: 640, height: 480, fit: 'cover', gravity: 'entropy' });
    mode('Centre');
    expect(sent()).toEqual({ width: 640, height: 480, fit: 'cover' });

    fireEvent.change(fit, { target: { value: 'fill' } });
    expect(sent()).toEqual({ width: 640, height: 480, fit: 'fill' });
    expect(screen.getByTestId('fit-hint').textContent).toMatch(/proportions change/);
  });

  it('a mode without its number says so', () => {
    render(<Panel />);
    mode('Short edge');
    expect(screen.getByText('Type a size in pixels.')).toBeTruthy();
    expect(screen.getByTestId('size-value').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('OptionsPanel logo', () => {
  // A PNG's signature and IHDR (64 × 32): enough for the header check in the browser.
  const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 64, 0, 0, 0, 32, 8, 6, 0, 0, 0]);
  it('shows the chosen logo as a thumbnail', async () => {
    render(<Panel />);
    fireEvent.click(screen.getByRole('radio', { name: 'Logo image' }));
    const logo = new File([pngBytes], 'brand.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('logo-input'), { target: { files: [logo] } });
    expect((await screen.findByTestId('logo-thumb')).getAttribute('src')).toBe('blob:logo');
    expect(screen.getByText('brand.png')).toBeTruthy();
  });
  it('says why a logo is refused: not an image, or over 5 MB', async () => {
    render(<Panel />);
    fireEvent.click(screen.getByRole('radio', { name: 'Logo image' }));
    fireEvent.change(screen.getByTestId('logo-input'), { target: { files: [new File(['<svg/>'], 'logo.png', { type: 'image/png' })] } });
    expect((await screen.findByTestId('logo-refused')).textContent).toMatch(/^“logo.png” is not an image/);
    const big = new File([pngBytes], 'huge.png', { type: 'image/png' });
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    fireEvent.change(screen.getByTestId('logo-input'), { target: { files: [big] } });
    expect((await screen.findByText(/^That logo is 6 MB; a logo may be at most 5 MB/)).dataset.testid).toBe('logo-refused');
    expect(screen.queryByTestId('logo-thumb')).toBeNull();
  });
});
