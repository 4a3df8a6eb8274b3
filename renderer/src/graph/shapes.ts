import type { EntityType } from '../../../shared/model';
import { SHAPE_GEOMETRY, shapeOf, shapeOutline, type NodeShape, type Point } from '../../../shared/graph-style';

export { SHAPE_BY_TYPE, SHAPE_GEOMETRY, SHAPE_REACH, shapeOf, shapeOutline, shapePath } from '../../../shared/graph-style';
export type { NodeShape, Point, ShapeGeometry } from '../../../shared/graph-style';

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

/** The shape an entity is drawn with, from sigma's display data of it; a circle when the data names no type. */
export function shapeOfData(data: { entityType?: EntityType | undefined }): NodeShape {
  return data.entityType ? shapeOf(data.entityType) : 'circle';
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
