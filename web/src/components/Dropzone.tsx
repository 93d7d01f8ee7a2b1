// Drag-and-drop or pick images; thumbnails of what was picked; refused files named with why.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18n';
import { ACCEPT_ATTRIBUTE, MAX_FILE_BYTES, MAX_FILES, totalBytes, type Rejection } from '../lib/files';
import { formatBytes } from '../lib/format';

interface Props {
  files: File[];
  rejected: Rejection[];
  onAdd: (files: File[]) => void;
  onRemove: (index: number) => void;
  onClear: () => void;
  disabled?: boolean;
}

export function Dropzone({ files, rejected, onAdd, onRemove, onClear, disabled }: Props) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  return (
    <section className="card files" aria-labelledby="files-title">
      <h2 id="files-title" className="sr-only">
        {t('convert.choose')}
      </h2>
      <div
        className={`dropzone${over ? ' dropzone-over' : ''}`}
        role="button"
        tabIndex={disabled ? -1 : 0}
        aria-describedby={hintId}
        aria-disabled={disabled}
        onClick={() => !disabled && input.current?.click()}
        onKeyDown={(e) => {
          if (!disabled && (e.key === 'Enter' || e.key === ' ')) {
            e.preventDefault();
            input.current?.click();
          }
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!disabled) onAdd([...e.dataTransfer.files]);
        }}
        data-testid="dropzone"
      >
        <svg viewBox="0 0 24 24" width="36" height="36" aria-hidden="true">
          <path fill="currentColor" d="M19 13v6H5v-6H3v6a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-6zM11 4.8V16h2V4.8l3.6 3.6L18 7l-6-6-6 6 1.4 1.4z" />
        </svg>
        <strong>{t('convert.drop')}</strong>
        <span id={hintId} className="muted">
          {t('convert.dropHint', { max: MAX_FILES, size: formatBytes(MAX_FILE_BYTES) })}
        </span>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          hidden
          aria-label={t('convert.choose')}
          data-testid="file-input"
          onChange={(e) => {
            onAdd([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>

      {rejected.length > 0 && (
        <div className="error-box" role="alert" data-testid="rejected">
          <strong>{t('convert.rejected')}</strong>
          <ul>
            {rejected.map((r, i) => (
              <li key={`${r.name}-${i}`}>
                <span className="filename">{r.name}</span>: {t(`convert.reason.${r.reason}`, { max: r.reason === 'too_many' ? MAX_FILES : formatBytes(MAX_FILE_BYTES), size: formatBytes(r.size) })}
              </li>
            ))}
          </ul>
        </div>
      )}

      {files.length > 0 && (
        <>
          <div className="row-between">
            <span className="muted" data-testid="picked-count">
              {t('convert.picked', { n: files.length, max: MAX_FILES, size: formatBytes(totalBytes(files)) })}
            </span>
            <button type="button" className="btn btn-small btn-ghost" onClick={onClear} disabled={disabled}>
              {t('convert.clear')}
            </button>
          </div>
          <ul className="thumbs" aria-label={t('convert.picked', { n: files.length, max: MAX_FILES, size: formatBytes(totalBytes(files)) })}>
            {files.map((f, i) => (
              <Thumb key={`${f.name}-${f.size}-${f.lastModified}`} file={f} onRemove={() => onRemove(i)} disabled={disabled} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Thumb({ file, onRemove, disabled }: { file: File; onRemove: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  const url = useMemo(() => URL.createObjectURL(file), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const [broken, setBroken] = useState(false);
  return (
    <li className="thumb">
      {broken ? (
        <span className="thumb-fallback" aria-hidden="true">
          {file.name.split('.').pop()?.toUpperCase()}
        </span>
      ) : (
        <img src={url} alt="" loading="lazy" decoding="async" onError={() => setBroken(true)} />
      )}
      <span className="thumb-name" title={file.name}>
        {file.name}
      </span>
      <span className="thumb-size">{formatBytes(file.size)}</span>
      <button type="button" className="thumb-remove" aria-label={t('convert.remove', { name: file.name })} onClick={onRemove} disabled={disabled}>
        ×
      </button>
    </li>
  );
}
