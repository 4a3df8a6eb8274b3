import { useEffect, useRef } from 'react';
import { linkTypeCounts } from '../appearance';
import { caseGraph } from '../store';
import type { PathFinder } from './use-path';

/** The link types a path may not run through, picked from those in the graph. */
function LeaveOut({ path }: { path: PathFinder }) {
  const types = [...linkTypeCounts(caseGraph).keys()].sort((a, b) => a.localeCompare(b));
  const toggle = (type: string, on: boolean) => {
    const next = new Set(path.leaveOut);
    if (on) next.add(type);
    else next.delete(type);
    path.setLeaveOut(next);
  };
  return (
    <details className="path-leave-out">
      <summary>{path.leaveOut.size ? `Leaving out ${path.leaveOut.size} link ${path.leaveOut.size === 1 ? 'type' : 'types'}` : 'Leave out link types…'}</summary>
      <fieldset aria-label="Link types the path may not run through">
        <p className="path-leave-out-hint">The path may not run through links of these types:</p>
        {types.map((type) => (
          <label key={type}>
            <input type="checkbox" checked={path.leaveOut.has(type)} onChange={(e) => toggle(type, e.target.checked)} /> {type}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/**
 * The bar under the toolbar: two entity names, the path between them, and the search's note.
 * Each new focus request (a count) puts the cursor in "Path from".
 */
export function PathBar({ path, searchNote, focusRequests = 0 }: { path: PathFinder; searchNote: string | null; focusRequests?: number }) {
  const from = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focusRequests > 0) from.current?.focus();
  }, [focusRequests]);
  return (
    <form className="path-bar" onSubmit={path.submit} aria-label="Shortest path">
      <input ref={from} aria-label="Path from" placeholder="Path from…" list="graph-entity-names" value={path.from} onChange={(e) => path.setFrom(e.target.value)} />
      <input aria-label="Path to" placeholder="…to" list="graph-entity-names" value={path.to} onChange={(e) => path.setTo(e.target.value)} />
      <LeaveOut path={path} />
      <button type="submit">Show path</button>
      {path.note ? (
        <>
          <span className="path-note" role="status">
            {path.note}
          </span>
          <button type="button" className="link-button" onClick={path.clear}>
            Clear path
          </button>
        </>
      ) : null}
      {searchNote ? <span className="path-note">{searchNote}</span> : null}
      <datalist id="graph-entity-names">
        {caseGraph.order <= 5000 ? caseGraph.mapNodes((id, a) => <option key={id} value={a.label} />) : null}
      </datalist>
    </form>
  );
}
