/**
 * What sigma draws for each entity and link, made in one step from the graph's attributes.
 *
 * Sigma 3.0.3 copies every attribute of an entity or link into a new object before its reducer
 * sees it, then fills in defaults; at 50,000 entities and 100,000 links that copy of case data it
 * never draws (aliases, areas, dates, measures) was half of the first frame's JavaScript and most
 * of its garbage. `CaseSigma` hands the reducers the graph's own attributes instead, and the
 * reducers here return a new, complete object of just what is drawn. They never change the
 * attributes they are given.
 */
import Sigma from 'sigma';
import type { Settings } from 'sigma/settings';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import type { EdgeAttrs, NodeAttrs } from './case-graph';

/** What the canvas highlights; held in a ref so changing it only refreshes the picture. */
export interface Highlight {
  selected: ReadonlySet<string>;
  hovered: string | null;
  hoveredEdge: string | null;
  path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  /** Every link drawn with its type written along it, not only the one under the pointer. */
  linkLabels?: boolean;
}

/** Above this many entities, hovering one no longer fades the rest: that would redraw every entity and link on each hover. */
export const HOVER_FADE_LIMIT = 3000;
/** Up to this many entities every name is shown; larger pictures let sigma thin names out as it zooms. */
export const ALL_NAMES_UP_TO = 60;

const FADED_NODE = '#d5d9e0';
const FADED_EDGE = '#e6e9ee';
export const PATH_COLOUR = '#f08c00';

/** An entity as sigma draws it: sigma's fields, and what the shapes, names and hover card read. */
export type NodeDisplay = NodeDisplayData & { entityType: NodeAttrs['entityType']; aliases: string[] };
/** A link as sigma draws it; curved programs read the curvature. */
export type EdgeDisplay = EdgeDisplayData & { curvature: number };

/** What, besides an item's own attributes, decides how it is drawn. */
export interface DisplayState {
  highlight: Highlight;
  /** The entity being dragged is drawn where the pointer is; the graph learns the place when the drag ends. */
  dragged: { node: string; x: number; y: number } | null;
  /** Entities as dots and links as hairlines (renderer/src/graph/overview.ts). */
  overview: boolean;
  /** Entities in the graph. */
  order: number;
  areNeighbours(a: string, b: string): boolean;
  hasExtremity(edge: string, node: string): boolean;
}

export function nodeDisplay(node: string, a: NodeAttrs, s: DisplayState): NodeDisplay {
  const h = s.highlight;
  const dragged = s.dragged?.node === node ? s.dragged : null;
  const out: NodeDisplay = {
    x: dragged ? dragged.x : a.x,
    y: dragged ? dragged.y : a.y,
    size: a.size,
    color: a.color,
    label: a.label,
    hidden: a.hidden,
    forceLabel: s.order <= ALL_NAMES_UP_TO,
    highlighted: false,
    zIndex: 0,
    // An overview draws entities as dots of their colour: the outline of a shape a few pixels wide cannot be told apart,
    // and it costs the rasteriser ten times a dot. The type only changes with a full refresh, like a link's below.
    type: s.overview ? 'dot' : 'shape',
    entityType: a.entityType,
    aliases: a.aliases,
  };
  if (h.path) {
    if (h.path.nodes.has(node)) Object.assign(out, { forceLabel: true, zIndex: 2, highlighted: true });
    else Object.assign(out, { color: FADED_NODE, label: node === h.hovered ? a.label : null, zIndex: 0 });
  } else if (s.order <= HOVER_FADE_LIMIT && h.hovered && h.hovered !== node && !s.areNeighbours(h.hovered, node)) {
    Object.assign(out, { color: FADED_NODE, zIndex: 0 });
  }
  if (h.selected.has(node)) Object.assign(out, { forceLabel: true, highlighted: true, zIndex: 3 });
  return out;
}

