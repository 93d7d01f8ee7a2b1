// Settings: the user's presets, each with what it does in words, to rename or delete (saving
// one happens on the Convert page, from the options set there).
import { useCallback, useEffect, useState } from 'react';
import { api, type Preset } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { formatDate } from '../lib/format';
import { describeOptions } from '../lib/options';
import { useCapabilities } from '../state/capabilities';
import { ErrorBox } from './ErrorBox';

export function PresetsSection() {
  const { t } = useI18n();
  const caps = useCapabilities();
  const [items, setItems] = useState<Preset[] | null>(null);
  const [max, setMax] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.presets().then((r) => {
      setItems(r.items);
      setMax(r.max_presets);
      setError(null);
    }, setError);
  }, []);
  useEffect(() => {
    if (caps.presets) load();
  }, [caps.presets, load]);
  if (!caps.loaded) return null;

  return (
    <section className="card" aria-labelledby="presets-title" data-testid="presets-section">
      <div className="row-between wrap">
        <h2 id="presets-title">{t('presets.title')}</h2>
        {items && max !== null && <span className="muted small">{t('presets.count', { n: items.length, max })}</span>}
      </div>
      {!caps.presets ? (
        <p className="muted">{t('presets.unavailable')}</p>
      ) : (
        <>
          <p className="muted">{t('presets.intro')}</p>
          <ErrorBox error={error} onRetry={load} />
          {items && items.length === 0 && <p className="muted">{t('presets.none')}</p>}
          <ul className="preset-list">
            {items?.map((p) => (
              <PresetRow key={p.id} preset={p} onChange={load} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PresetRow({ preset, onChange }: { preset: Preset; onChange: () => void }) {
  const { t, locale } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(preset.name);
  const [error, setError] = useState<unknown>(null);
  const rename = () => {
    const chosen = name.trim();
    if (!chosen) return;
    setError(null);
    api.updatePreset(preset.id, { name: chosen }).then(() => {
      setRenaming(false);
      onChange();
    }, setError);
  };
  return (
    <li data-preset-id={preset.id}>
      {renaming ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            rename();
          }}
        >
          <label className="field field-grow">
            <span>{t('presets.name')}</span>
            <input autoFocus required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} data-testid="preset-rename-input" />
          </label>
          <button type="submit" className="btn btn-primary" data-testid="preset-rename-save">
            {t('presets.saveConfirm')}
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setRenaming(false);
              setName(preset.name);
            }}
          >
            {t('presets.cancel')}
          </button>
        </form>
      ) : (
        <div className="row-between wrap">
          <div>
            <strong data-testid="preset-name-shown">{preset.name}</strong>
            <div className="muted small">
              {describeOptions(preset.options, t)} · {t('common.created')} {formatDate(preset.created_at, locale)}
            </div>
          </div>
          <div className="actions">
            <button type="button" className="btn btn-small" onClick={() => setRenaming(true)} data-testid="preset-rename">
              {t('presets.rename')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-danger"
              onClick={() => {
                if (!window.confirm(t('presets.confirmDelete', { name: preset.name }))) return;
                setError(null);
                api.deletePreset(preset.id).then(onChange, setError);
              }}
              data-testid="preset-delete"
            >
              {t('presets.delete')}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
    </li>
  );
}
