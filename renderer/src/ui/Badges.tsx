import { describeBasis, type ConfidenceBasis } from '../../../shared/confidence';
import { CONFIDENCE_LABELS, type AreaRef, type Confidence } from '../../../shared/model';

/**
 * The analyst's confidence, or the one derived from the citations, with what it rests on beside it:
 * "Moderate (derived) · 1 source, B2".
 */
export function ConfidenceBadge({ set, derived, basis }: { set: Confidence | null; derived: Confidence | null; basis?: ConfidenceBasis | null }) {
  const rests = basis ? describeBasis(basis) : null;
  if (set)
    return (
      <span className="confidence-with-basis">
        <span className={`confidence confidence-${set}`} title="Set by the analyst">
          {CONFIDENCE_LABELS[set]}
        </span>
        {rests ? <span className="confidence-basis"> · {rests}</span> : null}
      </span>
    );
  if (derived)
    return (
      <span className="confidence-with-basis">
        <span className={`confidence confidence-${derived} derived`} title="Derived from the citations: independent sources and their grades">
          {CONFIDENCE_LABELS[derived]} (derived)
        </span>
        {rests ? <span className="confidence-basis"> · {rests}</span> : null}
      </span>
    );
  return null;
}

/** Shown on every entity and link that cites no excerpt. */
export function UnsourcedMark() {
  return (
    <span className="unsourced" title="No excerpt supports this claim yet">
      unsourced
    </span>
  );
}

export function GradeBadge({ grade }: { grade: string }) {
  return (
    <span className="grade" title="Source reliability (A–F) and excerpt credibility (1–6)">
      {grade}
    </span>
  );
}

export function AreaChip({ area, onRemove }: { area: AreaRef; onRemove?: (() => void) | undefined }) {
  return (
    <span className="area-chip" data-area={area.name}>
      <span className="area-dot" aria-hidden="true" style={{ background: area.colour }} />
      {area.name}
      {onRemove ? (
        <button type="button" className="chip-remove" onClick={onRemove} aria-label={`Remove ${area.name}`}>
          ×
        </button>
      ) : null}
    </span>
  );
}
