import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import circular from 'graphology-layout/circular';
import noverlap from 'graphology-layout-noverlap';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type Sigma from 'sigma';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type EntityRef, type EntityType } from '../../../shared/model';
import { api, errorMessage } from '../ui/api';
import { changed } from '../ui/data';
import { useItemPanels } from '../ui/item-panels';
import { useLeaveGuard } from '../ui/use-draft';
import { isFiltered, today } from '../ui/filters';
import { downloadFile } from '../ui/download';
import { capturePicture, pictureToPng, pictureToSvg } from './export';
import { FilterBar } from '../ui/FilterBar';
import { GraphCanvas, PATH_COLOUR, type CanvasEvents, type Highlight } from './GraphCanvas';
import { computeMeasures, findEntities, shortestPath } from './analysis';
import { NO_AREA_COLOUR, paletteColour, styleGraph, TYPE_COLOURS, type ColourBy, type SizeBy } from './appearance';
import { positionsOf, type EdgeAttrs, type NodeAttrs } from './case-graph';
import { applyFilters } from './visibility';
import { SHAPE_BY_TYPE, shapePath, type NodeShape } from './shapes';
import { caseGraph, caseGraphUpToDate, loadCaseGraph, selectionStore, showCaseGraph, useCaseFilters, useLoadState, useGraphFilterOptions } from './store';
import './graph.css';

/** Sizes above which work moves off the main thread or waits for the investigator to ask. */
const SYNC_LAYOUT_LIMIT = 1500;
const AUTO_MEASURES_LIMIT = 3000;
const EXPORT_WIDTH = 3600;

/** The load whose measures were last computed; views come and go, the graph stays. */
let measuredVersion = -1;

type Panel = { kind: 'entity'; id: string } | { kind: 'link'; id: string; notice?: string } | { kind: 'new-link'; from: string; to: string } | null;
type Pending = { kind: 'link' | 'path'; from: string } | null;

/** Said where the layout buttons are: the contract declares saved places view data that Undo passes by. */
const LAYOUT_NOT_UNDONE = 'Where entities sit is saved as you arrange them; Undo does not move them back.';

function savePositions(nodes?: Iterable<string>): void {
  const positions = positionsOf(caseGraph, nodes);
  if (positions.length) void api.call('graph.savePositions', { positions }).catch(() => undefined);
}

function nameOf(node: string): string {
  return caseGraph.hasNode(node) ? caseGraph.getNodeAttribute(node, 'label') : node;
}

function refOf(node: string): EntityRef | null {
  if (!caseGraph.hasNode(node)) return null;
  const a = caseGraph.getNodeAttributes(node);
  return { id: node, name: a.label, type: a.entityType };
}

/** The entity types present in the graph, in the usual order. */
function presentTypes(): EntityType[] {
  const present = new Set<string>();
  caseGraph.forEachNode((_n, a) => present.add(a.entityType));
  return ENTITY_TYPES.filter((t) => present.has(t));
}

const SHAPE_INK = '#5b6576';

