import { useCallback, useEffect, useState } from 'react';
import { today, type CaseFilters } from '../../ui/filters';
import { caseGraph, type LoadState } from '../store';
import { applyFilters } from '../visibility';

/** What is drawn: the filters, entities hidden by hand and neighbourhoods expanded past the filters. */
export function useVisibility(load: LoadState, filters: CaseFilters) {
  const [hiddenByHand, setHiddenByHand] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [counts, setCounts] = useState({ nodes: 0, edges: 0 });

  useEffect(() => {
    setCounts(applyFilters(caseGraph, filters, { areas: load.areas, hiddenByHand, expanded, asOf: today() }));
  }, [filters, hiddenByHand, expanded, load.areas, load.version]);

  const hide = useCallback((nodes: Iterable<string>) => setHiddenByHand((prev) => new Set([...prev, ...nodes])), []);
  const showHidden = useCallback(() => setHiddenByHand(new Set()), []);
  const expand = useCallback((nodes: Iterable<string>) => setExpanded((prev) => new Set([...prev, ...nodes])), []);
  const collapse = useCallback(() => setExpanded(new Set()), []);
  /** Shows a node and all its neighbours, whatever the filters say. */
  const expandAround = useCallback((node: string) => expand([node, ...caseGraph.neighbors(node)]), [expand]);

  return { counts, hiddenByHand, expanded, hide, showHidden, expand, collapse, expandAround };
}
