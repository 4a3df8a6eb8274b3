import { useState } from 'react';
import type { Citation } from '../../../shared/model';
import { GradeBadge, UnsourcedMark } from '../ui/Badges';
import { ExcerptPicker } from '../ui/ExcerptPicker';

/** The excerpts an entity or link cites, each with its grade, and a way to cite another. */
export function CitationList({ citations, onAdd, onRemove, disabled }: { citations: readonly Citation[]; onAdd: (excerptId: string) => void; onRemove: (citation: Citation) => void; disabled?: boolean }) {
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
            <li key={c.id}>
              <GradeBadge grade={c.grade} />
              <div className="citation-body">
                <q>{c.quote}</q>
                <div className="excerpt-meta">
                  {c.sourceTitle}
                  {c.page ? `, p. ${c.page}` : ''}
                  {c.location ? `, ${c.location}` : ''}
                </div>
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
          onClose={() => setPicking(false)}
          onChoose={(x) => {
            setPicking(false);
            onAdd(x.id);
          }}
        />
      ) : null}
    </div>
  );
}
