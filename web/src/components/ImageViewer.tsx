// The full-size viewer of a job's images: the output over its source with a before/after
// divider, like Squoosh's. The divider is in screen space (it stays put while zooming and
// panning); both pictures share one zoom and pan. Keyboard: arrows move the divider (Shift:
// finely), + and - zoom, 0 fits, Page Up/Down change image, Esc closes. Touch or mouse: drag
// the divider (or anywhere at 100%), drag to pan when zoomed, wheel zooms.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import { useI18n } from '../i18n/I18n';
import { clampPan, clampZoom, moveDivider, stepZoom, MAX_ZOOM, MIN_ZOOM } from '../lib/viewer';

export interface ViewerPicture {
  /** the file itself */
  full: string;
  /** the server's largest thumbnail of it (for types a browser cannot draw, or if `full` fails) */
  fallback: string;
  /** false when the browser cannot draw the file (HEIC, TIFF): start from `fallback` */
  drawable: boolean;
  /** "2560 × 1600 · 682 KB" */
  caption: string;
}

export interface ViewerItem {
  index: number;
  name: string;
  after: ViewerPicture;
  /** null when this server keeps no source images */
  before: ViewerPicture | null;
}

interface Props {
  items: ViewerItem[];
  /** position in `items` to open at */
  start: number;
  onClose: () => void;
}

/** An <img> that falls back to the thumbnail once, and says when neither loads. */
function Picture({ picture, alt, className, onState }: { picture: ViewerPicture; alt: string; className: string; onState: (s: 'full' | 'fallback' | 'broken') => void }) {
  const { full, fallback, drawable } = picture;
  const [src, setSrc] = useState(drawable ? full : fallback);
  useEffect(() => {
    setSrc(drawable ? full : fallback);
    onState(drawable ? 'full' : 'fallback');
  }, [full, fallback, drawable, onState]);
  return (
    <img
      className={className}
      src={src}
      alt={alt}
      draggable={false}
      decoding="async"
      onError={() => {
        if (src !== fallback) {
          setSrc(fallback);
          onState('fallback');
        } else onState('broken');
      }}
    />
  );
}

