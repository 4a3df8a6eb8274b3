import type { CaseFilterSet, FilterOptions } from '../../shared/case-filters';
import { CaseboardError } from '../../shared/errors';
import type { GridPage, GridQuery } from '../../shared/grid-query';
import type { Alias, DuplicateCandidate, Entity, EntityFields, EntityRef, EntityRow, EntityType, Identifier } from '../../shared/model';
import { nameKey } from '../../shared/name-key';
import { areaFilterSql, areasFor, untagAll } from './areas';
import type { CaseDb } from '../core/case-file';
import { citationsFor, confidenceBases, confidenceOf, removeAllCitations } from './citations';
import { newId, now } from '../core/clock';
import { escapeLike, gridToSql, type ColumnMap } from '../core/grid-sql';
import { andWhere, entityFilterCondition, gridOrder, prepareFilters } from './grid';
import { audit, deleteRow, insertRow, updateRow, type ChangeSet } from '../core/journal';
import { keysetPageIds } from '../core/keyset';
import { cachedCount, cachedIds } from '../core/read-cache';
import { entityHasWords, isIndexed, pageByNameWithWords, quickWords, searchRowsWithText, someEntitiesWithWords } from './name-index';
import { deleteSanctionsOf, moveSanctions, sanctionsOf } from './sanctions';

interface EntityDbRow {
  id: string;
  type: EntityType;
  subtype: string | null;
  name: string;
  country: string | null;
  description: string | null;
  notes: string | null;
  tags: string;
  confidence: Entity['confidence'];
  created_at: string;
  updated_at: string;
}

