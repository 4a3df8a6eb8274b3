import type { z } from 'zod';
import { areaNumbering, type EntityMetrics, type graphLoadInput, type nodePosition, type PackedEdge, type PackedGraph, type PackedNode } from '../../shared/graph';
import type { EntityType, LinkDirection, LinkStatus } from '../../shared/model';
import type { ReliabilityGrade } from '../../shared/schemas';
import type { CaseDb } from '../core/case-file';
import { now } from '../core/clock';

type LoadFilters = z.output<typeof graphLoadInput>;

/** Appends a value to the list kept under a key. */
function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** IDs of entities matching the load filters, or null when there are no filters (every entity). */
function matchingEntityIds(db: CaseDb, filters: LoadFilters): Set<string> | null {
  if (filters.entityTypes.length === 0 && filters.countries.length === 0 && filters.areaIds.length === 0) return null;
  const rows = db
    .prepare(
      `WITH RECURSIVE chosen(id) AS (
         SELECT value FROM json_each(:areas)
         UNION SELECT a.id FROM technology_areas a JOIN chosen c ON a.parent_id = c.id
       )
       SELECT e.id FROM entities e
       WHERE (:typeCount = 0 OR e.type IN (SELECT value FROM json_each(:types)))
         AND (:countryCount = 0 OR e.country IN (SELECT value FROM json_each(:countries)))
         AND (:areaCount = 0
           OR EXISTS (SELECT 1 FROM area_tags t WHERE t.entity_id = e.id AND t.area_id IN chosen)
           OR EXISTS (SELECT 1 FROM links l JOIN area_tags t ON t.link_id = l.id WHERE l.from_id = e.id AND t.area_id IN chosen)
           OR EXISTS (SELECT 1 FROM links l JOIN area_tags t ON t.link_id = l.id WHERE l.to_id = e.id AND t.area_id IN chosen))`,
    )
    .pluck()
    .all({
      areas: JSON.stringify(filters.areaIds),
      areaCount: filters.areaIds.length,
      types: JSON.stringify(filters.entityTypes),
      typeCount: filters.entityTypes.length,
      countries: JSON.stringify(filters.countries),
      countryCount: filters.countries.length,
    }) as string[];
  return new Set(rows);
}

/**
 * Entities and the links between them, with saved positions, aliases,
 * technology areas and the best source grade behind each, packed for the wire
 * as it is read (no object per entity or link on the way). Returns nothing but
 * the count when more entities match than the limit.
 */
