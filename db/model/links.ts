import type { CaseFilterSet } from '../../shared/case-filters';
import { CaseboardError } from '../../shared/errors';
import type { GridPage, GridQuery } from '../../shared/grid-query';
import { DEFAULT_LINK_TYPES, type EntityType, type Link, type LinkFields, type LinkRow } from '../../shared/model';
import { areaFilterSql, areasFor, untagAll } from './areas';
import type { CaseDb } from '../core/case-file';
import { citationsFor, confidenceBases, confidenceOf, removeAllCitations } from './citations';
import { newId, now } from '../core/clock';
import { parseTags } from './entities';
import { escapeLike, gridToSql, type ColumnMap } from '../core/grid-sql';
import { andWhere, gridOrder, linkFilterCondition, prepareFilters } from './grid';
import { entityIdsWithWord, isIndexed, linkHasWords, linkIdsWithText, quickWords, someLinksWithWords } from './name-index';
import { audit, deleteRow, insertRow, updateRow, type ChangeSet } from '../core/journal';
import { keysetPageIds } from '../core/keyset';
import { cachedCount, cachedIds } from '../core/read-cache';

interface LinkDbRow {
  id: string;
  from_id: string;
  from_name: string;
  from_type: EntityType;
  to_id: string;
  to_name: string;
  to_type: EntityType;
  type: string;
  direction: Link['direction'];
  start_date: string | null;
  end_date: string | null;
  status: Link['status'];
  confidence: Link['confidence'];
  notes: string | null;
  tags: string;
  created_at: string;
  updated_at: string;
  citation_count?: number;
}

const SELECT = `SELECT l.id, l.from_id, f.name AS from_name, f.type AS from_type, l.to_id, t.name AS to_name, t.type AS to_type, l.type, l.direction,
  l.start_date, l.end_date, l.status, l.confidence, l.notes, l.tags, l.created_at, l.updated_at
  FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id`;

const NOT_FOUND = 'That link is no longer in the case; it may have been deleted.';

function linkRow(db: CaseDb, id: string): LinkDbRow {
  const row = db.prepare(`${SELECT} WHERE l.id = ?`).get(id) as LinkDbRow | undefined;
  if (!row) throw new CaseboardError('not_found', NOT_FOUND);
  return row;
}

/** "Beihang University — joint programme — Moscow Aviation Institute" */
export function linkLabel(db: CaseDb, id: string): string {
  const row = linkRow(db, id);
  return `${row.from_name} — ${row.type} — ${row.to_name}`;
}

