import { CaseboardError } from '../../shared/errors';
import type { CitingItem, CredibilityGrade, Excerpt } from '../../shared/evidence';
import type { ExcerptFields } from '../../shared/ops/evidence';
import { audit, deleteRow, describeChangeSet, insertRow, quoteName, updateRow, type ChangeSet } from '../core/journal';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { hasSchemaObject } from '../core/schema-objects';
import { normaliseText } from './extract';
import { getSource } from './sources';

interface ExcerptRow {
  id: string;
  source_id: string;
  attachment_id: string | null;
  quote: string;
  page: number | null;
  char_start: number | null;
  char_end: number | null;
  location: string | null;
  credibility: number;
  comment: string | null;
  translation: string | null;
  translation_language: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT = 'SELECT id, source_id, attachment_id, quote, page, char_start, char_end, location, credibility, comment, translation, translation_language, created_at, updated_at FROM excerpts';

/**
 * Entities and links citing an excerpt, from the case model's citations
 * table; a case file without that table has nothing citing anything.
 */
function citingItems(db: CaseDb, excerptId: string): CitingItem[] {
  if (!hasSchemaObject(db, 'table', 'citations')) return [];
  const rows = db
    .prepare(
      `SELECT 'entity' AS kind, e.id, e.name AS label FROM citations c JOIN entities e ON e.id = c.entity_id WHERE c.excerpt_id = ?
       UNION ALL
       SELECT 'link' AS kind, l.id, f.name || ' — ' || l.type || ' — ' || t.name AS label
       FROM citations c JOIN links l ON l.id = c.link_id JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE c.excerpt_id = ?
       ORDER BY kind, label`,
    )
    .all(excerptId, excerptId) as CitingItem[];
  return rows;
}

function toExcerpt(db: CaseDb, row: ExcerptRow): Excerpt {
  return {
    id: row.id,
    sourceId: row.source_id,
    attachmentId: row.attachment_id,
    quote: row.quote,
    page: row.page,
    charStart: row.char_start,
    charEnd: row.char_end,
    location: row.location,
    credibility: row.credibility as CredibilityGrade,
    comment: row.comment,
    translation: row.translation,
    translationLanguage: row.translation_language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    citedBy: citingItems(db, row.id),
  };
}

export function getExcerpt(db: CaseDb, id: string): Excerpt {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as ExcerptRow | undefined;
  if (!row) throw new CaseboardError('not_found', 'That excerpt is no longer in the case; it may have been deleted.');
  return toExcerpt(db, row);
}

export function listExcerpts(db: CaseDb, sourceId: string): Excerpt[] {
  getSource(db, sourceId);
  const rows = db.prepare(`${SELECT} WHERE source_id = ? ORDER BY page IS NULL, page, char_start, created_at, id`).all(sourceId) as ExcerptRow[];
  return rows.map((row) => toExcerpt(db, row));
}

/** Checks that a location fits the attachment it points into. */
function checkLocation(db: CaseDb, sourceId: string, fields: ExcerptFields): void {
  if (fields.attachmentId === null) return;
  const attachment = db.prepare('SELECT source_id, page_count FROM attachments WHERE id = ?').get(fields.attachmentId) as { source_id: string; page_count: number | null } | undefined;
  if (!attachment) throw new CaseboardError('not_found', 'That attachment is no longer in the case; it may have been deleted.', [{ path: 'attachmentId', message: 'The attachment is gone.' }]);
  if (attachment.source_id !== sourceId) throw new CaseboardError('invalid_input', 'An excerpt can only quote an attachment of its own source.', [{ path: 'attachmentId', message: 'Not an attachment of this source.' }]);
  if (fields.page !== null && attachment.page_count !== null && fields.page > attachment.page_count) {
    const message = `The attachment has ${attachment.page_count} ${attachment.page_count === 1 ? 'page' : 'pages'}; page ${fields.page} is not one of them.`;
    throw new CaseboardError('invalid_input', message, [{ path: 'page', message }]);
  }
}

function columns(fields: ExcerptFields): Record<string, unknown> {
  return {
    attachment_id: fields.attachmentId,
    quote: normaliseText(fields.quote),
    page: fields.page,
    char_start: fields.charStart,
    char_end: fields.charEnd,
    location: fields.location,
    credibility: fields.credibility,
    comment: fields.comment,
    translation: fields.translation,
    translation_language: fields.translation === null ? null : fields.translationLanguage,
  };
}

export function createExcerpt(db: CaseDb, cs: ChangeSet, sourceId: string, fields: ExcerptFields): Excerpt {
  getSource(db, sourceId);
  checkLocation(db, sourceId, fields);
  const id = newId();
  const at = now();
  insertRow(db, cs, 'excerpts', { id, source_id: sourceId, ...columns(fields), created_at: at, updated_at: at });
  const created = getExcerpt(db, id);
  describeChangeSet(db, cs, `Added excerpt ${quoteName(created.quote)}`);
  audit(db, cs, 'create', 'excerpt', id, undefined, created);
  return created;
}

export function updateExcerpt(db: CaseDb, cs: ChangeSet, id: string, fields: ExcerptFields): Excerpt {
  const before = getExcerpt(db, id);
  checkLocation(db, before.sourceId, fields);
  updateRow(db, cs, 'excerpts', id, { ...columns(fields), updated_at: now() });
  const after = getExcerpt(db, id);
  describeChangeSet(db, cs, `Edited excerpt ${quoteName(after.quote)}`);
  audit(db, cs, 'update', 'excerpt', id, before, after);
  return after;
}

/** Deletes an excerpt with its citations and tags, in the one undo step. */
export function deleteExcerpt(db: CaseDb, cs: ChangeSet, id: string): { id: string } {
  const before = getExcerpt(db, id);
  describeChangeSet(db, cs, `Deleted excerpt ${quoteName(before.quote)}`);
  deleteRow(db, cs, 'excerpts', id);
  audit(db, cs, 'delete', 'excerpt', id, before, undefined);
  return { id };
}
