// The language the server should answer its messages in (Accept-Language): the one the app is
// shown in (I18nProvider sets <html lang>), which may differ from the browser's own. English
// after it, as the server's fallback.
export function acceptLanguage(): string {
  const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
  return lang && lang !== 'en' ? `${lang}, en;q=0.5` : 'en';
}
