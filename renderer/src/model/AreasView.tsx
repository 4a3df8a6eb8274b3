import { useState, type FormEvent } from 'react';
import { AREA_DELETE_MODES, type Area, type AreaDeleteMode } from '../../../shared/model';
import { errorMessage } from '../ui/api';
import { AreaOptions, areaDepths, useAreas } from '../ui/AreaPicker';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { useMutation, type CaseDomain } from '../ui/data';

const DELETE_LABELS: Record<AreaDeleteMode, string> = {
  untag: 'Remove the area from every item',
  parent: 'Move its items to the parent area',
  area: 'Move its items to another area',
};

function total(area: Area): number {
  return area.counts.source + area.counts.excerpt + area.counts.entity + area.counts.link;
}

/** Renaming, moving, merging or deleting an area changes the areas and the tags of sources, excerpts, entities and links. */
const AREA_CHANGES: readonly CaseDomain[] = ['areas', 'model', 'evidence'];

function AreaDialog({ area, areas, onClose }: { area: Area | null; areas: Area[]; onClose: () => void }) {
  const [name, setName] = useState(area?.name ?? '');
  const [colour, setColour] = useState(area?.colour ?? '#2458b3');
  const [parentId, setParentId] = useState(area?.parentId ?? '');
  const [failure, setFailure] = useState<string | null>(null);
  const update = useMutation('areas.update', { invalidates: AREA_CHANGES });
  const create = useMutation('areas.create', { invalidates: AREA_CHANGES });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      if (area) await update({ id: area.id, name, colour, parentId: parentId || null });
      else await create({ name, colour, parentId: parentId || null });
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={area ? `Edit ${area.name}` : 'New technology area'} labelledBy="area-dialog-title" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field id="area-name" label="Name">
          <input id="area-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <div className="field-row">
          <Field id="area-colour" label="Colour">
            <input id="area-colour" type="color" value={colour} onChange={(e) => setColour(e.target.value)} />
          </Field>
          <Field id="area-parent" label="Part of">
            <select id="area-parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
              <option value="">(top level)</option>
              <AreaOptions areas={areas} exclude={area ? [area.id] : []} />
            </select>
          </Field>
        </div>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        <div className="form-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {area ? 'Save' : 'Add area'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MergeAreaDialog({ area, areas, onClose }: { area: Area; areas: Area[]; onClose: () => void }) {
  const [intoId, setIntoId] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const mergeAreas = useMutation('areas.merge', { invalidates: AREA_CHANGES });
  const merge = async () => {
    try {
      await mergeAreas({ fromId: area.id, intoId });
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={`Merge ${area.name} into…`} labelledBy="merge-area-title" onClose={onClose}>
      <p className="muted">Its {total(area)} tagged items and its sub-areas move to the area you choose; then it is removed. You can undo this.</p>
      <Field id="merge-into" label="Merge into">
        <select id="merge-into" value={intoId} onChange={(e) => setIntoId(e.target.value)}>
          <option value="">Choose an area…</option>
          <AreaOptions areas={areas} exclude={[area.id]} />
        </select>
      </Field>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!intoId} onClick={() => void merge()}>
          Merge
        </button>
      </div>
    </Dialog>
  );
}

function DeleteAreaDialog({ area, areas, onClose }: { area: Area; areas: Area[]; onClose: () => void }) {
  const [mode, setMode] = useState<AreaDeleteMode>(area.parentId ? 'parent' : 'untag');
  const [targetId, setTargetId] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const deleteArea = useMutation('areas.delete', { invalidates: AREA_CHANGES });
  const remove = async () => {
    try {
      await deleteArea({ id: area.id, mode, targetId: mode === 'area' ? targetId || null : null });
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={`Delete ${area.name}`} labelledBy="delete-area-title" onClose={onClose}>
      <p className="muted">{total(area)} items are tagged with it. Its sub-areas move up one level.</p>
      <fieldset className="choice">
        <legend>Its tagged items</legend>
        {AREA_DELETE_MODES.filter((m) => m !== 'parent' || area.parentId).map((m) => (
          <label key={m}>
            <input type="radio" name="delete-mode" checked={mode === m} onChange={() => setMode(m)} /> {DELETE_LABELS[m]}
          </label>
        ))}
      </fieldset>
      {mode === 'area' ? (
        <Field id="delete-target" label="Move to">
          <select id="delete-target" value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            <option value="">Choose an area…</option>
            <AreaOptions areas={areas} exclude={[area.id]} />
          </select>
        </Field>
      ) : null}
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete area
        </button>
      </div>
    </Dialog>
  );
}

type Dialogs = { kind: 'edit'; area: Area | null } | { kind: 'merge'; area: Area } | { kind: 'delete'; area: Area } | null;

/** The case's technology-area taxonomy: a tree with colours and counts of tagged items. */
export function AreasView() {
  const areas = useAreas();
  const depths = areaDepths(areas);
  const [dialog, setDialog] = useState<Dialogs>(null);
  return (
    <div className="areas-view">
      <div className="toolbar">
        <h2>Technology areas</h2>
        <span className="count">{areas.length} areas</span>
        <span className="toolbar-spacer" />
        <button type="button" className="primary" onClick={() => setDialog({ kind: 'edit', area: null })}>
          Add area
        </button>
      </div>
      <table className="areas-table">
        <thead>
          <tr>
            <th>Area</th>
            <th className="num">Sources</th>
            <th className="num">Excerpts</th>
            <th className="num">Entities</th>
            <th className="num">Links</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {areas.map((a) => (
            <tr key={a.id}>
              <td>
                <span className="area-name" style={{ paddingLeft: `${(depths.get(a.id) ?? 0) * 20}px` }}>
                  <span className="area-dot" aria-hidden="true" style={{ background: a.colour }} />
                  {a.name}
                </span>
              </td>
              <td className="num">{a.counts.source}</td>
              <td className="num">{a.counts.excerpt}</td>
              <td className="num">{a.counts.entity}</td>
              <td className="num">{a.counts.link}</td>
              <td className="row-actions">
                <button type="button" className="small" onClick={() => setDialog({ kind: 'edit', area: a })}>
                  Edit
                </button>
                <button type="button" className="small" onClick={() => setDialog({ kind: 'merge', area: a })}>
                  Merge…
                </button>
                <button type="button" className="small danger-outline" onClick={() => setDialog({ kind: 'delete', area: a })}>
                  Delete…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dialog?.kind === 'edit' ? <AreaDialog area={dialog.area} areas={areas} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'merge' ? <MergeAreaDialog area={dialog.area} areas={areas} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'delete' ? <DeleteAreaDialog area={dialog.area} areas={areas} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
