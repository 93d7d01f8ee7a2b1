// Drag-and-drop or pick images; thumbnails of what was picked (a tap shows one in the preview);
// a refused file (wrong type by name or by its first bytes, too large, too many pixels) stays in
// the grid, marked with why, while the rest still go; files past the limit per job are counted.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n, type Formatters, type I18n } from '../i18n/I18n';
import { ACCEPT_ATTRIBUTE, totalBytes, type Refusals, type Rejection } from '../lib/files';
import { SERVER_LIMITS, type Limits } from '../lib/limits';

interface Props {
  files: File[];
  refusals: Refusals;
  /** files of the last picks still being checked (their headers read) */
  checking?: number;
  limits?: Limits;
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

export function Dropzone({ files, refusals, checking = 0, limits = SERVER_LIMITS, onAdd, onRemove, onDismiss, onClear, previewIndex, onPreview, disabled }: Props) {
  const { t, fmt } = useI18n();
  const picked = t('convert.picked', { n: files.length, max: limits.maxFiles, size: fmt.bytes(totalBytes(files)) });
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
          {t('convert.dropHint', { max: limits.maxFiles, size: fmt.bytes(limits.maxFileBytes), pixels: fmt.megapixels(limits.maxPixels) })}
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

      <p className="muted small checking" role="status" data-testid="checking">
        {checking > 0 ? t('convert.checking', { n: checking }) : ''}
      </p>

      {(refusals.leftOut > 0 || refusals.duplicates > 0) && (
        <div className="notice" role="status" data-testid="left-out">
          {refusals.leftOut > 0 && <p>{t('convert.leftOut', { n: refusals.leftOut, max: limits.maxFiles })}</p>}
          {refusals.duplicates > 0 && <p>{t('convert.duplicates', { n: refusals.duplicates })}</p>}
        </div>
      )}

      {(files.length > 0 || refusals.marked.length > 0) && (
        <>
          <div className="row-between">
            <span className="muted" data-testid="picked-count">
              {picked}
              {refusals.marked.length > 0 && <span className="text-danger"> · {t('convert.refusedCount', { n: refusals.marked.length })}</span>}
            </span>
            <button type="button" className="btn btn-small btn-ghost" onClick={onClear} disabled={disabled}>
              {t('convert.clear')}
            </button>
          </div>
          <ul className="thumbs" aria-label={picked}>
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
              <RefusedThumb key={`refused-${r.name}-${r.size}`} rejection={r} limits={limits} onDismiss={() => onDismiss(i)} disabled={disabled} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Why a file is refused, with its numbers, in the reader's language. */
function reasonText(rejection: Rejection, limits: Limits, t: I18n['t'], fmt: Formatters): string {
  const p = rejection.pixels;
  if (rejection.reason === 'too_many_pixels' && p) {
    return t(p.progressive ? 'convert.reason.too_many_pixels_progressive' : 'convert.reason.too_many_pixels', {
      width: String(p.width),
      height: String(p.height),
      pixels: fmt.megapixels(p.width * p.height),
      max: fmt.megapixels(p.limit),
    });
  }
  return t(`convert.reason.${rejection.reason}`, { max: fmt.bytes(limits.maxFileBytes), size: fmt.bytes(rejection.size) });
}

/** A file that will not be uploaded, in the grid with its reason. */
function RefusedThumb({ rejection, limits, onDismiss, disabled }: { rejection: Rejection; limits: Limits; onDismiss: () => void; disabled?: boolean }) {
  const { t, fmt } = useI18n();
  const reason = reasonText(rejection, limits, t, fmt);
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
  const { t, fmt } = useI18n();
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
      <span className="thumb-size">{fmt.bytes(file.size)}</span>
      <button type="button" className="thumb-remove" aria-label={t('convert.remove', { name: file.name })} onClick={onRemove} disabled={disabled}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}
