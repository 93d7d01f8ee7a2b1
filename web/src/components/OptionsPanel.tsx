// The options form: the size mode in words (original, long edge, short edge, width, height,
// exact box with its fit and smart-crop choice), format, quality, watermark (text or logo)
// with the 9-position grid, opacity, size and colour.
import { useEffect, useId, useMemo, useState } from 'react';
import type { OutputFormat } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { utf8Length } from '../lib/format';
import { readFileHeader } from '../lib/imageHeader';
import { SERVER_LIMITS } from '../lib/limits';
import {
  BOX_FITS,
  CROP_GRAVITIES,
  FORMATS,
  LOSSY_FORMATS,
  MAX_WATERMARK_TEXT_BYTES,
  ONE_SIDE_MODES,
  setSizeMode,
  SIZE_MODES,
  sizeOptions,
  type BoxFit,
  type FormErrors,
  type OptionsForm,
  type WatermarkKind,
} from '../lib/options';
import { planResize, type Size } from '../lib/resize';
import { PositionGrid } from './PositionGrid';

interface Props {
  form: OptionsForm;
  onChange: (form: OptionsForm) => void;
  errors: FormErrors;
  /** the upright size of the image in the preview as the browser decodes it (null for HEIC) */
  sample: Size | null;
  logo: File | null;
  onLogo: (file: File | null) => void;
  disabled?: boolean;
  /** the server's limit on a logo's bytes (GET /v1/limits); the documented default otherwise */
  maxLogoBytes?: number;
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

export function OptionsPanel({ form, onChange, errors, sample, logo, onLogo, disabled, maxLogoBytes = SERVER_LIMITS.maxLogoBytes }: Props) {
  const { t, fmt } = useI18n();
  const id = useId();
  const set = <K extends keyof OptionsForm>(key: K, value: OptionsForm[K]) => onChange({ ...form, [key]: value });
  const lossy = LOSSY_FORMATS.includes(form.format);
  const oneSide = ONE_SIDE_MODES.includes(form.sizeMode);
  // A logo refused before upload (too large, not an image), said next to the button.
  const [logoRefusal, setLogoRefusal] = useState<string | null>(null);
  const pickLogo = async (f: File) => {
    if (f.size > maxLogoBytes) {
      setLogoRefusal(t('options.error.logoTooLarge', { size: fmt.bytes(f.size), max: fmt.bytes(maxLogoBytes) }));
      return;
    }
    const header = await readFileHeader(f);
    if (header && header.format === null) {
      setLogoRefusal(t('options.error.logoType', { name: f.name }));
      return;
    }
    setLogoRefusal(null);
    onLogo(f);
  };

  return (
    <fieldset className="card options" disabled={disabled}>
      <legend>
        <h2>{t('options.title')}</h2>
      </legend>

      <div className="field-group">
        <span className="group-label" id={`${id}-size`}>
          {t('options.size')}
        </span>
        <div className="segmented segmented-grid size-modes" role="radiogroup" aria-labelledby={`${id}-size`} aria-describedby={`${id}-mode-hint`}>
          {SIZE_MODES.map((m) => (
            <label key={m} className={form.sizeMode === m ? 'selected' : ''}>
              <input
                type="radio"
                name={`${id}-mode`}
                value={m}
                checked={form.sizeMode === m}
                onChange={() => onChange(setSizeMode(form, m))}
                data-testid={`size-mode-${m}`}
              />
              {t(`options.mode.${m}`)}
            </label>
          ))}
        </div>
        <p className="hint mode-hint" id={`${id}-mode-hint`}>
          {t(`options.modeHint.${form.sizeMode}`)}
        </p>

        {oneSide && (
          <label className="field edge-field">
            <span>{t(`options.edge.${form.sizeMode}`)}</span>
            <input
              inputMode="numeric"
              value={form.edge}
              aria-invalid={!!errors.edge}
              aria-describedby={`${id}-edge-info`}
              onChange={(e) => set('edge', e.target.value)}
              data-testid="size-value"
            />
            <span id={`${id}-edge-info`}>
              {errors.edge ? <span className="field-error">{t(errors.edge)}</span> : <SampleResult form={form} sample={sample} />}
            </span>
          </label>
        )}

        {form.sizeMode === 'box' && <BoxFields form={form} onChange={onChange} errors={errors} sample={sample} />}
      </div>

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
                <LogoThumb file={logo} />
                <span className="filename">{logo.name}</span>
                <span className="muted">{fmt.bytes(logo.size)}</span>
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
                    if (f) void pickLogo(f);
                    e.target.value = '';
                  }}
                />
              </label>
            )}
          </div>
          {logoRefusal ? (
            <span className="field-error" role="alert" data-testid="logo-refused">
              {logoRefusal}
            </span>
          ) : (
            errors.logo && <span className="field-error">{t(errors.logo)}</span>
          )}
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
                {t('options.opacity')} <output>{fmt.percent(Math.round(form.opacity * 100))}</output>
              </span>
              <input type="range" min={0} max={100} value={Math.round(form.opacity * 100)} onChange={(e) => set('opacity', Number(e.target.value) / 100)} />
            </label>
            <label className="field">
              <span>
                {t('options.wmSize')} <output>{fmt.percent(Math.round(form.size * 100))}</output>
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

