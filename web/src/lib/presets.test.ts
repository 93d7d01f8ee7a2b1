import { describe, expect, it } from 'vitest';
import type { ConversionOptions } from '../api/client';
import { buildOptions, DEFAULT_FORM, type OptionsForm } from './options';
import {
  convertAgainOptions,
  DEFAULT_SETTINGS,
  formFromOptions,
  jobOptions,
  lastOptionsKey,
  previewOptions,
  recallOptions,
  rememberOptions,
  settingsFromOptions,
} from './presets';

const form = (patch: Partial<OptionsForm> = {}): OptionsForm => ({ ...DEFAULT_FORM, ...patch });

/** A Map behind the Storage methods the module uses. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

/** Options as the server keeps them (a preset's or a job's): canonical, every default written. */
const CANONICAL: ConversionOptions = {
  width: 2048,
  height: 2048,
  fit: 'inside',
  gravity: 'centre',
  enlarge: false,
  format: 'webp',
  quality: 72,
  lossless: false,
  progressive: false,
  palette: false,
  metadata: 'strip',
  background: '#ffffffff',
  watermark: { type: 'text', text: '© 스튜디오', position: 'BOTTOM_LEFT', opacity: 0.4, size: 0.2, color: '#ff0000ff', margin: 0.02, tile: false },
  timeout_seconds: 30,
  manifest: false,
};

describe('formFromOptions', () => {
  it('reads a server-kept preset back into the form', () => {
    expect(formFromOptions(CANONICAL)).toEqual(
      form({
        sizeMode: 'long',
        edge: '2048',
        format: 'webp',
        quality: 72,
        watermark: 'text',
        text: '© 스튜디오',
        position: 'BOTTOM_LEFT',
        opacity: 0.4,
        size: 0.2,
        color: '#ff0000',
      }),
    );
  });

  it('gives back every form the page can send (form -> options -> form)', () => {
    const forms: OptionsForm[] = [
      DEFAULT_FORM,
      form({ sizeMode: 'short', edge: '1080' }),
      form({ sizeMode: 'width', edge: '800', format: 'png' }),
      form({ sizeMode: 'height', edge: '600', format: 'avif', quality: 50 }),
      form({ sizeMode: 'box', width: '500', height: '300', fit: 'cover', gravity: 'attention' }),
      form({ sizeMode: 'box', width: '500', height: '300', fit: 'fill' }),
      form({ watermark: 'image', position: 'CENTER', opacity: 0.8, size: 0.5 }),
    ];
    for (const f of forms) expect(formFromOptions(buildOptions(f))).toEqual(f);
  });
});

describe('settingsFromOptions and jobOptions', () => {
  it('keeps what the form cannot show, without the server defaults', () => {
    const s = settingsFromOptions({ ...CANONICAL, lossless: true, metadata: 'keep', enlarge: false, background: '#FFFFFF' });
    expect(s.extra).toEqual({ lossless: true, metadata: 'keep' });
    expect(s.manifest).toBe(false);
    expect(jobOptions(s)).toMatchObject({ lossless: true, metadata: 'keep', width: 2048, format: 'webp', manifest: false });
    // The preview gets the same pixels' options, without the ZIP's manifest switch.
    expect(previewOptions(s)).not.toHaveProperty('manifest');
  });

  it('the web app leaves manifest.json out unless asked; absent means the server default (in)', () => {
    expect(jobOptions(DEFAULT_SETTINGS)).toEqual({ manifest: false });
    expect(jobOptions({ ...DEFAULT_SETTINGS, manifest: true })).toEqual({});
    expect(settingsFromOptions({ width: 100 }).manifest).toBe(true);
    expect(settingsFromOptions({ width: 100, manifest: false }).manifest).toBe(false);
  });

  it('a job converted again is sent with the same options', () => {
    const sent: ConversionOptions = { width: 1280, format: 'webp', quality: 65, progressive: true, manifest: false };
    expect(jobOptions(settingsFromOptions(sent))).toEqual(sent);
  });
});

describe('the last options used', () => {
  it('are kept per user', () => {
    const storage = memoryStorage();
    rememberOptions(7, { width: 800 }, storage);
    rememberOptions(8, { format: 'png' }, storage);
    expect(recallOptions(7, storage)).toEqual({ width: 800 });
    expect(recallOptions(8, storage)).toEqual({ format: 'png' });
    expect(recallOptions(9, storage)).toBeNull();
    expect([...storage.items.keys()].sort()).toEqual([lastOptionsKey(7), lastOptionsKey(8)]);
  });

  it('ignore what cannot be read', () => {
    const storage = memoryStorage();
    storage.setItem(lastOptionsKey(1), '{broken');
    expect(recallOptions(1, storage)).toBeNull();
    storage.setItem(lastOptionsKey(1), '[1,2]');
    expect(recallOptions(1, storage)).toBeNull();
    expect(recallOptions(1, null)).toBeNull();
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => rememberOptions(1, { width: 1 }, full)).not.toThrow();
  });
});

describe('convertAgainOptions', () => {
  it('reads the job page’s router state, and nothing else', () => {
    expect(convertAgainOptions({ options: { width: 5 } })).toEqual({ width: 5 });
    expect(convertAgainOptions(null)).toBeNull();
    expect(convertAgainOptions({ other: 1 })).toBeNull();
    expect(convertAgainOptions({ options: [1] })).toBeNull();
  });
});
