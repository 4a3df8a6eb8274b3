import type Sigma from 'sigma';
import type { CaseGraph, EdgeAttrs, NodeAttrs } from './case-graph';
import { shapeOf, shapePath, shapeRightReach, traceShape, type NodeShape } from './shapes';

/** A legend line: a colour, drawn in the entity type's outline when it stands for a type, else as a disc. */
export interface LegendItem {
  label: string;
  color: string;
  shape: NodeShape | null;
}

/** Everything the picture shows, in the current camera's screen coordinates. */
interface Picture {
  width: number;
  height: number;
  nodes: { x: number; y: number; r: number; color: string; label: string | null; shape: NodeShape }[];
  edges: { x1: number; y1: number; x2: number; y2: number; cx: number; cy: number; color: string; width: number; arrow: boolean; curved: boolean }[];
  legend: LegendItem[];
  marking: string | null;
}

/** The drawing as it is on screen, scaled to `width` pixels wide. */
export function capturePicture(sigma: Sigma<NodeAttrs, EdgeAttrs>, graph: CaseGraph, width: number, legend: LegendItem[], marking: string | null, emphasised: ReadonlySet<string>): Picture {
  const dims = sigma.getDimensions();
  const scale = width / Math.max(1, dims.width);
  const height = Math.round(dims.height * scale);
  const shown = sigma.getNodeDisplayedLabels();
  const nodes: Picture['nodes'] = [];
  const at = new Map<string, { x: number; y: number; r: number }>();
  graph.forEachNode((node, a) => {
    if (a.hidden) return;
    const data = sigma.getNodeDisplayData(node);
    if (!data || data.hidden) return;
    const p = sigma.graphToViewport({ x: a.x, y: a.y });
    const r = sigma.scaleSize(data.size) * scale;
    const point = { x: p.x * scale, y: p.y * scale, r };
    at.set(node, point);
    nodes.push({ ...point, color: data.color, label: shown.has(node) || emphasised.has(node) || graph.order <= 300 ? a.label : null, shape: shapeOf(a.entityType) });
  });
  const edges: Picture['edges'] = [];
  graph.forEachEdge((edge, a, source, target) => {
    if (a.hidden) return;
    const s = at.get(source);
    const t = at.get(target);
    const data = sigma.getEdgeDisplayData(edge);
    if (!s || !t || !data || data.hidden) return;
    const mx = (s.x + t.x) / 2;
    const my = (s.y + t.y) / 2;
    const dx = t.x - s.x;
    const dy = t.y - s.y;
    const len = Math.hypot(dx, dy) || 1;
    // Shorten to the target's rim so arrowheads show.
    const x2 = t.x - (dx / len) * t.r;
    const y2 = t.y - (dy / len) * t.r;
    const bend = a.curvature * len;
    edges.push({ x1: s.x, y1: s.y, x2, y2, cx: mx + (dy / len) * bend, cy: my - (dx / len) * bend, color: data.color, width: Math.max(1, sigma.scaleSize(data.size) * scale), arrow: a.direction === 'directed', curved: a.curvature !== 0 });
  });
  return { width, height, nodes, edges, legend, marking };
}

function arrowHead(x1: number, y1: number, x2: number, y2: number, size: number): [number, number][] {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  return [
    [x2, y2],
    [x2 - size * Math.cos(angle - 0.4), y2 - size * Math.sin(angle - 0.4)],
    [x2 - size * Math.cos(angle + 0.4), y2 - size * Math.sin(angle + 0.4)],
  ];
}

const FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";

