// One job: live progress over its own event stream, each image before/after with dimensions,
// bytes and errors (and what was left alone), a full-size before/after viewer, single
// downloads, the ZIP, retry of failed images, cancel while it runs, delete once it ended, and
// converting the same uploads again as a new job (also after expiry, while they are kept).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { useEventStream } from '../api/sse';
import type { Job, JobImage } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { ImageFailure } from '../components/ImageFailure';
import { ImageViewer, type ViewerItem } from '../components/ImageViewer';
import { JobSummary } from '../components/JobSummary';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n, type Formatters } from '../i18n/I18n';
import { sizeSaved } from '../lib/format';
import { applyToJob, isFinal, type ServerEvent } from '../lib/jobEvents';
import { describeOptions } from '../lib/options';
import type { ConvertAgainState } from '../lib/presets';
import { keptSize } from '../lib/resize';
import { browserCanShow } from '../lib/viewer';
import { useCapabilities } from '../state/capabilities';

export function JobPage() {
  const { id = '' } = useParams();
  const { t, fmt } = useI18n();
  const navigate = useNavigate();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The newest read wins: the answer of an older one still in flight (say, the read right after a
  // retry) is dropped, so it cannot undo the completion that a later read, a snapshot or an event
  // brought.
  const loads = useRef(0);
  const load = useCallback(() => {
    const controller = new AbortController();
    const n = ++loads.current;
    api.job(id, controller.signal).then(
      (j) => {
        if (n !== loads.current) return;
        setJob(j);
        setError(null);
      },
      (e: unknown) => {
        if (n === loads.current && (e as Error).name !== 'AbortError') setError(e);
      },
    );
    return () => controller.abort();
  }, [id]);
  useEffect(load, [load]);

  const running = job !== null && !isFinal(job.status);
  const onEvent = useCallback(
    (event: ServerEvent) => {
      // A snapshot is the job as the stream found it once subscribed: newer than any read asked
      // for before it (the one right after a retry, say), whose answer is dropped if still on its
      // way; from the snapshot on, the stream brings every change.
      if (event.type === 'snapshot') loads.current++;
      setJob((j) => applyToJob(j, event));
      // The completion event carries the summary; read the images' final records once.
      if (event.type === 'job.completed' || event.type === 'job.failed') load();
    },
    [load],
  );
  // Stream only while the job can still change (a retry re-opens it).
  const stream = useEventStream(running ? `/v1/jobs/${encodeURIComponent(id)}/events` : null, onEvent);

  if (error) {
    return (
      <div className="page">
        <Link to="/jobs">← {t('job.back')}</Link>
        {error instanceof ApiError && error.status === 404 ? <p className="empty">{t('job.notFound')}</p> : <ErrorBox error={error} onRetry={load} />}
      </div>
    );
  }
  if (!job) return <p className="page muted">{t('common.loading')}</p>;

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const finished = isFinal(job.status);
  // A canceled job keeps the images done before the cancel, zipped once its expiry is set.
  const canDownload =
    finished && job.done > 0 && job.status !== 'expired' && (job.status !== 'canceled' || job.expires_at != null);
  const canRetry = finished && job.failed > 0 && job.status !== 'expired' && job.status !== 'canceled';

  return (
    <div className="page job-page" data-job-id={job.id} data-status={job.status}>
      <Link to="/jobs" className="back">
        ← {t('job.back')}
      </Link>
      <div className="row-between wrap">
        <h1 className="job-title">{job.name}</h1>
        <StatusBadge status={job.status} />
      </div>
      <section className="card" aria-live="polite">
        <JobSummary job={job} />
        <dl className="facts">
          <div>
            <dt>{t('job.created')}</dt>
            <dd>{fmt.date(job.created_at)}</dd>
          </div>
          {job.duration_ms != null && (
            <div>
              <dt>{t('job.duration')}</dt>
              <dd>{fmt.duration(job.duration_ms)}</dd>
            </div>
          )}
          {job.expires_at && (
            <div>
              <dt>{t('job.expires')}</dt>
              <dd>{fmt.date(job.expires_at)}</dd>
            </div>
          )}
          <div className="facts-wide">
            <dt>{t('job.options')}</dt>
            <dd data-testid="job-options">{describeOptions(job.options, t)}</dd>
          </div>
        </dl>
        <details className="raw-options">
          <summary>{t('job.rawOptions')}</summary>
          <code className="options-json">{JSON.stringify(job.options, null, 1)}</code>
        </details>
        {running && stream === 'reconnecting' && <p className="muted small">{t('live.reconnecting')}</p>}
        {job.status === 'expired' && <p className="muted">{t(job.sources_kept ? 'job.expiredSourcesKept' : 'job.expiredNote')}</p>}
        <div className="actions">
          {canDownload && (
            <a className="btn btn-primary" href={api.archiveUrl(job.id)} download data-testid="download-zip">
              {t('job.downloadAll')}
            </a>
          )}
          <button
            type="button"
            className="btn"
            onClick={() => navigate('/convert', { state: { options: job.options } satisfies ConvertAgainState })}
            data-testid="convert-again"
          >
            {t('job.convertAgain')}
          </button>
          {finished && job.sources_kept && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              data-testid="convert-files-again"
              onClick={() =>
                void act(async () => {
                  const created = await api.convertAgain(job.id);
                  navigate(`/jobs/${encodeURIComponent(created.id)}`);
                })
              }
            >
              {t('job.convertFilesAgain')}
            </button>
          )}
          {canRetry && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  setJob({ ...(await api.retryJob(job.id)), images: job.images });
                  setNotice(t('job.retried'));
                  load();
                })
              }
            >
              {t('job.retry')}
            </button>
          )}
          {finished ? (
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => {
                if (!window.confirm(t('job.confirmDelete'))) return;
                void act(async () => {
                  await api.deleteJob(job.id);
                  navigate('/jobs');
                });
              }}
            >
              {t('job.delete')}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              data-testid="cancel-job"
              onClick={() => {
                if (!window.confirm(t('job.confirmCancel'))) return;
                void act(async () => {
                  setJob({ ...(await api.cancelJob(job.id)), images: job.images });
                  setNotice(t('job.canceled'));
                  load();
                });
              }}
            >
              {t('job.cancel')}
            </button>
          )}
        </div>
        {notice && <p role="status">{notice}</p>}
        <ErrorBox error={actionError} />
      </section>
      <ImageList job={job} />
    </div>
  );
}

