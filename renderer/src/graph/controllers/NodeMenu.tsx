import { useEffect, useState } from 'react';
import type { BulkKind, BulkPreview } from '../../../../shared/bulk';
import { ENTITY_TYPE_LABELS } from '../../../../shared/model';
import { api, errorMessage } from '../../ui/api';
import { ContextMenu, type MenuItem, type MenuPlace } from '../../ui/ContextMenu';
import { changed } from '../../ui/data';
import { Dialog } from '../../ui/Dialog';
import { caseGraph } from '../store';
import { nameOf } from './names';
import { savePositions } from './use-layout';
import type { Pending } from './use-pointer';

/** Where a menu opens on the page, from a point in the canvas. */
export function pageAt(canvas: Element | null, x: number, y: number): MenuPlace {
  const rect = canvas?.getBoundingClientRect();
  return { x: (rect?.left ?? 0) + x, y: (rect?.top ?? 0) + y };
}

/**
 * The menu a right click (or Shift+F10 on the selected entity) opens on an
 * entity: open it, focus on it, find a path from or to it, hide, pin, expand,
 * link or delete it.
 */
export function NodeMenu({
  node,
  place,
  close,
  open,
  focus,
  hide,
  expandAround,
  startPending,
  remove,
}: {
  node: string;
  place: MenuPlace;
  close: () => void;
  open: (node: string) => void;
  focus: (node: string) => void;
  hide: (nodes: Iterable<string>) => void;
  expandAround: (node: string) => void;
  startPending: (pending: Pending) => void;
  remove: (node: string) => void;
}) {
  const pinned = Boolean(caseGraph.getNodeAttribute(node, 'fixed'));
  const items: MenuItem[] = [
    { label: 'Open', onSelect: () => open(node) },
    { label: 'Focus', onSelect: () => focus(node) },
    { label: 'Path from here…', onSelect: () => startPending({ kind: 'path', from: node }) },
    { label: 'Path to here…', onSelect: () => startPending({ kind: 'path-to', from: node }) },
    { label: 'Hide', onSelect: () => hide([node]) },
    {
      label: pinned ? 'Unpin' : 'Pin here',
      onSelect: () => {
        caseGraph.setNodeAttribute(node, 'fixed', !pinned);
        savePositions([node]);
      },
    },
    { label: 'Expand neighbours', onSelect: () => expandAround(node) },
    { label: 'Link to…', onSelect: () => startPending({ kind: 'link', from: node }) },
    { label: 'Delete…', onSelect: () => remove(node), danger: true },
  ];
  return <ContextMenu place={place} items={items} label={`Entity ${nameOf(node)}`} onClose={close} />;
}

/** The menu a right click opens on a link: open it, frame its two entities, or delete it. */
export function LinkMenu({ edge, place, close, open, frame, remove }: { edge: string; place: MenuPlace; close: () => void; open: (edge: string) => void; frame: (nodes: string[]) => void; remove: (edge: string) => void }) {
  const a = caseGraph.getEdgeAttributes(edge);
  const ends = [caseGraph.source(edge), caseGraph.target(edge)];
  const items: MenuItem[] = [
    { label: 'Open', onSelect: () => open(edge) },
    { label: 'Focus', onSelect: () => frame(ends) },
    { label: 'Delete…', onSelect: () => remove(edge), danger: true },
  ];
  return <ContextMenu place={place} items={items} label={`Link ${nameOf(ends[0] as string)} — ${a.linkType} — ${nameOf(ends[1] as string)}`} onClose={close} />;
}

/** Asks before deleting an entity (with its links) or a link from the graph, saying what goes with it. */
export function DeleteFromGraph({ item, onClose }: { item: { kind: BulkKind; id: string }; onClose: () => void }) {
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .call('bulk.preview', { kind: item.kind, selection: { ids: [item.id] } })
      .then(setPreview)
      .catch((error: unknown) => setFailure(errorMessage(error)));
  }, [item]);
  const remove = async () => {
    setBusy(true);
    try {
      await api.call('bulk.delete', { kind: item.kind, selection: { ids: [item.id] }, withLinks: true });
      changed(['model', 'areas']);
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };
  const what = item.kind === 'entity' ? 'entity' : 'link';
  const goes = preview
    ? [
        preview.links ? `${preview.links} ${preview.links === 1 ? 'link' : 'links'}` : '',
        preview.citations ? `${preview.citations} ${preview.citations === 1 ? 'citation' : 'citations'} (the excerpts stay)` : '',
        preview.tags ? `${preview.tags} technology area ${preview.tags === 1 ? 'tag' : 'tags'}` : '',
      ].filter(Boolean)
    : [];
  return (
    <Dialog title={`Delete ${what} ${preview?.names[0] ?? ''}?`} labelledBy="graph-delete-title" onClose={onClose}>
      {preview ? <p>{goes.length ? `Going with it: ${goes.join(', ')}.` : 'Nothing else goes with it.'} Undo (Ctrl+Z) brings it back.</p> : failure ? null : <p className="muted">Counting what goes with it…</p>}
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" disabled={!preview || busy} onClick={() => void remove()}>
          Delete {what}
        </button>
      </div>
    </Dialog>
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
