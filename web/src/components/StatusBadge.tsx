import type { JobStatus } from '../api/client';
import { useI18n } from '../i18n/I18n';

export function StatusBadge({ status }: { status: JobStatus | string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
