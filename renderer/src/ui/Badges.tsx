import { CONFIDENCE_LABELS, type AreaRef, type Confidence } from '../../../shared/model';

/** The analyst's confidence, or the one derived from the citations (marked as derived). */
export function ConfidenceBadge({ set, derived }: { set: Confidence | null; derived: Confidence | null }) {
  if (set) return <span className={`confidence confidence-${set}`}>{CONFIDENCE_LABELS[set]}</span>;
  if (derived)
    return (
      <span className={`confidence confidence-${derived} derived`} title="Derived from the citations' grades">
        {CONFIDENCE_LABELS[derived]} (derived)
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
