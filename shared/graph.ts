import { z } from 'zod';
import { ENTITY_TYPES, type EntityType, type LinkDirection, type LinkStatus } from './model';
import { id, type ReliabilityGrade } from './schemas';

/**
 * Above this many entities the graph asks the investigator to filter before drawing.
 * Up to it the case is drawn whole, as an overview above 10,000 entities (see
 * renderer/src/graph/overview.ts); beyond it the answer alone runs to tens of MB.
 */
export const GRAPH_NODE_LIMIT = 50_000;

/** An entity as the graph and timeline draw it. */
export interface GraphNode {
  id: string;
  name: string;
  type: EntityType;
  subtype: string | null;
  country: string | null;
  aliases: string[];
  areaIds: string[];
  /** Best reliability grade among the sources its citations come from; null when nothing cites it. */
  reliability: ReliabilityGrade | null;
  /** Saved position in the picture, or null when it has none yet. */
  x: number | null;
  y: number | null;
  pinned: boolean;
}

/** A link as the graph and timeline draw it. */
export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  type: string;
  direction: LinkDirection;
  startDate: string | null;
  endDate: string | null;
  status: LinkStatus;
  areaIds: string[];
  reliability: ReliabilityGrade | null;
}

export interface GraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Entities that matched the load filters, drawn or not. */
  matched: number;
  /** True when more entities matched than the limit: nothing is returned and the view asks for a filter. */
  tooLarge: boolean;
  limit: number;
}

/**
 * One entity as the graph.load answer carries it: a tuple rather than an object,
 * so that a case of many thousand entities makes an answer a few MB smaller.
 * Technology areas are indexes into the answer's `areaIds`.
 */
export type PackedNode = [
  id: string,
  name: string,
  type: EntityType,
  subtype: string | null,
  country: string | null,
  aliases: string[],
  areas: number[],
  reliability: ReliabilityGrade | null,
  x: number | null,
  y: number | null,
  pinned: 0 | 1,
];

/** One link as the graph.load answer carries it; its ends are indexes into the answer's `nodes`. */
export type PackedEdge = [
  id: string,
  from: number,
  to: number,
  type: string,
  direction: LinkDirection,
  startDate: string | null,
  endDate: string | null,
  status: LinkStatus,
  areas: number[],
  reliability: ReliabilityGrade | null,
];

/** The graph.load answer: GraphData, packed. `unpackGraph` gives the GraphData back. */
export interface PackedGraph {
  format: 'packed';
  /** Every technology area named by a node or link, once. */
  areaIds: string[];
  nodes: PackedNode[];
  edges: PackedEdge[];
  matched: number;
  tooLarge: boolean;
  limit: number;
}

/** Numbers technology areas in the order they are first met, for a packed answer's `areaIds`. */
export function areaNumbering(): { numberOf(areaId: string): number; areaIds(): string[] } {
  const numbers = new Map<string, number>();
  return {
    numberOf(areaId) {
      let number = numbers.get(areaId);
      if (number === undefined) {
        number = numbers.size;
        numbers.set(areaId, number);
      }
      return number;
    },
    areaIds: () => [...numbers.keys()],
  };
}

/** Packs graph data for the wire (the database packs as it reads); links whose ends are not among the nodes are left out. */
export function packGraph(data: GraphData): PackedGraph {
  const numbering = areaNumbering();
  const areas = (ids: string[]) => ids.map(numbering.numberOf);
  const nodeIndex = new Map<string, number>();
  const nodes = data.nodes.map((n, i): PackedNode => {
    nodeIndex.set(n.id, i);
    return [n.id, n.name, n.type, n.subtype, n.country, n.aliases, areas(n.areaIds), n.reliability, n.x, n.y, n.pinned ? 1 : 0];
  });
  const edges: PackedEdge[] = [];
  for (const e of data.edges) {
    const from = nodeIndex.get(e.from);
    const to = nodeIndex.get(e.to);
    if (from === undefined || to === undefined) continue;
    edges.push([e.id, from, to, e.type, e.direction, e.startDate, e.endDate, e.status, areas(e.areaIds), e.reliability]);
  }
  return { format: 'packed', areaIds: numbering.areaIds(), nodes, edges, matched: data.matched, tooLarge: data.tooLarge, limit: data.limit };
}

/** The graph data a packed graph.load answer stands for. */
export function unpackGraph(packed: PackedGraph): GraphData {
  const area = (i: number): string => packed.areaIds[i] ?? '';
  const nodes = packed.nodes.map(
    ([id, name, type, subtype, country, aliases, areas, reliability, x, y, pinned]): GraphNode => ({
      id,
      name,
      type,
      subtype,
      country,
      aliases,
      areaIds: areas.map(area),
      reliability,
      x,
      y,
      pinned: pinned === 1,
    }),
  );
  const idOf = (i: number): string => nodes[i]?.id ?? '';
  const edges = packed.edges.map(
    ([id, from, to, type, direction, startDate, endDate, status, areas, reliability]): GraphEdge => ({
      id,
      from: idOf(from),
      to: idOf(to),
      type,
      direction,
      startDate,
      endDate,
      status,
      areaIds: areas.map(area),
      reliability,
    }),
  );
  return { nodes, edges, matched: packed.matched, tooLarge: packed.tooLarge, limit: packed.limit };
}

/** Narrows which entities are loaded at all, for cases too large to draw whole. */
export const graphLoadInput = z.object({
  entityTypes: z.array(z.enum(ENTITY_TYPES)).max(ENTITY_TYPES.length).default([]),
  countries: z.array(z.string().trim().toUpperCase().regex(/^[A-Z]{2,3}$/, 'Use a country code such as CN, RU, US or EU.')).max(300).default([]),
  /** Entities tagged with one of these areas (or a sub-area), or in a link that is. */
  areaIds: z.array(id).max(200).default([]),
  limit: z.number().int().min(1).max(GRAPH_NODE_LIMIT).default(GRAPH_NODE_LIMIT),
});
export type GraphLoadInput = z.input<typeof graphLoadInput>;

const coordinate = z.number().finite().min(-1e9).max(1e9);

export const nodePosition = z.object({ id, x: coordinate, y: coordinate, pinned: z.boolean().default(false) });
export type NodePosition = z.input<typeof nodePosition>;

/** Network measures of one entity, computed over the whole case graph. */
export interface EntityMetrics {
  id: string;
  degree: number;
  betweenness: number;
  pagerank: number;
  community: number | null;
  computedAt: string;
}

export const entityMetricsInput = z.object({
  id,
  degree: z.number().int().min(0),
  betweenness: z.number().finite().min(0),
  pagerank: z.number().finite().min(0),
  community: z.number().int().min(0).nullable().default(null),
});
