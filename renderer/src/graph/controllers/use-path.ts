import { useCallback, useState, type FormEvent, type RefObject } from 'react';
import { findEntities, shortestPath } from '../analysis';
import type { Highlight } from '../GraphCanvas';
import { caseGraph } from '../store';
import { nameOf } from './names';

/** The shortest-path finder: the two names typed in its bar, the path drawn and the note that says it. */
export function usePath(highlight: RefObject<Highlight>, refresh: () => void, frame: (nodes: string[]) => void) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState<string | null>(null);

  const show = useCallback(
    (source: string, target: string) => {
      const path = shortestPath(caseGraph, source, target);
      if (!path) {
        highlight.current.path = null;
        setNote(`No chain of visible links joins ${nameOf(source)} and ${nameOf(target)}.`);
      } else {
        highlight.current.path = { nodes: new Set(path.nodes), edges: new Set(path.edges) };
        frame(path.nodes);
        const steps = path.nodes.length - 1;
        setNote(`Path (${steps} ${steps === 1 ? 'step' : 'steps'}): ${path.nodes.map(nameOf).join(' → ')}`);
      }
      refresh();
    },
    [highlight, refresh, frame],
  );

  const clear = useCallback(() => {
    highlight.current.path = null;
    setNote(null);
    refresh();
  }, [highlight, refresh]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const resolve = (text: string): string | null => findEntities(caseGraph, text, 1)[0] ?? null;
    const source = resolve(from);
    const target = resolve(to);
    if (!source || !target) {
      setNote(`No entity is called “${!source ? from : to}”.`);
      return;
    }
    show(source, target);
  };

  return { from, setFrom, to, setTo, note, show, clear, submit };
}

export type PathFinder = ReturnType<typeof usePath>;