/** Draws the picture on a 2D canvas and returns it as PNG bytes. */
export async function pictureToPng(picture: Picture): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = picture.width;
  canvas.height = picture.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the picture.');
  const unit = picture.width / 1200;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, picture.width, picture.height);
  ctx.lineCap = 'round';
  for (const e of picture.edges) {
    ctx.strokeStyle = e.color;
    ctx.fillStyle = e.color;
    ctx.lineWidth = e.width;
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    if (e.curved) ctx.quadraticCurveTo(e.cx, e.cy, e.x2, e.y2);
    else ctx.lineTo(e.x2, e.y2);
    ctx.stroke();
    if (e.arrow) {
      const [from, ...rest] = arrowHead(e.curved ? e.cx : e.x1, e.curved ? e.cy : e.y1, e.x2, e.y2, Math.max(6 * unit, e.width * 4));
      ctx.beginPath();
      ctx.moveTo(from?.[0] ?? 0, from?.[1] ?? 0);
      for (const [x, y] of rest) ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
  }
  for (const n of picture.nodes) {
    ctx.fillStyle = n.color;
    traceShape(ctx, n.shape, n.x, n.y, n.r);
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = Math.max(1, unit);
    ctx.stroke();
  }
  ctx.font = `600 ${Math.round(12 * unit)}px ${FONT}`;
  ctx.textBaseline = 'middle';
  for (const n of picture.nodes) {
    if (!n.label) continue;
    ctx.lineWidth = 3 * unit;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.strokeText(n.label, labelX(n, 3 * unit), n.y);
    ctx.fillStyle = '#1c2330';
    ctx.fillText(n.label, labelX(n, 3 * unit), n.y);
  }
  drawLegendAndMarking(ctx, picture, unit);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be encoded.'))), 'image/png'));
}

function drawLegendAndMarking(ctx: CanvasRenderingContext2D, picture: Picture, unit: number): void {
  ctx.font = `${Math.round(11 * unit)}px ${FONT}`;
  const line = 16 * unit;
  let y = picture.height - line * picture.legend.length - 10 * unit;
  for (const item of picture.legend) {
    ctx.fillStyle = item.color;
    traceShape(ctx, item.shape ?? 'circle', 14 * unit, y, 5 * unit);
    ctx.fill();
    ctx.fillStyle = '#1c2330';
    ctx.fillText(item.label, 24 * unit, y);
    y += line;
  }
  if (picture.marking) {
    ctx.font = `700 ${Math.round(14 * unit)}px ${FONT}`;
    ctx.fillStyle = '#6b4a00';
    ctx.textAlign = 'center';
    ctx.fillText(picture.marking, picture.width / 2, 14 * unit);
    ctx.textAlign = 'start';
  }
}

/** Labels start just right of the shape's widest point, as on screen. */
function labelX(n: Picture['nodes'][number], gap: number): number {
  return n.x + n.r * shapeRightReach(n.shape) + gap;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The picture as a standalone SVG document. */
export function pictureToSvg(picture: Picture): string {
  const unit = picture.width / 1200;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${picture.width}" height="${picture.height}" viewBox="0 0 ${picture.width} ${picture.height}" font-family="${esc(FONT)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  for (const e of picture.edges) {
    const d = e.curved ? `M${f(e.x1)},${f(e.y1)} Q${f(e.cx)},${f(e.cy)} ${f(e.x2)},${f(e.y2)}` : `M${f(e.x1)},${f(e.y1)} L${f(e.x2)},${f(e.y2)}`;
    parts.push(`<path d="${d}" stroke="${e.color}" stroke-width="${f(e.width)}" fill="none"/>`);
    if (e.arrow) {
      const pts = arrowHead(e.curved ? e.cx : e.x1, e.curved ? e.cy : e.y1, e.x2, e.y2, Math.max(6 * unit, e.width * 4));
      parts.push(`<polygon points="${pts.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}" fill="${e.color}"/>`);
    }
  }
  for (const n of picture.nodes) parts.push(`<path class="entity ${n.shape}" d="${shapePath(n.shape, n.x, n.y, n.r)}" fill="${n.color}" stroke="#ffffff"/>`);
  for (const n of picture.nodes) {
    if (n.label) parts.push(`<text x="${f(labelX(n, 3 * unit))}" y="${f(n.y)}" dominant-baseline="middle" font-size="${f(12 * unit)}" font-weight="600" fill="#1c2330" stroke="#ffffff" stroke-width="${f(3 * unit)}" paint-order="stroke">${esc(n.label)}</text>`);
  }
  const line = 16 * unit;
  picture.legend.forEach((item, i) => {
    const y = picture.height - line * (picture.legend.length - i) - 10 * unit;
    parts.push(`<path d="${shapePath(item.shape ?? 'circle', 14 * unit, y, 5 * unit)}" fill="${item.color}"/><text x="${f(24 * unit)}" y="${f(y)}" dominant-baseline="middle" font-size="${f(11 * unit)}" fill="#1c2330">${esc(item.label)}</text>`);
  });
  if (picture.marking) parts.push(`<text x="${f(picture.width / 2)}" y="${f(14 * unit)}" text-anchor="middle" font-size="${f(14 * unit)}" font-weight="700" fill="#6b4a00">${esc(picture.marking)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
