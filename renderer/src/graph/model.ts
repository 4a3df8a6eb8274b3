import { MultiDirectedGraph, UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { bidirectional } from 'graphology-shortest-path/unweighted';
import { unpackGraph, type GraphData, type GraphEdge, type GraphNode, type PackedGraph } from '../../../shared/graph';
import { DEFAULT_LINK_TYPES, type EntityType, type LinkDirection, type LinkStatus } from '../../../shared/model';
import type { ReliabilityGrade } from '../../../shared/schemas';
import { expandAreas, linkInPeriod, meetsGrade, type CaseFilters } from '../ui/filters';

/** What the graph keeps on each entity: case data plus how it is drawn. */
export interface NodeAttrs {
  label: string;
  x: number;
  y: number;
  size: number;
  color: string;
  hidden: boolean;
  /** Positions from the case file or the investigator's drag; layouts leave fixed nodes where they are. */
  fixed: boolean;
  entityType: EntityType;
  subtype: string | null;
  country: string | null;
  aliases: string[];
  areaIds: string[];
  reliability: ReliabilityGrade | null;
  /** True until the node has a position from the case file or a layout. */
  unplaced: boolean;
  degree: number;
  betweenness: number;
  pagerank: number;
  community: number;
}

export interface EdgeAttrs {
  label: string;
  linkType: string;
  color: string;
  size: number;
  hidden: boolean;
  /** Sigma's edge program: arrow or line, curved when parallel to another link. */
  type: string;
  curvature: number;
  direction: LinkDirection;
  status: LinkStatus;
  startDate: string | null;
  endDate: string | null;
  areaIds: string[];
  reliability: ReliabilityGrade | null;
}

export type CaseGraph = MultiDirectedGraph<NodeAttrs, EdgeAttrs>;

export function createCaseGraph(): CaseGraph {
  return new MultiDirectedGraph<NodeAttrs, EdgeAttrs>({ allowSelfLoops: false });
}

export const TYPE_COLOURS: Record<EntityType, string> = {
  organisation: '#2458b3',
  person: '#d9480f',
  programme: '#1f8a70',
  event: '#9333ea',
  product: '#c2255c',
  place: '#a16207',
};

const PALETTE = ['#2458b3', '#d9480f', '#1f8a70', '#9333ea', '#c2255c', '#a16207', '#0e7490', '#4d7c0f', '#b91c1c', '#4338ca', '#0f766e', '#7c2d12'];
export const NO_AREA_COLOUR = '#8a94a6';
export const EDGE_COLOUR = '#9aa3b2';

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Distinct colours for the link types offered from the start, in DEFAULT_LINK_TYPES order. */
const LINK_TYPE_PALETTE = ['#1f8a70', '#6741d9', '#2458b3', '#c2410c', '#b91c1c', '#e8590c', '#0c8599', '#5c940d', '#a61e4d', '#862e9c', '#495057', '#d6336c', '#364fc7', '#ae3ec9'];

/** A stable colour for a link type or a community number. */
export function paletteColour(key: string | number): string {
  if (typeof key === 'string') {
    const known = (DEFAULT_LINK_TYPES as readonly string[]).indexOf(key);
    if (known >= 0) return LINK_TYPE_PALETTE[known] ?? EDGE_COLOUR;
  }
  const index = typeof key === 'number' ? key : hash(key);
  return PALETTE[index % PALETTE.length] ?? EDGE_COLOUR;
}

function nodeAttrs(n: GraphNode, old: NodeAttrs | undefined): NodeAttrs {
  const placed = n.x !== null && n.y !== null;
  return {
    label: n.name,
    x: placed ? (n.x as number) : (old?.x ?? 0),
    y: placed ? (n.y as number) : (old?.y ?? 0),
    size: old?.size ?? 6,
    color: old?.color ?? TYPE_COLOURS[n.type],
    hidden: old?.hidden ?? false,
    fixed: n.pinned,
    entityType: n.type,
    subtype: n.subtype,
    country: n.country,
    aliases: n.aliases,
    areaIds: n.areaIds,
    reliability: n.reliability,
    unplaced: !placed && (old?.unplaced ?? true),
    degree: old?.degree ?? 0,
    betweenness: old?.betweenness ?? 0,
    pagerank: old?.pagerank ?? 0,
    community: old?.community ?? 0,
  };
}

function edgeAttrs(e: GraphEdge, old: EdgeAttrs | undefined): EdgeAttrs {
  return {
    label: e.type,
    linkType: e.type,
    color: old?.color ?? EDGE_COLOUR,
    size: old?.size ?? 2,
    hidden: old?.hidden ?? false,
    type: e.direction === 'directed' ? 'arrow' : 'line',
    curvature: 0,
    direction: e.direction,
    status: e.status,
    startDate: e.startDate,
    endDate: e.endDate,
    areaIds: e.areaIds,
    reliability: e.reliability,
  };
}

/**
 * Brings the long-lived graph in line with what the case holds: adds, updates
 * and drops nodes and edges in place, so the picture and the renderer survive.
 */
export function syncGraph(graph: CaseGraph, answer: GraphData | PackedGraph): { added: number; dropped: number } {
  const data = 'format' in answer ? unpackGraph(answer) : answer;
  let added = 0;
  let dropped = 0;
  const firstLoad = graph.order === 0;
  const nodeIds = new Set(data.nodes.map((n) => n.id));
  const edgeIds = new Set(data.edges.map((e) => e.id));
  graph.forEachEdge((edge) => {
    if (!edgeIds.has(edge)) {
      graph.dropEdge(edge);
      dropped += 1;
    }
  });
  graph.forEachNode((node) => {
    if (!nodeIds.has(node)) {
      graph.dropNode(node);
      dropped += 1;
    }
  });
  // Degrees known before the nodes go in, so that a first load does not touch every node a second time.
  const degrees = new Map<string, number>();
  for (const e of data.edges) {
    if (e.from === e.to || !nodeIds.has(e.from) || !nodeIds.has(e.to)) continue;
    degrees.set(e.from, (degrees.get(e.from) ?? 0) + 1);
    degrees.set(e.to, (degrees.get(e.to) ?? 0) + 1);
  }
  for (const n of data.nodes) {
    if (graph.hasNode(n.id)) graph.replaceNodeAttributes(n.id, nodeAttrs(n, graph.getNodeAttributes(n.id)));
    else {
      graph.addNode(n.id, { ...nodeAttrs(n, undefined), degree: degrees.get(n.id) ?? 0 });
      added += 1;
    }
  }
  for (const e of data.edges) {
    if (!graph.hasNode(e.from) || !graph.hasNode(e.to) || e.from === e.to) continue;
    if (graph.hasEdge(e.id)) {
      const old = graph.getEdgeAttributes(e.id);
      if (graph.source(e.id) === e.from && graph.target(e.id) === e.to) {
        graph.replaceEdgeAttributes(e.id, edgeAttrs(e, old));
        continue;
      }
      graph.dropEdge(e.id);
    }
    graph.addDirectedEdgeWithKey(e.id, e.from, e.to, edgeAttrs(e, undefined));
    added += 1;
  }
  curveParallelEdges(graph);
  // A first load set every degree as it added the entities; a reload may have changed any of them.
  if (!firstLoad) {
    graph.forEachNode((node, a) => {
      const degree = graph.degree(node);
      if (a.degree !== degree) graph.setNodeAttribute(node, 'degree', degree);
    });
  }
  return { added, dropped };
}

/**
 * Several links between the same pair are drawn as distinct curves rather
 * than on top of each other: each gets its own bend, on alternate sides.
 */
export function curveParallelEdges(graph: CaseGraph): void {
  interface Seen {
    edge: string;
    attrs: EdgeAttrs;
    flip: 1 | -1;
  }
  // Pairs are keyed by two node numbers rather than two joined IDs: no string is built per link.
  const numbers = new Map<string, number>();
  graph.forEachNode((node) => {
    numbers.set(node, numbers.size);
  });
  const order = numbers.size;
  const pairs = new Map<number, Seen[]>();
  graph.forEachEdge((edge, attrs, source, target) => {
    // Curvature is relative to the edge's own direction; links drawn the other way flip to stay on their side.
    const flip = source < target ? 1 : -1;
    const s = numbers.get(source) ?? 0;
    const t = numbers.get(target) ?? 0;
    const key = s < t ? s * order + t : t * order + s;
    const list = pairs.get(key);
    if (list) list.push({ edge, attrs, flip });
    else pairs.set(key, [{ edge, attrs, flip }]);
  });
  for (const edges of pairs.values()) {
    const count = edges.length;
    edges.forEach(({ edge, attrs: a, flip }, i) => {
      const straight = a.direction === 'directed' ? 'arrow' : 'line';
      const curved = a.direction === 'directed' ? 'curvedArrow' : 'curved';
      // Centred offsets: 2 links bend -1/2 and +1/2, 3 links -1, 0, +1, and so on.
      const offset = i - (count - 1) / 2;
      if (count === 1 || offset === 0) {
        if (a.type !== straight || a.curvature !== 0) graph.mergeEdgeAttributes(edge, { type: straight, curvature: 0 });
        return;
      }
      const curvature = (flip * offset * 0.5) / Math.max(1, (count - 1) / 2);
      if (a.type !== curved || a.curvature !== curvature) graph.mergeEdgeAttributes(edge, { type: curved, curvature });
    });
  }
}

/** Deterministic spot on a spiral for a node with no position yet, so new nodes do not pile up. */
export function placeUnplaced(graph: CaseGraph): string[] {
  const unplaced: string[] = [];
  graph.forEachNode((node, a) => {
    if (a.unplaced) unplaced.push(node);
  });
  if (unplaced.length === 0) return unplaced;
  const scale = Math.max(10, Math.sqrt(graph.order) * 10);
  unplaced.forEach((node, i) => {
    const angle = i * 2.399963;
    const r = scale * Math.sqrt((i + 0.5) / unplaced.length);
    graph.mergeNodeAttributes(node, { x: r * Math.cos(angle), y: r * Math.sin(angle), unplaced: false });
  });
  return unplaced;
}

export interface VisibilityOptions {
  areas: readonly { id: string; parentId: string | null }[];
  /** Entities the investigator hid by hand. */
  hiddenByHand: ReadonlySet<string>;
  /** Entities shown whatever the filters say (an expanded neighbourhood). */
  expanded: ReadonlySet<string>;
  asOf: string;
}

/**
 * Shows and hides nodes and edges for the filters by setting `hidden`, only
 * where it changes. Entity filters (types, countries) choose entities; link
 * filters (link types, areas, grade, period) choose links, and then an
 * entity shows only through a remaining link, unless it is tagged with a
 * chosen area itself.
 */
export function computeVisibility(graph: CaseGraph, filters: CaseFilters, options: VisibilityOptions): { nodes: Set<string>; edges: Set<string> } {
  const areas = filters.areaIds.length ? expandAreas(filters.areaIds, options.areas) : null;
  const types = filters.entityTypes.length ? new Set(filters.entityTypes) : null;
  const countries = filters.countries.length ? new Set(filters.countries) : null;
  const linkTypes = filters.linkTypes.length ? new Set(filters.linkTypes) : null;
  const linkFiltered = areas !== null || linkTypes !== null || filters.minReliability !== null || filters.period !== null;

  const entityOk = new Set<string>();
  graph.forEachNode((node, a) => {
    if (options.hiddenByHand.has(node)) return;
    if (types && !types.has(a.entityType)) return;
    if (countries && (a.country === null || !countries.has(a.country))) return;
    entityOk.add(node);
  });
  const visibleNodes = new Set<string>();
  if (!linkFiltered) for (const n of entityOk) visibleNodes.add(n);
  else if (areas) for (const n of entityOk) if (graph.getNodeAttribute(n, 'areaIds').some((id) => areas.has(id))) visibleNodes.add(n);

  const visibleEdges = new Set<string>();
  graph.forEachEdge((edge, a, source, target) => {
    const endsOk = (entityOk.has(source) || options.expanded.has(source)) && (entityOk.has(target) || options.expanded.has(target));
    if (!endsOk) return;
    if (linkTypes && !linkTypes.has(a.linkType)) return;
    if (areas && !a.areaIds.some((id) => areas.has(id))) return;
    if (!meetsGrade(a.reliability, filters.minReliability)) return;
    if (!linkInPeriod(a, filters.period, options.asOf)) return;
    visibleEdges.add(edge);
    if (linkFiltered) {
      visibleNodes.add(source);
      visibleNodes.add(target);
    }
  });
  for (const n of options.expanded) if (graph.hasNode(n) && !options.hiddenByHand.has(n)) visibleNodes.add(n);
  // An expanded neighbourhood brings its links along, whatever the link filters say.
  if (options.expanded.size) {
    graph.forEachEdge((edge, _a, source, target) => {
      if ((options.expanded.has(source) || options.expanded.has(target)) && visibleNodes.has(source) && visibleNodes.has(target)) visibleEdges.add(edge);
    });
  }

  for (const edge of [...visibleEdges]) if (!visibleNodes.has(graph.source(edge)) || !visibleNodes.has(graph.target(edge))) visibleEdges.delete(edge);
  return { nodes: visibleNodes, edges: visibleEdges };
}

/** Applies computeVisibility to the graph's `hidden` attributes, touching only what changes. */
export function applyFilters(graph: CaseGraph, filters: CaseFilters, options: VisibilityOptions): { nodes: number; edges: number } {
  const { nodes: visibleNodes, edges: visibleEdges } = computeVisibility(graph, filters, options);
  graph.forEachNode((node, a) => {
    const hidden = !visibleNodes.has(node);
    if (a.hidden !== hidden) graph.setNodeAttribute(node, 'hidden', hidden);
  });
  graph.forEachEdge((edge, a) => {
    const hidden = !visibleEdges.has(edge);
    if (a.hidden !== hidden) graph.setEdgeAttribute(edge, 'hidden', hidden);
  });
  return { nodes: visibleNodes.size, edges: visibleEdges.size };
}

/** The graph as plain undirected links between visible (or all) entities, for analysis. */
export function simpleProjection(graph: CaseGraph, visibleOnly: boolean): UndirectedGraph {
  const simple = new UndirectedGraph();
  graph.forEachNode((node, a) => {
    if (!visibleOnly || !a.hidden) simple.addNode(node);
  });
  graph.forEachEdge((_edge, a, source, target) => {
    if (visibleOnly && a.hidden) return;
    if (simple.hasNode(source) && simple.hasNode(target) && !simple.hasEdge(source, target)) simple.addEdge(source, target);
  });
  return simple;
}

/** The shortest chain of links between two entities, ignoring direction, through visible items only. */
export function shortestPath(graph: CaseGraph, from: string, to: string): { nodes: string[]; edges: string[] } | null {
  if (!graph.hasNode(from) || !graph.hasNode(to)) return null;
  const simple = simpleProjection(graph, true);
  if (!simple.hasNode(from) || !simple.hasNode(to)) return null;
  const nodes = from === to ? [from] : bidirectional(simple, from, to);
  if (!nodes) return null;
  const edges: string[] = [];
  for (let i = 0; i + 1 < nodes.length; i += 1) {
    const a = nodes[i] as string;
    const b = nodes[i + 1] as string;
    const between = [...graph.edges(a, b), ...graph.edges(b, a)].filter((e) => !graph.getEdgeAttribute(e, 'hidden'));
    edges.push(...between);
  }
  return { nodes, edges };
}

/** Louvain communities over the whole graph; each entity gets a community number (largest first). */
export function detectCommunities(graph: CaseGraph): Map<string, number> {
  const simple = simpleProjection(graph, false);
  const raw = simple.size > 0 ? louvain(simple, { randomWalk: false, rng: seededRandom(7) }) : {};
  const sizes = new Map<number, number>();
  for (const c of Object.values(raw)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  const rank = new Map(order.map((c, i) => [c, i]));
  const out = new Map<string, number>();
  let lone = order.length;
  graph.forEachNode((node) => {
    const c = raw[node];
    out.set(node, c === undefined ? lone++ : (rank.get(c) ?? 0));
  });
  return out;
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface Measures {
  degree: number;
  betweenness: number;
  pagerank: number;
  community: number;
}

/** Degree, betweenness, PageRank and community of every entity, over the whole case graph; stored on the nodes too. */
export function computeMeasures(graph: CaseGraph): Map<string, Measures> {
  const simple = simpleProjection(graph, false);
  const between = simple.size > 0 ? betweennessCentrality(simple, { normalized: true }) : {};
  const rank = simple.size > 0 ? pagerank(simple, { getEdgeWeight: null }) : {};
  const communities = detectCommunities(graph);
  const out = new Map<string, Measures>();
  graph.forEachNode((node) => {
    const m: Measures = { degree: graph.degree(node), betweenness: between[node] ?? 0, pagerank: rank[node] ?? 0, community: communities.get(node) ?? 0 };
    graph.mergeNodeAttributes(node, m);
    out.set(node, m);
  });
  return out;
}

export type ColourBy = 'type' | 'area' | 'community';
export type SizeBy = 'degree' | 'betweenness' | 'pagerank' | 'same';

export interface StyleOptions {
  colourBy: ColourBy;
  sizeBy: SizeBy;
  areaColours: ReadonlyMap<string, string>;
  /** Links are coloured by their type, or by their first technology area. */
  edgeColourBy: 'type' | 'area';
}

/** Colours and sizes nodes and edges for the chosen encodings. */
export function styleGraph(graph: CaseGraph, options: StyleOptions): void {
  let max = 0;
  graph.forEachNode((_n, a) => {
    max = Math.max(max, options.sizeBy === 'same' ? 0 : a[options.sizeBy]);
  });
  graph.forEachNode((node, a) => {
    const colour =
      options.colourBy === 'type'
        ? TYPE_COLOURS[a.entityType]
        : options.colourBy === 'community'
          ? paletteColour(a.community)
          : (options.areaColours.get(a.areaIds[0] ?? '') ?? NO_AREA_COLOUR);
    const value = options.sizeBy === 'same' || max === 0 ? 0 : a[options.sizeBy] / max;
    const size = 5 + Math.sqrt(value) * 13;
    if (a.color !== colour || a.size !== size) graph.mergeNodeAttributes(node, { color: colour, size });
  });
  graph.forEachEdge((edge, a) => {
    const colour = options.edgeColourBy === 'type' ? paletteColour(a.linkType) : (options.areaColours.get(a.areaIds[0] ?? '') ?? EDGE_COLOUR);
    if (a.color !== colour) graph.setEdgeAttribute(edge, 'color', colour);
  });
}

/** Entities whose name or an alias contains the text, best matches (name starts with it) first. */
export function findEntities(graph: CaseGraph, text: string, limit = 10): string[] {
  const needle = text.trim().toLocaleLowerCase();
  if (!needle) return [];
  const scored: { node: string; score: number; label: string }[] = [];
  graph.forEachNode((node, a) => {
    const name = a.label.toLocaleLowerCase();
    let score = name === needle ? 0 : name.startsWith(needle) ? 1 : name.includes(needle) ? 2 : -1;
    if (score < 0) {
      for (const alias of a.aliases) {
        const lower = alias.toLocaleLowerCase();
        if (lower === needle) score = 1;
        else if (score < 0 && lower.includes(needle)) score = 3;
      }
    }
    if (score >= 0) scored.push({ node, score, label: a.label });
  });
  return scored
    .sort((x, y) => x.score - y.score || x.label.localeCompare(y.label))
    .slice(0, limit)
    .map((s) => s.node);
}

/** Node positions to store in the case file. */
export function positionsOf(graph: CaseGraph, nodes?: Iterable<string>): { id: string; x: number; y: number; pinned: boolean }[] {
  const out: { id: string; x: number; y: number; pinned: boolean }[] = [];
  const list = nodes ? [...nodes] : graph.nodes();
  for (const node of list) {
    if (!graph.hasNode(node)) continue;
    const a = graph.getNodeAttributes(node);
    if (Number.isFinite(a.x) && Number.isFinite(a.y)) out.push({ id: node, x: a.x, y: a.y, pinned: a.fixed });
  }
  return out;
}
