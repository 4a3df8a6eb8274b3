/** The one long-lived case graph: what it keeps on entities and links, and how it follows the case file. */
import { MultiDirectedGraph } from 'graphology';
import { packGraph, runsOf, type GraphData, type PackedGraph } from '../../../shared/graph';
import { ENTITY_TYPES, LINK_DIRECTIONS, LINK_STATUSES, type EntityType, type LinkDirection, type LinkStatus } from '../../../shared/model';
import type { ReliabilityGrade } from '../../../shared/schemas';
import { bendOf, curveParallelEdges, EDGE_COLOUR, pairKey, placesInPairs, TYPE_COLOURS } from './appearance';

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

/** What an entity of a packed answer keeps in the graph, with how it was drawn before when it was there already. */
function nodeAttrs(packed: PackedGraph, i: number, aliases: string[], areaIds: string[], old: NodeAttrs | undefined, degree: number): NodeAttrs {
  const n = packed.nodes;
  const x = n.x[i] ?? null;
  const y = n.y[i] ?? null;
  const placed = x !== null && y !== null;
  const type = ENTITY_TYPES[n.types[i] as number] ?? 'organisation';
  return {
    label: n.names[i] as string,
    x: placed ? x : (old?.x ?? 0),
    y: placed ? y : (old?.y ?? 0),
    size: old?.size ?? 6,
    color: old?.color ?? TYPE_COLOURS[type],
    hidden: old?.hidden ?? false,
    fixed: n.pinned[i] === 1,
    entityType: type,
    subtype: n.subtypes[i] ?? null,
    country: n.countries[i] ?? null,
    aliases,
    areaIds,
    reliability: n.reliability[i] ?? null,
    unplaced: !placed && (old?.unplaced ?? true),
    degree,
    betweenness: old?.betweenness ?? 0,
    pagerank: old?.pagerank ?? 0,
    community: old?.community ?? 0,
  };
}

/** What a link of a packed answer keeps in the graph. */
function edgeAttrs(packed: PackedGraph, i: number, areaIds: string[], old: EdgeAttrs | undefined): EdgeAttrs {
  const e = packed.edges;
  const type = packed.linkTypes[e.types[i] as number] as string;
  const direction = LINK_DIRECTIONS[e.directions[i] as number] ?? 'directed';
  return {
    label: type,
    linkType: type,
    color: old?.color ?? EDGE_COLOUR,
    size: old?.size ?? 2,
    hidden: old?.hidden ?? false,
    type: direction === 'directed' ? 'arrow' : 'line',
    curvature: 0,
    direction,
    status: LINK_STATUSES[e.statuses[i] as number] ?? 'unknown',
    startDate: e.startDates[i] ?? null,
    endDate: e.endDates[i] ?? null,
    areaIds,
    reliability: e.reliability[i] ?? null,
  };
}

/**
 * Brings the long-lived graph in line with what the case holds: adds, updates
 * and drops nodes and edges in place, so the picture and the renderer survive.
 * Reads the packed answer's columns directly: no object per entity or link
 * besides the graph's own attributes.
 */
export function syncGraph(graph: CaseGraph, answer: GraphData | PackedGraph): { added: number; dropped: number } {
  const packed = 'format' in answer ? answer : packGraph(answer);
  const { nodes: n, edges: e } = packed;
  const nodeCount = n.ids.length;
  const edgeCount = e.ids.length;
  let added = 0;
  let dropped = 0;
  const firstLoad = graph.order === 0;
  if (!firstLoad) {
    const nodeIds = new Set(n.ids);
    const edgeIds = new Set(e.ids);
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
  }
  // Degrees known before the nodes go in, so that a first load does not touch every node a second time.
  const degrees = new Uint32Array(nodeCount);
  for (let i = 0; i < edgeCount; i += 1) {
    const from = e.from[i] as number;
    const to = e.to[i] as number;
    if (from === to || !(from < nodeCount && to < nodeCount)) continue;
    degrees[from] = (degrees[from] as number) + 1;
    degrees[to] = (degrees[to] as number) + 1;
  }
  const area = (k: number): string => packed.areaIds[k] ?? '';
  const nodeAliases = runsOf(n.aliases);
  const nodeAreas = runsOf(n.areas);
  for (let i = 0; i < nodeCount; i += 1) {
    const id = n.ids[i] as string;
    const aliases = nodeAliases(n.aliasCounts[i] ?? 0);
    const areaIds = nodeAreas(n.areaCounts[i] ?? 0).map(area);
    if (!firstLoad && graph.hasNode(id)) {
      const old = graph.getNodeAttributes(id);
      graph.replaceNodeAttributes(id, nodeAttrs(packed, i, aliases, areaIds, old, old.degree));
    } else {
      graph.addNode(id, nodeAttrs(packed, i, aliases, areaIds, undefined, degrees[i] as number));
      added += 1;
    }
  }
  // A first load bends parallel links as it adds them, numbering the entities as the answer does (the order they go in);
  // a reload bends them afterwards, over the whole graph.
  let bends: { place: Uint32Array; count: Uint32Array } | null = null;
  if (firstLoad) {
    const pairs = new Float64Array(edgeCount);
    for (let i = 0; i < edgeCount; i += 1) {
      const from = e.from[i] as number;
      const to = e.to[i] as number;
      // A link that is not added shares a pair with nothing.
      pairs[i] = from !== to && from < nodeCount && to < nodeCount ? pairKey(from, to, nodeCount) : -1 - i;
    }
    bends = placesInPairs(pairs);
  }
  const edgeAreas = runsOf(e.areas);
  for (let i = 0; i < edgeCount; i += 1) {
    const id = e.ids[i] as string;
    const areaIds = edgeAreas(e.areaCounts[i] ?? 0).map(area);
    const from = n.ids[e.from[i] as number];
    const to = n.ids[e.to[i] as number];
    if (from === undefined || to === undefined || from === to || !graph.hasNode(from) || !graph.hasNode(to)) continue;
    if (!firstLoad && graph.hasEdge(id)) {
      const old = graph.getEdgeAttributes(id);
      if (graph.source(id) === from && graph.target(id) === to) {
        graph.replaceEdgeAttributes(id, edgeAttrs(packed, i, areaIds, old));
        continue;
      }
      graph.dropEdge(id);
    }
    const attrs = edgeAttrs(packed, i, areaIds, undefined);
    const count = bends?.count[i] ?? 1;
    if (bends && count > 1) Object.assign(attrs, bendOf(attrs.direction === 'directed', bends.place[i] as number, count, from < to ? 1 : -1));
    graph.addDirectedEdgeWithKey(id, from, to, attrs);
    added += 1;
  }
  if (!firstLoad) curveParallelEdges(graph);
  // A first load set every degree as it added the entities; a reload may have changed any of them.
  if (!firstLoad) {
    graph.forEachNode((node, a) => {
      const degree = graph.degree(node);
      if (a.degree !== degree) graph.setNodeAttribute(node, 'degree', degree);
    });
  }
  return { added, dropped };
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
