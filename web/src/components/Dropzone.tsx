// Drag-and-drop or pick images; thumbnails of what was picked (a tap shows one in the preview);
// a refused file stays in the grid, marked with why, while the rest still go; files past the
// limit per job are counted.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18n';
import { ACCEPT_ATTRIBUTE, MAX_FILE_BYTES, MAX_FILES, totalBytes, type Refusals, type Rejection } from '../lib/files';
import { formatBytes } from '../lib/format';

interface Props {
  files: File[];
  refusals: Refusals;
  onAdd: (files: File[]) => void;
  onRemove: (index: number) => void;
  /** takes a marked (refused) file off the grid */
  onDismiss: (index: number) => void;
  onClear: () => void;
  /** the file in the preview, and choosing another */
  previewIndex?: number;
  onPreview?: (index: number) => void;
  disabled?: boolean;
}

export function Dropzone({ files, refusals, onAdd, onRemove, onDismiss, onClear, previewIndex, onPreview, disabled }: Props) {
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

      {(refusals.leftOut > 0 || refusals.duplicates > 0) && (
        <div className="notice" role="status" data-testid="left-out">
          {refusals.leftOut > 0 && <p>{t('convert.leftOut', { n: refusals.leftOut, max: MAX_FILES })}</p>}
          {refusals.duplicates > 0 && <p>{t('convert.duplicates', { n: refusals.duplicates })}</p>}
        </div>
      )}

      {(files.length > 0 || refusals.marked.length > 0) && (
        <>
          <div className="row-between">
            <span className="muted" data-testid="picked-count">
              {t('convert.picked', { n: files.length, max: MAX_FILES, size: formatBytes(totalBytes(files)) })}
              {refusals.marked.length > 0 && <span className="text-danger"> · {t('convert.refusedCount', { n: refusals.marked.length })}</span>}
            </span>
            <button type="button" className="btn btn-small btn-ghost" onClick={onClear} disabled={disabled}>
              {t('convert.clear')}
            </button>
          </div>
          <ul className="thumbs" aria-label={t('convert.picked', { n: files.length, max: MAX_FILES, size: formatBytes(totalBytes(files)) })}>
            {files.map((f, i) => (
              <Thumb
                key={`${f.name}-${f.size}-${f.lastModified}`}
                file={f}
                onRemove={() => onRemove(i)}
                selected={files.length > 1 && previewIndex === i}
                onPreview={onPreview && files.length > 1 ? () => onPreview(i) : undefined}
                disabled={disabled}
              />
            ))}
            {refusals.marked.map((r, i) => (
              <RefusedThumb key={`refused-${r.name}-${r.size}`} rejection={r} onDismiss={() => onDismiss(i)} disabled={disabled} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A file that will not be uploaded, in the grid with its reason. */
function RefusedThumb({ rejection, onDismiss, disabled }: { rejection: Rejection; onDismiss: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  const reason = t(`convert.reason.${rejection.reason}`, { max: formatBytes(MAX_FILE_BYTES), size: formatBytes(rejection.size) });
  return (
    <li className="thumb thumb-refused" data-testid="refused" data-reason={rejection.reason}>
      <div className="thumb-frame">
        <span className="thumb-fallback" aria-hidden="true">
          {rejection.name.includes('.') ? rejection.name.split('.').pop()?.toUpperCase() : '?'}
        </span>
        <span className="thumb-badge" aria-hidden="true">
          {t('convert.notUploaded')}
        </span>
      </div>
      <span className="thumb-name" title={rejection.name}>
        {rejection.name}
      </span>
      <span className="thumb-reason">
        <span className="sr-only">{t('convert.notUploaded')}: </span>
        {reason}
      </span>
      <button type="button" className="thumb-remove" aria-label={t('convert.remove', { name: rejection.name })} onClick={onDismiss} disabled={disabled}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

function Thumb({
  file,
  onRemove,
  selected,
  onPreview,
  disabled,
}: {
  file: File;
  onRemove: () => void;
  selected: boolean;
  onPreview?: () => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const url = useMemo(() => URL.createObjectURL(file), [file]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const [broken, setBroken] = useState(false);
  const picture = broken ? (
    <span className="thumb-fallback" aria-hidden="true">
      {file.name.split('.').pop()?.toUpperCase()}
    </span>
  ) : (
    <img src={url} alt="" loading="lazy" decoding="async" onError={() => setBroken(true)} />
  );
  return (
    <li className={`thumb${selected ? ' thumb-selected' : ''}`}>
      <div className="thumb-frame">
        {onPreview ? (
          <button type="button" className="thumb-pick" aria-pressed={selected} aria-label={t('convert.previewThis', { name: file.name })} onClick={onPreview}>
            {picture}
          </button>
        ) : (
          picture
        )}
        {selected && (
          <span className="thumb-badge thumb-badge-preview" aria-hidden="true">
            {t('convert.inPreview')}
          </span>
        )}
      </div>
      <span className="thumb-name" title={file.name}>
        {file.name}
      </span>
      <span className="thumb-size">{formatBytes(file.size)}</span>
      <button type="button" className="thumb-remove" aria-label={t('convert.remove', { name: file.name })} onClick={onRemove} disabled={disabled}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}
