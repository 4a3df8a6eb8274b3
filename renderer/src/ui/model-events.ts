import { useEffect, useRef } from 'react';

const EVENT = 'caseboard:model-changed';

/** Tells every open view that entities, links, tags or areas changed (after undo and redo too). */
export function notifyModelChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

/** Runs the callback whenever the case model changes. */
export function useModelChanged(callback: () => void): void {
  const ref = useRef(callback);
  ref.current = callback;
  useEffect(() => {
    const listener = () => ref.current();
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
  }, []);
}
