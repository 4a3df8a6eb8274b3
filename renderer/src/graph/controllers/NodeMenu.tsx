import { ENTITY_TYPE_LABELS } from '../../../../shared/model';
import { caseGraph } from '../store';
import { savePositions } from './use-layout';
import type { Pending } from './use-pointer';

/** The menu a right click opens on an entity. */
export function NodeMenu({
  node,
  x,
  y,
  close,
  open,
  hide,
  expandAround,
  startPending,
}: {
  node: string;
  x: number;
  y: number;
  close: () => void;
  open: (node: string) => void;
  hide: (nodes: Iterable<string>) => void;
  expandAround: (node: string) => void;
  startPending: (pending: Pending) => void;
}) {
  return (
    <ul className="graph-menu" role="menu" style={{ left: x, top: y }}>
      <li role="none">
        <button type="button" role="menuitem" onClick={() => (open(node), close())}>
          Open
        </button>
      </li>
      <li role="none">
        <button type="button" role="menuitem" onClick={() => (hide([node]), close())}>
          Hide
        </button>
      </li>
      <li role="none">
        <button
          type="button"
          role="menuitem"
          onClick={() => {
            const pinned = !caseGraph.getNodeAttribute(node, 'fixed');
            caseGraph.setNodeAttribute(node, 'fixed', pinned);
            savePositions([node]);
            close();
          }}
        >
          {caseGraph.getNodeAttribute(node, 'fixed') ? 'Unpin' : 'Pin here'}
        </button>
      </li>
      <li role="none">
        <button type="button" role="menuitem" onClick={() => (expandAround(node), close())}>
          Expand neighbours
        </button>
      </li>
      <li role="none">
        <button type="button" role="menuitem" onClick={() => (startPending({ kind: 'link', from: node }), close())}>
          Link to…
        </button>
      </li>
      <li role="none">
        <button type="button" role="menuitem" onClick={() => (startPending({ kind: 'path', from: node }), close())}>
          Show path to…
        </button>
      </li>
    </ul>
  );
}

/** A short card about the entity under the pointer. */
export function HoverCard({ node }: { node: string }) {
  const a = caseGraph.getNodeAttributes(node);
  return (
    <div className="graph-hover-card" role="tooltip">
      <strong>{a.label}</strong> <span className="muted">{ENTITY_TYPE_LABELS[a.entityType]}{a.country ? `, ${a.country}` : ''}</span>
      {a.aliases.length ? <div className="muted">{a.aliases.join(' · ')}</div> : null}
    </div>
  );
}
