import { useEffect, useId, useRef, useState } from 'react';
import type { Area, AreaRef } from '../../../shared/model';
import { api } from './api';
import { useInvalidated } from './data';
import { AreaChip } from './Badges';
import './area-input.css';

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

/** Folds case and accents, so "aero" finds Aero-engines and "hydro" finds hydro-aerodynamics. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Type part of an area's name and pick it: the areas whose name holds the
 * text are listed (names that start with it first), the arrows move through
 * them, Enter picks, Escape empties the box.
 */
export function AreaInput({ areas, exclude = [], onPick, id, label = 'Type an area to add', disabled, autoFocus }: {
  areas: readonly Area[];
  exclude?: readonly string[];
  onPick: (area: AreaRef) => void;
  id?: string;
  label?: string;
  disabled?: boolean | undefined;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const wanted = fold(text.trim());
  const matches = wanted
    ? areas
        .filter((a) => !exclude.includes(a.id) && fold(a.name).includes(wanted))
        .sort((a, b) => Number(!fold(a.name).startsWith(wanted)) - Number(!fold(b.name).startsWith(wanted)))
        .slice(0, 8)
    : [];
  const open = matches.length > 0;
  const current = matches[Math.min(active, matches.length - 1)];
  const list = useRef<HTMLUListElement>(null);
  // In a side panel scrolled to its foot, the list would open out of sight.
  useEffect(() => {
    if (open) list.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  const pick = (area: Area) => {
    onPick({ id: area.id, name: area.name, colour: area.colour });
    setText('');
    setActive(0);
  };
  return (
    <div className="area-input">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && current ? `${listId}-${current.id}` : undefined}
        placeholder={label}
        autoComplete="off"
        disabled={disabled}
        autoFocus={autoFocus}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && open) {
            event.preventDefault();
            setActive((n) => (n + 1) % matches.length);
          } else if (event.key === 'ArrowUp' && open) {
            event.preventDefault();
            setActive((n) => (n - 1 + matches.length) % matches.length);
          } else if (event.key === 'Enter' && current) {
            event.preventDefault();
            pick(current);
          } else if (event.key === 'Escape' && text) {
            event.preventDefault();
            event.stopPropagation();
            setText('');
          }
        }}
      />
      {wanted && !open ? <p className="area-input-none muted">No area is called anything like “{text.trim()}”. Add one in Technology areas.</p> : null}
      {open ? (
        <ul ref={list} id={listId} role="listbox" className="area-input-list" aria-label="Matching areas">
          {matches.map((a) => (
            <li
              key={a.id}
              id={`${listId}-${a.id}`}
              role="option"
              aria-selected={a === current}
              className={a === current ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(a);
              }}
            >
              <span className="area-dot" aria-hidden="true" style={{ background: a.colour }} />
              {a.name}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Chips for the areas an item is tagged with, a box to type one and a list to pick one. */
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
      <AreaInput id={`${id}-type`} areas={areas} exclude={value.map((a) => a.id)} disabled={disabled} onPick={onAdd} />
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
