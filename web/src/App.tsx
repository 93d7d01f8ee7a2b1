import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import { Layout } from './components/Layout';
import { useI18n } from './i18n/I18n';
import { AuthPage } from './pages/AuthPage';
import { ConvertPage } from './pages/ConvertPage';
import { DocsPage } from './pages/DocsPage';
import { JobPage } from './pages/JobPage';
import { JobsPage } from './pages/JobsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { SettingsPage } from './pages/SettingsPage';
import { LiveProvider } from './state/live';
import { useSession } from './state/session';

function SignedIn({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (user === undefined) return <p className="page muted">{t('common.loading')}</p>;
  if (user === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function SignedOut({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (user) return <Navigate to="/convert" replace />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t('notFound.title')}</h1>
    </div>
  );
}

export function App() {
  const { user } = useSession();
  return (
    <LiveProvider enabled={!!user}>
      <Routes>
        <Route
          path="/login"
          element={
            <SignedOut>
              <AuthPage mode="login" />
            </SignedOut>
          }
        />
        <Route
          path="/signup"
          element={
            <SignedOut>
              <AuthPage mode="signup" />
            </SignedOut>
          }
        />
        {/* The API reference is public: reading it needs no account. */}
        <Route path="/docs" element={<DocsPage />} />
        <Route
          element={
            <SignedIn>
              <Layout />
            </SignedIn>
          }
        >
          <Route index element={<Navigate to="/convert" replace />} />
          <Route path="/convert" element={<ConvertPage />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="/jobs/:id" element={<JobPage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </LiveProvider>
  );
}