export function edgeDisplay(edge: string, a: EdgeAttrs, s: DisplayState): EdgeDisplay {
  const h = s.highlight;
  const out: EdgeDisplay = {
    size: a.size,
    color: a.color,
    label: h.linkLabels ? a.linkType : '',
    hidden: a.hidden,
    forceLabel: false,
    zIndex: 0,
    // An overview draws its links as hairlines. The type is only ever changed by a full refresh (the path's), never by a
    // hover's partial one, which would write the link into the buffer of a program that does not hold it.
    type: s.overview && !h.path?.edges.has(edge) ? 'hairline' : a.type,
    curvature: a.curvature,
  };
  if (h.path) {
    if (h.path.edges.has(edge)) Object.assign(out, { color: PATH_COLOUR, size: Math.max(4, a.size * 3), zIndex: 2 });
    else out.color = FADED_EDGE;
  } else if (h.hovered && s.order <= HOVER_FADE_LIMIT && !s.hasExtremity(edge, h.hovered)) {
    out.color = FADED_EDGE;
  }
  if (edge === h.hoveredEdge) {
    const dates = a.startDate || a.endDate ? ` (${a.startDate ?? '?'}–${a.endDate ?? ''})` : '';
    Object.assign(out, { label: `${a.linkType}${dates}`, size: a.size + 1.5, zIndex: 3 });
  }
  return out;
}

/** The parts of sigma 3.0.3 that its own `addNode` and `addEdge` keep, which the replacements below keep alike. */
interface SigmaInternals {
  graph: { getNodeAttributes(key: string): NodeAttrs; getEdgeAttributes(key: string): EdgeAttrs };
  settings: Settings<NodeAttrs, EdgeAttrs>;
  nodeDataCache: Record<string, NodeDisplayData>;
  edgeDataCache: Record<string, EdgeDisplayData>;
  nodesWithForcedLabels: Set<string>;
  edgesWithForcedLabels: Set<string>;
  highlightedNodes: Set<string>;
  nodeZExtent: [number, number];
  edgeZExtent: [number, number];
}

function widen(extent: [number, number], z: number): void {
  if (z < extent[0]) extent[0] = z;
  if (z > extent[1]) extent[1] = z;
}

/**
 * Sigma, taking each entity's and link's display data from its reducer as it is, with the graph's own attributes
 * (not a copy) going in: the reducers must return a new, complete object (`nodeDisplay`, `edgeDisplay`). Everything
 * else sigma does with that data (forced names, highlights, drawing order) is as in its own methods.
 */
export class CaseSigma extends Sigma<NodeAttrs, EdgeAttrs> {}

const replaced: Pick<Record<string, (this: SigmaInternals, key: string) => void>, 'addNode' | 'addEdge'> = {
  addNode(key) {
    const reduce = this.settings.nodeReducer;
    if (!reduce) throw new Error('CaseSigma needs a node reducer that returns complete display data.');
    const data = reduce(key, this.graph.getNodeAttributes(key)) as NodeDisplayData;
    this.nodeDataCache[key] = data;
    this.nodesWithForcedLabels.delete(key);
    if (data.forceLabel && !data.hidden) this.nodesWithForcedLabels.add(key);
    this.highlightedNodes.delete(key);
    if (data.highlighted && !data.hidden) this.highlightedNodes.add(key);
    if (this.settings.zIndex) widen(this.nodeZExtent, data.zIndex);
  },
  addEdge(key) {
    const reduce = this.settings.edgeReducer;
    if (!reduce) throw new Error('CaseSigma needs an edge reducer that returns complete display data.');
    const data = reduce(key, this.graph.getEdgeAttributes(key)) as EdgeDisplayData;
    this.edgeDataCache[key] = data;
    this.edgesWithForcedLabels.delete(key);
    if (data.forceLabel && !data.hidden) this.edgesWithForcedLabels.add(key);
    if (this.settings.zIndex) widen(this.edgeZExtent, data.zIndex);
  },
};
Object.assign(CaseSigma.prototype, replaced);
