// The options form: size with the keep-ratio lock, fit, format, quality, watermark (text or
// logo) with the 9-position grid, opacity, size and colour.
import { useId } from 'react';
import type { Fit, OutputFormat } from '../api/types';
import { useI18n } from '../i18n/I18n';
import { MAX_LOGO_BYTES } from '../lib/files';
import { formatBytes, utf8Length } from '../lib/format';
import {
  FITS,
  FORMATS,
  LOSSY_FORMATS,
  MAX_WATERMARK_TEXT_BYTES,
  setDimension,
  toggleKeepRatio,
  type FormErrors,
  type OptionsForm,
  type WatermarkKind,
} from '../lib/options';
import { PositionGrid } from './PositionGrid';

interface Props {
  form: OptionsForm;
  onChange: (form: OptionsForm) => void;
  errors: FormErrors;
  /** width / height of the first image, for the ratio lock */
  aspect: number | null;
  logo: File | null;
  onLogo: (file: File | null) => void;
  disabled?: boolean;
}

function FieldError({ id, error }: { id: string; error?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <span id={id} className="field-error">
      {t(error)}
    </span>
  );
}

export function OptionsPanel({ form, onChange, errors, aspect, logo, onLogo, disabled }: Props) {
  const { t } = useI18n();
  const id = useId();
  const set = <K extends keyof OptionsForm>(key: K, value: OptionsForm[K]) => onChange({ ...form, [key]: value });
  const bothSet = form.width.trim() !== '' && form.height.trim() !== '';
  const lossy = LOSSY_FORMATS.includes(form.format);

  return (
    <fieldset className="card options" disabled={disabled}>
      <legend>
        <h2>{t('options.title')}</h2>
      </legend>

      <div className="field-group">
        <span className="group-label">{t('options.size')}</span>
        <div className="dims">
          <label className="field">
            <span>{t('options.width')}</span>
            <input
              inputMode="numeric"
              value={form.width}
              placeholder={t('options.original')}
              aria-invalid={!!errors.width}
              aria-describedby={errors.width ? `${id}-w-err` : undefined}
              onChange={(e) => onChange(setDimension(form, 'width', e.target.value, aspect))}
              data-testid="width"
            />
            <FieldError id={`${id}-w-err`} error={errors.width} />
          </label>
          <button
            type="button"
            className={`lock${form.keepRatio ? ' locked' : ''}`}
            aria-pressed={form.keepRatio}
            aria-label={t('options.keepRatio')}
            title={t('options.keepRatioHint')}
            onClick={() => onChange(toggleKeepRatio(form, aspect))}
            data-testid="keep-ratio"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              {form.keepRatio ? (
                <path fill="currentColor" d="M17 9V7a5 5 0 0 0-10 0v2H5v13h14V9zm-8 0V7a3 3 0 0 1 6 0v2z" />
              ) : (
                <path fill="currentColor" d="M17 9V7a5 5 0 0 0-9.9-1h2.1A3 3 0 0 1 15 7v2H5v13h14V9z" />
              )}
            </svg>
          </button>
          <label className="field">
            <span>{t('options.height')}</span>
            <input
              inputMode="numeric"
              value={form.height}
              placeholder={t('options.original')}
              aria-invalid={!!errors.height}
              aria-describedby={errors.height ? `${id}-h-err` : undefined}
              onChange={(e) => onChange(setDimension(form, 'height', e.target.value, aspect))}
              data-testid="height"
            />
            <FieldError id={`${id}-h-err`} error={errors.height} />
          </label>
        </div>
        <span className="hint">{form.keepRatio ? t('options.keepRatioHint') : t('options.fitHint')}</span>
      </div>

      <label className="field">
        <span>{t('options.fit')}</span>
        <select value={form.fit} disabled={form.keepRatio || !bothSet} onChange={(e) => set('fit', e.target.value as Fit)}>
          {FITS.map((f) => (
            <option key={f} value={f}>
              {t(`options.fit.${f}`)}
            </option>
          ))}
        </select>
      </label>

      <div className="two-cols">
        <label className="field">
          <span>{t('options.format')}</span>
          <select value={form.format} onChange={(e) => set('format', e.target.value as OutputFormat)} data-testid="format">
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {f === 'original' ? t('options.format.original') : f.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>
            {t('options.quality')} <output>{form.quality}</output>
          </span>
          <input
            type="range"
            min={1}
            max={100}
            value={form.quality}
            disabled={!lossy}
            aria-valuetext={String(form.quality)}
            onChange={(e) => set('quality', Number(e.target.value))}
            data-testid="quality"
          />
          {!lossy && <span className="hint">{t('options.qualityNA')}</span>}
        </label>
      </div>

      <div className="field-group">
        <span className="group-label" id={`${id}-wm`}>
          {t('options.watermark')}
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby={`${id}-wm`}>
          {(['none', 'text', 'image'] as WatermarkKind[]).map((k) => (
            <label key={k} className={form.watermark === k ? 'selected' : ''}>
              <input type="radio" name={`${id}-wm`} value={k} checked={form.watermark === k} onChange={() => set('watermark', k)} />
              {t(`options.watermark.${k}`)}
            </label>
          ))}
        </div>
      </div>

      {form.watermark === 'text' && (
        <label className="field">
          <span>{t('options.text')}</span>
          <input
            value={form.text}
            maxLength={500}
            aria-invalid={!!errors.text}
            aria-describedby={`${id}-text-info`}
            onChange={(e) => set('text', e.target.value)}
            data-testid="watermark-text"
          />
          <span id={`${id}-text-info`} className="hint">
            {t('options.textBytes', { n: utf8Length(form.text), max: MAX_WATERMARK_TEXT_BYTES })}
            {errors.text && <span className="field-error"> {t(errors.text)}</span>}
          </span>
        </label>
      )}

      {form.watermark === 'image' && (
        <div className="field">
          <span>{t('options.logo')}</span>
          <div className="logo-row">
            {logo ? (
              <>
                <span className="filename">{logo.name}</span>
                <span className="muted">{formatBytes(logo.size)}</span>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => onLogo(null)}>
                  {t('options.logoRemove')}
                </button>
              </>
            ) : (
              <label className="btn btn-small">
                {t('options.logoChoose')}
                <input
                  type="file"
                  accept="image/png,image/webp,image/jpeg,image/avif,image/gif"
                  className="sr-only"
                  data-testid="logo-input"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f && f.size <= MAX_LOGO_BYTES) onLogo(f);
                    e.target.value = '';
                  }}
                />
              </label>
            )}
          </div>
          {errors.logo && <span className="field-error">{t(errors.logo)}</span>}
        </div>
      )}

      {form.watermark !== 'none' && (
        <div className="watermark-settings">
          <div className="field">
            <span id={`${id}-pos`}>{t('options.position')}</span>
            <PositionGrid value={form.position} onChange={(p) => set('position', p)} labelId={`${id}-pos`} />
          </div>
          <div className="wm-sliders">
            <label className="field">
              <span>
                {t('options.opacity')} <output>{Math.round(form.opacity * 100)}%</output>
              </span>
              <input type="range" min={0} max={100} value={Math.round(form.opacity * 100)} onChange={(e) => set('opacity', Number(e.target.value) / 100)} />
            </label>
            <label className="field">
              <span>
                {t('options.wmSize')} <output>{Math.round(form.size * 100)}%</output>
              </span>
              <input type="range" min={5} max={100} value={Math.round(form.size * 100)} onChange={(e) => set('size', Number(e.target.value) / 100)} />
            </label>
            {form.watermark === 'text' && (
              <label className="field field-inline">
                <span>{t('options.color')}</span>
                <input type="color" value={form.color} onChange={(e) => set('color', e.target.value)} />
                <code>{form.color}</code>
              </label>
            )}
          </div>
        </div>
      )}
    </fieldset>
  );
}