export function ImageViewer({ items, start, onClose }: Props) {
  const { t } = useI18n();
  const titleId = useId();
  const hintId = useId();
  const [at, setAt] = useState(Math.max(0, Math.min(start, items.length - 1)));
  const [divider, setDivider] = useState(50);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [afterState, setAfterState] = useState<'full' | 'fallback' | 'broken'>('full');
  const [beforeState, setBeforeState] = useState<'full' | 'fallback' | 'broken'>('full');
  const dialog = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const handle = useRef<HTMLDivElement>(null);
  const drag = useRef<{ kind: 'divider' | 'pan'; x: number; y: number; pan: { x: number; y: number } } | null>(null);
  const item = items[at];

  // Focus the divider on open (arrows then do the obvious thing); give focus back on close;
  // the page behind does not scroll.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    (handle.current ?? dialog.current)?.focus();
    return () => {
      document.body.style.overflow = overflow;
      opener?.focus?.();
    };
  }, []);

  const view = () => {
    const r = canvas.current?.getBoundingClientRect();
    return { width: r?.width ?? 0, height: r?.height ?? 0 };
  };
  const zoomTo = useCallback((next: number) => {
    const z = clampZoom(next);
    setZoom(z);
    setPan((p) => (z === 1 ? { x: 0, y: 0 } : clampPan(p, z, view())));
  }, []);
  const go = (next: number) => {
    setAt((next + items.length) % items.length);
    setZoom(1);
    setPan({ x: 0, y: 0 });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key === 'Tab') {
      // Keep focus inside the dialog.
      const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button:not(:disabled), [tabindex="0"]') ?? [])];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first?.focus();
      }
      return;
    }
    if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoomTo(stepZoom(zoom, 1));
      return;
    }
    if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      zoomTo(stepZoom(zoom, -1));
      return;
    }
    if (e.key === '0') {
      e.preventDefault();
      zoomTo(1);
      return;
    }
    if ((e.key === 'PageDown' || e.key === 'PageUp') && items.length > 1) {
      e.preventDefault();
      go(at + (e.key === 'PageDown' ? 1 : -1));
      return;
    }
    if (!item?.before) return;
    const next = moveDivider(divider, e.key, e.shiftKey);
    if (next !== null) {
      e.preventDefault();
      setDivider(next);
    }
  };

  const dividerAt = (clientX: number) => {
    const r = canvas.current?.getBoundingClientRect();
    if (!r || r.width <= 0) return;
    setDivider(Math.max(0, Math.min(100, ((clientX - r.left) / r.width) * 100)));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const onHandle = handle.current?.contains(e.target as Node) ?? false;
    const kind = onHandle || (zoom === 1 && item?.before) ? 'divider' : 'pan';
    if (kind === 'pan' && zoom === 1) return;
    drag.current = { kind, x: e.clientX, y: e.clientY, pan };
    e.currentTarget.setPointerCapture(e.pointerId);
    if (kind === 'divider') dividerAt(e.clientX);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    if (d.kind === 'divider') dividerAt(e.clientX);
    else setPan(clampPan({ x: d.pan.x + e.clientX - d.x, y: d.pan.y + e.clientY - d.y }, zoom, view()));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    zoomTo(zoom * Math.exp(-e.deltaY / 400));
  };

  if (!item) return null;
  const stage = { transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` };
  const thumbNote =
    afterState === 'fallback' || beforeState === 'fallback' ? <p className="viewer-note">{t('viewer.thumbnailShown')}</p> : null;

  return (
    <div className="viewer-backdrop">
      <div
        ref={dialog}
        className="viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={hintId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="viewer"
        data-zoom={zoom}
      >
        <div className="viewer-bar">
          <h2 id={titleId} className="viewer-title">
            <span className="filename">{item.name}</span>
            {items.length > 1 && <span className="muted small"> · {t('viewer.count', { i: at + 1, n: items.length })}</span>}
          </h2>
          <div className="viewer-tools">
            {items.length > 1 && (
              <>
                <button type="button" className="btn btn-icon" onClick={() => go(at - 1)} aria-label={t('viewer.prevImage')} title={t('viewer.prevImage')}>
                  <span aria-hidden="true">‹</span>
                </button>
                <button type="button" className="btn btn-icon" onClick={() => go(at + 1)} aria-label={t('viewer.nextImage')} title={t('viewer.nextImage')}>
                  <span aria-hidden="true">›</span>
                </button>
              </>
            )}
            <button
              type="button"
              className="btn btn-icon"
              onClick={() => zoomTo(stepZoom(zoom, -1))}
              disabled={zoom <= MIN_ZOOM}
              aria-label={t('viewer.zoomOut')}
              title={t('viewer.zoomOut')}
              data-testid="zoom-out"
            >
              <span aria-hidden="true">−</span>
            </button>
            <button type="button" className="btn btn-zoom" onClick={() => zoomTo(1)} title={t('viewer.zoomFit')} data-testid="zoom-level">
              <span className="sr-only">{t('viewer.zoomFit')}: </span>
              {t('viewer.zoomLevel', { z: Math.round(zoom * 100) })}
            </button>
            <button
              type="button"
              className="btn btn-icon"
              onClick={() => zoomTo(stepZoom(zoom, 1))}
              disabled={zoom >= MAX_ZOOM}
              aria-label={t('viewer.zoomIn')}
              title={t('viewer.zoomIn')}
              data-testid="zoom-in"
            >
              <span aria-hidden="true">+</span>
            </button>
            <button type="button" className="btn btn-icon" onClick={onClose} aria-label={t('viewer.close')} title={t('viewer.close')} data-testid="viewer-close">
              <span aria-hidden="true">×</span>
            </button>
          </div>
        </div>

        <div
          ref={canvas}
          className={`viewer-canvas${zoom > 1 ? ' viewer-zoomed' : ''}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onWheel={onWheel}
        >
          <div className="viewer-layer">
            <div className="viewer-stage" style={stage}>
              <Picture picture={item.after} alt={`${t('job.after')}: ${item.name}`} className="viewer-img" onState={setAfterState} />
            </div>
          </div>
          {item.before && (
            <>
              <div className="viewer-layer" style={{ clipPath: `inset(0 ${100 - divider}% 0 0)` }} data-testid="viewer-before">
                <div className="viewer-stage" style={stage}>
                  <Picture picture={item.before} alt={`${t('job.before')}: ${item.name}`} className="viewer-img" onState={setBeforeState} />
                </div>
              </div>
              <span className="viewer-label viewer-label-before" aria-hidden="true">
                {t('job.before')}
              </span>
              <span className="viewer-label viewer-label-after" aria-hidden="true">
                {t('job.after')}
              </span>
              <div className="viewer-divider" style={{ left: `${divider}%` }}>
                <div
                  ref={handle}
                  className="viewer-handle"
                  role="slider"
                  tabIndex={0}
                  aria-label={t('viewer.divider')}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(divider)}
                  aria-valuetext={t('viewer.dividerValue', { percent: Math.round(divider) })}
                  data-testid="viewer-divider"
                >
                  <span aria-hidden="true">‹ ›</span>
                </div>
              </div>
            </>
          )}
          {(afterState === 'broken' || beforeState === 'broken') && <p className="viewer-note viewer-note-error">{t('viewer.broken')}</p>}
        </div>

        <div className="viewer-foot">
          <p className="viewer-captions">
            {item.before && (
              <span>
                <strong>{t('job.before')}</strong> {item.before.caption}
              </span>
            )}
            <span>
              <strong>{t('job.after')}</strong> {item.after.caption}
            </span>
          </p>
          {thumbNote}
          <p id={hintId} className="viewer-hint">
            {item.before ? t('viewer.keys') : t('viewer.keysNoBefore')}
          </p>
        </div>
      </div>
    </div>
  );
}
