import type { Confidence, EntityType, LinkDirection, LinkStatus } from '../../shared/model';
import { formatPartialDate, partialDateRange } from '../../shared/partial-date';
import type { ReportScope } from '../../shared/report';
import type { CaseDb } from '../core/case-file';
import { areaSubtree } from '../model/areas';

export interface EntityDbRow {
  id: string;
  name: string;
  type: EntityType;
  subtype: string | null;
  country: string | null;
  description: string | null;
  notes: string | null;
  confidence: Confidence | null;
}

export interface LinkDbRow {
  id: string;
  from_id: string;
  to_id: string;
  type: string;
  direction: LinkDirection;
  start_date: string | null;
  end_date: string | null;
  status: LinkStatus;
  confidence: Confidence | null;
  notes: string | null;
}

/** IDs as one JSON parameter, for `IN (SELECT value FROM json_each(?))`. */
export const json = (ids: Iterable<string>) => JSON.stringify([...ids]);

/** The entities and links a report covers. */
export interface ReportItems {
  /** The entities the scope names one by one, or null when it names none. */
  chosen: Set<string> | null;
  /** Entities in scope, whose profiles the report prints, by name. */
  profiles: EntityDbRow[];
  /** Links in scope, by start date, then by the name they start from. */
  links: LinkDbRow[];
  /** The entities in scope and the other ends of their links: the graph and tables name them all. */
  namedIds: Set<string>;
  named: Map<string, EntityDbRow>;
  nameOf: (id: string) => string;
}

function areaIdsOf(db: CaseDb, roots: readonly string[]): string[] {
  const all = new Set<string>();
  for (const root of roots) {
    try {
      for (const id of areaSubtree(db, root)) all.add(id);
    } catch {
      // An area deleted since the report was saved no longer narrows it.
    }
  }
  return [...all];
}

function overlaps(link: { start_date: string | null; end_date: string | null }, from: string | null, to: string | null): boolean {
  if (!from && !to) return true;
  if (!link.start_date && !link.end_date) return true;
  const start = link.start_date ? partialDateRange(link.start_date)?.start : null;
  const end = link.end_date ? partialDateRange(link.end_date)?.end : null;
  const windowStart = from ? partialDateRange(from)?.start : null;
  const windowEnd = to ? partialDateRange(to)?.end : null;
  if (windowEnd && start && start > windowEnd) return false;
  if (windowStart && end && end < windowStart) return false;
  return true;
}

/** Entities in scope: the chosen ones, else those an area tags (directly or through a tagged link), else all. */
function entitiesInScope(db: CaseDb, scope: ReportScope, chosen: Set<string> | null): Set<string> {
  if (chosen) return chosen;
  if (scope.areaIds.length === 0) return new Set((db.prepare('SELECT id FROM entities').all() as { id: string }[]).map((r) => r.id));
  const areaIds = json(areaIdsOf(db, scope.areaIds));
  const tagged = db
    .prepare(
      `SELECT entity_id AS id FROM area_tags WHERE entity_id IS NOT NULL AND area_id IN (SELECT value FROM json_each(?))
       UNION SELECT l.from_id FROM links l JOIN area_tags t ON t.link_id = l.id WHERE t.area_id IN (SELECT value FROM json_each(?))
       UNION SELECT l.to_id FROM links l JOIN area_tags t ON t.link_id = l.id WHERE t.area_id IN (SELECT value FROM json_each(?))`,
    )
    .all(areaIds, areaIds, areaIds) as { id: string }[];
  return new Set(tagged.map((r) => r.id));
}

/** Links in the period: between chosen entities and anything, or else with both ends in scope. */
function linksInScope(db: CaseDb, scope: ReportScope, entityIds: Set<string>, anyOtherEnd: boolean): LinkDbRow[] {
  const rows = db
    .prepare(
      `SELECT id, from_id, to_id, type, direction, start_date, end_date, status, confidence, notes FROM links
       WHERE from_id IN (SELECT value FROM json_each(?)) ${anyOtherEnd ? 'OR' : 'AND'} to_id IN (SELECT value FROM json_each(?))`,
    )
    .all(json(entityIds), json(entityIds)) as LinkDbRow[];
  return rows.filter((l) => overlaps(l, scope.from, scope.to));
}

/** Reads the entities and links a report's scope takes in. */
export function selectItems(db: CaseDb, scope: ReportScope): ReportItems {
  const chosen = scope.entityIds.length > 0 ? new Set((db.prepare('SELECT id FROM entities WHERE id IN (SELECT value FROM json_each(?))').all(json(scope.entityIds)) as { id: string }[]).map((r) => r.id)) : null;
  const entityIds = entitiesInScope(db, scope, chosen);
  const links = linksInScope(db, scope, entityIds, chosen !== null);
  const namedIds = new Set(entityIds);
  for (const l of links) {
    namedIds.add(l.from_id);
    namedIds.add(l.to_id);
  }
  const entityRows = db
    .prepare('SELECT id, name, type, subtype, country, description, notes, confidence FROM entities WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id')
    .all(json(namedIds)) as EntityDbRow[];
  const named = new Map(entityRows.map((e) => [e.id, e]));
  const nameOf = (id: string) => named.get(id)?.name ?? '(deleted entity)';
  links.sort((a, b) => (a.start_date ?? '9999').localeCompare(b.start_date ?? '9999') || nameOf(a.from_id).localeCompare(nameOf(b.from_id)) || a.id.localeCompare(b.id));
  return { chosen, profiles: entityRows.filter((e) => entityIds.has(e.id)), links, namedIds, named, nameOf };
}

/** Lines that say in words what the report covers. */
export function describeScope(db: CaseDb, scope: ReportScope, items: ReportItems): string[] {
  const lines: string[] = [];
  if (scope.areaIds.length > 0) {
    const names = (db.prepare('SELECT name FROM technology_areas WHERE id IN (SELECT value FROM json_each(?)) ORDER BY position, name').all(json(scope.areaIds)) as { name: string }[]).map((r) => r.name);
    lines.push(`Technology areas: ${names.join(', ') || '(deleted areas)'}`);
  }
  if (items.chosen) {
    const names = items.profiles.map((e) => e.name);
    lines.push(`Entities: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ` and ${names.length - 12} more` : ''}`);
  }
  if (scope.from || scope.to) lines.push(`Period: ${scope.from ? formatPartialDate(scope.from) : 'any time'} to ${scope.to ? formatPartialDate(scope.to) : 'now'}`);
  if (lines.length === 0) lines.push('The whole case');
  return lines;
}