export function getLink(db: CaseDb, id: string): Link {
  const row = linkRow(db, id);
  const citations = citationsFor(db, 'link', [id]).get(id) ?? [];
  return {
    id: row.id,
    from: { id: row.from_id, name: row.from_name, type: row.from_type },
    to: { id: row.to_id, name: row.to_name, type: row.to_type },
    fromName: row.from_name,
    toName: row.to_name,
    type: row.type,
    direction: row.direction,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    confidence: row.confidence,
    ...confidenceOf(confidenceBases(new Map([[id, citations]])).get(id) ?? null),
    notes: row.notes,
    tags: parseTags(row.tags),
    citations,
    areas: areasFor(db, 'link', [id]).get(id) ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function snapshot(link: Link) {
  return {
    from: link.from.name,
    fromId: link.from.id,
    to: link.to.name,
    toId: link.to.id,
    type: link.type,
    direction: link.direction,
    startDate: link.startDate,
    endDate: link.endDate,
    status: link.status,
    confidence: link.confidence,
    notes: link.notes,
    tags: link.tags,
  };
}

function requireEntity(db: CaseDb, id: string, path: string): void {
  if (!db.prepare('SELECT 1 FROM entities WHERE id = ?').get(id)) {
    throw new CaseboardError('not_found', 'One of the linked entities is no longer in the case; it may have been deleted or merged.', [{ path, message: 'Choose an entity.' }]);
  }
}

function columns(fields: LinkFields) {
  return {
    from_id: fields.fromId,
    to_id: fields.toId,
    type: fields.type,
    direction: fields.direction,
    start_date: fields.startDate,
    end_date: fields.endDate,
    status: fields.status,
    confidence: fields.confidence,
    notes: fields.notes,
    tags: JSON.stringify(fields.tags),
  };
}

/** Adds a link type the investigator typed to the list offered next time. */
export function rememberLinkType(db: CaseDb, cs: ChangeSet, type: string): void {
  if ((DEFAULT_LINK_TYPES as readonly string[]).some((t) => t.toLowerCase() === type.toLowerCase())) return;
  if (db.prepare('SELECT 1 FROM link_types WHERE name = ?').get(type)) return;
  insertRow(db, cs, 'link_types', { name: type, created_at: now() });
}

/** Link types to offer: the defaults, the investigator's own, and any in use. */
export function linkTypes(db: CaseDb): string[] {
  const own = db.prepare('SELECT name FROM link_types UNION SELECT DISTINCT type FROM links').all() as { name: string }[];
  const seen = new Set<string>();
  const result: string[] = [];
  for (const type of [...DEFAULT_LINK_TYPES, ...own.map((r) => r.name)]) {
    const key = type.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      result.push(type);
    }
  }
  return result.sort((a, b) => a.localeCompare(b));
}

export function createLink(db: CaseDb, cs: ChangeSet, fields: LinkFields): Link {
  requireEntity(db, fields.fromId, 'fromId');
  requireEntity(db, fields.toId, 'toId');
  const id = newId();
  const at = now();
  rememberLinkType(db, cs, fields.type);
  insertRow(db, cs, 'links', { id, ...columns(fields), created_at: at, updated_at: at });
  const created = getLink(db, id);
  audit(db, cs, 'create', 'link', id, undefined, snapshot(created), `Created link ${created.from.name} — ${created.type} — ${created.to.name}`);
  return created;
}

export function updateLink(db: CaseDb, cs: ChangeSet, id: string, fields: LinkFields): Link {
  const before = getLink(db, id);
  requireEntity(db, fields.fromId, 'fromId');
  requireEntity(db, fields.toId, 'toId');
  rememberLinkType(db, cs, fields.type);
  updateRow(db, cs, 'links', id, { ...columns(fields), updated_at: now() });
  const after = getLink(db, id);
  audit(db, cs, 'update', 'link', id, snapshot(before), snapshot(after), `Edited link ${after.from.name} — ${after.type} — ${after.to.name}`);
  return after;
}

/** Deletes a link with its citations and area tags. */
export function deleteLink(db: CaseDb, cs: ChangeSet, id: string): { id: string } {
  const before = getLink(db, id);
  removeAllCitations(db, cs, 'link', id);
  untagAll(db, cs, 'link', id);
  deleteRow(db, cs, 'links', id);
  audit(db, cs, 'delete', 'link', id, snapshot(before), undefined, `Deleted link ${before.from.name} — ${before.type} — ${before.to.name}`);
  return { id };
}

/**
 * Counts every entity's links afresh into entity_degrees, which the triggers
 * on links otherwise keep: for an import that left those triggers out while it
 * wrote its links. Both passes read an index of links in its own order and
 * write the counts in the order of entity IDs, so nothing is sorted.
 */
export function recountEntityDegrees(db: CaseDb): void {
  db.exec('DELETE FROM entity_degrees');
  db.exec('INSERT INTO entity_degrees (entity_id, degree) SELECT from_id, count(*) FROM links INDEXED BY links_from GROUP BY from_id');
  db.exec(
    'INSERT INTO entity_degrees (entity_id, degree) SELECT to_id, count(*) FROM links INDEXED BY links_to WHERE true GROUP BY to_id ON CONFLICT (entity_id) DO UPDATE SET degree = degree + excluded.degree',
  );
}

// ---- Grid ----

const COLUMNS: ColumnMap = {
  fromName: 'f.name',
  toName: 't.name',
  type: 'l.type',
  direction: 'l.direction',
  startDate: 'l.start_date',
  endDate: 'l.end_date',
  status: 'l.status',
  confidence: 'l.confidence',
  tags: 'l.tags',
  notes: 'l.notes',
  updatedAt: 'l.updated_at',
};
/** What the quick filter reads on the link itself; the names at either end are looked up in the name index. */
const QUICK_ON_LINK = ['l.type', 'l.notes', 'l.tags'];

/**
 * The quick filter: every word must appear in the name of either end, the
 * link's type, its notes or its tags. The names come from the entities' name
 * index and the rest from the links' own (migration 141): the word with the
 * fewest links is looked up and the others are tested on the links it found
 * (linkHasWords). A word of one or two characters, which neither index
 * answers, is tested on every link's text, and while an index is behind each
 * word is looked up on its own.
 */
function quickFilterSql(db: CaseDb, text: string): { clause: string; params: string[]; common: boolean } {
  const words = quickWords(text);
  const indexed = linkHasWords(db, words);
  if (indexed) return indexed;
  const params: string[] = [];
  const clauses = words.map((word) => {
    const names = entityIdsWithWord(word, 'name');
    if (isIndexed(word)) {
      // Looked up in the indexes, so the links are found from the words rather than every link tested for them.
      const own = linkIdsWithText(word);
      params.push(...own.params, ...names.params, ...names.params);
      return `l.id IN (${own.sql} UNION ALL SELECT n.id FROM links n WHERE n.from_id IN (${names.sql}) UNION ALL SELECT n.id FROM links n WHERE n.to_id IN (${names.sql}))`;
    }
    const like = `%${escapeLike(word)}%`;
    params.push(...QUICK_ON_LINK.map(() => like), ...names.params, ...names.params);
    return `(${QUICK_ON_LINK.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')} OR l.from_id IN (${names.sql}) OR l.to_id IN (${names.sql}))`;
  });
  return { clause: clauses.join(' AND '), params, common: false };
}

const NOT_NULL = new Set(['fromName', 'toName', 'type', 'direction', 'status', 'tags', 'updatedAt']);
/** Sorts read by keyset (db/core/keyset.ts): a column of the link that holds no NULL, with an index on (column COLLATE NOCASE, id). */
const KEYSET_COLUMNS = new Set(['type', 'updatedAt']);

/** The entities joined for the names a condition or an order reads (`f`: the link's from entity, `t`: its to entity). */
function join(text: string): string {
  return `${/\bf\./.test(text) ? ' JOIN entities f ON f.id = l.from_id' : ''}${/\bt\./.test(text) ? ' JOIN entities t ON t.id = l.to_id' : ''}`;
}

/** The grid's filters as they choose links (on the row `l`): column filters, quick text, technology area and the shared filters. */
export function linkGridWhere(
  db: CaseDb,
  query: Pick<GridQuery, 'filter' | 'quick'> & { areaId?: string | null; filters?: CaseFilterSet | undefined },
): { where: string; params: unknown[]; from: string; commonWords: boolean } {
  const sql = gridToSql({ filter: query.filter, quick: '', sort: [], startRow: 0, endRow: 1 }, COLUMNS, [], 'l.id ASC');
  const quick = quickFilterSql(db, query.quick);
  const area = areaFilterSql(db, 'link', 'l.id', query.areaId ?? null);
  const shared = linkFilterCondition(prepareFilters(db, query.filters), 'l');
  const where = andWhere(andWhere(andWhere(sql.where, quick.clause), area.clause), shared.clause);
  return { where, params: [...sql.params, ...quick.params, ...area.params, ...shared.params], from: `FROM links l${join(where)}`, commonWords: quick.common };
}

/** Up to `limit` links with every word, newest first: the first the indexes find, not the newest of all of them; null when the indexes cannot say. */
export function linksWithWords(db: CaseDb, words: readonly string[], limit: number): Pick<LinkRow, 'id' | 'fromName' | 'toName' | 'type' | 'startDate' | 'endDate'>[] | null {
  const ids = someLinksWithWords(db, words, limit);
  if (ids === null) return null;
  return db
    .prepare(
      `SELECT l.id, f.name AS fromName, t.name AS toName, l.type, l.start_date AS startDate, l.end_date AS endDate
       FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id
       WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.updated_at DESC, l.id DESC`,
    )
    .all(JSON.stringify(ids)) as Pick<LinkRow, 'id' | 'fromName' | 'toName' | 'type' | 'startDate' | 'endDate'>[];
}

/**
 * One page of the links grid, filtered by columns, quick text, technology
 * area and the shared filters; sorting by date puts 2017 before 2017-03
 * because partial dates sort as text. The page's ids come first, joining the
 * entities only when a filter or the sort needs their names.
 */
export function pageLinks(db: CaseDb, query: GridQuery & { areaId: string | null; filters?: CaseFilterSet | undefined }): GridPage<LinkRow> {
  const sort = query.sort.length ? query.sort : [{ colId: 'updatedAt', sort: 'desc' as const }];
  const { where, params, commonWords } = linkGridWhere(db, query);
  const order = gridOrder(sort, COLUMNS, NOT_NULL, 'l.id');
  const first = sort[0];
  // Words that tens of thousands of links hold: the matching links are found and sorted once, and the next
  // pages and the total are read from that list until the case changes.
  const matching = commonWords ? cachedIds(db, `SELECT l.id FROM links l${join(where + order)} ${where} ${order}`, params) : null;
  const ids = matching
    ? matching.slice(query.startRow, query.endRow)
    : first && sort.length === 1 && KEYSET_COLUMNS.has(first.colId)
      ? // A page at any depth starts from a kept row near it instead of walking the index from the first row.
        keysetPageIds(
          db,
          { from: `FROM links l${join(where)}`, where, params, key: `${COLUMNS[first.colId] as string} COLLATE NOCASE`, id: 'l.id', dir: first.sort === 'desc' ? 'DESC' : 'ASC' },
          query.startRow,
          query.endRow - query.startRow,
        )
      : (db.prepare(`SELECT l.id FROM links l${join(where + order)} ${where} ${order} LIMIT ? OFFSET ?`).all(...params, query.endRow - query.startRow, query.startRow) as { id: string }[]).map((r) => r.id);
  // Counted once per filter and kept until the case changes.
  const total = matching ? matching.length : cachedCount(db, `SELECT count(*) FROM links l${join(where)} ${where}`, params);
  const details = db
    .prepare(
      `SELECT l.id, l.from_id, f.name AS from_name, f.type AS from_type, l.to_id, t.name AS to_name, t.type AS to_type, l.type, l.direction,
         l.start_date, l.end_date, l.status, l.confidence, l.notes, l.tags, l.created_at, l.updated_at,
         (SELECT count(*) FROM citations c WHERE c.link_id = l.id) AS citation_count
       FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE l.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as LinkDbRow[];
  const byId = new Map(details.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is LinkDbRow => r !== undefined);
  const areas = areasFor(db, 'link', ids);
  const bases = confidenceBases(citationsFor(db, 'link', ids));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      from: { id: r.from_id, name: r.from_name, type: r.from_type },
      to: { id: r.to_id, name: r.to_name, type: r.to_type },
      fromName: r.from_name,
      toName: r.to_name,
      type: r.type,
      direction: r.direction,
      startDate: r.start_date,
      endDate: r.end_date,
      status: r.status,
      confidence: r.confidence,
      ...confidenceOf(bases.get(r.id) ?? null),
      citationCount: r.citation_count ?? 0,
      areas: areas.get(r.id) ?? [],
      tags: parseTags(r.tags),
      updatedAt: r.updated_at,
    })),
    total,
  };
}

/** Links of one entity, for the entity panel. */
export function linksOfEntity(db: CaseDb, entityId: string, limit: number): LinkRow[] {
  const rows = db
    .prepare(`${SELECT} WHERE l.id IN (SELECT id FROM links WHERE from_id = ? UNION SELECT id FROM links WHERE to_id = ?) ORDER BY l.start_date NULLS LAST, l.type LIMIT ?`)
    .all(entityId, entityId, limit) as LinkDbRow[];
  return rows.map((r) => ({
    id: r.id,
    from: { id: r.from_id, name: r.from_name, type: r.from_type },
    to: { id: r.to_id, name: r.to_name, type: r.to_type },
    fromName: r.from_name,
    toName: r.to_name,
    type: r.type,
    direction: r.direction,
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    confidence: r.confidence,
    derivedConfidence: null,
    confidenceBasis: null,
    citationCount: 0,
    areas: [],
    tags: parseTags(r.tags),
    updatedAt: r.updated_at,
  }));
}
