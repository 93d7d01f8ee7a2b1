import type { Job } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { isFinal } from '../lib/jobEvents';
import { progressPercent, sizeSaved } from '../lib/format';
import { ProgressBar } from './ProgressBar';

/** Counts, the live progress bar while running, and the sizes saved (before → after, %). */
export function JobSummary({ job }: { job: Job }) {
  const { t, fmt } = useI18n();
  const percent = progressPercent(job.done, job.failed, job.total);
  const finished = isFinal(job.status);
  const saved = sizeSaved(job.bytes_in, job.bytes_out);
  return (
    <div className="job-summary">
      {(!finished || job.status === 'done' || job.status === 'partial') && (
        <ProgressBar value={finished && job.status !== 'canceled' ? 100 : percent} label={t('jobs.progress', { name: job.name })} failed={job.failed} />
      )}
      <div className="job-stats">
        <span data-testid="job-counts">{t('jobs.images', { done: job.done, total: job.total })}</span>
        {job.failed > 0 && <span className="text-danger">{t('jobs.failedCount', { n: job.failed })}</span>}
        {finished && job.done > 0 && job.bytes_out > 0 && (
          <span className={saved.saved >= 0 ? 'text-good' : 'text-warn'} data-testid="job-saved">
            {t('jobs.saved', { before: fmt.bytes(job.bytes_in), after: fmt.bytes(job.bytes_out), percent: fmt.percentChange(saved) })}
          </span>
        )}
      </div>
    </div>
  );
}
