// The API reference at /docs: the server's own /openapi.json rendered by Redoc. Redoc comes from
// npm (pinned in package.json) and is built into dist/assets like the rest of the app, never
// from a CDN; its 1 MB bundle is loaded only when this page opens, so the main bundle stays
// small. Public: reading the reference needs no account.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
// The self-contained build (its own React); `?url` makes it a hashed asset, not part of the app.
import redocScript from 'redoc/bundles/redoc.standalone.js?url';
import { LangSwitch } from '../components/Layout';
import { useI18n } from '../i18n/I18n';

interface RedocGlobal {
  init: (specOrUrl: string | object, options: Record<string, unknown>, element: HTMLElement, callback?: (error?: unknown) => void) => void;
}

declare global {
  interface Window {
    Redoc?: RedocGlobal;
  }
}

/** The spec the server serves (same origin, so the cookie and CSP allow it). */
export const OPENAPI_URL = '/openapi.json';

const FONTS =
  "system-ui, -apple-system, 'Segoe UI', 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace";

const REDOC_OPTIONS: Record<string, unknown> = {
  // Its search runs in a blob: Web Worker, which the page's Content-Security-Policy refuses.
  disableSearch: true,
  nativeScrollbars: true,
  expandResponses: '200,201,202',
  pathInMiddlePanel: true,
  hideHostname: true,
  theme: {
    colors: { primary: { main: '#2f5bea' } },
    typography: { fontFamily: FONTS, headings: { fontFamily: FONTS }, code: { fontFamily: MONO } },
    sidebar: { width: '260px' },
  },
};

let loading: Promise<RedocGlobal> | null = null;

/** Loads the Redoc bundle once per page (a <script> of our own origin). */
function loadRedoc(): Promise<RedocGlobal> {
  if (window.Redoc) return Promise.resolve(window.Redoc);
  loading ??= new Promise<RedocGlobal>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = redocScript;
    script.async = true;
    script.onload = () => (window.Redoc ? resolve(window.Redoc) : reject(new Error('Redoc did not start')));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error(`cannot load ${redocScript}`));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export function DocsPage() {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    document.title = `${t('docs.title')} · ${t('app.name')}`;
    return () => {
      document.title = t('app.name');
    };
  }, [t]);

  useEffect(() => {
    let live = true;
    // Redoc renders into an element of its own: React does not manage what is inside it.
    const element = document.createElement('div');
    host.current?.appendChild(element);
    loadRedoc()
      .then((redoc) =>
        redoc.init(OPENAPI_URL, REDOC_OPTIONS, element, (error) => {
          if (live) setState(error ? 'failed' : 'ready');
        }),
      )
      .catch(() => live && setState('failed'));
    return () => {
      live = false;
      element.remove();
    };
  }, []);

  return (
    <div className="docs-page">
      <header className="topbar docs-bar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand-text">{t('app.name')}</span>
        </Link>
        <span className="docs-bar-title">{t('docs.title')}</span>
        <div className="topbar-tools">
          <a className="btn btn-ghost" href={OPENAPI_URL} data-testid="openapi-link">
            {t('docs.json')}
          </a>
          <LangSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="docs-main" aria-busy={state === 'loading'}>
        <h1 className="sr-only">{t('docs.title')}</h1>
        {state === 'loading' && <p className="page muted">{t('docs.loading')}</p>}
        {state === 'failed' && (
          <div className="page">
            <div className="error-box" role="alert">
              <strong>{t('docs.failed')}</strong>
              <a href={OPENAPI_URL}>{t('docs.json')}</a>
            </div>
          </div>
        )}
        <div ref={host} className="docs-redoc" lang="en" data-testid="redoc" />
      </main>
    </div>
  );
}
