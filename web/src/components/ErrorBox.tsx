import { toApiError } from '../api/errors';
import { useI18n } from '../i18n/I18n';
import { errorText } from '../lib/errorText';

/** An API error in the person's language, with the server's precise message under it. */
export function ErrorBox({ error, context, onRetry }: { error: unknown; context?: 'login'; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const { summary, detail } = errorText(toApiError(error), t, context);
  return (
    <div className="error-box" role="alert">
      <strong>{summary}</strong>
      {detail && <span className="error-detail">{detail}</span>}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
