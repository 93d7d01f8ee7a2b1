import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { App } from './App';
import { I18nProvider } from './i18n/I18n';
import { CapabilitiesProvider } from './state/capabilities';
import { SessionProvider } from './state/session';
import './styles.css';

// A data router (one catch-all route, the app's own <Routes> inside) so a page can hold a
// navigation while an upload runs (useBlocker needs it).
const router = createBrowserRouter([{ path: '*', element: <App /> }]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <CapabilitiesProvider>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </CapabilitiesProvider>
    </I18nProvider>
  </StrictMode>,
);
