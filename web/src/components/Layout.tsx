import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { useI18n } from '../i18n/I18n';
import { confirmLeave } from '../state/leaveGuard';
import { useLive } from '../state/live';
import { useSession } from '../state/session';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="btn btn-ghost lang-switch"
      onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}
      aria-label={`${t('lang.label')}: ${t('lang.switch')}`}
      lang={lang === 'ko' ? 'en' : 'ko'}
    >
      {t('lang.switch')}
    </button>
  );
}

function Bell() {
  const { t } = useI18n();
  const { unread } = useLive();
  return (
    <NavLink to="/notifications" className="bell" aria-label={t('bell.label', { n: unread })} data-testid="bell">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="bell-count">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}

/** The page footer: the API reference and the raw API document. */
export function Footer() {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <Link to="/docs" data-testid="footer-docs">
        {t('footer.docs')}
      </Link>
      <a href="/openapi.json">{t('docs.json')}</a>
    </footer>
  );
}

export function Layout() {
  const { t } = useI18n();
  const { user, logout } = useSession();
  const { state } = useLive();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <NavLink to="/convert" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand-text">{t('app.name')}</span>
        </NavLink>
        <nav className="mainnav" aria-label={t('nav.menu')}>
          <NavLink to="/convert">{t('nav.convert')}</NavLink>
          <NavLink to="/jobs">{t('nav.jobs')}</NavLink>
          <NavLink to="/notifications">{t('nav.notifications')}</NavLink>
          <NavLink to="/settings">{t('nav.settings')}</NavLink>
        </nav>
        <div className="topbar-tools">
          <span className={`live-dot live-${state}`} title={state === 'open' ? t('live.connected') : t('live.reconnecting')}>
            <span className="sr-only">{state === 'open' ? t('live.connected') : t('live.reconnecting')}</span>
          </span>
          <Bell />
          <LangSwitch />
          <button
            type="button"
            className="btn btn-ghost"
            title={user?.email}
            onClick={() => {
              // Logging out ends a running upload too: ask first, as a link away would.
              if (!confirmLeave(t('convert.leaveWarning'))) return;
              void logout().then(() => navigate('/login'));
            }}
          >
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
    </>
  );
}
