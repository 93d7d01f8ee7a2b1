// Notifications: the list (live), mark one or all read, and the browser-notification switch.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { NotificationItem } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { useI18n } from '../i18n/I18n';
import { hasKey } from '../i18n/translate';
import { formatDate } from '../lib/format';
import { notificationOf } from '../lib/jobEvents';
import { notificationText } from '../lib/notificationText';
import { appendPage, emptyPaged, prependItem, type Paged } from '../lib/pagination';
import { useLive } from '../state/live';

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function BrowserNotificationSwitch() {
  const { t } = useI18n();
  const [permission, setPermission] = useState<Permission>(currentPermission);
  return (
    <div className="row-between wrap card browser-notify">
      <span>{t('notifications.browser')}</span>
      {permission === 'granted' ? (
        <span className="badge badge-done">{t('notifications.browserOn')}</span>
      ) : permission === 'denied' ? (
        <span className="muted">{t('notifications.browserDenied')}</span>
      ) : permission === 'unsupported' ? (
        <span className="muted">{t('notifications.browserNA')}</span>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then(setPermission)}>
          {t('notifications.browserEnable')}
        </button>
      )}
    </div>
  );
}

export function NotificationsPage() {
  const { t, locale, fmt } = useI18n();
  const live = useLive();
  const [paged, setPaged] = useState<Paged<NotificationItem>>(emptyPaged);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.notifications(cursor, 20);
      setPaged((p) => appendPage(cursor ? p : emptyPaged<NotificationItem>(), page));
      live.setUnread(page.unread);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load(null);
  }, [load]);
  useEffect(
    () =>
      live.subscribe((event) => {
        const n = notificationOf(event);
        if (n) setPaged((p) => prependItem(p, n));
      }),
    [live],
  );

  const markRead = async (n: NotificationItem) => {
    try {
      await api.markRead(n.id);
      setPaged((p) => ({ ...p, items: p.items.map((i) => (i.id === n.id ? { ...i, read: true } : i)) }));
      live.setUnread(Math.max(0, live.unread - 1));
    } catch (e) {
      setError(e);
    }
  };
  const markAll = async () => {
    try {
      await api.markAllRead();
      setPaged((p) => ({ ...p, items: p.items.map((i) => ({ ...i, read: true })) }));
      live.setUnread(0);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="page">
      <div className="row-between wrap">
        <h1>{t('notifications.title')}</h1>
        <button type="button" className="btn" onClick={() => void markAll()} disabled={live.unread === 0}>
          {t('notifications.markAll')}
        </button>
      </div>
      <BrowserNotificationSwitch />
      <ErrorBox error={error} onRetry={() => void load(null)} />
      {!paged.initial && paged.items.length === 0 && <p className="empty">{t('notifications.empty')}</p>}
      <ul className="notification-list" aria-busy={loading}>
        {paged.items.map((n) => (
          <li key={n.id} className={`card notification${n.read ? '' : ' unread'}`} data-type={n.type}>
            <div className="notification-text">
              {!n.read && <span className="sr-only">{t('notifications.unread')}: </span>}
              <strong>{hasKey(`notifications.type.${n.type}`) ? t(`notifications.type.${n.type}`) : n.type}</strong>
              <span data-testid="notification-text">{notificationText(n, t, fmt.duration)}</span>
              <span className="muted small">{formatDate(n.created_at, locale)}</span>
            </div>
            <div className="notification-actions">
              {n.job_id && (
                <Link className="btn btn-small btn-ghost" to={`/jobs/${encodeURIComponent(n.job_id)}`}>
                  {t('notifications.open')}
                </Link>
              )}
              {!n.read && (
                <button type="button" className="btn btn-small" onClick={() => void markRead(n)}>
                  {t('notifications.markRead')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {paged.cursor && (
        <button type="button" className="btn" onClick={() => void load(paged.cursor)} disabled={loading}>
          {t('jobs.loadMore')}
        </button>
      )}
    </div>
  );
}
