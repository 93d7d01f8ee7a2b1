// Pure parts of the i18n: picking the language, looking a key up, filling {placeholders}.
import { en, type MessageKey } from './en';
import { ko } from './ko';

export type Lang = 'en' | 'ko';
export const LANGS: Lang[] = ['en', 'ko'];
export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, ko };
export const STORAGE_KEY = 'imagesprint.lang';
export type Vars = Record<string, string | number>;

/** The stored choice wins; otherwise Korean for a Korean browser, English for the rest. */
export function initialLang(stored: string | null | undefined, browser: readonly string[] | undefined): Lang {
  if (stored === 'en' || stored === 'ko') return stored;
  const first = browser?.[0]?.toLowerCase() ?? '';
  return first.startsWith('ko') ? 'ko' : 'en';
}

/**
 * Fills {placeholders}. With a locale, a number is written the locale's way (12345 -> "12,345"),
 * as ICU's {n, number} does; text (a pixel size like "2048 × 1536", a name) goes in as it is.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return f;
}

export function interpolate(template: string, vars?: Vars, locale?: string): string {
  if (!vars) return template;
  const number = locale ? numberFormat(locale) : null;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in vars)) return m;
    const value = vars[name];
    return typeof value === 'number' && number ? number.format(value) : String(value);
  });
}

/** A key of the dictionary, or the key itself when unknown (a dynamic key with a new value). */
export function translate(lang: Lang, key: MessageKey | string, vars?: Vars): string {
  const dict = DICTIONARIES[lang] as Record<string, string>;
  const text = dict[key] ?? (en as Record<string, string>)[key] ?? key;
  return interpolate(text, vars, localeOf(lang));
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

export function localeOf(lang: Lang): string {
  return lang === 'ko' ? 'ko-KR' : 'en-GB';
}
