// Settings: webhooks (add, test, enable/disable, delete, deliveries) and API keys (create,
// shown once; revoke).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { ApiKey, CreatedApiKey, Delivery, Webhook, WebhookEvent, WebhookTestResult, WebhookType } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { PresetsSection } from '../components/PresetsSettings';
import { useI18n } from '../i18n/I18n';
import { formatDate } from '../lib/format';
import { useCapabilities } from '../state/capabilities';
import { BrowserNotificationSwitch } from './NotificationsPage';

const EVENTS: WebhookEvent[] = ['job.completed', 'job.failed', 'job.expired'];
const TYPES: WebhookType[] = ['slack', 'discord', 'generic'];
/** Slack and Discord webhooks are accepted only on their official hosts. */
const URL_EXAMPLES: Record<WebhookType, string> = {
  slack: 'https://hooks.slack.com/services/…',
  discord: 'https://discord.com/api/webhooks/…',
  generic: 'https://example.com/hooks/imagesprint',
};

export function SettingsPage() {
  const { t } = useI18n();
  return (
    <div className="page settings">
      <h1>{t('settings.title')}</h1>
      <PresetsSection />
      <WebhooksSection />
      <ApiKeysSection />
      <BrowserNotificationSwitch />
      <section className="card" aria-labelledby="docs-title">
        <h2 id="docs-title">{t('settings.docsTitle')}</h2>
        <p>{t('settings.docsIntro')}</p>
        <Link to="/docs" className="btn" data-testid="settings-docs">
          {t('settings.docsOpen')}
        </Link>
      </section>
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined);
      }}
    >
      {copied ? t('keys.copied') : t('keys.copy')}
    </button>
  );
}

function Secret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="secret" role="status">
      <span>{label}</span>
      <code data-testid="secret">{value}</code>
      <div className="actions">
        <CopyButton text={value} />
        <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>
          {t('keys.done')}
        </button>
      </div>
    </div>
  );
}

