import { ENTITY_TYPES, type EntityType } from '../../shared/model';
import type { CaseOverview } from '../../shared/ops/model';
import { RELIABILITY_GRADES, type ReliabilityGrade } from '../../shared/schemas';
import type { CaseDb } from '../core/case-file';
import { getCaseDetails } from '../core/case-info';
import { cachedCount, cachedRead } from '../core/read-cache';

/** How many unsourced claims and recent changes the Overview lists by name. */
const LISTED_UNSOURCED = 8;
const LISTED_CHANGES = 10;

function count(db: CaseDb, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

/**
 * Items per technology area, sub-areas included, counted as the area filter
 * of the grids keeps them: links tagged with the area; entities tagged with
 * it or at either end of such a link; sources tagged with it themselves or
 * through one of their excerpts.
 */
const AREA_COUNTS_SQL = `
  WITH RECURSIVE under (top_id, area_id) AS (
    SELECT id, id FROM technology_areas
    UNION
    SELECT under.top_id, a.id FROM technology_areas a JOIN under ON a.parent_id = under.area_id
  ),
  tagged AS (
    SELECT under.top_id, t.entity_id, t.link_id, t.source_id, t.excerpt_id FROM under JOIN area_tags t ON t.area_id = under.area_id
  ),
  area_entities (top_id, id) AS (
    SELECT top_id, entity_id FROM tagged WHERE entity_id IS NOT NULL
    UNION SELECT tagged.top_id, l.from_id FROM tagged JOIN links l ON l.id = tagged.link_id
    UNION SELECT tagged.top_id, l.to_id FROM tagged JOIN links l ON l.id = tagged.link_id
  ),
  area_sources (top_id, id) AS (
    SELECT top_id, source_id FROM tagged WHERE source_id IS NOT NULL
    UNION SELECT tagged.top_id, x.source_id FROM tagged JOIN excerpts x ON x.id = tagged.excerpt_id
  )
  SELECT 'entities' AS kind, top_id AS id, count(*) AS n FROM area_entities GROUP BY top_id
  UNION ALL SELECT 'links', top_id, count(DISTINCT link_id) FROM tagged WHERE link_id IS NOT NULL GROUP BY top_id
  UNION ALL SELECT 'sources', top_id, count(*) FROM area_sources GROUP BY top_id`;

function areaOverview(db: CaseDb): CaseOverview['areas'] {
  const areas = db.prepare('SELECT id, name, colour, parent_id FROM technology_areas ORDER BY position, name COLLATE NOCASE').all() as { id: string; name: string; colour: string; parent_id: string | null }[];
  const counts = new Map<string, { entities: number; links: number; sources: number }>();
  for (const row of db.prepare(AREA_COUNTS_SQL).all() as { kind: 'entities' | 'links' | 'sources'; id: string; n: number }[]) {
    const c = counts.get(row.id) ?? { entities: 0, links: 0, sources: 0 };
    c[row.kind] = row.n;
    counts.set(row.id, c);
  }
  const children = new Map<string | null, typeof areas>();
  for (const area of areas) children.set(area.parent_id, [...(children.get(area.parent_id) ?? []), area]);
  const out: CaseOverview['areas'] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const area of children.get(parent) ?? []) {
      // A parent loop cannot be made through the operations; a hand-edited file must not hang the view.
      if (seen.has(area.id)) continue;
      seen.add(area.id);
      const c = counts.get(area.id);
      out.push({ id: area.id, name: area.name, colour: area.colour, parentId: area.parent_id, depth, entities: c?.entities ?? 0, links: c?.links ?? 0, sources: c?.sources ?? 0 });
      visit(area.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

interface UnsourcedRow {
  kind: 'entity' | 'link';
  id: string;
  label: string;
  updated_at: string;
}

/**
 * Claims no excerpt supports: how many, and the newest by name. Each list is
 * read newest first along its `updated` index and stops after a few uncited
 * rows; the counts are the items less those with a citation, which the
 * citations' own indexes count. Nothing sorts or visits every item.
 */
function unsourcedClaims(db: CaseDb): CaseOverview['unsourced'] {
  const entities = cachedCount(db, 'SELECT count(*) FROM entities') - count(db, 'SELECT count(DISTINCT entity_id) AS n FROM citations WHERE entity_id IS NOT NULL');
  const links = cachedCount(db, 'SELECT count(*) FROM links') - count(db, 'SELECT count(DISTINCT link_id) AS n FROM citations WHERE link_id IS NOT NULL');
  // Timestamps are ISO 8601 in one case, so the indexes' NOCASE order is their plain order.
  const newestEntities = db
    .prepare(
      `SELECT 'entity' AS kind, e.id, e.name AS label, e.updated_at FROM entities e INDEXED BY entities_updated
       WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.entity_id = e.id)
       ORDER BY e.updated_at COLLATE NOCASE DESC, e.id DESC LIMIT ?`,
    )
    .all(LISTED_UNSOURCED) as UnsourcedRow[];
  const newestLinks = db
    .prepare(
      `SELECT 'link' AS kind, l.id, f.name || ' — ' || l.type || ' — ' || t.name AS label, l.updated_at FROM links l INDEXED BY links_updated
       JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id
       WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.link_id = l.id)
       ORDER BY l.updated_at COLLATE NOCASE DESC, l.id DESC LIMIT ?`,
    )
    .all(LISTED_UNSOURCED) as UnsourcedRow[];
  const newestFirst = (a: UnsourcedRow, b: UnsourcedRow) => (a.updated_at === b.updated_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.updated_at < b.updated_at ? 1 : -1);
  const items = [...newestEntities, ...newestLinks].sort(newestFirst).slice(0, LISTED_UNSOURCED);
  return { entities, links, items: items.map((i) => ({ kind: i.kind, id: i.id, label: i.label, updatedAt: i.updated_at })) };
}

const VERBS: Record<string, string> = { create: 'Added', update: 'Edited', delete: 'Deleted', merge: 'Merged', tag: 'Tagged', untag: 'Untagged' };
const ITEM_WORDS: Record<string, string> = { source: 'source', excerpt: 'excerpt', attachment: 'attachment', case: 'the case details', entity: 'entity', link: 'link' };

function itemName(json: string | null): string | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as { title?: unknown; name?: unknown; quote?: unknown };
    const name = [value.title, value.name, value.quote].find((v): v is string => typeof v === 'string' && v.trim() !== '');
    return name ? (name.length > 80 ? `${name.slice(0, 79)}…` : name) : null;
  } catch {
    return null;
  }
}

/** One line for an audit event that carries no summary of its own (sources, excerpts, attachments, the case). */
function describeEvent(e: { action: string; item_type: string; before_json: string | null; after_json: string | null }): string {
  const verb = VERBS[e.action] ?? e.action;
  const what = ITEM_WORDS[e.item_type] ?? e.item_type;
  const name = itemName(e.after_json) ?? itemName(e.before_json);
  return name && e.item_type !== 'case' ? `${verb} ${what} “${name}”` : `${verb} ${what}`;
}

function recentChanges(db: CaseDb): CaseOverview['recent'] {
  // One operation can record many events (an entity with its tags and citations); show it once.
  const events = db
    .prepare(
      `SELECT e.id, e.at, e.actor, e.action, e.item_type, e.change_set_id, e.before_json, e.after_json,
         CASE WHEN e.action IN ('undo', 'redo') THEN e.summary ELSE coalesce(cs.summary, e.summary) END AS summary
       FROM audit_events e LEFT JOIN change_sets cs ON cs.id = e.change_set_id
       ORDER BY e.rowid DESC LIMIT ?`,
    )
    .all(LISTED_CHANGES * 20) as { id: string; at: string; actor: string; action: string; item_type: string; change_set_id: string | null; before_json: string | null; after_json: string | null; summary: string | null }[];
  const out: CaseOverview['recent'] = [];
  const shown = new Set<string>();
  for (const e of events) {
    const step = e.change_set_id ? `${e.change_set_id}:${e.action === 'undo' || e.action === 'redo' ? e.action : 'do'}` : null;
    if (step && shown.has(step)) continue;
    if (step) shown.add(step);
    out.push({ id: e.id, at: e.at, actor: e.actor, action: e.action, itemType: e.item_type, summary: e.summary ?? describeEvent(e) });
    if (out.length === LISTED_CHANGES) break;
  }
  return out;
}

/** Everything the Overview view shows, read in one go. */
export function caseOverview(db: CaseDb): CaseOverview {
  const details = getCaseDetails(db);
  // Types are lowercase words, so counting along the type index (NOCASE) groups them exactly, without a sort.
  const typeCounts = cachedRead(db, 'overview:entity types', () => db.prepare('SELECT type, count(*) AS n FROM entities GROUP BY type COLLATE NOCASE').all() as { type: EntityType; n: number }[]);
  const byType = new Map(typeCounts.map((r) => [r.type, r.n]));
  const byGrade = new Map((db.prepare('SELECT reliability, count(*) AS n FROM sources GROUP BY reliability').all() as { reliability: ReliabilityGrade; n: number }[]).map((r) => [r.reliability, r.n]));
  return {
    title: details.title,
    marking: details.marking,
    totals: {
      sources: count(db, 'SELECT count(*) AS n FROM sources'),
      attachments: count(db, 'SELECT count(*) AS n FROM attachments'),
      excerpts: count(db, 'SELECT count(*) AS n FROM excerpts'),
      entities: cachedCount(db, 'SELECT count(*) FROM entities'),
      links: cachedCount(db, 'SELECT count(*) FROM links'),
    },
    entityTypes: ENTITY_TYPES.map((type) => ({ type, count: byType.get(type) ?? 0 })),
    areas: areaOverview(db),
    reliability: RELIABILITY_GRADES.map((grade) => ({ grade, count: byGrade.get(grade) ?? 0 })),
    unsourced: unsourcedClaims(db),
    recent: recentChanges(db),
  };
}
