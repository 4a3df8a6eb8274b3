import type { EntityType } from '../../../shared/model';

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

/** The shape as an SVG path, for the legend and the SVG export. */
export function shapePath(shape: NodeShape, cx: number, cy: number, r: number, digits = 1): string {
  const f = (n: number) => n.toFixed(digits);
  const outline = shapeOutline(shape, cx, cy, r);
  if (!outline) {
    const radius = SHAPE_GEOMETRY.circle.outer * r;
    return `M${f(cx - radius)},${f(cy)} a${f(radius)},${f(radius)} 0 1,0 ${f(2 * radius)},0 a${f(radius)},${f(radius)} 0 1,0 ${f(-2 * radius)},0 Z`;
  }
  return `M${outline.map(([x, y]) => `${f(x)},${f(y)}`).join(' L')} Z`;
}

/** Traces the shape on a 2D canvas as the current path. */
export function traceShape(ctx: CanvasRenderingContext2D, shape: NodeShape, cx: number, cy: number, r: number): void {
  ctx.beginPath();
  const outline = shapeOutline(shape, cx, cy, r);
  if (!outline) {
    ctx.arc(cx, cy, SHAPE_GEOMETRY.circle.outer * r, 0, Math.PI * 2);
    return;
  }
  outline.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
}

/** How far right of its centre a shape reaches, in node sizes: labels start beyond it. */
export function shapeRightReach(shape: NodeShape): number {
  const outline = shapeOutline(shape, 0, 0, 1);
  return outline ? Math.max(1, ...outline.map(([x]) => x)) : SHAPE_GEOMETRY.circle.outer;
}

/** Whether a point lies inside a polygon (even-odd rule); a polygon of fewer than three corners holds nothing. */
export function pointInPolygon(point: Point, polygon: readonly Point[]): boolean {
  if (polygon.length < 3) return false;
  const [px, py] = point;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point, in node sizes from the shape's centre (y down), is inside the shape. */
export function insideShape(shape: NodeShape, x: number, y: number): boolean {
  const outline = shapeOutline(shape, 0, 0, 1);
  return outline ? pointInPolygon([x, y], outline) : Math.hypot(x, y) <= SHAPE_GEOMETRY.circle.outer;
}

/** The area of a shape of node size 1. */
export function shapeArea(shape: NodeShape): number {
  const outline = shapeOutline(shape, 0, 0, 1);
  if (!outline) return Math.PI * SHAPE_GEOMETRY.circle.outer ** 2;
  let twice = 0;
  outline.forEach(([x1, y1], i) => {
    const [x2, y2] = outline[(i + 1) % outline.length] as Point;
    twice += x1 * y2 - x2 * y1;
  });
  return Math.abs(twice) / 2;
}

/**
 * The points (e.g. entities on screen) inside a lasso drawn as a list of
 * screen points. Tiny lassos (a click, a jitter) select nothing.
 */
export function pointsInLasso<T extends { id: string; x: number; y: number }>(points: Iterable<T>, lasso: readonly Point[]): string[] {
  if (lasso.length < 3) return [];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of lasso) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (maxX - minX < 4 && maxY - minY < 4) return [];
  const out: string[] = [];
  for (const p of points) {
    if (p.x < minX || p.x > maxX || p.y < minY || p.y > maxY) continue;
    if (pointInPolygon([p.x, p.y], lasso)) out.push(p.id);
  }
  return out;
}
