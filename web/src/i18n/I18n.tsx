// The language context: t() for text, fmt for numbers, sizes and durations in the locale, the
// switch persisted in localStorage.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatBytes, formatDate, formatDuration, formatMegapixels, formatNumber, formatPercent, formatPercentChange, type Saved } from '../lib/format';
import type { MessageKey } from './en';
import { initialLang, localeOf, STORAGE_KEY, translate, type Lang, type Vars } from './translate';

/** lib/format's functions with the reader's locale filled in. */
export interface Formatters {
  bytes: (bytes: number | null | undefined) => string;
  number: (n: number) => string;
  megapixels: (pixels: number) => string;
  /** a share out of 100: 42 -> "42%" */
  percent: (value: number) => string;
  percentChange: (s: Saved) => string;
  duration: (ms: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
}

export function formattersFor(locale: string): Formatters {
  return {
    bytes: (b) => formatBytes(b, locale),
    number: (n) => formatNumber(n, locale),
    megapixels: (p) => formatMegapixels(p, locale),
    percent: (v) => formatPercent(v, locale),
    percentChange: (s) => formatPercentChange(s, locale),
    duration: (ms) => formatDuration(ms, locale),
    date: (iso) => formatDate(iso, locale),
  };
}

export interface I18n {
  lang: Lang;
  locale: string;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey | string, vars?: Vars) => string;
  fmt: Formatters;
}

const Context = createContext<I18n | null>(null);

function storedLang(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    initialLang(storedLang(), typeof navigator === 'undefined' ? undefined : navigator.languages),
  );
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, locale: localeOf(lang), setLang, t: (key, vars) => translate(lang, key, vars), fmt: formattersFor(localeOf(lang)) }),
    [lang, setLang],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(Context);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