function beforeCaption(image: JobImage, fmt: Formatters): string {
  return `${image.input.width > 0 ? `${image.input.width} × ${image.input.height} · ` : ''}${fmt.bytes(image.input.bytes)}`;
}

function ImageList({ job }: { job: Job }) {
  const { t, fmt } = useI18n();
  const caps = useCapabilities();
  const [viewing, setViewing] = useState<number | null>(null);
  const expired = job.status === 'expired';
  // The viewer shows converted images: the output file, over the upload when the server keeps it.
  const items = useMemo<ViewerItem[]>(
    () =>
      expired
        ? []
        : (job.images ?? [])
            .filter((img) => img.status === 'done' && img.output)
            .map((img) => ({
              index: img.index,
              name: img.output_name ?? img.source_name,
              after: {
                full: api.imageUrl(job.id, img.index),
                fallback: api.imageUrl(job.id, img.index, caps.largestThumbnail),
                drawable: browserCanShow(img.output?.format ?? img.output_name ?? ''),
                caption: `${img.output!.width} × ${img.output!.height} · ${fmt.bytes(img.output!.bytes)}`,
              },
              before: caps.sourceImages
                ? {
                    full: api.sourceUrl(job.id, img.index, caps.sourceImages),
                    fallback: api.sourceUrl(job.id, img.index, caps.sourceImages, caps.largestThumbnail),
                    drawable: browserCanShow(img.source_name),
                    caption: beforeCaption(img, fmt),
                  }
                : null,
            })),
    [job.id, job.images, expired, caps.sourceImages, caps.largestThumbnail, fmt],
  );
  if (!job.images) return null;
  const open = (index: number) => {
    const at = items.findIndex((i) => i.index === index);
    if (at >= 0) setViewing(at);
  };
  return (
    <>
      {caps.loaded && !caps.sourceImages && <p className="muted small">{t('job.noSource')}</p>}
      <ul className="image-list">
        {job.images.map((img) => (
          <ImageRow
            key={img.index}
            job={job}
            image={img}
            sourceSegment={caps.sourceImages}
            onView={items.some((i) => i.index === img.index) ? () => open(img.index) : undefined}
          />
        ))}
      </ul>
      {viewing !== null && items.length > 0 && <ImageViewer items={items} start={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}

function Thumbnail({ src, alt, onOpen, openLabel }: { src: string | null; alt: string; onOpen?: () => void; openLabel?: string }) {
  const [broken, setBroken] = useState(false);
  if (!src || broken) return <div className="image-thumb image-thumb-empty" aria-hidden="true" />;
  const img = <img className="image-thumb" src={src} alt={alt} loading="lazy" decoding="async" onError={() => setBroken(true)} />;
  if (!onOpen) return img;
  // A click on the picture opens the viewer too; keyboard and screen-reader users have the
  // labelled "View" button of the same card.
  return (
    <div className="thumb-open" onClick={onOpen} title={openLabel}>
      {img}
    </div>
  );
}

const THUMB = 256;

function ImageRow({ job, image, sourceSegment, onView }: { job: Job; image: JobImage; sourceSegment: string | null; onView?: () => void }) {
  const { t, fmt } = useI18n();
  const out = image.output;
  const kept = image.status === 'done' ? keptSize(job.options, image.input, out) : null;
  const viewLabel = t('job.view', { name: image.output_name ?? image.source_name });
  const expired = job.status === 'expired';
  const saved = out ? sizeSaved(image.input.bytes, out.bytes) : null;
  const outputUrl = image.status === 'done' && !expired ? api.imageUrl(job.id, image.index) : null;
  // Thumbnails are rendered by the server (256 px: sharp at 2x for the ~120 px boxes).
  const outputThumb = outputUrl ? api.imageUrl(job.id, image.index, THUMB) : null;
  const after = out ? (
    <>
      {out.width} × {out.height} · {fmt.bytes(out.bytes)}{' '}
      {saved && <span className={saved.saved >= 0 ? 'text-good' : 'text-warn'}>({fmt.percentChange(saved)})</span>}
    </>
  ) : image.status === 'failed' ? (
    '—'
  ) : (
    t('job.waiting')
  );
  const before = beforeCaption(image, fmt);
  return (
    <li className="card image-row" data-index={image.index} data-status={image.status}>
      {sourceSegment ? (
        <div className="image-pair">
          <figure>
            <Thumbnail
              src={expired ? null : api.sourceUrl(job.id, image.index, sourceSegment, THUMB)}
              alt={`${t('job.before')}: ${image.source_name}`}
              onOpen={onView}
              openLabel={viewLabel}
            />
            <figcaption>
              {t('job.before')}
              <br />
              {before}
            </figcaption>
          </figure>
          <figure>
            <Thumbnail src={outputThumb} alt={`${t('job.after')}: ${image.output_name ?? image.source_name}`} onOpen={onView} openLabel={viewLabel} />
            <figcaption>
              {t('job.after')}
              <br />
              {after}
            </figcaption>
          </figure>
        </div>
      ) : (
        // No source-image route on this server: the output alone, with both sizes in words.
        <figure className="image-single">
          <Thumbnail src={outputThumb} alt={`${t('job.after')}: ${image.output_name ?? image.source_name}`} onOpen={onView} openLabel={viewLabel} />
          <figcaption>
            <span>
              {t('job.before')}: {before}
            </span>
            <span>
              {t('job.after')}: {after}
            </span>
          </figcaption>
        </figure>
      )}
      <div className="image-meta">
        <div className="row-between wrap">
          <span className="filename" title={image.source_name}>
            {image.source_name}
            {image.output_name && image.output_name !== image.source_name && <span className="muted"> → {image.output_name}</span>}
          </span>
          <StatusBadge status={image.status} />
        </div>
        {kept && (
          <p className="kept-note" data-testid="kept-note">
            {t('job.kept', { width: String(kept.width), height: String(kept.height) })}
          </p>
        )}
        {image.error && <ImageFailure error={image.error} />}
        {(outputUrl || onView) && (
          <div className="image-actions">
            {onView && (
              <button type="button" className="btn btn-small" onClick={onView} data-testid="view-image">
                {/* The visible word starts the accessible name (WCAG 2.5.3, label in name). */}
                {t('job.viewShort')}
                <span className="sr-only">: {viewLabel}</span>
              </button>
            )}
            {outputUrl && (
              <a className="btn btn-small" href={outputUrl} download>
                {t('job.download')}
              </a>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
