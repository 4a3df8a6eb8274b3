import type { z } from 'zod';
import type { EntityMetrics, GraphData, GraphEdge, graphLoadInput, GraphNode, nodePosition } from '../shared/graph';
import type { EntityType, LinkDirection, LinkStatus } from '../shared/model';
import type { ReliabilityGrade } from '../shared/schemas';
import type { CaseDb } from './case-file';
import { now } from './clock';

type LoadFilters = z.output<typeof graphLoadInput>;

interface EntityDbRow {
  id: string;
  type: EntityType;
  subtype: string | null;
  name: string;
  country: string | null;
  x: number | null;
  y: number | null;
  pinned: number | null;
}

interface LinkDbRow {
  id: string;
  from_id: string;
  to_id: string;
  type: string;
  direction: LinkDirection;
  start_date: string | null;
  end_date: string | null;
  status: LinkStatus;
}

function groupBy<T extends { id: string }, V>(rows: T[], pick: (row: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const row of rows) {
    const list = out.get(row.id);
    if (list) list.push(pick(row));
    else out.set(row.id, [pick(row)]);
  }
  return out;
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
 * technology areas and the best source grade behind each. Returns nothing
 * but the count when more entities match than the limit.
 */
export function loadGraph(db: CaseDb, filters: LoadFilters): GraphData {
  const matchedIds = matchingEntityIds(db, filters);
  const matched = matchedIds ? matchedIds.size : (db.prepare('SELECT count(*) FROM entities').pluck().get() as number);
  if (matched > filters.limit) return { nodes: [], edges: [], matched, tooLarge: true, limit: filters.limit };

  const keep = (id: string) => matchedIds === null || matchedIds.has(id);
  const entities = (
    db
      .prepare(
        `SELECT e.id, e.type, e.subtype, e.name, e.country, p.x, p.y, p.pinned
         FROM entities e LEFT JOIN graph_positions p ON p.entity_id = e.id ORDER BY e.id`,
      )
      .all() as EntityDbRow[]
  ).filter((e) => keep(e.id));
  const aliases = groupBy(db.prepare('SELECT entity_id AS id, name FROM entity_aliases ORDER BY entity_id, position').all() as { id: string; name: string }[], (r) => r.name);
  const entityAreas = groupBy(db.prepare('SELECT entity_id AS id, area_id FROM area_tags WHERE entity_id IS NOT NULL').all() as { id: string; area_id: string }[], (r) => r.area_id);
  const linkAreas = groupBy(db.prepare('SELECT link_id AS id, area_id FROM area_tags WHERE link_id IS NOT NULL').all() as { id: string; area_id: string }[], (r) => r.area_id);
  const grades = (column: 'entity_id' | 'link_id') =>
    new Map(
      (
        db
          .prepare(
            `SELECT c.${column} AS id, min(s.reliability) AS grade FROM citations c
             JOIN excerpts x ON x.id = c.excerpt_id JOIN sources s ON s.id = x.source_id
             WHERE c.${column} IS NOT NULL GROUP BY c.${column}`,
          )
          .all() as { id: string; grade: ReliabilityGrade }[]
      ).map((r) => [r.id, r.grade]),
    );
  const entityGrades = grades('entity_id');
  const linkGrades = grades('link_id');

  const nodes: GraphNode[] = entities.map((e) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    subtype: e.subtype,
    country: e.country,
    aliases: aliases.get(e.id) ?? [],
    areaIds: entityAreas.get(e.id) ?? [],
    reliability: entityGrades.get(e.id) ?? null,
    x: e.x,
    y: e.y,
    pinned: e.pinned === 1,
  }));
  const edges: GraphEdge[] = (
    db.prepare('SELECT id, from_id, to_id, type, direction, start_date, end_date, status FROM links ORDER BY id').all() as LinkDbRow[]
  )
    .filter((l) => keep(l.from_id) && keep(l.to_id))
    .map((l) => ({
      id: l.id,
      from: l.from_id,
      to: l.to_id,
      type: l.type,
      direction: l.direction,
      startDate: l.start_date,
      endDate: l.end_date,
      status: l.status,
      areaIds: linkAreas.get(l.id) ?? [],
      reliability: linkGrades.get(l.id) ?? null,
    }));
  return { nodes, edges, matched, tooLarge: false, limit: filters.limit };
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