export function loadPackedGraph(db: CaseDb, filters: LoadFilters): PackedGraph {
  const matchedIds = matchingEntityIds(db, filters);
  const matched = matchedIds ? matchedIds.size : (db.prepare('SELECT count(*) FROM entities').pluck().get() as number);
  if (matched > filters.limit) return { format: 'packed', areaIds: [], nodes: [], edges: [], matched, tooLarge: true, limit: filters.limit };

  const numbering = areaNumbering();
  const aliases = new Map<string, string[]>();
  for (const [entityId, name] of db.prepare('SELECT entity_id, name FROM entity_aliases ORDER BY entity_id, position').raw().all() as [string, string][]) push(aliases, entityId, name);
  const entityAreas = new Map<string, number[]>();
  const linkAreas = new Map<string, number[]>();
  for (const [entityId, linkId, areaId] of db.prepare('SELECT entity_id, link_id, area_id FROM area_tags WHERE entity_id IS NOT NULL OR link_id IS NOT NULL').raw().all() as [string | null, string | null, string][]) {
    if (entityId !== null) push(entityAreas, entityId, numbering.numberOf(areaId));
    else if (linkId !== null) push(linkAreas, linkId, numbering.numberOf(areaId));
  }
  const grades = (column: 'entity_id' | 'link_id') =>
    new Map(
      db
        .prepare(
          `SELECT c.${column}, min(s.reliability) FROM citations c
           JOIN excerpts x ON x.id = c.excerpt_id JOIN sources s ON s.id = x.source_id
           WHERE c.${column} IS NOT NULL GROUP BY c.${column}`,
        )
        .raw()
        .all() as [string, ReliabilityGrade][],
    );
  const entityGrades = grades('entity_id');
  const linkGrades = grades('link_id');

  const nodeIndex = new Map<string, number>();
  const nodes: PackedNode[] = [];
  const entityRows = db
    .prepare('SELECT e.id, e.name, e.type, e.subtype, e.country, p.x, p.y, p.pinned FROM entities e LEFT JOIN graph_positions p ON p.entity_id = e.id ORDER BY e.id')
    .raw()
    .all() as [string, string, EntityType, string | null, string | null, number | null, number | null, number | null][];
  for (const [id, name, type, subtype, country, x, y, pinned] of entityRows) {
    if (matchedIds && !matchedIds.has(id)) continue;
    nodeIndex.set(id, nodes.length);
    nodes.push([id, name, type, subtype, country, aliases.get(id) ?? [], entityAreas.get(id) ?? [], entityGrades.get(id) ?? null, x, y, pinned === 1 ? 1 : 0]);
  }
  const edges: PackedEdge[] = [];
  const linkRows = db
    .prepare('SELECT id, from_id, to_id, type, direction, start_date, end_date, status FROM links ORDER BY id')
    .raw()
    .all() as [string, string, string, string, LinkDirection, string | null, string | null, LinkStatus][];
  for (const [id, fromId, toId, type, direction, startDate, endDate, status] of linkRows) {
    // Links whose ends are not both drawn stay out, as when the entities are filtered.
    const from = nodeIndex.get(fromId);
    const to = nodeIndex.get(toId);
    if (from === undefined || to === undefined) continue;
    edges.push([id, from, to, type, direction, startDate, endDate, status, linkAreas.get(id) ?? [], linkGrades.get(id) ?? null]);
  }
  return { format: 'packed', areaIds: numbering.areaIds(), nodes, edges, matched, tooLarge: false, limit: filters.limit };
}

/** Stores where entities sit in the picture; positions of entities no longer in the case are skipped. */
export function savePositions(db: CaseDb, positions: readonly z.output<typeof nodePosition>[]): { saved: number } {
  const at = now();
  const upsert = db.prepare(
    `INSERT INTO graph_positions (entity_id, x, y, pinned, updated_at)
     SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM entities WHERE id = ?)
     ON CONFLICT (entity_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned, updated_at = excluded.updated_at`,
  );
  let saved = 0;
  for (const p of positions) saved += upsert.run(p.id, p.x, p.y, p.pinned ? 1 : 0, at, p.id).changes;
  return { saved };
}

/** Forgets saved positions (all of them, or all but the pinned ones) so the next layout starts afresh. */
export function clearPositions(db: CaseDb, keepPinned: boolean): { cleared: number } {
  const result = keepPinned ? db.prepare('DELETE FROM graph_positions WHERE pinned = 0').run() : db.prepare('DELETE FROM graph_positions').run();
  return { cleared: result.changes };
}

/** Stores the network measures computed for the whole case graph; `replace` drops those of entities not given. */
export function saveMetrics(
  db: CaseDb,
  metrics: readonly { id: string; degree: number; betweenness: number; pagerank: number; community: number | null }[],
  replace: boolean,
): { saved: number } {
  const at = now();
  if (replace) db.prepare('DELETE FROM graph_metrics').run();
  const upsert = db.prepare(
    `INSERT INTO graph_metrics (entity_id, degree, betweenness, pagerank, community, computed_at)
     SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM entities WHERE id = ?)
     ON CONFLICT (entity_id) DO UPDATE SET degree = excluded.degree, betweenness = excluded.betweenness,
       pagerank = excluded.pagerank, community = excluded.community, computed_at = excluded.computed_at`,
  );
  let saved = 0;
  for (const m of metrics) saved += upsert.run(m.id, m.degree, m.betweenness, m.pagerank, m.community, at, m.id).changes;
  return { saved };
}

export function metricsOf(db: CaseDb, ids: readonly string[]): EntityMetrics[] {
  const rows = db
    .prepare(
      `SELECT entity_id AS id, degree, betweenness, pagerank, community, computed_at AS computedAt
       FROM graph_metrics WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id`,
    )
    .all(JSON.stringify(ids)) as EntityMetrics[];
  return rows;
}
