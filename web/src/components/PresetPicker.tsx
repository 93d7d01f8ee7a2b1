// The Convert page's presets: pick one to fill in the form, or save the options set now under a
// name (POST /v1/presets). Renaming and deleting live in Settings.
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { api, type Preset } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { jobOptions, settingsFromOptions, type JobSettings } from '../lib/presets';
import { useCapabilities } from '../state/capabilities';
import { ErrorBox } from './ErrorBox';

export function PresetPicker({
  settings,
  onApply,
  disabled,
}: {
  settings: JobSettings;
  onApply: (settings: JobSettings) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const caps = useCapabilities();
  const [items, setItems] = useState<Preset[] | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.presets().then((r) => setItems(r.items), setError);
  }, []);
  useEffect(() => {
    if (caps.presets) load();
  }, [caps.presets, load]);
  if (!caps.presets) return null;

  const apply = (id: string) => {
    const preset = items?.find((p) => String(p.id) === id);
    if (!preset) return;
    onApply(settingsFromOptions(preset.options));
    setError(null);
    setStatus(t('presets.applied', { name: preset.name }));
  };
  const save = () => {
    const chosen = name.trim();
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    api.createPreset({ name: chosen, options: jobOptions(settings) }).then(
      (preset) => {
        setStatus(t('presets.saved', { name: preset.name }));
        setNaming(false);
        setName('');
        setBusy(false);
        load();
      },
      (e: unknown) => {
        setError(e);
        setBusy(false);
      },
    );
  };
  // Enter in the name saves the preset, not the whole Convert form around it.
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      setNaming(false);
    }
  };

  return (
    <section className="card preset-bar" aria-label={t('presets.title')} data-testid="preset-bar">
      <div className="row-between wrap">
        <label className="field field-grow">
          <span>{t('presets.label')}</span>
          <select value="" disabled={disabled || !items || items.length === 0} onChange={(e) => apply(e.target.value)} data-testid="preset-select">
            <option value="">{items && items.length === 0 ? t('presets.none') : t('presets.pick')}</option>
            {items?.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {!naming && (
          <button
            type="button"
            className="btn"
            disabled={disabled}
            onClick={() => {
              setNaming(true);
              setStatus(null);
            }}
            data-testid="preset-save"
          >
            {t('presets.save')}
          </button>
        )}
      </div>
      {naming && (
        <div className="inline-form">
          <label className="field field-grow">
            <span>{t('presets.name')}</span>
            <input
              autoFocus
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={onKey}
              data-testid="preset-name"
            />
          </label>
          <button type="button" className="btn btn-primary" disabled={busy || !name.trim()} onClick={save} data-testid="preset-save-confirm">
            {t('presets.saveConfirm')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setNaming(false)}>
            {t('presets.cancel')}
          </button>
        </div>
      )}
      {status && (
        <p className="muted small" role="status" data-testid="preset-status">
          {status}
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
