// The 9-position watermark grid: a radio group, arrow keys move within it.
import { useRef } from 'react';
import type { Position } from '../api/client';
import { useI18n } from '../i18n/I18n';
import { movePosition, POSITIONS } from '../lib/options';

export function PositionGrid({ value, onChange, labelId }: { value: Position; onChange: (p: Position) => void; labelId: string }) {
  const { t } = useI18n();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  return (
    <div className="position-grid" role="radiogroup" aria-labelledby={labelId}>
      {POSITIONS.map((p) => (
        <button
          key={p}
          ref={(el) => {
            refs.current[p] = el;
          }}
          type="button"
          role="radio"
          aria-checked={p === value}
          aria-label={t(`position.${p}`)}
          title={t(`position.${p}`)}
          tabIndex={p === value ? 0 : -1}
          className={p === value ? 'selected' : ''}
          data-position={p}
          onClick={() => onChange(p)}
          onKeyDown={(e) => {
            const next = movePosition(value, e.key);
            if (next !== value) {
              e.preventDefault();
              onChange(next);
              refs.current[next]?.focus();
            }
          }}
        >
          <span className="dot" aria-hidden="true" />
        </button>
      ))}
    </div>
  );
}
