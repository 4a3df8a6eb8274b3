import { useMemo, useSyncExternalStore } from 'react';
import type { FilterOptions } from '../../../shared/case-filters';
import type { PackedGraph } from '../../../shared/graph';
import type { Area } from '../../../shared/model';
import { api } from '../ui/api';
import { checkForChanges, onInvalidated } from '../ui/data';
import { caseFilters, type CaseFilters } from '../ui/filters';
import { createCaseGraph, placeUnplaced, syncGraph, type CaseGraph } from './case-graph';

/**
 * The one graph of the open case. It outlives the views: switching between
 * the graph and the timeline, or changing a filter, mutates it in place.
 */
export const caseGraph: CaseGraph = createCaseGraph();

export interface LoadState {
  caseId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'too-large' | 'failed';
  error: string | null;
  matched: number;
  limit: number;
  /** Milliseconds from asking for the case's graph to having it in memory. */
  loadMs: number;
  areas: Area[];
  /** Nodes that had no saved position when loaded: the view lays them out. */
  unplaced: string[];
  /** Whether the graph held the case before this load: new entities then go beside their neighbours, the rest stay put. */
  reloaded: boolean;
  version: number;
}

type Listener = () => void;

function createStore<T>(initial: T) {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    set(next: T) {
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const loadStore = createStore<LoadState>({ caseId: null, status: 'idle', error: null, matched: 0, limit: 0, loadMs: 0, areas: [], unplaced: [], reloaded: false, version: 0 });

/** Entities selected in the graph; the timeline highlights their links. */
export const selectionStore = createStore<ReadonlySet<string>>(new Set());

export function useLoadState(): LoadState {
  return useSyncExternalStore(loadStore.subscribe, loadStore.get);
}

export function useSelection(): ReadonlySet<string> {
  return useSyncExternalStore(selectionStore.subscribe, selectionStore.get);
}

export function useCaseFilters(): CaseFilters {
  return useSyncExternalStore(caseFilters.subscribe, caseFilters.get);
}

/** Something that draws the graph and follows its changes one by one (the sigma renderer). */
export interface GraphWatcher {
  /** Stop following changes: a large fill is about to go in. */
  lookAway(): void;
  /** Take in the whole graph as it now is, at once. */
  lookBack(): void;
}

const watchers = new Set<GraphWatcher>();

/** Registers a renderer so that a large load goes in while it looks away; returns the way to unregister. */
export function watchGraph(watcher: GraphWatcher): () => void {
  watchers.add(watcher);
  return () => {
    watchers.delete(watcher);
  };
}

/**
 * Above this many entities and links in one load, the renderer takes the
 * filled graph in once instead of following each change (which would index
 * every entity twice and emit an event per change).
 */
const BULK_LOAD_ABOVE = 1000;

let pending: Promise<void> | null = null;

type Narrow = Pick<CaseFilters, 'entityTypes' | 'countries' | 'areaIds'> | null;

/** The narrowing of the last load, kept by reloads after a change (a too-large case stays narrowed). */
let lastNarrow: Narrow = null;
/** How many views (graph, timeline) show the graph now. */
let viewers = 0;
/** The case changed while no view showed the graph: the next view to open reloads it. */
let stale = false;

// Entities, links and their areas changed somewhere: the graph follows, now if a view shows it, else when one opens.
onInvalidated(['model', 'areas'], () => {
  const { caseId } = loadStore.get();
  if (caseId === null) return;
  if (viewers > 0) reloadAfterPending(caseId);
  else stale = true;
});

let reloadQueued = false;

/** One reload after the load under way, however many changes come in meanwhile. */
function reloadAfterPending(caseId: string): void {
  if (reloadQueued) return;
  reloadQueued = true;
  void (pending ?? Promise.resolve()).then(() => {
    reloadQueued = false;
    if (loadStore.get().caseId === caseId) return loadCaseGraph(caseId, lastNarrow);
  });
}

/**
 * Called by a view that shows the case's graph when it opens: loads the case
 * if it is not loaded or changed while no view showed it. Returns the way to
 * say the view has closed.
 */
export function showCaseGraph(caseId: string): () => void {
  viewers += 1;
  const { caseId: loaded, status } = loadStore.get();
  if (loaded !== caseId || status === 'idle' || stale) void loadCaseGraph(caseId, loaded === caseId ? lastNarrow : null);
  return () => {
    viewers -= 1;
  };
}

/** Waits until the graph holds the case as it is now: asks whether it changed and lets a reload finish. */
export async function caseGraphUpToDate(): Promise<void> {
  await checkForChanges();
  while (pending) await pending;
}

/** Loads (or reloads) the open case into the long-lived graph; narrowed by entity filters when the case is too large. */
export function loadCaseGraph(caseId: string, narrow: Narrow = null): Promise<void> {
  if (pending) return pending.then(() => loadCaseGraph(caseId, narrow));
  stale = false;
  lastNarrow = narrow;
  const started = performance.now();
  const previous = loadStore.get();
  if (previous.caseId !== caseId) {
    caseGraph.clear();
    selectionStore.set(new Set());
  }
  loadStore.set({ ...previous, caseId, status: previous.caseId === caseId && previous.status === 'ready' ? 'ready' : 'loading', error: null });
  // The short request goes first: the database thread answers one request at a time, so the
  // areas would otherwise wait behind the whole graph.
  const areasAsked = api.call('areas.list', {});
  pending = Promise.all([api.call('graph.load', narrow ?? {}), areasAsked])
    .then(([data, areas]: [PackedGraph, Area[]]) => {
      const current = loadStore.get();
      if (data.tooLarge) {
        caseGraph.clear();
        loadStore.set({ ...current, status: 'too-large', matched: data.matched, limit: data.limit, areas, unplaced: [], version: current.version + 1 });
        return;
      }
      const bulk = data.nodes.ids.length + data.edges.ids.length > BULK_LOAD_ABOVE ? [...watchers] : [];
      for (const watcher of bulk) watcher.lookAway();
      try {
        const reloaded = caseGraph.order > 0;
        syncGraph(caseGraph, data);
        // A selected entity deleted since is selected no more.
        const selected = selectionStore.get();
        if ([...selected].some((node) => !caseGraph.hasNode(node))) selectionStore.set(new Set([...selected].filter((node) => caseGraph.hasNode(node))));
        const unplaced = placeUnplaced(caseGraph);
        loadStore.set({ ...current, status: 'ready', matched: data.matched, limit: data.limit, areas, unplaced, reloaded, loadMs: performance.now() - started, version: current.version + 1 });
      } finally {
        // After the views have had their say: loadStore.set queued React's render of the ready state,
        // whose effects style and filter the graph, as a microtask before this one. So the renderer's
        // first frame of the case is already styled, and no frame can come in between.
        if (bulk.length) queueMicrotask(() => bulk.forEach((watcher) => watcher.lookBack()));
      }
    })
    .catch((error: unknown) => {
      loadStore.set({ ...loadStore.get(), status: 'failed', error: error instanceof Error ? error.message : 'The graph could not be loaded.' });
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** The link types and countries of the loaded graph, offered by the filter bar; recomputed when the graph loads anew. */
export function useGraphFilterOptions(version: number): FilterOptions {
  return useMemo(() => {
    void version;
    const types = new Set<string>();
    const codes = new Set<string>();
    caseGraph.forEachEdge((_e, a) => types.add(a.linkType));
    caseGraph.forEachNode((_n, a) => {
      if (a.country) codes.add(a.country);
    });
    return { linkTypes: [...types].sort(), countries: [...codes].sort() };
  }, [version]);
}
