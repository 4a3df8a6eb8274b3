/** The one long-lived case graph: what it keeps on entities and links, and how it follows the case file. */
import { MultiDirectedGraph } from 'graphology';
import { unpackGraph, type GraphData, type GraphEdge, type GraphNode, type PackedGraph } from '../../../shared/graph';
import type { EntityType, LinkDirection, LinkStatus } from '../../../shared/model';
import type { ReliabilityGrade } from '../../../shared/schemas';
import { curveParallelEdges, EDGE_COLOUR, TYPE_COLOURS } from './appearance';

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
