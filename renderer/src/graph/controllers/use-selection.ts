import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';
import type { Highlight } from '../display';
import { selectionStore } from '../store';

/** The entities selected in the graph, shared with the timeline through the selection store. */
export function useGraphSelection(highlight: RefObject<Highlight>, refresh: () => void, version: number) {
  const [count, setCount] = useState(0);

  const select = useCallback(
    (nodes: ReadonlySet<string>) => {
      highlight.current.selected = nodes;
      selectionStore.set(nodes);
      setCount(nodes.size);
      refresh();
    },
    [highlight, refresh],
  );

  // A new load may have dropped deleted entities from the selection (see store.ts).
  useLayoutEffect(() => {
    highlight.current.selected = selectionStore.get();
  }, [highlight, version]);

  return { count, select };
}
