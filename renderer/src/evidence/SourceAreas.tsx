import { useEffect, useState } from 'react';
import type { AreaRef } from '../../../shared/model';
import { api, errorMessage } from '../ui/api';
import { changed, useInvalidated } from '../ui/data';
import { AreaPicker } from '../ui/AreaPicker';

/** Technology areas of a source (or an excerpt), tagged and untagged at once, each change undoable. */
export function SourceAreas({ kind = 'source', itemId }: { kind?: 'source' | 'excerpt'; itemId: string | null }) {
  const [areas, setAreas] = useState<AreaRef[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const load = () => {
    if (!itemId) return;
    api
      .call('areas.ofItem', { kind, itemId })
      .then(setAreas)
      .catch(() => setAreas([]));
  };
  useEffect(load, [kind, itemId]);
  useInvalidated(['evidence', 'areas'], load);
  if (!itemId) return null;
  const change = async (op: 'areas.tag' | 'areas.untag', area: AreaRef) => {
    try {
      await api.call(op, { areaId: area.id, kind, itemId });
      setFailure(null);
      changed(['evidence', 'areas']);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <div className="field">
      <span className="field-label">Technology areas</span>
      <AreaPicker id={`${kind}-areas`} value={areas} onAdd={(a) => void change('areas.tag', a)} onRemove={(a) => void change('areas.untag', a)} />
      {failure ? <div className="field-error">{failure}</div> : null}
    </div>
  );
}
