import type { z } from 'zod';
import { emptyPackedGraph, numbering, type EntityMetrics, type graphLoadInput, type nodePosition, type PackedGraph } from '../../shared/graph';
import { ENTITY_TYPES, LINK_DIRECTIONS, LINK_STATUSES, type EntityType, type LinkDirection, type LinkStatus } from '../../shared/model';
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
 * as it is read: a column per field, each row's values pushed straight onto
 * them (no object or tuple per entity or link on the way). Returns nothing but
 * the count when more entities match than the limit.
 */
export function loadPackedGraph(db: CaseDb, filters: LoadFilters): PackedGraph {
  const matchedIds = matchingEntityIds(db, filters);
  const matched = matchedIds ? matchedIds.size : (db.prepare('SELECT count(*) FROM entities').pluck().get() as number);
  if (matched > filters.limit) return emptyPackedGraph(matched, true, filters.limit);

  const packed = emptyPackedGraph(matched, false, filters.limit);
  const { nodes, edges } = packed;
  const areas = numbering();
  const linkTypes = numbering();
  const entityAreas = new Map<string, number[]>();
  const linkAreas = new Map<string, number[]>();
  for (const [entityId, linkId, areaId] of db.prepare('SELECT entity_id, link_id, area_id FROM area_tags WHERE entity_id IS NOT NULL OR link_id IS NOT NULL').raw().all() as [string | null, string | null, string][]) {
    if (entityId !== null) push(entityAreas, entityId, areas.numberOf(areaId));
    else if (linkId !== null) push(linkAreas, linkId, areas.numberOf(areaId));
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

  // Every alias in the order of the entities, theirs in order; each entity row says how many are its own.
  const aliasNames = db.prepare('SELECT a.name FROM entities e JOIN entity_aliases a ON a.entity_id = e.id ORDER BY e.id, a.position').pluck().all() as string[];
  let aliasAt = 0;
  const typeNumber = new Map(ENTITY_TYPES.map((type, i) => [type, i]));
  // Links name their ends by the entities' row numbers, which SQLite reads off the ID index, rather than by IDs
  // made into strings only to be looked up.
  const indexOfRow = new Map<number, number>();
  const entityRows = db.prepare(
    `SELECT e.rowid, e.id, e.name, e.type, e.subtype, e.country, p.x, p.y, p.pinned,
       (SELECT count(*) FROM entity_aliases a WHERE a.entity_id = e.id)
     FROM entities e LEFT JOIN graph_positions p ON p.entity_id = e.id ORDER BY e.id`,
  );
  for (const [rowid, id, name, type, subtype, country, x, y, pinned, aliasCount] of entityRows.raw().iterate() as IterableIterator<
    [number, string, string, EntityType, string | null, string | null, number | null, number | null, number | null, number]
  >) {
    const first = aliasAt;
    aliasAt += aliasCount;
    if (matchedIds && !matchedIds.has(id)) continue;
    indexOfRow.set(rowid, nodes.ids.length);
    nodes.ids.push(id);
    nodes.names.push(name);
    nodes.types.push(typeNumber.get(type) ?? 0);
    nodes.subtypes.push(subtype);
    nodes.countries.push(country);
    nodes.aliasCounts.push(aliasCount);
    for (let i = first; i < aliasAt; i += 1) nodes.aliases.push(aliasNames[i] as string);
    const own = entityAreas.get(id);
    nodes.areaCounts.push(own?.length ?? 0);
    if (own) nodes.areas.push(...own);
    nodes.reliability.push(entityGrades.get(id) ?? null);
    nodes.x.push(x);
    nodes.y.push(y);
    nodes.pinned.push(pinned === 1 ? 1 : 0);
  }
  if (aliasAt !== aliasNames.length) throw new Error('The entities and their aliases were read from different states of the case.');

  const directionNumber = new Map(LINK_DIRECTIONS.map((direction, i) => [direction, i]));
  const statusNumber = new Map(LINK_STATUSES.map((status, i) => [status, i]));
  const linkRows = db.prepare(
    `SELECT l.id, f.rowid, t.rowid, l.type, l.direction, l.start_date, l.end_date, l.status
     FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id ORDER BY l.id`,
  );
  for (const [id, fromRow, toRow, type, direction, startDate, endDate, status] of linkRows.raw().iterate() as IterableIterator<
    [string, number, number, string, LinkDirection, string | null, string | null, LinkStatus]
  >) {
    // Links whose ends are not both drawn stay out, as when the entities are filtered.
    const from = indexOfRow.get(fromRow);
    const to = indexOfRow.get(toRow);
    if (from === undefined || to === undefined) continue;
    edges.ids.push(id);
    edges.from.push(from);
    edges.to.push(to);
    edges.types.push(linkTypes.numberOf(type));
    edges.directions.push(directionNumber.get(direction) ?? 0);
    edges.startDates.push(startDate);
    edges.endDates.push(endDate);
    edges.statuses.push(statusNumber.get(status) ?? 0);
    const own = linkAreas.get(id);
    edges.areaCounts.push(own?.length ?? 0);
    if (own) edges.areas.push(...own);
    edges.reliability.push(linkGrades.get(id) ?? null);
  }
  packed.areaIds = areas.values();
  packed.linkTypes = linkTypes.values();
  return packed;
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