function WebhooksSection() {
  const { t } = useI18n();
  const caps = useCapabilities();
  const [items, setItems] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [type, setType] = useState<WebhookType>('generic');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['job.completed', 'job.failed']);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [test, setTest] = useState<WebhookTestResult | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  // A generic test is signed with a new secret when none is given; the webhook added for the
  // same URL keeps it, so a receiver set up with the test's secret verifies the real ones too.
  const [testSecret, setTestSecret] = useState<{ url: string; secret: string } | null>(null);

  const load = useCallback(() => {
    api.webhooks().then(
      (r) => {
        setItems(r.items);
        setError(null);
      },
      setError,
    );
  }, []);
  useEffect(() => {
    if (caps.webhooks) load();
  }, [caps.webhooks, load]);

  if (caps.loaded && !caps.webhooks) {
    return (
      <section className="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">{t('webhooks.title')}</h2>
        <p className="muted">{t('webhooks.unavailable')}</p>
      </section>
    );
  }

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setFormError(null);
    try {
      await fn();
    } catch (e) {
      setFormError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const keep = type === 'generic' && testSecret?.url === url.trim() ? testSecret.secret : undefined;
      const created = await api.createWebhook({ type, url: url.trim(), events, ...(keep ? { secret: keep } : {}) });
      setTestSecret(null);
      setSecret(created.secret ?? null);
      setUrl('');
      setTest(null);
      load();
    });
  };

  return (
    <section className="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('webhooks.title')}</h2>
      <p className="muted">{t('webhooks.intro')}</p>
      <form className="webhook-form" onSubmit={submit}>
        <label className="field">
          <span>{t('webhooks.type')}</span>
          <select value={type} onChange={(e) => setType(e.target.value as WebhookType)} data-testid="webhook-type">
            {TYPES.map((k) => (
              <option key={k} value={k}>
                {t(`webhooks.type.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-grow">
          <span>{t('webhooks.url')}</span>
          <input type="url" required value={url} placeholder={URL_EXAMPLES[type]} onChange={(e) => setUrl(e.target.value)} data-testid="webhook-url" />
        </label>
        <fieldset className="field checkboxes">
          <legend>{t('webhooks.events')}</legend>
          {EVENTS.map((ev) => (
            <label key={ev}>
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))}
              />
              {t(`event.${ev}`)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button
            type="button"
            className="btn"
            disabled={busy || !url.trim()}
            onClick={() =>
              void run(async () => {
                setTest(null);
                const result = await api.testWebhook({ type, url: url.trim() });
                setTest(result);
                if (result.secret) setTestSecret({ url: url.trim(), secret: result.secret });
              })
            }
            data-testid="webhook-test"
          >
            {t('webhooks.test')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || events.length === 0} data-testid="webhook-add">
            {t('webhooks.add')}
          </button>
        </div>
        {test && (
          <p className={test.ok ? 'text-good' : 'text-danger'} role="status" data-testid="webhook-test-result">
            {test.ok
              ? t('webhooks.testOk', { status: test.status ?? '?', ms: test.latency_ms ?? '?' })
              : t('webhooks.testFail', { error: test.error || (test.status ? `HTTP ${test.status}` : t('webhooks.noAnswer')) })}
          </p>
        )}
        <ErrorBox error={formError} />
      </form>
      {secret && <Secret label={t('webhooks.secret')} value={secret} onDone={() => setSecret(null)} />}
      <ErrorBox error={error} onRetry={load} />
      {items && items.length === 0 && <p className="muted">{t('webhooks.none')}</p>}
      <ul className="webhook-list">
        {items?.map((w) => (
          <WebhookRow key={w.id} webhook={w} onChange={load} onSecret={setSecret} />
        ))}
      </ul>
    </section>
  );
}

function WebhookRow({ webhook, onChange, onSecret }: { webhook: Webhook; onChange: () => void; onSecret: (s: string) => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = (fn: () => Promise<unknown>) => {
    setError(null);
    fn().then(onChange, setError);
  };
  return (
    <li className={`webhook${webhook.enabled ? '' : ' webhook-off'}`} data-webhook-id={webhook.id}>
      <div className="row-between wrap">
        <div className="webhook-head">
          <span className={`badge badge-${webhook.type}`}>{t(`webhooks.type.${webhook.type}`)}</span>
          <code className="webhook-url">{webhook.url}</code>
        </div>
        <span className={`badge ${webhook.enabled ? 'badge-done' : 'badge-canceled'}`}>
          {webhook.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}
        </span>
      </div>
      <p className="muted small">
        {webhook.events.map((e) => t(`event.${e}`)).join(', ')} · {t('common.created')} {formatDate(webhook.created_at, locale)}
      </p>
      {!webhook.enabled && webhook.disabled_reason && (
        <p className="text-warn small">{t('webhooks.disabledReason', { reason: webhook.disabled_reason })}</p>
      )}
      {webhook.enabled && (webhook.consecutive_failures ?? 0) > 0 && (
        <p className="text-warn small">{t('webhooks.failures', { n: webhook.consecutive_failures ?? 0 })}</p>
      )}
      <div className="actions">
        <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="webhook-deliveries">
          {open ? t('webhooks.hideDeliveries') : t('webhooks.deliveries')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => act(() => api.updateWebhook(webhook.id, { enabled: !webhook.enabled }))}>
          {webhook.enabled ? t('webhooks.disable') : t('webhooks.enable')}
        </button>
        {webhook.type === 'generic' && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              if (!window.confirm(t('webhooks.confirmRotate'))) return;
              act(async () => {
                const updated = await api.updateWebhook(webhook.id, { rotate_secret: true });
                if (updated.secret) onSecret(updated.secret);
              });
            }}
          >
            {t('webhooks.rotate')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => {
            if (window.confirm(t('webhooks.confirmDelete'))) act(() => api.deleteWebhook(webhook.id));
          }}
        >
          {t('webhooks.delete')}
        </button>
      </div>
      <ErrorBox error={error} />
      {open && <Deliveries id={webhook.id} />}
    </li>
  );
}

/** The deliveries of one webhook, refreshed every 2 s while shown (retries land on their own). */
function Deliveries({ id }: { id: Webhook['id'] }) {
  const { t, locale, fmt } = useI18n();
  const caps = useCapabilities();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [redelivered, setRedelivered] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      api.deliveries(id).then(
        (r) => live && (setItems(r.items), setError(null)),
        (e: unknown) => live && setError(e),
      );
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [id, tick]);
  const redeliver = (delivery: Delivery['id']) => {
    setActionError(null);
    api.redeliver(id, delivery).then(() => {
      setRedelivered(delivery);
      setTick((n) => n + 1);
    }, setActionError);
  };
  if (error) return <ErrorBox error={error} />;
  if (!items) return <p className="muted small">{t('common.loading')}</p>;
  if (items.length === 0) return <p className="muted small">{t('webhooks.noDeliveries')}</p>;
  return (
    <>
      <ErrorBox error={actionError} />
      <ul className="delivery-list" data-testid="delivery-list">
        {items.map((d) => (
          <li key={d.id} className="delivery" data-status={d.status} data-delivery-id={d.id}>
            <div className="row-between wrap">
              <span>
                {t(`event.${d.event}`)} · {formatDate(d.created_at, locale)}
              </span>
              <span className={`badge badge-delivery-${d.status}`}>{t(`webhooks.delivery.${d.status}`)}</span>
            </div>
            {d.job_id && (
              <p className="muted small">
                <Link to={`/jobs/${encodeURIComponent(d.job_id)}`} data-testid="delivery-job">
                  {t('webhooks.forJob', { name: d.job_name || d.job_id })}
                </Link>
              </p>
            )}
            {caps.redeliver && d.status !== 'pending' && (
              <div className="actions">
                <button type="button" className="btn btn-small" onClick={() => redeliver(d.id)} data-testid="redeliver">
                  {t('webhooks.redeliver')}
                </button>
                {redelivered === d.id && (
                  <span className="muted small" role="status">
                    {t('webhooks.redelivered')}
                  </span>
                )}
              </div>
            )}
            {d.attempts_log && d.attempts_log.length > 0 && (
              <ol className="attempts">
                {d.attempts_log.map((a) => (
                  <li key={a.attempt}>
                    {t('webhooks.attempt', { n: a.attempt })}: {a.status_code ? `HTTP ${a.status_code}` : t('webhooks.noAnswer')}
                    {a.latency_ms !== null && ` · ${fmt.duration(a.latency_ms)}`}
                    {a.error && ` · ${a.error}`}
                    {a.next_retry_at && ` · ${t('webhooks.nextRetry', { at: formatDate(a.next_retry_at, locale) })}`}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function ApiKeysSection() {
  const { t, locale } = useI18n();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.apiKeys().then((r) => setKeys(r.items), setError);
  }, []);
  useEffect(load, [load]);

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title')}</h2>
      <p className="muted">{t('keys.intro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api.createApiKey(name.trim()).then((k) => {
            setCreated(k);
            setName('');
            load();
          }, setError);
        }}
      >
        <label className="field field-grow">
          <span>{t('keys.name')}</span>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} data-testid="key-name" />
        </label>
        <button type="submit" className="btn btn-primary">
          {t('keys.create')}
        </button>
      </form>
      {created && <Secret label={t('keys.created')} value={created.key} onDone={() => setCreated(null)} />}
      <ErrorBox error={error} />
      {keys && keys.length === 0 && <p className="muted">{t('keys.none')}</p>}
      <ul className="key-list">
        {keys?.map((k) => (
          <li key={k.id} className="row-between wrap">
            <div>
              <strong>{k.name}</strong> <code>{k.prefix}…</code>
              <div className="muted small">
                {t('common.created')} {formatDate(k.created_at, locale)} · {t('keys.lastUsed')}: {k.last_used_at ? formatDate(k.last_used_at, locale) : t('keys.never')}
              </div>
            </div>
            <button
              type="button"
              className="btn btn-small btn-danger"
              onClick={() => {
                if (window.confirm(t('keys.confirmRevoke', { name: k.name }))) api.deleteApiKey(k.id).then(load, setError);
              }}
            >
              {t('keys.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
