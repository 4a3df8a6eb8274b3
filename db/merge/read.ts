import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { MERGE_TABLES, type MergeTable } from '../../shared/ops/merge';
import type { CaseDb, OpenOptions } from '../core/case-file';
import { runSteps } from '../core/private-files';
import { hasSchemaObject } from '../core/schema-objects';
import { keyOf, TABLES } from '../core/tables';
import { readReceivedCaseSteps } from '../share/share';

export type Row = Record<string, unknown>;

/** Everything of one case file a merge looks at. */
export interface CaseSnapshot {
  caseId: string;
  title: string;
  file: string;
  rows: Record<MergeTable, Map<string, Row>>;
  /** Attached files' pages, by attachment. */
  pages: Map<string, Row[]>;
  auditIds: Set<string>;
  changeSetIds: Set<string>;
  /** Audit events: id, the item they touched, who. */
  events: { id: string; itemId: string; actor: string }[];
  /** Rows each change set touched (with their entity for an entity's names), for changes the audit log names by parent only. */
  changeRows: { changeSetId: string; rowId: string; parentId: string | null }[];
}

/** Reads the parts of a case file a merge compares. */
export function readSnapshot(db: CaseDb, file: string, withContent: boolean): CaseSnapshot {
  const info = db.prepare('SELECT case_id, title FROM case_info').get() as { case_id: string; title: string };
  const rows = Object.fromEntries(MERGE_TABLES.map((t) => [t, new Map<string, Row>()])) as Record<MergeTable, Map<string, Row>>;
  for (const table of MERGE_TABLES) {
    if (!hasSchemaObject(db, 'table', table)) continue;
    const select = table === 'attachments' && !withContent ? 'SELECT id, source_id, name, media_type, size, sha256, text_status, text_note, page_count, created_at FROM attachments' : `SELECT * FROM ${table}`;
    for (const row of db.prepare(`${select} ORDER BY rowid`).all() as Row[]) rows[table].set(keyOf(table, row), row);
  }
  const pages = new Map<string, Row[]>();
  if (withContent && hasSchemaObject(db, 'table', 'attachment_pages')) {
    for (const page of db.prepare('SELECT * FROM attachment_pages ORDER BY rowid').all() as Row[]) {
      const id = String(page.attachment_id);
      const list = pages.get(id) ?? [];
      list.push(page);
      pages.set(id, list);
    }
  }
  const events = (db.prepare('SELECT id, item_id AS itemId, actor FROM audit_events ORDER BY rowid').all() as { id: string; itemId: string; actor: string }[]);
  const changeSetIds = new Set<string>();
  const changeRows: CaseSnapshot['changeRows'] = [];
  if (hasSchemaObject(db, 'table', 'change_sets')) {
    for (const r of db.prepare('SELECT id FROM change_sets').all() as { id: string }[]) changeSetIds.add(r.id);
    // A compact journal row (a bulk import's) lists the ids it added; each counts as changed.
    const compact = `before_json IS NULL AND after_json LIKE '{"$bulk":%'`;
    for (const r of db
      .prepare(`SELECT change_set_id AS changeSetId, row_id AS rowId, coalesce(json_extract(after_json, '$.entity_id'), json_extract(before_json, '$.entity_id')) AS parentId FROM change_rows WHERE table_name IN ('entity_aliases','entity_identifiers') AND NOT (${compact})`)
      .all() as CaseSnapshot['changeRows']) changeRows.push(r);
    for (const r of db.prepare(`SELECT change_set_id AS changeSetId, row_id AS rowId, NULL AS parentId FROM change_rows WHERE table_name NOT IN ('entity_aliases','entity_identifiers') AND NOT (${compact})`).all() as CaseSnapshot['changeRows']) changeRows.push(r);
    for (const r of db
      .prepare(`SELECT c.change_set_id AS changeSetId, j.value AS rowId, NULL AS parentId FROM change_rows c, json_each(c.after_json, '$."$bulk"') j WHERE c.before_json IS NULL AND c.after_json LIKE '{"$bulk":%'`)
      .all() as CaseSnapshot['changeRows']) changeRows.push(r);
  }
  return { caseId: info.case_id, title: info.title, file, rows, pages, auditIds: new Set(events.map((e) => e.id)), changeSetIds, events, changeRows };
}

/**
 * Reads a received case file for a merge, in steps: a private copy of its
 * main file alone (decrypted first when encrypted) is checked like any
 * received file, read, and removed; the file itself is never opened.
 */
export function* loadOtherCaseSteps(file: string, passphrase: string | undefined, openingCase: string | null, options: OpenOptions = {}): Generator<void, CaseSnapshot> {
  const absolute = path.resolve(file);
  if (openingCase && path.resolve(openingCase) === absolute) throw new CaseboardError('invalid_input', 'Choose another case file than the open one to merge in.');
  return yield* readReceivedCaseSteps(absolute, passphrase, options, (other) => readSnapshot(other, absolute, true));
}

/** `loadOtherCaseSteps` in one go. */
export function loadOtherCase(file: string, passphrase: string | undefined, openingCase: string | null, options: OpenOptions = {}): CaseSnapshot {
  return runSteps(loadOtherCaseSteps(file, passphrase, openingCase, options));
}

/** The case's content: every item and its fields, by table, sorted by key (attached files by SHA-256). */
export function caseContent(db: CaseDb): Record<string, Row[]> {
  const content: Record<string, Row[]> = {};
  for (const table of MERGE_TABLES) {
    const select = table === 'attachments' ? 'SELECT id, source_id, name, media_type, size, sha256, created_at FROM attachments' : `SELECT * FROM ${table}`;
    content[table] = db.prepare(`${select} ORDER BY ${TABLES[table].key.join(', ')}`).all() as Row[];
  }
  return content;
}
