import type { CaseDb } from '../core/case-file';
import { getCaseDetails } from '../core/case-info';
import { hasSchemaObject } from '../core/schema-objects';
import { parseTags } from './entities';

/** Bumped when the export's shape changes in a way readers must know about. */
export const EXPORT_FORMAT_VERSION = 1;

type Row = Record<string, unknown>;

/** Rows of a table, or none when the case file predates it. */
function rows(db: CaseDb, table: string, sql: string): Row[] {
  return hasSchemaObject(db, 'table', table) ? (db.prepare(sql).all() as Row[]) : [];
}

function camel(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out;
}

function group(list: Row[], key: string): Map<unknown, Row[]> {
  const map = new Map<unknown, Row[]>();
  for (const row of list) {
    const { [key]: owner, ...rest } = row;
    const items = map.get(owner) ?? [];
    items.push(rest);
    map.set(owner, items);
  }
  return map;
}

/**
 * The whole case model as plain data, in a documented shape (see README,
 * "Exporting a case"). Attachments are listed with their SHA-256, not their bytes.
 */
export function exportCaseModel(db: CaseDb, exportedAt: string): Row {
  const details = getCaseDetails(db);
  const aliases = group(rows(db, 'entity_aliases', 'SELECT entity_id, id, name, language FROM entity_aliases ORDER BY entity_id, position, id'), 'entity_id');
  const identifiers = group(rows(db, 'entity_identifiers', 'SELECT entity_id, id, key, value FROM entity_identifiers ORDER BY entity_id, position, id'), 'entity_id');
  const areaTags = rows(db, 'area_tags', 'SELECT area_id, source_id, excerpt_id, entity_id, link_id FROM area_tags ORDER BY area_id, id').map((t) => {
    const [kind, itemId] = (['source', 'excerpt', 'entity', 'link'] as const).map((k) => [k, t[`${k}_id`]] as const).find(([, v]) => v !== null) ?? ['source', null];
    return { areaId: t.area_id, kind, itemId };
  });
  return {
    format: 'caseboard-case-model',
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt,
    schemaVersion: details.schemaVersion,
    case: { id: details.caseId, title: details.title, marking: details.marking, description: details.description, createdAt: details.createdAt, updatedAt: details.updatedAt },
    sources: rows(db, 'sources', 'SELECT id, kind, title, url, publisher, authors, published_date, accessed_at, language, reliability, notes, created_at, updated_at FROM sources ORDER BY created_at, id').map(
      (r) => ({ ...camel(r), authors: parseTags(String(r.authors)) }),
    ),
    attachments: rows(db, 'attachments', 'SELECT id, source_id, name, media_type, size, sha256, created_at FROM attachments ORDER BY created_at, id').map(camel),
    excerpts: rows(db, 'excerpts', 'SELECT id, source_id, attachment_id, quote, page, location, credibility, comment, translation, translation_language, created_at, updated_at FROM excerpts ORDER BY created_at, id').map(camel),
    areas: rows(db, 'technology_areas', 'SELECT id, name, parent_id, colour, created_at, updated_at FROM technology_areas ORDER BY position, name').map(camel),
    entities: rows(db, 'entities', 'SELECT id, type, subtype, name, country, description, notes, tags, confidence, created_at, updated_at FROM entities ORDER BY created_at, id').map((r) => ({
      ...camel(r),
      tags: parseTags(String(r.tags)),
      aliases: aliases.get(r.id) ?? [],
      identifiers: identifiers.get(r.id) ?? [],
    })),
    links: rows(db, 'links', 'SELECT id, from_id, to_id, type, direction, start_date, end_date, status, confidence, notes, tags, created_at, updated_at FROM links ORDER BY created_at, id').map((r) => ({
      ...camel(r),
      tags: parseTags(String(r.tags)),
    })),
    citations: rows(db, 'citations', 'SELECT id, excerpt_id, entity_id, link_id, stance, created_at FROM citations ORDER BY created_at, id').map((r) => ({
      id: r.id,
      excerptId: r.excerpt_id,
      kind: r.entity_id ? 'entity' : 'link',
      itemId: r.entity_id ?? r.link_id,
      stance: r.stance,
      createdAt: r.created_at,
    })),
    areaTags,
  };
}
