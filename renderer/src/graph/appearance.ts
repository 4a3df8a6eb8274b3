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
 * For links given by the key of the pair of entities they join, in order: each one's place among the links of its
 * pair and how many links that pair has. Keys are found by sorting, and only pairs several links share are counted:
 * no string, object or list is made per link.
 */
export function placesInPairs(pairs: Float64Array): { place: Uint32Array; count: Uint32Array } {
  const sorted = pairs.slice().sort();
  const shared = new Map<number, number>();
  for (let i = 1; i < sorted.length; i += 1) {
    const pair = sorted[i] as number;
    if (pair === sorted[i - 1]) shared.set(pair, (shared.get(pair) ?? 1) + 1);
  }
  const place = new Uint32Array(pairs.length);
  const count = new Uint32Array(pairs.length).fill(1);
  if (shared.size === 0) return { place, count };
  const placed = new Map<number, number>();
  for (let i = 0; i < pairs.length; i += 1) {
    const pair = pairs[i] as number;
    const n = shared.get(pair);
    if (n === undefined) continue;
    const at = placed.get(pair) ?? 0;
    placed.set(pair, at + 1);
    place[i] = at;
    count[i] = n;
  }
  return { place, count };
}

/** The key of the pair of entities numbered `a` and `b` of `order`, the same whichever way the link runs. */
export function pairKey(a: number, b: number, order: number): number {
  return a < b ? a * order + b : b * order + a;
}

/**
 * How a link is drawn given its place among the `count` links between its two entities: alone or in the middle,
 * straight; otherwise bent, on alternate sides (2 links bend -1/2 and +1/2, 3 links -1, 0, +1, and so on).
 * The bend is relative to the link's own direction: `flip` is -1 for links drawn the other way, so they stay on
 * their side.
 */
export function bendOf(directed: boolean, place: number, count: number, flip: 1 | -1): { type: string; curvature: number } {
  const offset = place - (count - 1) / 2;
  if (count === 1 || offset === 0) return { type: directed ? 'arrow' : 'line', curvature: 0 };
  return { type: directed ? 'curvedArrow' : 'curved', curvature: (flip * offset * 0.5) / Math.max(1, (count - 1) / 2) };
}

/**
 * Several links between the same pair are drawn as distinct curves rather
 * than on top of each other: each gets its own bend, on alternate sides.
 */
export function curveParallelEdges(graph: CaseGraph): void {
  const numbers = new Map<string, number>();
  graph.forEachNode((node) => {
    numbers.set(node, numbers.size);
  });
  const pairs = new Float64Array(graph.size);
  let at = 0;
  graph.forEachEdge((_edge, _attrs, source, target) => {
    pairs[at++] = pairKey(numbers.get(source) ?? 0, numbers.get(target) ?? 0, numbers.size);
  });
  const { place, count } = placesInPairs(pairs);
  at = 0;
  graph.forEachEdge((edge, a, source, target) => {
    const i = at++;
    const n = count[i] as number;
    const directed = a.direction === 'directed';
    if (n === 1) {
      const straight = directed ? 'arrow' : 'line';
      if (a.type !== straight || a.curvature !== 0) graph.mergeEdgeAttributes(edge, { type: straight, curvature: 0 });
      return;
    }
    const bend = bendOf(directed, place[i] as number, n, source < target ? 1 : -1);
    if (a.type !== bend.type || a.curvature !== bend.curvature) graph.mergeEdgeAttributes(edge, bend);
  });
}
