import { useI18n } from '../i18n/I18n';
import { imageFailureText } from '../lib/errorText';

/**
 * Why one image of a job failed: a sentence in the reader's language from the error's code, and
 * the server's own words (a decoder's message, in English) folded away under it.
 */
export function ImageFailure({ error }: { error: { code: string; message: string; detail?: string } }) {
  const { t } = useI18n();
  const { summary, detail } = imageFailureText(error, t);
  return (
    <div className="image-failure">
      <p className="text-danger" data-testid="image-error" data-code={error.code}>
        {summary}
      </p>
      {detail && (
        <details className="error-more">
          <summary>{t('error.serverSaid')}</summary>
          <span className="error-detail" data-testid="image-error-detail">
            {detail}
          </span>
        </details>
      )}
    </div>
  );
}
