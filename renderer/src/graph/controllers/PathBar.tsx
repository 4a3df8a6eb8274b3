import { caseGraph } from '../store';
import type { PathFinder } from './use-path';

/** The bar under the toolbar: two entity names, the path between them, and the search's note. */
export function PathBar({ path, searchNote }: { path: PathFinder; searchNote: string | null }) {
  return (
    <form className="path-bar" onSubmit={path.submit} aria-label="Shortest path">
      <input aria-label="Path from" placeholder="Path from…" list="graph-entity-names" value={path.from} onChange={(e) => path.setFrom(e.target.value)} />
      <input aria-label="Path to" placeholder="…to" list="graph-entity-names" value={path.to} onChange={(e) => path.setTo(e.target.value)} />
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
