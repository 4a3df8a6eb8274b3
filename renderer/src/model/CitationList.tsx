import { useState } from 'react';
import type { CitationStance } from '../../../shared/confidence';
import type { Citation } from '../../../shared/model';
import { GradeBadge, UnsourcedMark } from '../ui/Badges';
import { ExcerptPicker } from '../ui/ExcerptPicker';

/** The excerpts an entity or link cites, each with its grade, and a way to cite another. */
export function CitationList({
  citations,
  onAdd,
  onRemove,
  onStance,
  disabled,
}: {
  citations: readonly Citation[];
  onAdd: (excerptId: string) => void;
  onRemove: (citation: Citation) => void;
  /** Marks a saved citation as supporting or contradicting the claim; absent before the item is saved. */
  onStance?: (citation: Citation, stance: CitationStance) => void;
  disabled?: boolean;
}) {
  const [picking, setPicking] = useState(false);
  return (
    <div className="citations">
      {citations.length === 0 ? (
        <p className="muted">
          <UnsourcedMark /> No excerpt supports this yet.
        </p>
      ) : (
        <ul className="citation-list">
          {citations.map((c) => (
            <li key={c.id} className={c.stance === 'contradicts' ? 'contradicts' : undefined}>
              <GradeBadge grade={c.grade} />
              <div className="citation-body">
                {c.stance === 'contradicts' ? <span className="stance-mark">Contradicts</span> : null}
                <q>{c.quote}</q>
                {c.translation ? (
                  <div className="citation-translation" lang={c.translationLanguage ?? undefined}>
                    <span className="muted">Translation{c.translationLanguage ? ` (${c.translationLanguage})` : ''}:</span> {c.translation}
                  </div>
                ) : null}
                <div className="excerpt-meta">
                  {c.sourceTitle}
                  {c.page ? `, p. ${c.page}` : ''}
                  {c.location ? `, ${c.location}` : ''}
                </div>
                {onStance ? (
                  <label className="stance-choice">
                    <select value={c.stance} disabled={disabled} aria-label={`What “${c.quote.slice(0, 40)}” does`} onChange={(e) => onStance(c, e.target.value as CitationStance)}>
                      <option value="supports">Supports the claim</option>
                      <option value="contradicts">Contradicts the claim</option>
                    </select>
                  </label>
                ) : null}
              </div>
              <button type="button" className="icon" aria-label="Remove citation" title="Remove citation" disabled={disabled} onClick={() => onRemove(c)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => setPicking(true)} disabled={disabled}>
        Cite an excerpt…
      </button>
      {picking ? (
        <ExcerptPicker
          title="Cite an excerpt"
          actionLabel="Cite"
          alreadyCited={new Set(citations.map((c) => c.excerptId))}
          onClose={() => setPicking(false)}
          onChoose={(x) => {
            setPicking(false);
            onAdd(x.id);
          }}
          onChooseMany={(list) => {
            setPicking(false);
            for (const x of list) onAdd(x.id);
          }}
        />
      ) : null}
    </div>
  );
}
