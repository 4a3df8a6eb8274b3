/** How the graph looks: colours, sizes and the bends of parallel links. */
import { linkTypeColours, OTHER_LINK_COLOUR, TYPE_COLOURS } from '../../../shared/graph-style';
import type { CaseGraph } from './case-graph';

export { LINK_TYPE_PALETTE, linkTypeColours, OTHER_LINK_COLOUR, TYPE_COLOURS } from '../../../shared/graph-style';

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

/** A stable colour for a community number. */
export function paletteColour(key: string | number): string {
  const index = typeof key === 'number' ? key : hash(key);
  return PALETTE[index % PALETTE.length] ?? EDGE_COLOUR;
}

/** How many links each type has in the graph. */
export function linkTypeCounts(graph: CaseGraph): Map<string, number> {
  const counts = new Map<string, number>();
  graph.forEachEdge((_e, a) => counts.set(a.linkType, (counts.get(a.linkType) ?? 0) + 1));
  return counts;
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
  const typeColours = linkTypeColours(linkTypeCounts(graph));
  graph.forEachEdge((edge, a) => {
    const colour = options.edgeColourBy === 'type' ? (typeColours.get(a.linkType) ?? OTHER_LINK_COLOUR) : (options.areaColours.get(a.areaIds[0] ?? '') ?? EDGE_COLOUR);
    if (a.color !== colour) graph.setEdgeAttribute(edge, 'color', colour);
  });
}

/**
 * Several links between the same pair are drawn as distinct curves rather
 * than on top of each other: each gets its own bend, on alternate sides.
 */
export function curveParallelEdges(graph: CaseGraph): void {
  // Pairs are keyed by two node numbers rather than two joined IDs, and found by sorting the keys: only pairs that
  // several links share are counted, and no string, object or list is made per link.
  const numbers = new Map<string, number>();
  graph.forEachNode((node) => {
    numbers.set(node, numbers.size);
  });
  const order = numbers.size;
  const pairs = new Float64Array(graph.size);
  let at = 0;
  graph.forEachEdge((_edge, _attrs, source, target) => {
    const s = numbers.get(source) ?? 0;
    const t = numbers.get(target) ?? 0;
    pairs[at++] = s < t ? s * order + t : t * order + s;
  });
  const sorted = pairs.slice().sort();
  const shared = new Map<number, number>();
  for (let i = 1; i < sorted.length; i += 1) {
    const pair = sorted[i] as number;
    if (pair === sorted[i - 1]) shared.set(pair, (shared.get(pair) ?? 1) + 1);
  }
  const placed = new Map<number, number>();
  at = 0;
  graph.forEachEdge((edge, a, source, target) => {
    const pair = pairs[at++] as number;
    const count = shared.size > 0 ? (shared.get(pair) ?? 1) : 1;
    const straight = a.direction === 'directed' ? 'arrow' : 'line';
    const curved = a.direction === 'directed' ? 'curvedArrow' : 'curved';
    // Centred offsets: 2 links bend -1/2 and +1/2, 3 links -1, 0, +1, and so on.
    const i = count === 1 ? 0 : (placed.get(pair) ?? 0);
    if (count > 1) placed.set(pair, i + 1);
    const offset = i - (count - 1) / 2;
    if (count === 1 || offset === 0) {
      if (a.type !== straight || a.curvature !== 0) graph.mergeEdgeAttributes(edge, { type: straight, curvature: 0 });
      return;
    }
    // Curvature is relative to the edge's own direction; links drawn the other way flip to stay on their side.
    const flip = source < target ? 1 : -1;
    const curvature = (flip * offset * 0.5) / Math.max(1, (count - 1) / 2);
    if (a.type !== curved || a.curvature !== curvature) graph.mergeEdgeAttributes(edge, { type: curved, curvature });
  });
}
