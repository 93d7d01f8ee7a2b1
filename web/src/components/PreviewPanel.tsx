// The live preview: one picked image (the first, or the one chosen here or in the grid)
// rendered by the server's own engine with the chosen options (POST /v1/preview), so what you
// see is what you get. Debounced; a newer request aborts the older one.
import { useEffect, useState } from 'react';
import { preview } from '../api/client';
import type { ConversionOptions, PreviewInfo } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { optionsKey } from '../lib/options';
import { useCapabilities } from '../state/capabilities';
import { ErrorBox } from './ErrorBox';

const DEBOUNCE_MS = 350;

interface Props {
  files: File[];
  /** which of `files` is shown */
  index: number;
  onIndex: (index: number) => void;
  options: ConversionOptions;
  logo: File | null;
  /** the options are invalid: keep the last preview, ask nothing */
  paused: boolean;
}

export function PreviewPanel({ files, index, onIndex, options, logo, paused }: Props) {
  const { t, fmt } = useI18n();
  const file = files[index] ?? null;
  const count = files.length;
  const caps = useCapabilities();
  const [url, setUrl] = useState<string | null>(null);
  const [info, setInfo] = useState<PreviewInfo | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = optionsKey(options);

  useEffect(() => {
    if (!caps.preview || !file || paused) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      preview(file, options, options.watermark?.type === 'image' ? logo : null, controller.signal)
        .then(({ blob, info: i }) => {
          setUrl((old) => {
            if (old) URL.revokeObjectURL(old);
            return URL.createObjectURL(blob);
          });
          setInfo(i);
          setError(null);
        })
        .catch((e: unknown) => {
          if ((e as Error).name !== 'AbortError') setError(e);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` stands for `options` (a new object on every render)
  }, [caps.preview, file, key, logo, paused]);

  useEffect(() => {
    if (!file) {
      setUrl((old) => {
        if (old) URL.revokeObjectURL(old);
        return null;
      });
      setInfo(null);
      setError(null);
    }
  }, [file]);

  return (
    <section className="card preview" aria-labelledby="preview-title" aria-busy={loading}>
      <h2 id="preview-title">{t('preview.title')}</h2>
      {!caps.preview && caps.loaded ? (
        <p className="muted">{t('preview.unavailable')}</p>
      ) : !file ? (
        <p className="muted">{t('preview.empty')}</p>
      ) : (
        <>
          <div className="preview-switch">
            {count > 1 && (
              <button
                type="button"
                className="btn btn-icon"
                aria-label={t('preview.prev')}
                title={t('preview.prev')}
                onClick={() => onIndex((index - 1 + count) % count)}
                data-testid="preview-prev"
              >
                <span aria-hidden="true">‹</span>
              </button>
            )}
            <p className="muted small" data-testid="preview-of" aria-live="polite">
              {t('preview.of', { i: index + 1, n: count, name: file.name })}
            </p>
            {count > 1 && (
              <button
                type="button"
                className="btn btn-icon"
                aria-label={t('preview.next')}
                title={t('preview.next')}
                onClick={() => onIndex((index + 1) % count)}
                data-testid="preview-next"
              >
                <span aria-hidden="true">›</span>
              </button>
            )}
          </div>
          <div className={`preview-frame${loading ? ' preview-loading' : ''}`}>
            {url && <img src={url} alt={t('preview.alt', { name: file.name })} data-testid="preview-image" />}
            {loading && <span className="preview-spinner">{t('preview.loading')}</span>}
          </div>
          {info && info.width !== null && (
            <p className="preview-info" data-testid="preview-info" aria-live="polite">
              {t('preview.result', {
                // pixel sizes as digits, never grouped ("2048 × 1536")
                width: String(info.width),
                height: String(info.height ?? '?'),
                format: (info.format ?? '').toUpperCase(),
                bytes: `${info.estimated && info.bytes !== null ? '≈ ' : ''}${fmt.bytes(info.bytes)}`,
              })}
            </p>
          )}
          <ErrorBox error={error} />
        </>
      )}
    </section>
  );
}
