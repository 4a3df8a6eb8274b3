/**
 * How the graph draws entities and links, shared by the graph view and the
 * briefing's network picture so both use the same shapes and colours.
 */
import type { EntityType } from './model';

/** The outline an entity is drawn with; each entity type has its own. */
export type NodeShape = 'circle' | 'square' | 'diamond' | 'triangle' | 'hexagon' | 'star';

export const SHAPE_BY_TYPE: Record<EntityType, NodeShape> = {
  organisation: 'square',
  person: 'circle',
  programme: 'diamond',
  event: 'triangle',
  product: 'hexagon',
  place: 'star',
};

/**
 * A shape as regular corners around its centre, in units of the node's size
 * (its radius in pixels). `points` 0 is a circle of radius `outer`; a star
 * alternates `outer` and `inner` radii. `rotation` turns the first corner
 * clockwise from straight up. Outer radii are chosen so every shape covers
 * about the same area as the circle, and none reaches past 1.4.
 */
export interface ShapeGeometry {
  points: number;
  outer: number;
  inner: number;
  rotation: number;
}

export const SHAPE_GEOMETRY: Record<NodeShape, ShapeGeometry> = {
  circle: { points: 0, outer: 1, inner: 0, rotation: 0 },
  square: { points: 4, outer: 0.9 * Math.SQRT2, inner: 0, rotation: Math.PI / 4 },
  diamond: { points: 4, outer: 1.25, inner: 0, rotation: 0 },
  triangle: { points: 3, outer: 1.38, inner: 0, rotation: 0 },
  hexagon: { points: 6, outer: 1.1, inner: 0, rotation: 0 },
  star: { points: 5, outer: 1.38, inner: 0.62, rotation: 0 },
};

/** The farthest any shape reaches from its centre, in node sizes; the renderer's quad must hold it. */
export const SHAPE_REACH = 1.4;

export function shapeOf(type: EntityType): NodeShape {
  return SHAPE_BY_TYPE[type] ?? 'circle';
}

export type Point = [number, number];

/**
 * The corners of a shape centred on (cx, cy) with node size r, in screen
 * coordinates (y grows downwards); null for a circle.
 */
export function shapeOutline(shape: NodeShape, cx: number, cy: number, r: number): Point[] | null {
  const g = SHAPE_GEOMETRY[shape];
  if (g.points === 0) return null;
  const star = g.inner > 0;
  const count = star ? g.points * 2 : g.points;
  const out: Point[] = [];
  for (let i = 0; i < count; i += 1) {
    const angle = g.rotation + (i * 2 * Math.PI) / count;
    const radius = (star && i % 2 === 1 ? g.inner : g.outer) * r;
    out.push([cx + radius * Math.sin(angle), cy - radius * Math.cos(angle)]);
  }
  return out;
}

/** The shape as an SVG path, for legends, the SVG export and the briefing's picture. */
export function shapePath(shape: NodeShape, cx: number, cy: number, r: number, digits = 1): string {
  const f = (n: number) => n.toFixed(digits);
  const outline = shapeOutline(shape, cx, cy, r);
  if (!outline) {
    const radius = SHAPE_GEOMETRY.circle.outer * r;
    return `M${f(cx - radius)},${f(cy)} a${f(radius)},${f(radius)} 0 1,0 ${f(2 * radius)},0 a${f(radius)},${f(radius)} 0 1,0 ${f(-2 * radius)},0 Z`;
  }
  return `M${outline.map(([x, y]) => `${f(x)},${f(y)}`).join(' L')} Z`;
}

/** The fill of each entity type when the graph colours entities by type. */
export const TYPE_COLOURS: Record<EntityType, string> = {
  organisation: '#2458b3',
  person: '#d9480f',
  programme: '#1f8a70',
  event: '#9333ea',
  product: '#c2255c',
  place: '#a16207',
};

/**
 * Link-type colours that people with any common colour-vision deficiency can tell apart: Paul Tol's
 * "muted" scheme, then near-black. The most frequent link types in the case get them, one each, so no two
 * types the legend names share a colour; rarer types are drawn in OTHER_LINK_COLOUR and the legend says so.
 */
export const LINK_TYPE_PALETTE = ['#332288', '#117733', '#CC6677', '#88CCEE', '#DDCC77', '#AA4499', '#44AA99', '#882255', '#999933', '#222222'] as const;
export const OTHER_LINK_COLOUR = '#b8bec8';

/**
 * A colour per link type: the most frequent types first (ties by name in code-point order, so the order is
 * the same on every machine and in every locale), each with its own palette colour; the rest share
 * OTHER_LINK_COLOUR.
 */
export function linkTypeColours(counts: ReadonlyMap<string, number>): Map<string, string> {
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(ranked.map(([type], i) => [type, LINK_TYPE_PALETTE[i] ?? OTHER_LINK_COLOUR]));
}
