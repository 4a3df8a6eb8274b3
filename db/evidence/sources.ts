import type { CaseFilterSet } from '../../shared/case-filters';
import { CaseboardError } from '../../shared/errors';
import type { GridPage, GridQuery } from '../../shared/grid-query';
import type { Source, SourceFields } from '../../shared/schemas';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { cachedCount } from '../core/read-cache';
import { audit, deleteRow, describeChangeSet, insertRow, quoteName, updateRow, type ChangeSet } from '../core/journal';
import { sourceGridWhere } from '../model/grid';

interface SourceRow {
  id: string;
  kind: Source['kind'];
  title: string;
  url: string | null;
  publisher: string | null;
  authors: string;
  published_date: string | null;
  accessed_at: string | null;
  language: string | null;
  reliability: Source['reliability'];
  notes: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT = 'SELECT id, kind, title, url, publisher, authors, published_date, accessed_at, language, reliability, notes, created_at, updated_at FROM sources';

function parseAuthors(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    url: row.url,
    publisher: row.publisher,
    authors: parseAuthors(row.authors),
    publishedDate: row.published_date,
    accessedAt: row.accessed_at,
    language: row.language,
    reliability: row.reliability,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function getSource(db: CaseDb, id: string): Source {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as SourceRow | undefined;
  if (!row) throw new CaseboardError('not_found', 'That source is no longer in the case; it may have been deleted.');
  return toSource(row);
}

/** One page of the sources grid, filtered by columns, quick text and the shared filters that apply to sources. */
export function pageSources(db: CaseDb, query: GridQuery & { filters?: CaseFilterSet | undefined }): GridPage<Source> {
  const { where, params, orderBy } = sourceGridWhere(db, query);
  const rows = db.prepare(`${SELECT} ${where} ${orderBy} LIMIT ? OFFSET ?`).all(...params, query.endRow - query.startRow, query.startRow) as SourceRow[];
  // Counted once per filter and kept until the case changes.
  const total = cachedCount(db, `SELECT count(*) FROM sources ${where}`, params);
  return { rows: rows.map(toSource), total };
}

function columns(fields: SourceFields): Record<string, unknown> {
  return {
    kind: fields.kind,
    title: fields.title,
    url: fields.url,
    publisher: fields.publisher,
    authors: JSON.stringify(fields.authors),
    published_date: fields.publishedDate,
    accessed_at: fields.accessedAt,
    language: fields.language,
    reliability: fields.reliability,
    notes: fields.notes,
  };
}

export function createSource(db: CaseDb, cs: ChangeSet, fields: SourceFields): Source {
  const id = newId();
  const at = now();
  insertRow(db, cs, 'sources', { id, ...columns(fields), created_at: at, updated_at: at });
  const created = getSource(db, id);
  describeChangeSet(db, cs, `Added source ${quoteName(created.title)}`);
  audit(db, cs, 'create', 'source', id, undefined, created);
  return created;
}

export function updateSource(db: CaseDb, cs: ChangeSet, id: string, fields: SourceFields): Source {
  const before = getSource(db, id);
  updateRow(db, cs, 'sources', id, { ...columns(fields), updated_at: now() });
  const after = getSource(db, id);
  describeChangeSet(db, cs, `Edited source ${quoteName(after.title)}`);
  audit(db, cs, 'update', 'source', id, before, after);
  return after;
}

/** Deletes a source with its attached files, excerpts and their citations and tags, all in the one undo step. */
export function deleteSource(db: CaseDb, cs: ChangeSet, id: string): { id: string } {
  const before = getSource(db, id);
  describeChangeSet(db, cs, `Deleted source ${quoteName(before.title)}`);
  deleteRow(db, cs, 'sources', id);
  audit(db, cs, 'delete', 'source', id, before, undefined);
  return { id };
}
