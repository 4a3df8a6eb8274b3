import { useEffect, useState } from 'react';
import type { Area, AreaRef } from '../../../shared/model';
import { api } from './api';
import { useInvalidated } from './data';
import { AreaChip } from './Badges';

/** The case's technology areas, kept fresh when areas change. */
export function useAreas(): Area[] {
  const [areas, setAreas] = useState<Area[]>([]);
  const load = () => {
    api
      .call('areas.list', {})
      .then(setAreas)
      .catch(() => setAreas([]));
  };
  useEffect(load, []);
  useInvalidated(['areas'], load);
  return areas;
}

/** Depth of each area in the tree, for indented lists. */
export function areaDepths(areas: readonly Area[]): Map<string, number> {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const depths = new Map<string, number>();
  const depth = (area: Area): number => {
    const known = depths.get(area.id);
    if (known !== undefined) return known;
    const parent = area.parentId ? byId.get(area.parentId) : undefined;
    const d = parent ? depth(parent) + 1 : 0;
    depths.set(area.id, d);
    return d;
  };
  areas.forEach(depth);
  return depths;
}

/** Options of a <select> listing areas as an indented tree. */
export function AreaOptions({ areas, exclude = [] }: { areas: readonly Area[]; exclude?: readonly string[] }) {
  const depths = areaDepths(areas);
  return (
    <>
      {areas
        .filter((a) => !exclude.includes(a.id))
        .map((a) => (
          <option key={a.id} value={a.id}>
            {`${'\u2003'.repeat(depths.get(a.id) ?? 0)}${a.name}`}
          </option>
        ))}
    </>
  );
}

/** Chips for the areas an item is tagged with, and a list to add one. */
export function AreaPicker({ id, value, onAdd, onRemove, disabled }: { id: string; value: readonly AreaRef[]; onAdd: (area: AreaRef) => void; onRemove: (area: AreaRef) => void; disabled?: boolean }) {
  const areas = useAreas();
  return (
    <div className="area-picker">
      <div className="chips">
        {value.length === 0 ? <span className="muted">None yet</span> : null}
        {value.map((a) => (
          <AreaChip key={a.id} area={a} onRemove={disabled ? undefined : () => onRemove(a)} />
        ))}
      </div>
      <select
        id={id}
        value=""
        disabled={disabled}
        aria-label="Add a technology area"
        onChange={(event) => {
          const area = areas.find((a) => a.id === event.target.value);
          if (area) onAdd({ id: area.id, name: area.name, colour: area.colour });
        }}
      >
        <option value="">Add a technology area…</option>
        <AreaOptions areas={areas} exclude={value.map((a) => a.id)} />
      </select>
    </div>
  );
}