/** "First image: 2560 × 1600 → 800 × 500", or that it is smaller than asked and kept. */
function SampleResult({ form, sample }: { form: OptionsForm; sample: Size | null }) {
  const { t } = useI18n();
  const size = sizeOptions(form);
  if (!sample || (!size.width && !size.height)) return <span className="hint">{t('options.noEnlarge')}</span>;
  const result = planResize(sample, size);
  const same = result.width === sample.width && result.height === sample.height;
  const grown = planResize(sample, { ...size, enlarge: true });
  const kept = same && (grown.width !== sample.width || grown.height !== sample.height);
  return (
    <span className="hint" data-testid="size-result" aria-live="polite">
      {kept
        ? t('options.sampleKept', { size: `${sample.width} × ${sample.height}` })
        : t('options.sampleResult', { from: `${sample.width} × ${sample.height}`, to: `${result.width} × ${result.height}` })}
    </span>
  );
}

function BoxFields({ form, onChange, errors, sample }: { form: OptionsForm; onChange: (f: OptionsForm) => void; errors: FormErrors; sample: Size | null }) {
  const { t } = useI18n();
  const id = useId();
  const set = <K extends keyof OptionsForm>(key: K, value: OptionsForm[K]) => onChange({ ...form, [key]: value });
  return (
    <div className="box-fields">
      <div className="dims">
        <label className="field">
          <span>{t('options.width')}</span>
          <input
            inputMode="numeric"
            value={form.width}
            aria-invalid={!!errors.width}
            aria-describedby={errors.width ? `${id}-w-err` : undefined}
            onChange={(e) => set('width', e.target.value)}
            data-testid="width"
          />
          <FieldError id={`${id}-w-err`} error={errors.width} />
        </label>
        <span className="dims-times" aria-hidden="true">
          ×
        </span>
        <label className="field">
          <span>{t('options.height')}</span>
          <input
            inputMode="numeric"
            value={form.height}
            aria-invalid={!!errors.height}
            aria-describedby={errors.height ? `${id}-h-err` : undefined}
            onChange={(e) => set('height', e.target.value)}
            data-testid="height"
          />
          <FieldError id={`${id}-h-err`} error={errors.height} />
        </label>
      </div>
      <label className="field">
        <span>{t('options.fit')}</span>
        <select value={form.fit} onChange={(e) => set('fit', e.target.value as BoxFit)} aria-describedby={`${id}-fit-hint`} data-testid="fit">
          {BOX_FITS.map((f) => (
            <option key={f} value={f}>
              {t(`options.fit.${f}`)}
            </option>
          ))}
        </select>
        <span className="hint" id={`${id}-fit-hint`} data-testid="fit-hint">
          {t(`options.fitHint.${form.fit}`)}
        </span>
      </label>
      {form.fit === 'cover' && (
        <div className="field-group">
          <span className="group-label small-label" id={`${id}-gravity`}>
            {t('options.gravity')}
          </span>
          <div className="segmented segmented-grid gravities" role="radiogroup" aria-labelledby={`${id}-gravity`} aria-describedby={`${id}-gravity-hint`}>
            {CROP_GRAVITIES.map((g) => (
              <label key={g} className={form.gravity === g ? 'selected' : ''}>
                <input type="radio" name={`${id}-gravity`} value={g} checked={form.gravity === g} onChange={() => set('gravity', g)} data-testid={`gravity-${g}`} />
                {t(`options.gravity.${g}`)}
              </label>
            ))}
          </div>
          <p className="hint" id={`${id}-gravity-hint`}>
            {t(`options.gravityHint.${form.gravity}`)}
          </p>
        </div>
      )}
      <SampleResult form={form} sample={sample} />
    </div>
  );
}

/** The chosen logo as a small picture, so a person sees which file they picked. */
function LogoThumb({ file }: { file: File }) {
  const url = useMemo(() => URL.createObjectURL(file), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img className="logo-thumb" src={url} alt="" width={44} height={44} data-testid="logo-thumb" />;
}
