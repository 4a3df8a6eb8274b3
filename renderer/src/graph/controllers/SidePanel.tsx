import { Fragment } from 'react';
import { changed } from '../../ui/data';
import { useItemPanels } from '../../ui/item-panels';
import type { LeaveGuard } from '../../ui/use-draft';
import { refOf } from './names';
import type { Panel } from './use-panel';

/** The entity or link panel beside the graph; each item gets a fresh panel. */
export function SidePanel({ panel, setPanel, guard, onOpenEntity }: { panel: Panel; setPanel: (next: Panel) => void; guard: LeaveGuard; onOpenEntity: (id: string) => void }) {
  const panels = useItemPanels();
  const newLink = panel?.kind === 'new-link' ? panel : null;
  return (
    <>
      {panel?.kind === 'entity' ? (
        <Fragment key={panel.id}>
          {panels.entity({
            entityId: panel.id,
            guard,
            onClose: () => setPanel(null),
            onSaved: () => changed(['model']),
            onDeleted: () => setPanel(null),
            onOpenEntity,
          })}
        </Fragment>
      ) : null}
      {newLink ? (
        <Fragment key={`new-${newLink.from}-${newLink.to}`}>
          {panels.link({
            linkId: null,
            guard,
            initialFrom: refOf(newLink.from),
            initialTo: refOf(newLink.to),
            onClose: () => setPanel(null),
            onSaved: (link, note) => setPanel({ kind: 'link', id: link.id, notice: link.citations.length ? note : `${note} Cite the excerpts it rests on.` }),
            onDeleted: () => setPanel(null),
          })}
        </Fragment>
      ) : null}
      {panel?.kind === 'link' ? (
        <Fragment key={panel.id}>
          {panels.link({ linkId: panel.id, guard, notice: panel.notice, onClose: () => setPanel(null), onSaved: (link, note) => setPanel({ kind: 'link', id: link.id, notice: note }), onDeleted: () => setPanel(null) })}
        </Fragment>
      ) : null}
    </>
  );
}
