import type { BulkKind, BulkPreview, BulkResult, BulkSelection } from '../../shared/bulk';
import type { CaseFilterSet } from '../../shared/case-filters';
import type { CitationStance } from '../../shared/confidence';
import { CaseboardError } from '../../shared/errors';
import { ENTITY_TYPE_LABELS, type EntityType } from '../../shared/model';
import type { CaseDb } from '../core/case-file';
import { now } from '../core/clock';
import type { OperationContext } from '../core/handler';
import { audit, deleteRow, updateRow, type ChangeSet } from '../core/journal';
import { tagItem, untagItem } from './areas';
import { addCitation } from './citations';
import { deleteEntity, entityGridWhere } from './entities';
import { sourceGridWhere } from './grid';
import { deleteLink, linkGridWhere, linkLabel, rememberLinkType } from './links';

/** How a selection reads in SQL: a statement that lists the selected ids, and its parameters. */
interface SelectionSql {
  sql: string;
  params: unknown[];
}

const TABLE: Record<BulkKind, string> = { entity: 'entities', link: 'links', source: 'sources' };
const NOUN: Record<BulkKind, [string, string]> = { entity: ['entity', 'entities'], link: ['link', 'links'], source: ['source', 'sources'] };

/** "1 entity", "3 links". */
export function itemCount(kind: BulkKind, n: number): string {
  const [one, many] = NOUN[kind];
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * The selected rows as SQL. Ticked rows are those still in the case; "every
 * row matching the filters" is the grid's own condition, run again now, less
 * the rows unticked since.
 */
function selectionSql(db: CaseDb, kind: BulkKind, selection: BulkSelection): SelectionSql {
  if ('ids' in selection) return { sql: `SELECT s.id FROM ${TABLE[kind]} s WHERE s.id IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(selection.ids)] };
  const query = { filter: selection.matching.filter, quick: selection.matching.quick, filters: selection.matching.filters as CaseFilterSet | undefined };
  const found = kind === 'entity' ? entityGridWhere(db, query) : kind === 'link' ? linkGridWhere(db, query) : sourceGridWhere(db, query);
  const alias = kind === 'entity' ? 'e' : kind === 'link' ? 'l' : 'sources';
  const except = selection.except.length ? `${found.where ? 'AND' : 'WHERE'} ${alias}.id NOT IN (SELECT value FROM json_each(?))` : '';
  return { sql: `SELECT ${alias}.id ${found.from} ${found.where} ${except}`, params: [...found.params, ...(except ? [JSON.stringify(selection.except)] : [])] };
}

/** The ids of the selected rows still in the case; none is a clear error that changes nothing. */
function selectedIds(db: CaseDb, kind: BulkKind, selection: BulkSelection): string[] {
  const { sql, params } = selectionSql(db, kind, selection);
  const ids = db.prepare(sql).pluck().all(...params) as string[];
  if (ids.length === 0) {
    const many = NOUN[kind][1];
    throw new CaseboardError(
      'not_found',
      'ids' in selection ? `None of the selected ${many} is in the case any more; they may have been deleted. Nothing was changed.` : `No ${many} match the filters any more. Nothing was changed.`,
    );
  }
  return ids;
}

/** Works through the ids, reporting progress and stopping when cancelled (the transaction then rolls back whole). */
function eachItem(ids: readonly string[], ctx: OperationContext, message: string, work: (id: string) => boolean): number {
  let changed = 0;
  ids.forEach((id, i) => {
    if (i % 500 === 0) {
      ctx.throwIfCancelled();
      if (ids.length > 500) ctx.progress({ done: i, total: ids.length, message });
    }
    if (work(id)) changed += 1;
  });
  return changed;
}

/** What deleting the selection would take with it, for the question asked first. */
export function previewSelection(db: CaseDb, kind: BulkKind, selection: BulkSelection): BulkPreview {
  const sel = selectionSql(db, kind, selection);
  const scalar = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;
  const items = scalar(`SELECT count(*) FROM (${sel.sql})`, ...sel.params);
  if (kind === 'source') {
    const names = db.prepare(`SELECT title FROM sources WHERE id IN (${sel.sql}) ORDER BY title COLLATE NOCASE LIMIT 5`).pluck().all(...sel.params) as string[];
    const excerptsSql = `SELECT id FROM excerpts WHERE source_id IN (${sel.sql})`;
    return {
      kind,
      items,
      names,
      links: 0,
      attachments: scalar(`SELECT count(*) FROM attachments WHERE source_id IN (${sel.sql})`, ...sel.params),
      excerpts: scalar(`SELECT count(*) FROM (${excerptsSql})`, ...sel.params),
      citations: scalar(`SELECT count(*) FROM citations WHERE excerpt_id IN (${excerptsSql})`, ...sel.params),
      tags:
        scalar(`SELECT count(*) FROM area_tags WHERE source_id IN (${sel.sql})`, ...sel.params) +
        scalar(`SELECT count(*) FROM area_tags WHERE excerpt_id IN (${excerptsSql})`, ...sel.params),
    };
  }
  if (kind === 'entity') {
    const names = db.prepare(`SELECT name FROM entities WHERE id IN (${sel.sql}) ORDER BY name COLLATE NOCASE LIMIT 5`).pluck().all(...sel.params) as string[];
    const linksSql = `SELECT id FROM links WHERE from_id IN (${sel.sql}) UNION SELECT id FROM links WHERE to_id IN (${sel.sql})`;
    const linkParams = [...sel.params, ...sel.params];
    return {
      kind,
      items,
      names,
      links: scalar(`SELECT count(*) FROM (${linksSql})`, ...linkParams),
      citations:
        scalar(`SELECT count(*) FROM citations WHERE entity_id IN (${sel.sql})`, ...sel.params) + scalar(`SELECT count(*) FROM citations WHERE link_id IN (${linksSql})`, ...linkParams),
      tags: scalar(`SELECT count(*) FROM area_tags WHERE entity_id IN (${sel.sql})`, ...sel.params),
      attachments: 0,
      excerpts: 0,
    };
  }
  const names = db
    .prepare(`SELECT f.name || ' — ' || l.type || ' — ' || t.name FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE l.id IN (${sel.sql}) LIMIT 5`)
    .pluck()
    .all(...sel.params) as string[];
  return {
    kind,
    items,
    names,
    links: 0,
    citations: scalar(`SELECT count(*) FROM citations WHERE link_id IN (${sel.sql})`, ...sel.params),
    tags: scalar(`SELECT count(*) FROM area_tags WHERE link_id IN (${sel.sql})`, ...sel.params),
    attachments: 0,
    excerpts: 0,
  };
}

function areaName(db: CaseDb, areaId: string): string {
  const name = db.prepare('SELECT name FROM technology_areas WHERE id = ?').pluck().get(areaId) as string | undefined;
  if (name === undefined) throw new CaseboardError('not_found', 'That technology area is no longer in the case; it may have been deleted or merged.');
  return name;
}

/** Tags every selected item with an area (or takes the area off them); the summary names the area and how many. */
export function tagSelection(db: CaseDb, cs: ChangeSet, ctx: OperationContext, kind: BulkKind, selection: BulkSelection, areaId: string, untag: boolean): BulkResult & { summary: string } {
  const area = areaName(db, areaId);
  const ids = selectedIds(db, kind, selection);
  const changed = eachItem(ids, ctx, untag ? `Removing ${area}` : `Tagging with ${area}`, (id) => (untag ? untagItem(db, cs, areaId, kind, id) : tagItem(db, cs, areaId, kind, id)));
  const summary = untag ? `Removed ${area} from ${itemCount(kind, changed)}` : `Tagged ${itemCount(kind, changed)} with ${area}`;
  return { items: ids.length, changed, summary };
}

/** Cites the excerpts from every selected item; an item already citing an excerpt keeps its one citation. */
export function citeFromSelection(
  db: CaseDb,
  cs: ChangeSet,
  ctx: OperationContext,
  kind: 'entity' | 'link',
  selection: BulkSelection,
  excerptIds: readonly string[],
  stance: CitationStance,
): BulkResult {
  for (const excerptId of excerptIds) {
    if (!db.prepare('SELECT 1 FROM excerpts WHERE id = ?').get(excerptId)) throw new CaseboardError('not_found', 'That excerpt is no longer in the case; it may have been deleted.');
  }
  const ids = selectedIds(db, kind, selection);
  const label = (id: string) => (kind === 'entity' ? `Entity ${db.prepare('SELECT name FROM entities WHERE id = ?').pluck().get(id) as string}` : `Link ${linkLabel(db, id)}`);
  const changed = eachItem(ids, ctx, 'Citing', (id) => {
    const itemLabel = label(id);
    let any = false;
    for (const excerptId of excerptIds) if (addCitation(db, cs, kind, id, itemLabel, excerptId, stance) !== null) any = true;
    return any;
  });
  return { items: ids.length, changed };
}

/** Sets the type and/or country of every selected entity; each change is in the audit log with before and after. */
export function setEntityFields(db: CaseDb, cs: ChangeSet, ctx: OperationContext, selection: BulkSelection, set: { type?: EntityType | undefined; country?: string | null | undefined }): BulkResult {
  const ids = selectedIds(db, 'entity', selection);
  const at = now();
  const read = db.prepare('SELECT name, type, country FROM entities WHERE id = ?');
  const changed = eachItem(ids, ctx, 'Setting fields', (id) => {
    const before = read.get(id) as { name: string; type: EntityType; country: string | null };
    const changes: Record<string, unknown> = {};
    if (set.type !== undefined && set.type !== before.type) changes.type = set.type;
    if (set.country !== undefined && set.country !== before.country) changes.country = set.country;
    if (Object.keys(changes).length === 0) return false;
    updateRow(db, cs, 'entities', id, { ...changes, updated_at: at });
    const was = { type: before.type, country: before.country };
    audit(db, cs, 'update', 'entity', id, was, { ...was, ...changes }, `Edited entity ${before.name}`);
    return true;
  });
  return { items: ids.length, changed };
}

/** How a bulk edit of entities reads in the history: "Set type Organisation, country RU on 12 entities". */
export function describeEntityFields(set: { type?: EntityType | undefined; country?: string | null | undefined }, changed: number): string {
  const parts = [
    ...(set.type !== undefined ? [`type ${ENTITY_TYPE_LABELS[set.type]}`] : []),
    ...(set.country !== undefined ? [set.country === null ? 'no country' : `country ${set.country}`] : []),
  ];
  return `Set ${parts.join(', ')} on ${itemCount('entity', changed)}`;
}

/** Sets the type of every selected link; a type not offered yet is remembered, as when one link is saved. */
export function setLinkType(db: CaseDb, cs: ChangeSet, ctx: OperationContext, selection: BulkSelection, type: string): BulkResult {
  const ids = selectedIds(db, 'link', selection);
  rememberLinkType(db, cs, type);
  const at = now();
  const read = db.prepare('SELECT type FROM links WHERE id = ?');
  const changed = eachItem(ids, ctx, 'Setting link types', (id) => {
    const before = read.pluck().get(id) as string;
    if (before === type) return false;
    updateRow(db, cs, 'links', id, { type, updated_at: at });
    audit(db, cs, 'update', 'link', id, { type: before }, { type }, `Edited link ${linkLabel(db, id)}`);
    return true;
  });
  return { items: ids.length, changed };
}

/**
 * Deletes every selected item with what belongs to it. Entities that still
 * have links go only when the caller confirms, and their links go with them;
 * a link already gone with an entity is not deleted twice.
 */
export function deleteSelection(db: CaseDb, cs: ChangeSet, ctx: OperationContext, kind: BulkKind, selection: BulkSelection, withLinks: boolean): BulkResult {
  const ids = selectedIds(db, kind, selection);
  if (kind === 'source') {
    const read = db.prepare('SELECT id, kind, title, url, publisher, published_date AS publishedDate, reliability FROM sources WHERE id = ?');
    const deleted = eachItem(ids, ctx, 'Deleting sources', (id) => {
      // The journal takes the source's attached files, excerpts, their citations and tags with it, as when one source is deleted.
      const before = read.get(id) as { title: string };
      deleteRow(db, cs, 'sources', id);
      audit(db, cs, 'delete', 'source', id, before, undefined, `Deleted source ${before.title}`);
      return true;
    });
    return { items: ids.length, changed: deleted };
  }
  if (kind === 'link') {
    const deleted = eachItem(ids, ctx, 'Deleting links', (id) => {
      deleteLink(db, cs, id);
      return true;
    });
    return { items: ids.length, changed: deleted };
  }
  if (!withLinks) {
    const sel = selectionSql(db, kind, selection);
    const linked = db
      .prepare(`SELECT count(*) FROM (SELECT id FROM links WHERE from_id IN (${sel.sql}) UNION SELECT id FROM links WHERE to_id IN (${sel.sql}))`)
      .pluck()
      .get(...sel.params, ...sel.params) as number;
    if (linked > 0) {
      throw new CaseboardError('conflict', `The selected entities have ${itemCount('link', linked)}; confirm to delete the entities together with ${linked === 1 ? 'it' : 'them'}. Nothing was deleted.`);
    }
  }
  let deletedLinks = 0;
  const deleted = eachItem(ids, ctx, 'Deleting entities', (id) => {
    deletedLinks += deleteEntity(db, cs, id, true, (linkId) => deleteLink(db, cs, linkId)).deletedLinks;
    return true;
  });
  return { items: ids.length, changed: deleted, deletedLinks };
}