/** A small picture of an entity type's outline, as the graph draws it. */
function ShapeIcon({ shape, color }: { shape: NodeShape; color: string }) {
  return (
    <svg className="shape-icon" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true" data-shape={shape}>
      <path d={shapePath(shape, 0, 0, 4.6)} fill={color} />
    </svg>
  );
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
function spreadForLabels() {
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

/** The case as a network: entities as nodes, links as edges, with layout, analysis, search and export. */
export function GraphView({ caseId, marking }: { caseId: string; marking: string | null }) {
  const load = useLoadState();
  const panels = useItemPanels();
  const filterOptions = useGraphFilterOptions(load.version);
  const filters = useCaseFilters();
  const sigmaRef = useRef<Sigma<NodeAttrs, EdgeAttrs> | null>(null);
  const highlight = useRef<Highlight>({ selected: new Set(), hovered: null, hoveredEdge: null, path: null });
  const layout = useRef<FA2Layout | null>(null);
  const [layoutRunning, setLayoutRunning] = useState(false);
  const [colourBy, setColourBy] = useState<ColourBy>('type');
  const [edgeColourBy, setEdgeColourBy] = useState<'type' | 'area'>('type');
  const [sizeBy, setSizeBy] = useState<SizeBy>('degree');
  const [measured, setMeasured] = useState(0);
  const [linking, setLinking] = useState(false);
  const [lassoMode, setLassoMode] = useState(false);
  const [panel, setPanelNow] = useState<Panel>(null);
  // Another entity or link waits until unsaved typing in the panel is saved or discarded.
  const panelGuard = useLeaveGuard();
  const setPanel = useCallback((next: Panel) => panelGuard.leave(() => setPanelNow(next)), [panelGuard]);
  const [pending, setPending] = useState<Pending>(null);
  const [menu, setMenu] = useState<{ node: string; x: number; y: number } | null>(null);
  const [hover, setHover] = useState<{ node: string; x: number; y: number } | null>(null);
  const [hiddenByHand, setHiddenByHand] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [counts, setCounts] = useState({ nodes: 0, edges: 0 });
  const [search, setSearch] = useState('');
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const [pathFrom, setPathFrom] = useState('');
  const [pathTo, setPathTo] = useState('');
  const [pathNote, setPathNote] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selectedCount, setSelectedCount] = useState(0);
  const [, setPinChanges] = useState(0);
  const linkingRef = useRef(linking);
  linkingRef.current = linking;
  const lassoRef = useRef(lassoMode);
  lassoRef.current = lassoMode;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const refresh = useCallback(() => sigmaRef.current?.refresh({ skipIndexation: true }), []);

  const select = useCallback(
    (nodes: ReadonlySet<string>) => {
      highlight.current.selected = nodes;
      selectionStore.set(nodes);
      setSelectedCount(nodes.size);
      refresh();
    },
    [refresh],
  );

  // A layout effect runs before the canvas's (passive) effect creates sigma: the request is on its way while sigma starts.
  // While the view is open the graph follows every change to the case (see store.ts).
  useLayoutEffect(() => showCaseGraph(caseId), [caseId]);
  useLayoutEffect(() => {
    highlight.current.selected = selectionStore.get();
  }, [load.version]);

  const startLayout = useCallback(() => {
    layout.current?.kill();
    layout.current = new FA2Layout(caseGraph, { settings: { ...forceAtlas2.inferSettings(caseGraph), barnesHutOptimize: caseGraph.order > 300, slowDown: 5 } });
    layout.current.start();
    setLayoutRunning(true);
  }, []);
  const stopLayout = useCallback(() => {
    if (!layout.current?.isRunning()) return;
    layout.current.stop();
    setLayoutRunning(false);
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
      startLayout();
      window.setTimeout(() => stopLayout(), 8000);
    }
  }, [load, startLayout, stopLayout]);

  // Network measures for sizes, communities and the Entities grid; stored in the case so the grid can sort by them.
  const measure = useCallback(() => {
    computeMeasures(caseGraph);
    setMeasured((m) => m + 1);
    const metrics = caseGraph.mapNodes((id, a) => ({ id, degree: a.degree, betweenness: a.betweenness, pagerank: a.pagerank, community: a.community }));
    void api.call('graph.saveMetrics', { metrics, replace: true }).catch(() => undefined);
  }, []);
  // Computed once the first frame is on the screen, so that they never delay the picture.
  useEffect(() => {
    if (load.status !== 'ready' || measuredVersion === load.version) return;
    if (caseGraph.order === 0 || caseGraph.order > AUTO_MEASURES_LIMIT) {
      measuredVersion = load.version;
      return;
    }
    let timer = 0;
    const frame = window.requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        measuredVersion = load.version;
        measure();
      }, 0);
    });
    return () => {
      window.cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [load.status, load.version, measure]);

  const areaColours = useMemo(() => new Map(load.areas.map((a) => [a.id, a.colour])), [load.areas]);
  useEffect(() => {
    styleGraph(caseGraph, { colourBy, sizeBy, areaColours, edgeColourBy });
  }, [colourBy, sizeBy, edgeColourBy, areaColours, load.version, measured]);

  useEffect(() => {
    setCounts(applyFilters(caseGraph, filters, { areas: load.areas, hiddenByHand, expanded, asOf: today() }));
  }, [filters, hiddenByHand, expanded, load.areas, load.version]);

  useEffect(
    () => () => {
      layout.current?.kill();
      layout.current = null;
    },
    [],
  );

  const circle = () => {
    stopLayout();
    const positions = circular(caseGraph, { scale: Math.max(100, Math.sqrt(caseGraph.order) * 30) });
    caseGraph.forEachNode((node, a) => {
      const p = positions[node];
      if (p && p.x !== undefined && p.y !== undefined && !a.fixed) caseGraph.mergeNodeAttributes(node, { x: p.x, y: p.y });
    });
    sigmaRef.current?.setCustomBBox(null);
    savePositions();
  };

  const spread = () => {
    stopLayout();
    const sigma = sigmaRef.current;
    const a = sigma?.viewportToGraph({ x: 0, y: 0 });
    const b = sigma?.viewportToGraph({ x: 1, y: 0 });
    const unitsPerPixel = a && b ? Math.hypot(b.x - a.x, b.y - a.y) : 1;
    noverlap.assign(caseGraph, { maxIterations: 100, settings: { ratio: unitsPerPixel * 1.4, margin: unitsPerPixel * 6 } });
    savePositions();
  };

  const focus = useCallback((node: string) => {
    const sigma = sigmaRef.current;
    const data = sigma?.getNodeDisplayData(node);
    if (!sigma || !data) return;
    const camera = sigma.getCamera();
    void camera.animate({ x: data.x, y: data.y, ratio: Math.min(camera.ratio, 0.7) }, { duration: 300 });
  }, []);

  /** Moves the camera so these nodes fill the picture. */
  const frame = useCallback((nodes: string[]) => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    const points = nodes.map((n) => sigma.getNodeDisplayData(n)).filter((d): d is NonNullable<typeof d> => d !== undefined);
    if (!points.length) return;
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    void sigma.getCamera().animate({ x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2, ratio: Math.min(1.1, Math.max(0.25, extent * 1.5)) }, { duration: 300 });
  }, []);

  const showPath = useCallback(
    (from: string, to: string) => {
      const path = shortestPath(caseGraph, from, to);
      if (!path) {
        highlight.current.path = null;
        setPathNote(`No chain of visible links joins ${nameOf(from)} and ${nameOf(to)}.`);
      } else {
        highlight.current.path = { nodes: new Set(path.nodes), edges: new Set(path.edges) };
        frame(path.nodes);
        const steps = path.nodes.length - 1;
        setPathNote(`Path (${steps} ${steps === 1 ? 'step' : 'steps'}): ${path.nodes.map(nameOf).join(' → ')}`);
      }
      refresh();
    },
    [refresh, frame],
  );

  const clearPath = () => {
    highlight.current.path = null;
    setPathNote(null);
    refresh();
  };

  const events = useRef<CanvasEvents>({
    onNodeClick: () => undefined,
    onNodeDoubleClick: () => undefined,
    onNodeRightClick: () => undefined,
    onStageClick: () => undefined,
    onNodeMoved: () => undefined,
    onLinkDrawn: () => undefined,
    onHover: () => undefined,
    onLasso: () => undefined,
    linking: () => false,
    lassoing: () => false,
  });
  events.current = {
    onNodeClick: (node, shift) => {
      setMenu(null);
      const p = pendingRef.current;
      if (p) {
        setPending(null);
        if (p.kind === 'link' && p.from !== node) setPanel({ kind: 'new-link', from: p.from, to: node });
        if (p.kind === 'path') showPath(p.from, node);
        return;
      }
      if (shift) {
        const next = new Set(highlight.current.selected);
        if (next.has(node)) next.delete(node);
        else next.add(node);
        select(next);
        return;
      }
      select(new Set([node]));
      setPanel({ kind: 'entity', id: node });
    },
    onNodeDoubleClick: (node) => {
      setExpanded((prev) => new Set([...prev, node, ...caseGraph.neighbors(node)]));
    },
    onNodeRightClick: (node, x, y) => setMenu({ node, x, y }),
    onStageClick: () => {
      setMenu(null);
      setPending(null);
      if (highlight.current.selected.size) select(new Set());
    },
    onNodeMoved: (node) => {
      caseGraph.setNodeAttribute(node, 'fixed', true);
      savePositions([node]);
    },
    onLinkDrawn: (from, to) => setPanel({ kind: 'new-link', from, to }),
    onHover: (node, x, y) => setHover(node ? { node, x, y } : null),
    onLasso: (nodes, add) => {
      setMenu(null);
      setPending(null);
      select(new Set([...(add ? highlight.current.selected : []), ...nodes]));
    },
    linking: () => linkingRef.current,
    lassoing: () => lassoRef.current,
  };

  // Esc closes the entity menu and drops a half-made "Link to…" or "Show path to…".
  useEffect(() => {
    if (!menu && !pending) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenu(null);
      setPending(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menu, pending]);

  const hideSelected = () => {
    const chosen = highlight.current.selected;
    setHiddenByHand((prev) => new Set([...prev, ...chosen]));
    select(new Set());
  };
  const selectionPinned = selectedCount > 0 && [...highlight.current.selected].every((n) => caseGraph.hasNode(n) && caseGraph.getNodeAttribute(n, 'fixed'));
  const pinSelected = () => {
    const chosen = [...highlight.current.selected].filter((n) => caseGraph.hasNode(n));
    for (const n of chosen) caseGraph.setNodeAttribute(n, 'fixed', !selectionPinned);
    savePositions(chosen);
    // The graph is not React state: redraw the buttons, whose words depend on the pins.
    setPinChanges((n) => n + 1);
  };

  const onReady = useCallback((sigma: Sigma<NodeAttrs, EdgeAttrs> | null) => {
    sigmaRef.current = sigma;
  }, []);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    const [first] = findEntities(caseGraph, search, 1);
    if (!first) {
      setSearchNote(`No entity is called “${search}”.`);
      return;
    }
    setSearchNote(null);
    if (caseGraph.getNodeAttribute(first, 'hidden')) setExpanded((prev) => new Set([...prev, first]));
    select(new Set([first]));
    window.setTimeout(() => focus(first), 0);
  };

  const resolve = (text: string): string | null => findEntities(caseGraph, text, 1)[0] ?? null;
  const onPath = (event: FormEvent) => {
    event.preventDefault();
    const from = resolve(pathFrom);
    const to = resolve(pathTo);
    if (!from || !to) {
      setPathNote(`No entity is called “${!from ? pathFrom : pathTo}”.`);
      return;
    }
    showPath(from, to);
  };

  const exportPicture = async (kind: 'png' | 'svg') => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    try {
      // A change made elsewhere a moment ago must not leave a deleted entity in the picture.
      await caseGraphUpToDate();
      const types = presentTypes();
      const colours = legendItems(colourBy, load.areas, measured);
      const legend =
        colourBy === 'type'
          ? types.map((t) => ({ label: ENTITY_TYPE_LABELS[t], color: TYPE_COLOURS[t], shape: SHAPE_BY_TYPE[t] }))
          : [...colours.map((i) => ({ label: i.label, color: i.color, shape: null })), ...types.map((t) => ({ label: ENTITY_TYPE_LABELS[t], color: SHAPE_INK, shape: SHAPE_BY_TYPE[t] }))];
      const emphasised = new Set([...highlight.current.selected, ...(highlight.current.path?.nodes ?? [])]);
      const picture = capturePicture(sigma, caseGraph, EXPORT_WIDTH, legend, marking, emphasised);
      const blob = kind === 'png' ? await pictureToPng(picture) : new Blob([pictureToSvg(picture)], { type: 'image/svg+xml' });
      downloadFile(blob, `graph.${kind}`);
      setNotice(`Exported the picture as ${kind.toUpperCase()}, ${picture.width} × ${picture.height} px, ${picture.nodes.length} ${picture.nodes.length === 1 ? 'entity' : 'entities'}.`);
    } catch (error) {
      setNotice(errorMessage(error));
    }
  };

  const legend = legendItems(colourBy, load.areas, measured);
  const types = presentTypes();
  const edgeLegend = useMemo(() => {
    void load.version;
    if (edgeColourBy === 'area') return [];
    const types = new Map<string, number>();
    caseGraph.forEachEdge((_e, a) => types.set(a.linkType, (types.get(a.linkType) ?? 0) + 1));
    return [...types.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([t]) => ({ key: t, label: t, color: paletteColour(t) }));
  }, [edgeColourBy, load.version]);

  if (load.status === 'too-large') {
    const narrowing = filters.entityTypes.length + filters.countries.length + filters.areaIds.length;
    return (
      <div className="graph-view">
        <FilterBar filters={filters} areas={load.areas} options={filterOptions} />
        <section className="empty-view" role="status">
          <h2>Choose what to draw first</h2>
          <p>
            This case has {load.matched.toLocaleString()} entities matching, more than the {load.limit.toLocaleString()} the graph draws at once. Pick technology areas, entity types or countries
            above, then draw.
          </p>
          <button
            type="button"
            className="primary"
            disabled={narrowing === 0}
            onClick={() => void loadCaseGraph(caseId, { entityTypes: filters.entityTypes, countries: filters.countries, areaIds: filters.areaIds })}
          >
            Draw the filtered graph
          </button>
          {narrowing === 0 ? <p className="muted">Choose at least one technology area, entity type or country first; link types and source grades do not narrow the entities.</p> : null}
        </section>
      </div>
    );
  }

  const newLink = panel?.kind === 'new-link' ? panel : null;
  return (
    <div className="graph-view">
      <div className="toolbar graph-toolbar">
        <h2>Graph</h2>
        <form className="graph-search" onSubmit={onSearch} role="search">
          <input type="search" aria-label="Find an entity" placeholder="Find by name or alias…" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit">Find</button>
        </form>
        <span className="toolbar-spacer" />
        <div className="button-group" role="group" aria-label="Layout" title={LAYOUT_NOT_UNDONE}>
          {layoutRunning ? (
            <button type="button" onClick={stopLayout}>
              Stop layout
            </button>
          ) : (
            <button type="button" onClick={startLayout}>
              Run layout
            </button>
          )}
          <button type="button" onClick={circle}>
            Circle
          </button>
          <button type="button" onClick={spread}>
            Spread overlaps
          </button>
        </div>
        <label className="inline-field">
          Colour
          <select value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)}>
            <option value="type">by entity type</option>
            <option value="area">by technology area</option>
            <option value="community">by community</option>
          </select>
        </label>
        <label className="inline-field">
          Links
          <select value={edgeColourBy} onChange={(e) => setEdgeColourBy(e.target.value as 'type' | 'area')}>
            <option value="type">by link type</option>
            <option value="area">by technology area</option>
          </select>
        </label>
        <label className="inline-field">
          Size
          <select
            value={sizeBy}
            onChange={(e) => {
              const next = e.target.value as SizeBy;
              if ((next === 'betweenness' || next === 'pagerank') && measured === 0) measure();
              setSizeBy(next);
            }}
          >
            <option value="degree">by degree</option>
            <option value="betweenness">by betweenness</option>
            <option value="pagerank">by PageRank</option>
            <option value="same">all the same</option>
          </select>
        </label>
        <div className="button-group" role="group" aria-label="Dragging">
          <button
            type="button"
            aria-pressed={lassoMode}
            className={lassoMode ? 'toggle on' : 'toggle'}
            onClick={() => (setLassoMode((v) => !v), setLinking(false))}
            title="Drag around entities to select them (or hold Shift while dragging on the background)"
          >
            Lasso
          </button>
          <button
            type="button"
            aria-pressed={linking}
            className={linking ? 'toggle on' : 'toggle'}
            onClick={() => (setLinking((v) => !v), setLassoMode(false))}
            title="Drag from one entity to another to link them (or hold Alt while dragging)"
          >
            Draw links
          </button>
        </div>
        <button type="button" onClick={() => void exportPicture('png')}>
          Export PNG
        </button>
        <button type="button" onClick={() => void exportPicture('svg')}>
          Export SVG
        </button>
      </div>
      <FilterBar filters={filters} areas={load.areas} options={filterOptions} />
      <form className="path-bar" onSubmit={onPath} aria-label="Shortest path">
        <input aria-label="Path from" placeholder="Path from…" list="graph-entity-names" value={pathFrom} onChange={(e) => setPathFrom(e.target.value)} />
        <input aria-label="Path to" placeholder="…to" list="graph-entity-names" value={pathTo} onChange={(e) => setPathTo(e.target.value)} />
        <button type="submit">Show path</button>
        {pathNote ? (
          <>
            <span className="path-note" role="status">
              {pathNote}
            </span>
            <button type="button" className="link-button" onClick={clearPath}>
              Clear path
            </button>
          </>
        ) : null}
        {searchNote ? <span className="path-note">{searchNote}</span> : null}
        <datalist id="graph-entity-names">
          {caseGraph.order <= 5000 ? caseGraph.mapNodes((id, a) => <option key={id} value={a.label} />) : null}
        </datalist>
      </form>
      <div className="graph-and-panel">
        <div className={lassoMode ? 'graph-host lasso-mode' : 'graph-host'} data-nodes={counts.nodes} data-edges={counts.edges} data-load-ms={Math.round(load.loadMs)} data-status={load.status} data-selected={selectedCount}>
          <GraphCanvas highlight={highlight} events={events} onReady={onReady} />
          {load.status === 'ready' && caseGraph.order === 0 ? (
            <div className="graph-empty">
              <p>No entities yet. Add entities and links, and they are drawn here.</p>
              <a href="#/entities">Go to Entities</a>
            </div>
          ) : null}
          {load.status === 'loading' ? <div className="graph-empty">Loading the graph…</div> : null}
          {load.status === 'failed' ? (
            <div className="graph-empty" role="alert">
              {load.error}
            </div>
          ) : null}
          <div className="graph-corner">
            <div className="graph-status" aria-live="polite">
              {counts.nodes.toLocaleString()} of {caseGraph.order.toLocaleString()} entities, {counts.edges.toLocaleString()} links shown
              {isFiltered(filters) ? ' (filtered)' : ''}
              {expanded.size ? (
                <button type="button" className="link-button" onClick={() => setExpanded(new Set())}>
                  Collapse expanded
                </button>
              ) : null}
              {hiddenByHand.size ? (
                <button type="button" className="link-button" onClick={() => setHiddenByHand(new Set())}>
                  Show {hiddenByHand.size} hidden
                </button>
              ) : null}
            </div>
            {selectedCount > 0 ? (
              <div className="graph-selection" role="toolbar" aria-label="Selection">
                <span className="graph-selection-count" role="status">
                  {selectedCount} selected
                </span>
                <button type="button" onClick={hideSelected}>
                  Hide
                </button>
                <button type="button" onClick={pinSelected} title={selectionPinned ? 'Let layouts move these entities again' : 'Keep these entities where they are when layouts run'}>
                  {selectionPinned ? 'Unpin' : 'Pin'}
                </button>
                <button type="button" onClick={() => select(new Set())}>
                  Clear selection
                </button>
              </div>
            ) : null}
          </div>
          <div className="graph-hints">
            {pending ? (
              <div className="graph-hint" role="status">
                {pending.kind === 'link' ? `Click the entity to link ${nameOf(pending.from)} to.` : `Click the entity to find the path from ${nameOf(pending.from)}.`}{' '}
                <button type="button" className="link-button" onClick={() => setPending(null)}>
                  Cancel
                </button>
              </div>
            ) : null}
            {notice ? (
              <div className="graph-hint" role="status">
                {notice}{' '}
                <button type="button" className="link-button" onClick={() => setNotice(null)}>
                  Dismiss
                </button>
              </div>
            ) : null}
          </div>
          <details className="graph-legend" open aria-label="Legend">
            <summary>Legend</summary>
            <h3>Entities</h3>
            <ul>
              {colourBy === 'type'
                ? types.map((t) => (
                    <li key={t}>
                      <ShapeIcon shape={SHAPE_BY_TYPE[t]} color={TYPE_COLOURS[t]} />
                      {ENTITY_TYPE_LABELS[t]}
                    </li>
                  ))
                : legend.map((item) => (
                    <li key={item.key}>
                      <span className="swatch" style={{ background: item.color }} />
                      {item.label}
                    </li>
                  ))}
            </ul>
            {colourBy !== 'type' && types.length ? (
              <>
                <h3>Entity types</h3>
                <ul>
                  {types.map((t) => (
                    <li key={t}>
                      <ShapeIcon shape={SHAPE_BY_TYPE[t]} color={SHAPE_INK} />
                      {ENTITY_TYPE_LABELS[t]}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {edgeLegend.length ? (
              <>
                <h3>Links</h3>
                <ul>
                  {edgeLegend.map((item) => (
                    <li key={item.key}>
                      <span className="swatch line" style={{ background: item.color }} />
                      {item.label}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {pathNote && highlight.current.path ? (
              <p>
                <span className="swatch line" style={{ background: PATH_COLOUR }} /> path
              </p>
            ) : null}
          </details>
          {hover && !menu && caseGraph.hasNode(hover.node) ? <HoverCard node={hover.node} /> : null}
          {menu && caseGraph.hasNode(menu.node) ? (
            <ul className="graph-menu" role="menu" style={{ left: menu.x, top: menu.y }}>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => (setPanel({ kind: 'entity', id: menu.node }), select(new Set([menu.node])), setMenu(null))}>
                  Open
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => (setHiddenByHand((prev) => new Set([...prev, menu.node])), setMenu(null))}>
                  Hide
                </button>
              </li>
              <li role="none">
                <button
                  type="button"
                  role="menuitem"
                  onClick={() => {
                    const pinned = !caseGraph.getNodeAttribute(menu.node, 'fixed');
                    caseGraph.setNodeAttribute(menu.node, 'fixed', pinned);
                    savePositions([menu.node]);
                    setMenu(null);
                  }}
                >
                  {caseGraph.getNodeAttribute(menu.node, 'fixed') ? 'Unpin' : 'Pin here'}
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => (setExpanded((prev) => new Set([...prev, menu.node, ...caseGraph.neighbors(menu.node)])), setMenu(null))}>
                  Expand neighbours
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => (setPending({ kind: 'link', from: menu.node }), setMenu(null))}>
                  Link to…
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => (setPending({ kind: 'path', from: menu.node }), setMenu(null))}>
                  Show path to…
                </button>
              </li>
            </ul>
          ) : null}
        </div>
        {panel?.kind === 'entity' ? (
          <Fragment key={panel.id}>
            {panels.entity({
              entityId: panel.id,
              guard: panelGuard,
              onClose: () => setPanel(null),
              onSaved: () => changed(['model']),
              onDeleted: () => setPanel(null),
              onOpenEntity: (id) => {
                setPanel({ kind: 'entity', id });
                if (caseGraph.hasNode(id)) {
                  select(new Set([id]));
                  focus(id);
                }
              },
            })}
          </Fragment>
        ) : null}
        {newLink ? (
          <Fragment key={`new-${newLink.from}-${newLink.to}`}>
            {panels.link({
              linkId: null,
              guard: panelGuard,
              initialFrom: refOf(newLink.from),
              initialTo: refOf(newLink.to),
              onClose: () => setPanel(null),
              onSaved: (link, note) => setPanel({ kind: 'link', id: link.id, notice: link.citations.length ? note : `${note} Cite the excerpts it rests on.` }),
              onDeleted: () => setPanel(null),
            })}
          </Fragment>
        ) : null}
        {panel?.kind === 'link' ? (
          <Fragment key={panel.id}>
            {panels.link({ linkId: panel.id, guard: panelGuard, notice: panel.notice, onClose: () => setPanel(null), onSaved: (link, note) => setPanel({ kind: 'link', id: link.id, notice: note }), onDeleted: () => setPanel(null) })}
          </Fragment>
        ) : null}
      </div>
    </div>
  );
}

function HoverCard({ node }: { node: string }) {
  const a = caseGraph.getNodeAttributes(node);
  return (
    <div className="graph-hover-card" role="tooltip">
      <strong>{a.label}</strong> <span className="muted">{ENTITY_TYPE_LABELS[a.entityType]}{a.country ? `, ${a.country}` : ''}</span>
      {a.aliases.length ? <div className="muted">{a.aliases.join(' · ')}</div> : null}
    </div>
  );
}

function legendItems(colourBy: ColourBy, areas: { id: string; name: string; colour: string }[], measured: number): { key: string; label: string; color: string }[] {
  if (colourBy === 'type') return presentTypes().map((t) => ({ key: t, label: ENTITY_TYPE_LABELS[t], color: TYPE_COLOURS[t] }));
  if (colourBy === 'area') {
    const present = new Set<string>();
    caseGraph.forEachNode((_n, a) => {
      if (a.areaIds[0]) present.add(a.areaIds[0]);
    });
    return [...areas.filter((a) => present.has(a.id)).map((a) => ({ key: a.id, label: a.name, color: a.colour })), { key: 'none', label: 'no area', color: NO_AREA_COLOUR }];
  }
  void measured;
  const sizes = new Map<number, number>();
  caseGraph.forEachNode((_n, a) => sizes.set(a.community, (sizes.get(a.community) ?? 0) + 1));
  return [...sizes.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, 10)
    .map(([c, n]) => ({ key: String(c), label: `Community ${c + 1} (${n})`, color: paletteColour(c) }));
}
