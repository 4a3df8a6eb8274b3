import { useState } from 'react';
import type { Entity, EntityRef } from '../../../shared/model';
import { api, errorMessage } from '../ui/api';
import { changed } from '../ui/data';
import { Dialog } from '../ui/Dialog';
import { EntityPicker } from '../ui/EntityPicker';
import { Field } from '../ui/Field';

/** Merges another entity into this one, or this one into the other, as the investigator chooses. */
export function MergeDialog({ entity, initial, onClose, onMerged }: { entity: Entity; initial: EntityRef | null; onClose: () => void; onMerged: (survivorId: string) => void }) {
  const [other, setOther] = useState<EntityRef | null>(initial);
  const [keep, setKeep] = useState<'this' | 'other'>('this');
  const [failure, setFailure] = useState<string | null>(null);
  const merge = async () => {
    if (!other) return;
    const [survivorId, mergedId] = keep === 'this' ? [entity.id, other.id] : [other.id, entity.id];
    try {
      await api.call('entities.merge', { survivorId, mergedId });
      changed(['model']);
      onMerged(survivorId);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title="Merge two entities" labelledBy="merge-title" onClose={onClose}>
      <p className="muted">The entity you keep gains the other’s name as an alias, with its aliases, identifiers, links, citations and technology areas. You can undo the merge.</p>
      <Field id="merge-other" label="Merge with">
        <EntityPicker id="merge-other" value={other} onChange={setOther} excludeId={entity.id} />
      </Field>
      <fieldset className="choice">
        <legend>Keep</legend>
        <label>
          <input type="radio" name="keep" checked={keep === 'this'} onChange={() => setKeep('this')} /> {entity.name}
        </label>
        <label>
          <input type="radio" name="keep" checked={keep === 'other'} onChange={() => setKeep('other')} disabled={!other} /> {other?.name ?? 'the other entity'}
        </label>
      </fieldset>
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
        <button type="button" className="primary" disabled={!other} onClick={() => void merge()}>
          Merge
        </button>
      </div>
    </Dialog>
  );
}