export function parseTags(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const NOT_FOUND = 'That entity is no longer in the case; it may have been deleted or merged.';

function entityRow(db: CaseDb, id: string): EntityDbRow {
  const row = db.prepare('SELECT id, type, subtype, name, country, description, notes, tags, confidence, created_at, updated_at FROM entities WHERE id = ?').get(id) as
    | EntityDbRow
    | undefined;
  if (!row) throw new CaseboardError('not_found', NOT_FOUND);
  return row;
}

export function entityRef(db: CaseDb, id: string): EntityRef {
  const row = entityRow(db, id);
  return { id: row.id, name: row.name, type: row.type };
}

function aliasesOf(db: CaseDb, id: string): Alias[] {
  return db.prepare('SELECT id, name, language FROM entity_aliases WHERE entity_id = ? ORDER BY position, id').all(id) as Alias[];
}

function identifiersOf(db: CaseDb, id: string): Identifier[] {
  return db.prepare('SELECT id, key, value FROM entity_identifiers WHERE entity_id = ? ORDER BY position, id').all(id) as Identifier[];
}

function linkCount(db: CaseDb, id: string): number {
  return (db.prepare('SELECT (SELECT count(*) FROM links WHERE from_id = ?) + (SELECT count(*) FROM links WHERE to_id = ?) AS n').get(id, id) as { n: number }).n;
}

export function getEntity(db: CaseDb, id: string): Entity {
  const row = entityRow(db, id);
  const citations = citationsFor(db, 'entity', [id]).get(id) ?? [];
  return {
    id: row.id,
    type: row.type,
    subtype: row.subtype,
    name: row.name,
    aliases: aliasesOf(db, id),
    country: row.country,
    identifiers: identifiersOf(db, id),
    description: row.description,
    notes: row.notes,
    tags: parseTags(row.tags),
    confidence: row.confidence,
    ...confidenceOf(confidenceBases(new Map([[id, citations]])).get(id) ?? null),
    citations,
    sanctions: sanctionsOf(db, id),
    areas: areasFor(db, 'entity', [id]).get(id) ?? [],
    linkCount: linkCount(db, id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of an entity: its own fields, aliases and identifiers. */
function snapshot(entity: Entity) {
  return {
    type: entity.type,
    subtype: entity.subtype,
    name: entity.name,
    aliases: entity.aliases.map((a) => ({ name: a.name, language: a.language })),
    country: entity.country,
    identifiers: entity.identifiers.map((i) => ({ key: i.key, value: i.value })),
    description: entity.description,
    notes: entity.notes,
    tags: entity.tags,
    confidence: entity.confidence,
  };
}

function columns(fields: EntityFields) {
  return {
    type: fields.type,
    subtype: fields.subtype,
    name: fields.name,
    name_key: nameKey(fields.name),
    country: fields.country,
    description: fields.description,
    notes: fields.notes,
    tags: JSON.stringify(fields.tags),
    confidence: fields.confidence,
  };
}

/** Brings an entity's aliases and identifiers in line with the fields: keeps rows by id, adds, changes and removes the rest. */
function syncChildren(db: CaseDb, cs: ChangeSet, entityId: string, fields: EntityFields): void {
  const aliases = aliasesOf(db, entityId);
  const keepAliases = new Set(fields.aliases.map((a) => a.id).filter(Boolean));
  for (const alias of aliases) if (!keepAliases.has(alias.id)) deleteRow(db, cs, 'entity_aliases', alias.id);
  fields.aliases.forEach((alias, position) => {
    const values = { name: alias.name, name_key: nameKey(alias.name), language: alias.language, position };
    if (alias.id && aliases.some((a) => a.id === alias.id)) updateRow(db, cs, 'entity_aliases', alias.id, values);
    else insertRow(db, cs, 'entity_aliases', { id: newId(), entity_id: entityId, ...values });
  });
  const identifiers = identifiersOf(db, entityId);
  const keepIdentifiers = new Set(fields.identifiers.map((i) => i.id).filter(Boolean));
  for (const identifier of identifiers) if (!keepIdentifiers.has(identifier.id)) deleteRow(db, cs, 'entity_identifiers', identifier.id);
  fields.identifiers.forEach((identifier, position) => {
    const values = { key: identifier.key, value: identifier.value, position };
    if (identifier.id && identifiers.some((i) => i.id === identifier.id)) updateRow(db, cs, 'entity_identifiers', identifier.id, values);
    else insertRow(db, cs, 'entity_identifiers', { id: newId(), entity_id: entityId, ...values });
  });
}

export function createEntity(db: CaseDb, cs: ChangeSet, fields: EntityFields): Entity {
  const id = newId();
  const at = now();
  insertRow(db, cs, 'entities', { id, ...columns(fields), created_at: at, updated_at: at });
  syncChildren(db, cs, id, { ...fields, aliases: fields.aliases.map(({ id: _id, ...a }) => a), identifiers: fields.identifiers.map(({ id: _id, ...i }) => i) });
  const created = getEntity(db, id);
  audit(db, cs, 'create', 'entity', id, undefined, snapshot(created), `Created entity ${created.name}`);
  return created;
}

export function updateEntity(db: CaseDb, cs: ChangeSet, id: string, fields: EntityFields): Entity {
  const before = getEntity(db, id);
  updateRow(db, cs, 'entities', id, { ...columns(fields), updated_at: now() });
  syncChildren(db, cs, id, fields);
  const after = getEntity(db, id);
  audit(db, cs, 'update', 'entity', id, snapshot(before), snapshot(after), `Edited entity ${after.name}`);
  return after;
}

/** Link ids touching an entity. */
function linksOf(db: CaseDb, id: string): string[] {
  return (db.prepare('SELECT id FROM links WHERE from_id = ? UNION SELECT id FROM links WHERE to_id = ?').all(id, id) as { id: string }[]).map((r) => r.id);
}

/**
 * Deletes an entity with its aliases, identifiers, sanction records, citations and area tags.
 * An entity that still has links is deleted only when the caller confirms,
 * and its links go with it.
 */
export function deleteEntity(db: CaseDb, cs: ChangeSet, id: string, withLinks: boolean, deleteLinkRow: (linkId: string) => void): { id: string; deletedLinks: number } {
  const before = getEntity(db, id);
  const links = linksOf(db, id);
  if (links.length > 0 && !withLinks) {
    throw new CaseboardError('conflict', `${before.name} has ${links.length} ${links.length === 1 ? 'link' : 'links'}; confirm to delete the entity together with ${links.length === 1 ? 'it' : 'them'}.`);
  }
  for (const linkId of links) deleteLinkRow(linkId);
  removeAllCitations(db, cs, 'entity', id);
  untagAll(db, cs, 'entity', id);
  for (const alias of before.aliases) deleteRow(db, cs, 'entity_aliases', alias.id);
  for (const identifier of before.identifiers) deleteRow(db, cs, 'entity_identifiers', identifier.id);
  deleteSanctionsOf(db, cs, id);
  deleteRow(db, cs, 'entities', id);
  audit(db, cs, 'delete', 'entity', id, snapshot(before), undefined, `Deleted entity ${before.name}${links.length ? ` and its ${links.length} ${links.length === 1 ? 'link' : 'links'}` : ''}`);
  return { id, deletedLinks: links.length };
}

// ---- Grid ----

const ALIASES_EXPR = "(SELECT group_concat(name, '; ') FROM (SELECT name FROM entity_aliases a WHERE a.entity_id = e.id ORDER BY a.position))";

/** The authorities that sanctioned the entity, each once; NULL when it has no sanction record (a sanction without an authority reads "sanctioned"). */
const SANCTIONS_EXPR = "(SELECT group_concat(authority, '; ') FROM (SELECT DISTINCT coalesce(s.authority, 'sanctioned') AS authority FROM sanctions s WHERE s.entity_id = e.id ORDER BY 1))";

/** Links touching the entity, as the triggers on links keep it (no row: no links). */
const DEGREE_EXPR = 'coalesce((SELECT dg.degree FROM entity_degrees dg WHERE dg.entity_id = e.id), 0)';

const COLUMNS: ColumnMap = {
  name: 'e.name',
  type: 'e.type',
  subtype: 'e.subtype',
  country: 'e.country',
  aliases: ALIASES_EXPR,
  sanctions: SANCTIONS_EXPR,
  tags: 'e.tags',
  confidence: 'e.confidence',
  description: 'e.description',
  updatedAt: 'e.updated_at',
  degree: DEGREE_EXPR,
  betweenness: 'm.betweenness',
  pagerank: 'm.pagerank',
};

/** Measures stored by the graph, each with an index on (measure, entity_id). */
const STORED_METRICS: Record<string, string> = { betweenness: 'm.betweenness', pagerank: 'm.pagerank' };
const NUMERIC = new Set(['degree', 'betweenness', 'pagerank']);
const METRICS_JOIN = ' LEFT JOIN graph_metrics m ON m.entity_id = e.id';

/**
 * Rows of a quick filter by name read straight off the name index, which
 * skips the rows before a page one by one; deeper pages come from the whole
 * sorted list, found once.
 */
const NAME_ORDER_ROWS = 5000;

/**
 * The quick filter: every word must appear in the name, subtype, description,
 * tags or one of the aliases, looked up in the name index.
 */
function quickFilterSql(db: CaseDb, text: string): { clause: string; params: string[]; common: boolean } {
  return entityHasWords(db, 'e.id', quickWords(text));
}

interface EntityGridDbRow {
  id: string;
  type: EntityType;
  subtype: string | null;
  name: string;
  country: string | null;
  aliases: string | null;
  sanctions: string | null;
  tags: string;
  confidence: Entity['confidence'];
  updated_at: string;
  citation_count: number;
  link_count: number;
  betweenness: number | null;
  pagerank: number | null;
  computed_at: string | null;
}

const NOT_NULL = new Set(['name', 'type', 'tags', 'updatedAt', 'degree']);
/** Sorts read by keyset (db/core/keyset.ts): a column that holds no NULL, with an index on (column COLLATE NOCASE, id). */
const KEYSET_COLUMNS = new Set(['name', 'type', 'updatedAt']);

/** One run of rows of a page split in two: the rows `from` selects, in `order`. */
interface PagePart {
  from: string;
  id: string;
  order: string;
}

/**
 * Ids of one page of rows that come in two runs, each read in its own index's
 * order: the page takes what it needs of the first run and goes on into the second.
 */
function pageOfTwoRuns(db: CaseDb, params: unknown[], first: PagePart, second: PagePart, offset: number, limit: number): string[] {
  const inFirst = db.prepare(`SELECT count(*) ${first.from}`).pluck().get(...params) as number;
  const read = (part: PagePart, skip: number, take: number) => db.prepare(`SELECT ${part.id} ${part.from} ORDER BY ${part.order} LIMIT ? OFFSET ?`).pluck().all(...params, take, skip) as string[];
  const ids = offset < inFirst ? read(first, offset, limit) : [];
  if (ids.length < limit) ids.push(...read(second, Math.max(0, offset - inFirst), limit - ids.length));
  return ids;
}

/**
 * Ids of one page sorted by a stored measure: entities with the measure come
 * first, read in the order of the measure's index; those the graph has not
 * measured yet follow, by name.
 */
function pageByStoredMetric(db: CaseDb, column: string, dir: 'ASC' | 'DESC', where: string, params: unknown[], offset: number, limit: number): string[] {
  // Every measure row belongs to an entity (deleting the entity deletes it), so without a filter the index alone answers.
  const measured = { from: where ? `FROM graph_metrics m CROSS JOIN entities e ${where} AND e.id = m.entity_id` : 'FROM graph_metrics m', id: 'm.entity_id', order: `${column} ${dir}, m.entity_id ${dir}` };
  const unmeasured = { from: `FROM entities e${METRICS_JOIN} ${where ? `${where} AND` : 'WHERE'} m.entity_id IS NULL`, id: 'e.id', order: 'e.name COLLATE NOCASE ASC, e.id ASC' };
  return pageOfTwoRuns(db, params, measured, unmeasured, offset, limit);
}

/**
 * Ids of one page sorted by degree, off the kept counts' index: entities with
 * links in the index's order, and those without (degree 0) before them when
 * ascending or after them when descending, by id in the same direction.
 */
function pageByDegree(db: CaseDb, dir: 'ASC' | 'DESC', where: string, params: unknown[], offset: number, limit: number): string[] {
  // Every row belongs to an entity (deleting the entity deletes it), so without a filter the index alone answers.
  const linked = { from: where ? `FROM entity_degrees d CROSS JOIN entities e ${where} AND e.id = d.entity_id` : 'FROM entity_degrees d', id: 'd.entity_id', order: `d.degree ${dir}, d.entity_id ${dir}` };
  const unlinked = { from: `FROM entities e ${where ? `${where} AND` : 'WHERE'} NOT EXISTS (SELECT 1 FROM entity_degrees d WHERE d.entity_id = e.id)`, id: 'e.id', order: `e.id ${dir}` };
  return dir === 'DESC' ? pageOfTwoRuns(db, params, linked, unlinked, offset, limit) : pageOfTwoRuns(db, params, unlinked, linked, offset, limit);
}

/** The grid's filters as they choose entities (on the row `e`): column filters, quick text, technology area and the shared filters. */
export function entityGridWhere(
  db: CaseDb,
  query: Pick<GridQuery, 'filter' | 'quick'> & { areaId?: string | null; filters?: CaseFilterSet | undefined },
): { where: string; params: unknown[]; from: string; commonWords: boolean; besidesQuick: { where: string; params: unknown[] } } {
  const sql = gridToSql({ filter: query.filter, quick: '', sort: [], startRow: 0, endRow: 1 }, COLUMNS, [], 'e.id ASC');
  const area = areaFilterSql(db, 'entity', 'e.id', query.areaId ?? null);
  const quick = quickFilterSql(db, query.quick);
  const shared = entityFilterCondition(prepareFilters(db, query.filters), 'e');
  const besides = andWhere(andWhere(sql.where, area.clause), shared.clause);
  const where = andWhere(besides, quick.clause);
  return {
    where,
    params: [...sql.params, ...area.params, ...shared.params, ...quick.params],
    from: `FROM entities e${/\bm\./.test(where) ? METRICS_JOIN : ''}`,
    commonWords: quick.common,
    besidesQuick: { where: besides.replace(/^WHERE /, ''), params: [...sql.params, ...area.params, ...shared.params] },
  };
}

/** Every entity the filters select, in the grid's order, kept until the case changes (null when too many to keep). */
function matchingIds(db: CaseDb, where: string, params: unknown[], sort: GridQuery['sort']): readonly string[] | null {
  const order = gridOrder(sort, COLUMNS, NOT_NULL, 'e.id', NUMERIC);
  const join = /\bm\./.test(where + order) ? METRICS_JOIN : '';
  return cachedIds(db, `SELECT e.id FROM entities e${join} ${where} ${order}`, params);
}

/**
 * One page of the entities grid, filtered by columns, quick text, technology
 * area and the shared filters. The page's ids come first, straight off an
 * index; the counts, aliases and measures are then read for those rows only.
 */
export function pageEntities(db: CaseDb, query: GridQuery & { areaId: string | null; filters?: CaseFilterSet | undefined }): GridPage<EntityRow> {
  const sort = query.sort.length ? query.sort : [{ colId: 'name', sort: 'asc' as const }];
  const { where, params, commonWords, besidesQuick } = entityGridWhere(db, query);
  const limit = query.endRow - query.startRow;
  const first = sort[0];
  const stored = first && sort.length === 1 ? STORED_METRICS[first.colId] : undefined;
  let ids: string[];
  let total: number | null = null;
  // By name, the first pages of a quick filter come straight off the name index, already in that order.
  const byName =
    first && sort.length === 1 && first.colId === 'name' && query.startRow < NAME_ORDER_ROWS && !/\bm\./.test(besidesQuick.where)
      ? pageByNameWithWords(db, quickWords(query.quick), besidesQuick, first.sort === 'desc' ? 'DESC' : 'ASC', query.startRow, limit)
      : null;
  // Words that tens of thousands of entities hold: every matching entity is found and sorted once, and the
  // next pages and the total are read from that list until the case changes, instead of finding them all again.
  const matching = !byName && commonWords && !stored && first?.colId !== 'degree' ? matchingIds(db, where, params, sort) : null;
  if (byName) {
    ids = byName.ids;
    total = byName.total;
  } else if (matching) {
    ids = matching.slice(query.startRow, query.endRow);
    total = matching.length;
  } else if (first && stored) {
    ids = pageByStoredMetric(db, stored, first.sort === 'desc' ? 'DESC' : 'ASC', where, params, query.startRow, limit);
  } else if (first && sort.length === 1 && first.colId === 'degree') {
    ids = pageByDegree(db, first.sort === 'desc' ? 'DESC' : 'ASC', where, params, query.startRow, limit);
  } else if (first && sort.length === 1 && KEYSET_COLUMNS.has(first.colId)) {
    // A page at any depth starts from a kept row near it instead of walking the index from the first row.
    const from = `FROM entities e${/\bm\./.test(where) ? METRICS_JOIN : ''}`;
    ids = keysetPageIds(db, { from, where, params, key: `${COLUMNS[first.colId] as string} COLLATE NOCASE`, id: 'e.id', dir: first.sort === 'desc' ? 'DESC' : 'ASC' }, query.startRow, limit);
  } else {
    const order = gridOrder(sort, COLUMNS, NOT_NULL, 'e.id', NUMERIC);
    const join = /\bm\./.test(where + order) ? METRICS_JOIN : '';
    ids = db.prepare(`SELECT e.id FROM entities e${join} ${where} ${order} LIMIT ? OFFSET ?`).pluck().all(...params, limit, query.startRow) as string[];
  }
  // The total for this filter is counted once and kept until the case changes: paging and scrolling do not count again.
  total ??= cachedCount(db, `SELECT count(*) FROM entities e${/\bm\./.test(where) ? METRICS_JOIN : ''} ${where}`, params);
  const details = db
    .prepare(
      `SELECT e.id, e.type, e.subtype, e.name, e.country, ${ALIASES_EXPR} AS aliases, ${SANCTIONS_EXPR} AS sanctions, e.tags, e.confidence, e.updated_at,
         (SELECT count(*) FROM citations c WHERE c.entity_id = e.id) AS citation_count,
         ${DEGREE_EXPR} AS link_count,
         m.betweenness, m.pagerank, m.computed_at
       FROM entities e${METRICS_JOIN} WHERE e.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as EntityGridDbRow[];
  const byId = new Map(details.map((r) => [r.id, r]));
  const rows = ids.map((id) => byId.get(id)).filter((r): r is EntityGridDbRow => r !== undefined);
  const areas = areasFor(db, 'entity', ids);
  const bases = confidenceBases(citationsFor(db, 'entity', ids));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      type: r.type,
      subtype: r.subtype,
      name: r.name,
      country: r.country,
      aliases: r.aliases ?? '',
      sanctions: r.sanctions ?? '',
      tags: parseTags(r.tags),
      confidence: r.confidence,
      ...confidenceOf(bases.get(r.id) ?? null),
      citationCount: r.citation_count,
      linkCount: r.link_count,
      betweenness: r.betweenness,
      pagerank: r.pagerank,
      metricsComputedAt: r.computed_at,
      areas: areas.get(r.id) ?? [],
      updatedAt: r.updated_at,
    })),
    total,
  };
}

/** Up to `limit` entities with every word, by name: the first the name index finds, not the first by name of all of them. */
export function entitiesWithWords(db: CaseDb, words: readonly string[], limit: number): Pick<Entity, 'id' | 'name' | 'type' | 'country'>[] {
  const ids = someEntitiesWithWords(db, words, limit);
  return db
    .prepare('SELECT id, name, type, country FROM entities WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id')
    .all(JSON.stringify(ids)) as Pick<Entity, 'id' | 'name' | 'type' | 'country'>[];
}

/** Link types and countries in use, for the shared filters' pickers. */
export function filterOptions(db: CaseDb): FilterOptions {
  return {
    linkTypes: db.prepare('SELECT DISTINCT type FROM links ORDER BY type COLLATE NOCASE').pluck().all() as string[],
    countries: db.prepare('SELECT DISTINCT country FROM entities WHERE country IS NOT NULL ORDER BY country').pluck().all() as string[],
  };
}

// ---- Pickers and duplicates ----

export interface EntityMatch extends EntityRef {
  country: string | null;
  /** The alias that matched, when the name itself did not. */
  alias: string | null;
}

/** How many hits each way of matching a picker's text brings at most, before they are ranked. */
const PICKER_HITS = 500;

/**
 * Entities for a picker: names and aliases that start with or contain the
 * text, or share its name key (so a Cyrillic alias is found by its Latin
 * spelling). Names that start with the text come first, in name order off the
 * name index; text of three characters or more is found inside names and
 * aliases by the name index, in any case and with or without accents, shorter
 * text by LIKE. Last come names whose key holds the text's key, so part of a
 * name typed in another script finds it. Each way of matching brings at most
 * PICKER_HITS entities, so a word in half the case's names costs no more than a rare one.
 */
export function searchEntities(db: CaseDb, text: string, limit: number, excludeId: string | null): EntityMatch[] {
  const trimmed = text.trim();
  if (!trimmed) {
    const recent = db.prepare('SELECT id, name, type, country FROM entities WHERE id IS NOT ? ORDER BY updated_at DESC LIMIT ?').all(excludeId, limit) as Omit<EntityMatch, 'alias'>[];
    return recent.map((r) => ({ ...r, alias: null }));
  }
  const like = `%${escapeLike(trimmed)}%`;
  const prefix = `${escapeLike(trimmed)}%`;
  const key = nameKey(trimmed);
  const indexed = isIndexed(trimmed);
  const params: unknown[] = [prefix, limit + 1, key, key, prefix, key, key];
  const containing = (column: 'name' | 'alias') => {
    const rows = searchRowsWithText(trimmed, column, PICKER_HITS);
    params.push(...rows.params);
    return `SELECT s.entity_id, ${column === 'name' ? 'NULL, 2' : 's.alias, 3'} FROM entity_search s WHERE s.id IN (${rows.sql})`;
  };
  const containingName = indexed ? containing('name') : `SELECT * FROM (SELECT id, NULL, 2 FROM entities WHERE name LIKE ? ESCAPE '\\' LIMIT ${PICKER_HITS})`;
  if (!indexed) params.push(like);
  const containingAlias = indexed ? containing('alias') : `SELECT * FROM (SELECT entity_id, name, 3 FROM entity_aliases WHERE name LIKE ? ESCAPE '\\' LIMIT ${PICKER_HITS})`;
  if (!indexed) params.push(like);
  // Part of a name in another script: the text's key inside a name's key ("Moskovskiy aviatsionnyy" in Московский авиационный институт).
  let containingKey = '';
  if (isIndexed(key)) {
    const rows = searchRowsWithText(key, 'key', PICKER_HITS);
    params.push(...rows.params);
    containingKey = `UNION ALL SELECT s.entity_id, CASE WHEN s.alias_id IS NULL THEN NULL ELSE s.alias END, 4 FROM entity_search s WHERE s.id IN (${rows.sql})`;
  }
  const rows = db
    .prepare(
      `WITH hits(entity_id, alias, rank) AS (
         SELECT * FROM (SELECT id, NULL, 0 FROM entities WHERE name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE LIMIT ?)
         UNION ALL SELECT id, NULL, 1 FROM entities WHERE name_key = ? AND ? <> ''
         UNION ALL SELECT * FROM (SELECT entity_id, name, 1 FROM entity_aliases WHERE name LIKE ? ESCAPE '\\' LIMIT ${PICKER_HITS})
         UNION ALL SELECT entity_id, name, 1 FROM entity_aliases WHERE name_key = ? AND ? <> ''
         UNION ALL ${containingName}
         UNION ALL ${containingAlias}
         ${containingKey}
       )
       SELECT e.id, e.name, e.type, e.country, (SELECT h2.alias FROM hits h2 WHERE h2.entity_id = e.id ORDER BY h2.rank = 4, h2.alias IS NOT NULL, h2.rank LIMIT 1) AS alias, min(h.rank) AS rank
       FROM hits h JOIN entities e ON e.id = h.entity_id
       WHERE e.id IS NOT ?
       GROUP BY e.id ORDER BY rank, e.name COLLATE NOCASE LIMIT ?`,
    )
    .all(...params, excludeId, limit) as (EntityMatch & { rank: number })[];
  return rows.map(({ rank: _rank, ...r }) => r);
}

/**
 * Existing entities that one of the names matches by name key: the same
 * name in another case, with or without accents, or in another script.
 */
export function findDuplicates(db: CaseDb, names: readonly string[], excludeId: string | null): DuplicateCandidate[] {
  const byKey = new Map<string, string>();
  for (const name of names) {
    const key = nameKey(name);
    if (key && !byKey.has(key)) byKey.set(key, name);
  }
  if (byKey.size === 0) return [];
  const keys = JSON.stringify([...byKey.keys()]);
  const rows = db
    .prepare(
      `SELECT e.id, e.name, e.type, e.country, e.name AS matched, e.name_key AS key FROM entities e
         WHERE e.name_key IN (SELECT value FROM json_each(?)) AND e.id IS NOT ?
       UNION ALL
       SELECT e.id, e.name, e.type, e.country, a.name AS matched, a.name_key AS key FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
         WHERE a.name_key IN (SELECT value FROM json_each(?)) AND e.id IS NOT ?
       LIMIT 50`,
    )
    .all(keys, excludeId, keys, excludeId) as (Omit<DuplicateCandidate, 'given'> & { key: string })[];
  const seen = new Set<string>();
  const result: DuplicateCandidate[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    result.push({ id: row.id, name: row.name, type: row.type, country: row.country, matched: row.matched, given: byKey.get(row.key) ?? row.matched });
  }
  return result;
}

// ---- Merge ----

/**
 * Merges one entity into another. The survivor keeps its own fields and gains
 * the other's name and aliases as aliases, its identifiers, sanction records,
 * links, citations, area tags and tags; the merged entity is removed. Links that would join the
 * survivor to itself are dropped.
 */
export function mergeEntities(db: CaseDb, cs: ChangeSet, survivorId: string, mergedId: string, deleteLinkRow: (linkId: string) => void): Entity {
  if (survivorId === mergedId) throw new CaseboardError('invalid_input', 'Choose two different entities to merge.');
  const survivor = getEntity(db, survivorId);
  const merged = getEntity(db, mergedId);
  const at = now();

  // Names: the merged entity's name and aliases become aliases, unless the survivor already has that
  // exact spelling (case aside); another script's spelling of the same name is kept, it is how sources write it.
  const spelling = (name: string) => name.normalize('NFC').toLocaleLowerCase();
  const known = new Set([spelling(survivor.name), ...survivor.aliases.map((a) => spelling(a.name))]);
  let position = survivor.aliases.length;
  if (!known.has(spelling(merged.name))) {
    insertRow(db, cs, 'entity_aliases', { id: newId(), entity_id: survivorId, name: merged.name, name_key: nameKey(merged.name), language: null, position: position++ });
    known.add(spelling(merged.name));
  }
  for (const alias of merged.aliases) {
    if (known.has(spelling(alias.name))) {
      deleteRow(db, cs, 'entity_aliases', alias.id);
      continue;
    }
    known.add(spelling(alias.name));
    updateRow(db, cs, 'entity_aliases', alias.id, { entity_id: survivorId, position: position++ });
  }

  let idPosition = survivor.identifiers.length;
  for (const identifier of merged.identifiers) {
    if (survivor.identifiers.some((i) => i.key === identifier.key && i.value === identifier.value)) deleteRow(db, cs, 'entity_identifiers', identifier.id);
    else updateRow(db, cs, 'entity_identifiers', identifier.id, { entity_id: survivorId, position: idPosition++ });
  }

  moveSanctions(db, cs, mergedId, survivorId);

  // Links move to the survivor; a link between the two would become a loop and is dropped.
  const links = db.prepare('SELECT id, from_id, to_id FROM links WHERE from_id = ? UNION SELECT id, from_id, to_id FROM links WHERE to_id = ?').all(mergedId, mergedId) as {
    id: string;
    from_id: string;
    to_id: string;
  }[];
  let movedLinks = 0;
  for (const link of links) {
    const from = link.from_id === mergedId ? survivorId : link.from_id;
    const to = link.to_id === mergedId ? survivorId : link.to_id;
    if (from === to) deleteLinkRow(link.id);
    else {
      updateRow(db, cs, 'links', link.id, { from_id: from, to_id: to, updated_at: at });
      movedLinks += 1;
    }
  }

  const citations = db.prepare('SELECT id, excerpt_id FROM citations WHERE entity_id = ?').all(mergedId) as { id: string; excerpt_id: string }[];
  for (const citation of citations) {
    const already = db.prepare('SELECT 1 FROM citations WHERE entity_id = ? AND excerpt_id = ?').get(survivorId, citation.excerpt_id);
    if (already) deleteRow(db, cs, 'citations', citation.id);
    else updateRow(db, cs, 'citations', citation.id, { entity_id: survivorId });
  }

  const tags = db.prepare('SELECT id, area_id FROM area_tags WHERE entity_id = ?').all(mergedId) as { id: string; area_id: string }[];
  for (const tag of tags) {
    const already = db.prepare('SELECT 1 FROM area_tags WHERE entity_id = ? AND area_id = ?').get(survivorId, tag.area_id);
    if (already) deleteRow(db, cs, 'area_tags', tag.id);
    else updateRow(db, cs, 'area_tags', tag.id, { entity_id: survivorId });
  }

  const mergedTags = [...new Set([...survivor.tags, ...merged.tags])];
  // FollowTheMoney schema and properties kept from an import: the survivor's, else the merged entity's.
  const ftm = db.prepare('SELECT ftm_schema, ftm_properties FROM entities WHERE id = ?');
  const survivorFtm = ftm.get(survivorId) as { ftm_schema: string | null; ftm_properties: string | null };
  const mergedFtm = ftm.get(mergedId) as { ftm_schema: string | null; ftm_properties: string | null };
  updateRow(db, cs, 'entities', survivorId, {
    ftm_schema: survivorFtm.ftm_schema ?? mergedFtm.ftm_schema,
    ftm_properties: survivorFtm.ftm_properties ?? mergedFtm.ftm_properties,
    tags: JSON.stringify(mergedTags),
    country: survivor.country ?? merged.country,
    subtype: survivor.subtype ?? merged.subtype,
    description: survivor.description ?? merged.description,
    notes: survivor.notes && merged.notes ? `${survivor.notes}\n\n${merged.notes}` : (survivor.notes ?? merged.notes),
    updated_at: at,
  });
  deleteRow(db, cs, 'entities', mergedId);
  const after = getEntity(db, survivorId);
  audit(
    db,
    cs,
    'merge',
    'entity',
    survivorId,
    { survivor: snapshot(survivor), merged: { id: mergedId, ...snapshot(merged) } },
    { ...snapshot(after), movedLinks, movedCitations: citations.length },
    `Merged entity ${merged.name} into ${survivor.name}`,
  );
  audit(db, cs, 'merge', 'entity', mergedId, snapshot(merged), { mergedInto: survivorId, name: survivor.name }, `Merged entity ${merged.name} into ${survivor.name}`);
  return after;
}
