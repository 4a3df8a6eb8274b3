import { useCallback, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { CameraState } from 'sigma/types';
import { findEntities, shortestPath } from '../analysis';
import type { Highlight } from '../display';
import { caseGraph } from '../store';
import type { GraphCamera } from './use-camera';
import { nameOf } from './names';

/** The shortest-path finder: the two names typed in its bar, the path drawn and the note that says it. */
export function usePath(highlight: RefObject<Highlight>, refresh: () => void, camera: Pick<GraphCamera, 'frame' | 'snapshot' | 'restore'>) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState<string | null>(null);
  // Link types the path may not run through.
  const [leaveOut, setLeaveOut] = useState<ReadonlySet<string>>(new Set());
  // Where the camera was before the first of one or more paths glided it away; Clear path goes back there.
  const before = useRef<CameraState | null>(null);
  const { frame, snapshot, restore } = camera;

  const show = useCallback(
    (source: string, target: string) => {
      const path = shortestPath(caseGraph, source, target, leaveOut);
      const without = leaveOut.size ? ` without ${[...leaveOut].map((t) => `“${t}”`).join(', ')} links` : '';
      if (!path) {
        highlight.current.path = null;
        setNote(`No chain of visible links joins ${nameOf(source)} and ${nameOf(target)}${without}.`);
      } else {
        highlight.current.path = { nodes: new Set(path.nodes), edges: new Set(path.edges) };
        before.current ??= snapshot();
        frame(path.nodes);
        const steps = path.nodes.length - 1;
        setNote(`Path (${steps} ${steps === 1 ? 'step' : 'steps'}${without}): ${path.nodes.map(nameOf).join(' → ')}`);
      }
      refresh();
    },
    [highlight, refresh, frame, snapshot, leaveOut],
  );

  const clear = useCallback(() => {
    highlight.current.path = null;
    setNote(null);
    refresh();
    if (before.current) restore(before.current);
    before.current = null;
  }, [highlight, refresh, restore]);

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

  return { from, setFrom, to, setTo, note, show, clear, submit, leaveOut, setLeaveOut };
}

export type PathFinder = ReturnType<typeof usePath>;
