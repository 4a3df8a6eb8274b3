import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { ReportData } from '../../shared/report';
import type { CaseDb } from '../core/case-file';
import { json, type ReportItems } from './report-scope';

/**
 * Positions for the graph picture: saved ones where the graph view left them;
 * the rest laid out by ForceAtlas2 from a circle (deterministic, so the same
 * case gives the same picture), with saved nodes held in place.
 */
export function placeNodes(nodes: { id: string; degree: number }[], edges: { from: string; to: string }[], saved: Map<string, { x: number; y: number }>): Map<string, { x: number; y: number }> {
  const graph = new Graph({ multi: true, type: 'mixed' });
  const ordered = [...nodes].sort((a, b) => b.degree - a.degree || a.id.localeCompare(b.id));
  ordered.forEach((node, i) => {
    const fixedAt = saved.get(node.id);
    const angle = (2 * Math.PI * i) / Math.max(1, ordered.length);
    graph.addNode(node.id, fixedAt ? { ...fixedAt, fixed: true } : { x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) });
  });
  for (const edge of edges) if (graph.hasNode(edge.from) && graph.hasNode(edge.to) && edge.from !== edge.to) graph.addEdge(edge.from, edge.to);
  if (saved.size < nodes.length && nodes.length > 1) {
    const settings = forceAtlas2.inferSettings(graph);
    forceAtlas2.assign(graph, { iterations: nodes.length > 2000 ? 100 : 400, settings: { ...settings, barnesHutOptimize: nodes.length > 500, gravity: 1, scalingRatio: 10 } });
  }
  const placed = new Map<string, { x: number; y: number }>();
  graph.forEachNode((id, attributes) => placed.set(id, { x: Number(attributes.x), y: Number(attributes.y) }));
  return placed;
}

/** The graph picture of every entity the report names, at saved positions where the graph view left them. */
export function graphPicture(db: CaseDb, items: ReportItems): ReportData['graph'] {
  const degree = new Map<string, number>();
  for (const l of items.links) {
    degree.set(l.from_id, (degree.get(l.from_id) ?? 0) + 1);
    degree.set(l.to_id, (degree.get(l.to_id) ?? 0) + 1);
  }
  const ids = [...items.namedIds].filter((id) => items.named.has(id));
  const saved = new Map(
    (db.prepare('SELECT entity_id, x, y FROM graph_positions WHERE entity_id IN (SELECT value FROM json_each(?))').all(json(ids)) as { entity_id: string; x: number; y: number }[]).map((p) => [
      p.entity_id,
      { x: p.x, y: p.y },
    ]),
  );
  const positions = placeNodes(
    ids.map((id) => ({ id, degree: degree.get(id) ?? 0 })),
    items.links.map((l) => ({ from: l.from_id, to: l.to_id })),
    saved,
  );
  const nodes = ids.map((id) => ({
    id,
    label: items.nameOf(id),
    type: items.named.get(id)?.type ?? 'organisation',
    x: positions.get(id)?.x ?? 0,
    y: positions.get(id)?.y ?? 0,
    degree: degree.get(id) ?? 0,
  }));
  return { nodes, edges: items.links.map((l) => ({ from: l.from_id, to: l.to_id, type: l.type, directed: l.direction === 'directed' })), positioned: saved.size > 0 };
}
