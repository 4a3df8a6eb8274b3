import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import circular from 'graphology-layout/circular';
import noverlap from 'graphology-layout-noverlap';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api } from '../../ui/api';
import { positionsOf } from '../case-graph';
import { caseGraph, type LoadState } from '../store';
import type { GraphSigma } from './use-camera';

/** Above this size the first layout runs in a worker instead of on the main thread. */
const SYNC_LAYOUT_LIMIT = 1500;

/** Said where the layout buttons are: the contract declares saved places view data that Undo passes by. */
export const LAYOUT_NOT_UNDONE = 'Where entities sit is saved as you arrange them; Undo does not move them back.';

/** Remembers where these entities (or all of them) sit, so the next opening draws them there. */
export function savePositions(nodes?: Iterable<string>): void {
  const positions = positionsOf(caseGraph, nodes);
  if (positions.length) void api.call('graph.savePositions', { positions }).catch(() => undefined);
}

/**
 * Puts entities that came in with a reload beside the placed entities they
 * link to (or where placeUnplaced put them, when they link to none), so that
 * the rest of the picture does not move.
 */
function placeBesideNeighbours(graph: typeof caseGraph, nodes: readonly string[]): void {
  const fresh = new Set(nodes);
  let spread = 1;
  graph.forEachEdge((_e, _a, s, t, sa, ta) => {
    if (!fresh.has(s) && !fresh.has(t)) spread = Math.max(spread, Math.hypot(sa.x - ta.x, sa.y - ta.y));
  });
  nodes.forEach((node, i) => {
    const placed = graph.neighbors(node).filter((n) => !fresh.has(n));
    if (placed.length === 0) return;
    const x = placed.reduce((sum, n) => sum + graph.getNodeAttribute(n, 'x'), 0) / placed.length;
    const y = placed.reduce((sum, n) => sum + graph.getNodeAttribute(n, 'y'), 0) / placed.length;
    const angle = i * 2.399963;
    graph.mergeNodeAttributes(node, { x: x + Math.cos(angle) * spread * 0.3, y: y + Math.sin(angle) * spread * 0.3 });
  });
}

/** Pushes overlapping nodes apart, leaving room for labels, assuming the whole graph fits a canvas about 900 px wide. */
function spreadForLabels(): void {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  caseGraph.forEachNode((_n, a) => {
    minX = Math.min(minX, a.x);
    maxX = Math.max(maxX, a.x);
    minY = Math.min(minY, a.y);
    maxY = Math.max(maxY, a.y);
  });
  const unitsPerPixel = Math.max(maxX - minX, maxY - minY, 1) / 900;
  noverlap.assign(caseGraph, { maxIterations: 150, settings: { ratio: unitsPerPixel * 1.5, margin: unitsPerPixel * 45 } });
}

/** The force layout (run and stop), the circle and the spread, each saving where entities end up. */
export function useLayout(load: LoadState, sigmaRef: RefObject<GraphSigma | null>) {
  const layout = useRef<FA2Layout | null>(null);
  const [running, setRunning] = useState(false);

  const start = useCallback(() => {
    layout.current?.kill();
    layout.current = new FA2Layout(caseGraph, { settings: { ...forceAtlas2.inferSettings(caseGraph), barnesHutOptimize: caseGraph.order > 300, slowDown: 5 } });
    layout.current.start();
    setRunning(true);
  }, []);
  const stop = useCallback(() => {
    if (!layout.current?.isRunning()) return;
    layout.current.stop();
    setRunning(false);
    savePositions();
  }, []);

  // Lay out entities that came without a saved position, then remember where they went.
  // Every load is a new state object, and its unplaced entities are taken once.
  useEffect(() => {
    if (load.status !== 'ready' || load.unplaced.length === 0) return;
    const unplaced = load.unplaced;
    load.unplaced = [];
    if (load.reloaded) {
      // Entities added while the graph was on screen: beside what they link to, the picture otherwise as it was.
      placeBesideNeighbours(caseGraph, unplaced);
      savePositions(unplaced);
    } else if (caseGraph.order <= SYNC_LAYOUT_LIMIT) {
      // Strong repulsion and weak gravity: small investigation graphs need room for their labels.
      const settings = { ...forceAtlas2.inferSettings(caseGraph), barnesHutOptimize: caseGraph.order > 300, scalingRatio: 30, gravity: 0.5 };
      forceAtlas2.assign(caseGraph, { iterations: caseGraph.order > 500 ? 150 : 300, settings });
      spreadForLabels();
      savePositions(unplaced);
    } else {
      start();
      window.setTimeout(() => stop(), 8000);
    }
  }, [load, start, stop]);

  useEffect(
    () => () => {
      layout.current?.kill();
      layout.current = null;
    },
    [],
  );

  const circle = useCallback(() => {
    stop();
    const positions = circular(caseGraph, { scale: Math.max(100, Math.sqrt(caseGraph.order) * 30) });
    caseGraph.forEachNode((node, a) => {
      const p = positions[node];
      if (p && p.x !== undefined && p.y !== undefined && !a.fixed) caseGraph.mergeNodeAttributes(node, { x: p.x, y: p.y });
    });
    sigmaRef.current?.setCustomBBox(null);
    savePositions();
  }, [stop, sigmaRef]);

  const spread = useCallback(() => {
    stop();
    const sigma = sigmaRef.current;
    const a = sigma?.viewportToGraph({ x: 0, y: 0 });
    const b = sigma?.viewportToGraph({ x: 1, y: 0 });
    const unitsPerPixel = a && b ? Math.hypot(b.x - a.x, b.y - a.y) : 1;
    noverlap.assign(caseGraph, { maxIterations: 100, settings: { ratio: unitsPerPixel * 1.4, margin: unitsPerPixel * 6 } });
    savePositions();
  }, [stop, sigmaRef]);

  return { running, start, stop, circle, spread };
}
