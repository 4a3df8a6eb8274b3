import { useEffect, useId, useRef, useState } from 'react';
import { ENTITY_TYPE_LABELS, type EntityRef } from '../../../shared/model';
import type { EntityMatch } from '../../../shared/ops/model';
import { api } from './api';

/**
 * A searchable entity picker: matches names and aliases in any script
 * (typing "MAI" or "Московский" finds the Moscow Aviation Institute).
 */
export function EntityPicker({
  id,
  value,
  onChange,
  excludeId,
  invalid,
}: {
  id: string;
  value: EntityRef | null;
  onChange: (entity: EntityRef | null) => void;
  excludeId?: string | null;
  invalid?: boolean;
}) {
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [matches, setMatches] = useState<EntityMatch[]>([]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const blurTimer = useRef<number | undefined>(undefined);

  useEffect(() => setText(value?.name ?? ''), [value?.id, value?.name]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = window.setTimeout(() => {
      api
        .call('entities.search', { text: text === value?.name ? '' : text, limit: 12, excludeId: excludeId ?? null })
        .then((found) => {
          if (live) {
            setMatches(found);
            setActive(0);
          }
        })
        .catch(() => live && setMatches([]));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, open, excludeId, value?.name]);

  const choose = (match: EntityMatch) => {
    onChange({ id: match.id, name: match.name, type: match.type });
    setText(match.name);
    setOpen(false);
  };

  return (
    <div className="entity-picker">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid}
        autoComplete="off"
        placeholder="Type a name or alias…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          blurTimer.current = window.setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open && matches[active]) {
            e.preventDefault();
            choose(matches[active]);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {open && matches.length > 0 ? (
        <ul className="picker-list" id={listId} role="listbox">
          {matches.map((m, i) => (
            <li
              key={m.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(m)}
            >
              <span className="picker-name">{m.name}</span>
              {m.alias ? <span className="picker-alias">also “{m.alias}”</span> : null}
              <span className="picker-meta">
                {ENTITY_TYPE_LABELS[m.type]}
                {m.country ? ` · ${m.country}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {open && matches.length === 0 && text.trim() !== '' ? <div className="picker-empty muted">No entity matches “{text}”.</div> : null}
    </div>
  );
}
