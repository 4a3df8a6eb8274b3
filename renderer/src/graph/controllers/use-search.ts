import { useState, type FormEvent } from 'react';
import { findEntities } from '../analysis';
import { caseGraph } from '../store';

/** Finding an entity by name or alias: select it, show it if hidden, and move the camera to it. */
export function useEntitySearch(select: (nodes: ReadonlySet<string>) => void, focus: (node: string) => void, expand: (nodes: Iterable<string>) => void) {
  const [text, setText] = useState('');
  const [note, setNote] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [first] = findEntities(caseGraph, text, 1);
    if (!first) {
      setNote(`No entity is called “${text}”.`);
      return;
    }
    setNote(null);
    if (caseGraph.getNodeAttribute(first, 'hidden')) expand([first]);
    select(new Set([first]));
    // On the next turn, once a hidden entity shown by the expansion has a place on the screen.
    window.setTimeout(() => focus(first), 0);
  };

  return { text, setText, note, submit };
}
