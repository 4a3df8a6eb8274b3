import { useCallback, useEffect, useRef, useState } from 'react';

/** The question every form asks before typing that was not saved is thrown away. */
export const DISCARD_QUESTION = 'Discard what you typed?';

/**
 * Stands between a form holding unsaved typing and whatever would take it
 * away: its close button, another row, another view, the page closing. The
 * view that shows the form owns the guard; the form says when it is dirty
 * and how it asks.
 */
export class LeaveGuard {
  dirty = false;
  /** Set by the form while it is shown: asks the investigator, and runs `proceed` if they discard. */
  ask: ((proceed: () => void) => void) | null = null;

  /** Runs `proceed` now when nothing typed would be lost, else once the investigator agrees to discard it. */
  leave(proceed: () => void): void {
    if (this.dirty && this.ask) this.ask(proceed);
    else proceed();
  }
}

const guards = new Set<LeaveGuard>();

/** Whether a form anywhere in the page holds typing that was not saved. */
export function hasUnsavedTyping(): boolean {
  return [...guards].some((g) => g.dirty && g.ask);
}

/** Runs `proceed` once every form with unsaved typing has been discarded by the investigator (the newest asks first). */
export function leavePage(proceed: () => void): void {
  const dirty = [...guards].filter((g) => g.dirty && g.ask);
  const last = dirty[dirty.length - 1];
  if (!last) proceed();
  else last.leave(() => leavePage(proceed));
}

/** A guard that lives as long as the component (a view and its side panel, the item dialog). */
export function useLeaveGuard(): LeaveGuard {
  const [guard] = useState(() => new LeaveGuard());
  useEffect(() => {
    guards.add(guard);
    return () => {
      guards.delete(guard);
    };
  }, [guard]);
  return guard;
}

// Closing or reloading the page: the browser asks (Electron's window asks through its own dialog).
function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (!hasUnsavedTyping()) return;
  event.preventDefault();
  event.returnValue = '';
}

// Every view change and every opened place goes through the address. Registered when this module
// loads, before any view listens, so that while typing is unsaved the views never see the change
// until the investigator says discard.
let letThrough: string | null = null;
function onHashChange(event: HashChangeEvent): void {
  if (event.newURL === letThrough) {
    letThrough = null;
    return;
  }
  if (!hasUnsavedTyping()) return;
  event.stopImmediatePropagation();
  window.history.replaceState(window.history.state, '', event.oldURL);
  const target = event.newURL;
  leavePage(() => {
    letThrough = target;
    window.location.href = target;
  });
}

if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', onBeforeUnload);
  window.addEventListener('hashchange', onHashChange);
}

export interface Draft<D> {
  /** What the form shows: the investigator's typing over the item as it was loaded. */
  value: D;
  dirty: boolean;
  /** The item was changed elsewhere (another window, the command line, undo) while the investigator typed. */
  changedElsewhere: boolean;
  set: <K extends keyof D>(key: K, value: D[K]) => void;
  /** Something beside the fields was chosen that only saving keeps (areas or citations of a new item). */
  touch: () => void;
  /** The item as it is now in the case: it becomes the draft unless the investigator is typing; then the form only says it changed. */
  loaded: (fromCase: D) => void;
  /** The typing was saved (or deliberately thrown away): the next load shows the case again. */
  settle: () => void;
}

/**
 * A form's draft and its dirty tracking. Typing is never replaced by a
 * refresh: a change to the item underneath is announced instead.
 */
export function useDraft<D>(initial: D | (() => D), guard: LeaveGuard, onEdit?: () => void): Draft<D> {
  const [value, setValue] = useState<D>(initial);
  const [dirty, setDirty] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const dirtyNow = useRef(false);
  // What the typing started from, to tell a real change underneath from a refresh that changed nothing.
  const base = useRef<string | null>(null);
  const edited = useRef(onEdit);
  edited.current = onEdit;

  const mark = useCallback(
    (next: boolean) => {
      dirtyNow.current = next;
      guard.dirty = next;
      setDirty(next);
    },
    [guard],
  );

  const set = useCallback(
    <K extends keyof D>(key: K, next: D[K]) => {
      setValue((d) => ({ ...d, [key]: next }));
      mark(true);
      edited.current?.();
    },
    [mark],
  );

  const touch = useCallback(() => mark(true), [mark]);

  const loaded = useCallback(
    (fromCase: D) => {
      const json = JSON.stringify(fromCase);
      if (!dirtyNow.current) {
        base.current = json;
        setValue(fromCase);
        setChangedElsewhere(false);
      } else if (base.current !== null && json !== base.current) {
        setChangedElsewhere(true);
      }
    },
    [],
  );

  const settle = useCallback(() => {
    mark(false);
    base.current = null;
    setChangedElsewhere(false);
  }, [mark]);

  // A form that is gone holds nothing: its guard lets the next one through.
  useEffect(
    () => () => {
      guard.dirty = false;
    },
    [guard],
  );

  return { value, dirty, changedElsewhere, set, touch, loaded, settle };
}

/** A list kept only in the form until the item is added (its areas, its citations): changing it counts as typing. */
export function usePendingList<T>(initial: T[] | (() => T[]), draft: Pick<Draft<unknown>, 'touch'>): [T[], (next: (list: T[]) => T[]) => void] {
  const [list, setList] = useState<T[]>(initial);
  const { touch } = draft;
  const update = useCallback(
    (next: (list: T[]) => T[]) => {
      setList(next);
      touch();
    },
    [touch],
  );
  return [list, update];
}
