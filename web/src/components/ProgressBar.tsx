import { useI18n } from '../i18n/I18n';

/** A progress bar with its value for assistive technology (role=progressbar, aria-valuenow). */
export function ProgressBar({ value, label, failed = 0 }: { value: number; label: string; failed?: number }) {
  const { fmt } = useI18n();
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      data-value={v}
    >
      <div className={`progress-fill${failed > 0 ? ' progress-warn' : ''}${v === 100 ? ' progress-full' : ''}`} style={{ width: `${v}%` }} />
      <span className="progress-text">{fmt.percent(v)}</span>
    </div>
  );
}
