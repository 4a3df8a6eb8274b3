import { z } from 'zod';
import { ENTITY_TYPES, LINK_DIRECTIONS, LINK_STATUSES, type EntityType, type LinkDirection, type LinkStatus } from './model';
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
 * The graph.load answer's entities, a column per field rather than an object or tuple per entity, so that
 * a case of 50,000 entities is parsed into a few dozen arrays instead of a hundred thousand. Entity `i`
 * is the `i`th value of every column. Its aliases are the next `aliasCounts[i]` names of `aliases`
 * (those of the entities before it come first), its technology areas likewise in `areas`, each an index
 * into the answer's `areaIds`.
 */
export interface PackedNodes {
  ids: string[];
  names: string[];
  /** Indexes into ENTITY_TYPES. */
  types: number[];
  subtypes: (string | null)[];
  countries: (string | null)[];
  aliasCounts: number[];
  aliases: string[];
  areaCounts: number[];
  areas: number[];
  reliability: (ReliabilityGrade | null)[];
  x: (number | null)[];
  y: (number | null)[];
  pinned: (0 | 1)[];
}

/** The answer's links, a column per field; ends are indexes into the entities, types into `linkTypes`, areas as for entities. */
export interface PackedEdges {
  ids: string[];
  from: number[];
  to: number[];
  types: number[];
  /** Indexes into LINK_DIRECTIONS. */
  directions: number[];
  startDates: (string | null)[];
  endDates: (string | null)[];
  /** Indexes into LINK_STATUSES. */
  statuses: number[];
  areaCounts: number[];
  areas: number[];
  reliability: (ReliabilityGrade | null)[];
}

/** The graph.load answer: GraphData, packed. `unpackGraph` gives the GraphData back. */
export interface PackedGraph {
  format: 'columns';
  /** Every technology area named by a node or link, once. */
  areaIds: string[];
  /** Every link type, once. */
  linkTypes: string[];
  nodes: PackedNodes;
  edges: PackedEdges;
  matched: number;
  tooLarge: boolean;
  limit: number;
}

/** Numbers values in the order they are first met, for a packed answer's `areaIds` and `linkTypes`. */
export function numbering(): { numberOf(value: string): number; values(): string[] } {
  const numbers = new Map<string, number>();
  return {
    numberOf(value) {
      let number = numbers.get(value);
      if (number === undefined) {
        number = numbers.size;
        numbers.set(value, number);
      }
      return number;
    },
    values: () => [...numbers.keys()],
  };
}

export function emptyPackedGraph(matched: number, tooLarge: boolean, limit: number): PackedGraph {
  return {
    format: 'columns',
    areaIds: [],
    linkTypes: [],
    nodes: { ids: [], names: [], types: [], subtypes: [], countries: [], aliasCounts: [], aliases: [], areaCounts: [], areas: [], reliability: [], x: [], y: [], pinned: [] },
    edges: { ids: [], from: [], to: [], types: [], directions: [], startDates: [], endDates: [], statuses: [], areaCounts: [], areas: [], reliability: [] },
    matched,
    tooLarge,
    limit,
  };
}

/** Packs graph data for the wire (the database packs as it reads); links whose ends are not among the nodes are left out. */
export function packGraph(data: GraphData): PackedGraph {
  const packed = emptyPackedGraph(data.matched, data.tooLarge, data.limit);
  const areas = numbering();
  const linkTypes = numbering();
  const { nodes, edges } = packed;
  const nodeIndex = new Map<string, number>();
  for (const n of data.nodes) {
    nodeIndex.set(n.id, nodes.ids.length);
    nodes.ids.push(n.id);
    nodes.names.push(n.name);
    nodes.types.push(ENTITY_TYPES.indexOf(n.type));
    nodes.subtypes.push(n.subtype);
    nodes.countries.push(n.country);
    nodes.aliasCounts.push(n.aliases.length);
    nodes.aliases.push(...n.aliases);
    nodes.areaCounts.push(n.areaIds.length);
    nodes.areas.push(...n.areaIds.map(areas.numberOf));
    nodes.reliability.push(n.reliability);
    nodes.x.push(n.x);
    nodes.y.push(n.y);
    nodes.pinned.push(n.pinned ? 1 : 0);
  }
  for (const e of data.edges) {
    const from = nodeIndex.get(e.from);
    const to = nodeIndex.get(e.to);
    if (from === undefined || to === undefined) continue;
    edges.ids.push(e.id);
    edges.from.push(from);
    edges.to.push(to);
    edges.types.push(linkTypes.numberOf(e.type));
    edges.directions.push(LINK_DIRECTIONS.indexOf(e.direction));
    edges.startDates.push(e.startDate);
    edges.endDates.push(e.endDate);
    edges.statuses.push(LINK_STATUSES.indexOf(e.status));
    edges.areaCounts.push(e.areaIds.length);
    edges.areas.push(...e.areaIds.map(areas.numberOf));
    edges.reliability.push(e.reliability);
  }
  packed.areaIds = areas.values();
  packed.linkTypes = linkTypes.values();
  return packed;
}

/** Reads a packed answer's columns back an item at a time: `next(count)` gives an item's run of a flat list (its aliases, its areas). */
export function runsOf<T>(list: readonly T[]): (count: number) => T[] {
  let at = 0;
  return (count) => {
    const run = list.slice(at, at + count);
    at += count;
    return run;
  };
}

/** The graph data a packed graph.load answer stands for. */
export function unpackGraph(packed: PackedGraph): GraphData {
  const area = (i: number): string => packed.areaIds[i] ?? '';
  const { nodes: n, edges: e } = packed;
  const nodeAliases = runsOf(n.aliases);
  const nodeAreas = runsOf(n.areas);
  const nodes = n.ids.map(
    (id, i): GraphNode => ({
      id,
      name: n.names[i] as string,
      type: ENTITY_TYPES[n.types[i] as number] as EntityType,
      subtype: n.subtypes[i] ?? null,
      country: n.countries[i] ?? null,
      aliases: nodeAliases(n.aliasCounts[i] ?? 0),
      areaIds: nodeAreas(n.areaCounts[i] ?? 0).map(area),
      reliability: n.reliability[i] ?? null,
      x: n.x[i] ?? null,
      y: n.y[i] ?? null,
      pinned: n.pinned[i] === 1,
    }),
  );
  const idOf = (i: number): string => nodes[i]?.id ?? '';
  const edgeAreas = runsOf(e.areas);
  const edges = e.ids.map(
    (id, i): GraphEdge => ({
      id,
      from: idOf(e.from[i] as number),
      to: idOf(e.to[i] as number),
      type: packed.linkTypes[e.types[i] as number] as string,
      direction: LINK_DIRECTIONS[e.directions[i] as number] as LinkDirection,
      startDate: e.startDates[i] ?? null,
      endDate: e.endDates[i] ?? null,
      status: LINK_STATUSES[e.statuses[i] as number] as LinkStatus,
      areaIds: edgeAreas(e.areaCounts[i] ?? 0).map(area),
      reliability: e.reliability[i] ?? null,
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
