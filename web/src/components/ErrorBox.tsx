import { toApiError } from '../api/errors';
import { useI18n } from '../i18n/I18n';
import { errorText } from '../lib/errorText';

/** An API error in the person's language (from its code), the field it names, and the
 * server's precise message under it. */
export function ErrorBox({ error, context, onRetry }: { error: unknown; context?: 'login'; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = toApiError(error);
  const { summary, field, detail } = errorText(apiError, t, context);
  return (
    <div className="error-box" role="alert" data-code={apiError.code}>
      <strong>{summary}</strong>
      {field && <span className="error-field">{field}</span>}
      {detail && <span className="error-detail">{detail}</span>}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
