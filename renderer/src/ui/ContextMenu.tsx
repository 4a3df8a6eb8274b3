import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import './context-menu.css';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  /** A destructive action, shown apart in the danger colour. */
  danger?: boolean;
  disabled?: boolean;
}

/** Where a menu opens: a point on screen (the pointer, or the focused row or node when opened from the keyboard). */
export interface MenuPlace {
  x: number;
  y: number;
}

/** Whether a key opens a context menu: the context-menu key, or Shift+F10. */
export function isMenuKey(event: { key: string; shiftKey: boolean }): boolean {
  return event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10');
}

/**
 * A right-click menu: focus goes to its first item, arrows move between items,
 * Enter chooses, and Escape, Tab or a click outside closes it and gives focus
 * back to where it was.
 */
export function ContextMenu({ place, items, label, onClose }: { place: MenuPlace; items: readonly MenuItem[]; label: string; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [at, setAt] = useState(place);
  const returnTo = useRef<Element | null>(null);
  const close = useRef(onClose);
  close.current = onClose;

  // Kept inside the window: a menu opened near the right or bottom edge opens leftwards or upwards.
  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    setAt({ x: Math.max(4, Math.min(place.x, window.innerWidth - width - 4)), y: Math.max(4, Math.min(place.y, window.innerHeight - height - 4)) });
  }, [place]);

  useEffect(() => {
    returnTo.current = document.activeElement;
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const outside = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) close.current();
    };
    const away = () => close.current();
    document.addEventListener('mousedown', outside, true);
    window.addEventListener('blur', away);
    window.addEventListener('resize', away);
    return () => {
      document.removeEventListener('mousedown', outside, true);
      window.removeEventListener('blur', away);
      window.removeEventListener('resize', away);
      if (returnTo.current instanceof HTMLElement && document.contains(returnTo.current) && !document.querySelector('dialog[open]')) returnTo.current.focus();
    };
  }, []);

  const move = (step: number | 'first' | 'last') => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    if (buttons.length === 0) return;
    const now = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = step === 'first' ? 0 : step === 'last' ? buttons.length - 1 : (now + step + buttons.length) % buttons.length;
    buttons[next]?.focus();
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={label}
      style={{ left: at.x, top: at.y }}
      onContextMenu={(event) => event.preventDefault()}
      onKeyDown={(event) => {
        const keys: Record<string, () => void> = {
          ArrowDown: () => move(1),
          ArrowUp: () => move(-1),
          Home: () => move('first'),
          End: () => move('last'),
          Escape: () => close.current(),
          Tab: () => close.current(),
        };
        const act = keys[event.key];
        if (act) {
          event.preventDefault();
          event.stopPropagation();
          act();
        }
      }}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'menu-danger' : undefined}
          disabled={item.disabled}
          onClick={() => {
            close.current();
            item.onSelect();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
