import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorBox } from '../components/ErrorBox';
import { Footer, LangSwitch } from '../components/Layout';
import { useI18n } from '../i18n/I18n';
import { useSession } from '../state/session';

/** Log in or sign up (mode), then back to where the person was going. */
export function AuthPage({ mode }: { mode: 'login' | 'signup' }) {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/convert';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await session.login(email, password);
      else await session.signup(email, password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'login' ? t('auth.login') : t('auth.signup');
  return (
    <main id="main" className="auth">
      <div className="auth-top">
        <LangSwitch />
      </div>
      <form className="card auth-card" onSubmit={submit} noValidate={false}>
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <span>{t('app.name')}</span>
        </div>
        <p className="muted">{t('auth.welcome')}</p>
        <h1>{title}</h1>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'signup' ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {mode === 'signup' && <span className="hint">{t('auth.passwordHint')}</span>}
        </label>
        <ErrorBox error={error} context={mode === 'login' ? 'login' : undefined} />
        <button type="submit" className="btn btn-primary btn-wide" disabled={busy}>
          {busy ? t('auth.working') : title}
        </button>
        <p>
          {mode === 'login' ? (
            <Link to={`/signup${params.toString() ? `?${params}` : ''}`}>{t('auth.toSignup')}</Link>
          ) : (
            <Link to={`/login${params.toString() ? `?${params}` : ''}`}>{t('auth.toLogin')}</Link>
          )}
        </p>
      </form>
      <Footer />
    </main>
  );
}
