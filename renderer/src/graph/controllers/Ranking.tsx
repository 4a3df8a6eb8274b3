import { useEffect, useRef, useState } from 'react';
import { caseGraph } from '../store';
import { topOf } from '../top-of';

export type RankBy = 'degree' | 'betweenness' | 'pagerank' | 'community';

const RANK_LABELS: Record<RankBy, string> = { degree: 'Degree', betweenness: 'Betweenness', pagerank: 'PageRank', community: 'Community' };
const SHOWN = 15;

interface Ranked {
  id: string;
  label: string;
  value: string;
  /** Entities to select when the row is clicked: the entity, or a community's members. */
  members: string[];
}

function format(by: RankBy, value: number): string {
  if (by === 'degree') return String(value);
  return value.toFixed(by === 'pagerank' ? 4 : 3);
}

/** The entities shown, highest first by the measure; communities by size. */
function rank(by: RankBy): Ranked[] {
  if (by === 'community') {
    const groups = new Map<number, string[]>();
    caseGraph.forEachNode((id, a) => {
      if (a.hidden) return;
      const members = groups.get(a.community);
      if (members) members.push(id);
      else groups.set(a.community, [id]);
    });
    const degree = (node: string) => caseGraph.getNodeAttribute(node, 'degree');
    return [...groups.entries()]
      .sort((a, b) => b[1].length - a[1].length || a[0] - b[0])
      .slice(0, SHOWN)
      .map(([community, members]) => {
        const hub = members.reduce((best, node) => (degree(node) > degree(best) ? node : best), members[0] ?? '');
        return { id: `community-${community}`, label: `Community ${community + 1}: ${caseGraph.getNodeAttribute(hub, 'label')}${members.length > 1 ? ' and others' : ''}`, value: `${members.length}`, members };
      });
  }
  const top = topOf<{ id: string; label: string; score: number }>(SHOWN, (a, b) => b.score - a.score || a.label.localeCompare(b.label));
  caseGraph.forEachNode((id, a) => {
    if (!a.hidden) top.offer({ id, label: a.label, score: a[by] });
  });
  return top.best().map((r) => ({ id: r.id, label: r.label, value: format(by, r.score), members: [r.id] }));
}

/**
 * A ranked list of the entities shown by a network measure, inside the Graph view: a row selects its entity
 * (or a community's members) and brings it into view. Each new open request (a count) opens it with the
 * measure's list focused.
 */
export function Ranking({
  measured,
  version,
  ensureMeasured,
  onPick,
  openRequests = 0,
}: {
  measured: number;
  version: number;
  ensureMeasured: () => void;
  onPick: (ids: string[]) => void;
  openRequests?: number;
}) {
  const [by, setBy] = useState<RankBy>('degree');
  const details = useRef<HTMLDetailsElement>(null);
  const measure = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (openRequests === 0 || !details.current) return;
    details.current.open = true;
    measure.current?.focus();
  }, [openRequests]);
  const needsMeasures = by !== 'degree' && measured === 0;
  // Read from the graph on every render (the graph is not React state); version and measured make it render.
  void version;
  const rows = needsMeasures ? [] : rank(by);
  return (
    <details className="graph-ranking" ref={details}>
      <summary>Ranking</summary>
      <div className="graph-ranking-body">
        <label className="inline-field">
          Rank by
          <select
            ref={measure}
            value={by}
            onChange={(e) => {
              const next = e.target.value as RankBy;
              if (next !== 'degree' && measured === 0) ensureMeasured();
              setBy(next);
            }}
          >
            {(Object.keys(RANK_LABELS) as RankBy[]).map((k) => (
              <option key={k} value={k}>
                {RANK_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {needsMeasures ? (
          <p className="muted">Computing the measures…</p>
        ) : rows.length === 0 ? (
          <p className="muted">No entity is shown.</p>
        ) : (
          <ol className="ranking-list" aria-label={`Entities ranked by ${RANK_LABELS[by]}`}>
            {rows.map((r) => (
              <li key={r.id}>
                <button type="button" className="ranking-row" onClick={() => onPick(r.members)}>
                  <span className="ranking-name">{r.label}</span>
                  <span className="ranking-value">{r.value}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
        <p className="muted ranking-note">{by === 'community' ? 'Communities by number of entities shown.' : `The ${SHOWN} entities shown with the highest ${RANK_LABELS[by]}.`}</p>
      </div>
    </details>
  );
}
