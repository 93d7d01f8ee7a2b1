// The jobs list: newest first, infinite scroll (and a button for keyboards), live progress.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Job } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { JobSummary } from '../components/JobSummary';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18n';
import { formatDate } from '../lib/format';
import { applyToJobs, finishedJobOf, notificationOf, withNewJob } from '../lib/jobEvents';
import { appendPage, emptyPaged, hasMore, replaceItems, type Paged } from '../lib/pagination';
import { useLive } from '../state/live';

const PAGE = 20;

export function JobsPage() {
  const { t, locale } = useI18n();
  const live = useLive();
  const [paged, setPaged] = useState<Paged<Job>>(emptyPaged);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const busy = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(null);
    try {
      const cursor = paged.initial ? null : paged.cursor;
      const page = await api.jobs(cursor, PAGE);
      setPaged((p) => appendPage(p, page));
    } catch (e) {
      setError(e);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [paged.cursor, paged.initial]);

  useEffect(() => {
    if (paged.initial) void loadMore();
  }, [paged.initial, loadMore]);

  // Infinite scroll: the sentinel under the list loads the next page when it comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore(paged) || paged.initial || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [paged, loadMore, error]);

  useEffect(
    () =>
      live.subscribe((event) => {
        setPaged((p) => replaceItems(p, applyToJobs(p.items, event)));
        // A job started elsewhere (another tab, the API): on top, from whichever comes first,
        // its record or its completion event.
        const finished = finishedJobOf(event);
        if (finished) setPaged((p) => replaceItems(p, withNewJob(p.items, finished)));
        const n = notificationOf(event);
        if (n?.type === 'JOB_STARTED' && n.job_id) {
          api.job(n.job_id).then(
            (job) => setPaged((p) => replaceItems(p, withNewJob(p.items, job))),
            () => undefined,
          );
        }
      }),
    [live],
  );

  return (
    <div className="page">
      <div className="row-between">
        <h1>{t('jobs.title')}</h1>
        <Link to="/convert" className="btn btn-primary">
          {t('jobs.new')}
        </Link>
      </div>
      {!paged.initial && paged.items.length === 0 && <p className="empty">{t('jobs.empty')}</p>}
      <ul className="job-list" aria-busy={loading}>
        {paged.items.map((job) => (
          <li key={job.id} className="card job-card" data-job-id={job.id} data-status={job.status}>
            <div className="row-between">
              <Link to={`/jobs/${encodeURIComponent(job.id)}`} className="job-name">
                {job.name}
              </Link>
              <StatusBadge status={job.status} />
            </div>
            <JobSummary job={job} />
            <span className="muted small">{formatDate(job.created_at, locale)}</span>
          </li>
        ))}
      </ul>
      <ErrorBox error={error} onRetry={() => void loadMore()} />
      <div ref={sentinel} className="sentinel" />
      {loading && <p className="muted">{t('common.loading')}</p>}
      {!loading && !paged.initial && paged.cursor !== null && (
        <button type="button" className="btn" onClick={() => void loadMore()}>
          {t('jobs.loadMore')}
        </button>
      )}
      {!paged.initial && paged.cursor === null && paged.items.length > PAGE && <p className="muted small">{t('jobs.end')}</p>}
    </div>
  );
}
