import { z } from 'zod';
import { ENTITY_TYPES, type EntityType, type LinkDirection, type LinkStatus } from './model';
import { id, type ReliabilityGrade } from './schemas';

/**
 * Above this many entities the graph asks the investigator to filter before drawing:
 * drawing more keeps the window busy for tens of seconds on an ordinary machine.
 */
export const GRAPH_NODE_LIMIT = 20_000;

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
