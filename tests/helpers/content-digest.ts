import { createHash } from 'node:crypto';
import type { CaseDb } from '../../db/core/case-file';

/** The audit log and the undo journal: an undo adds to them by design, so it is compared without them. */
const BOOKKEEPING = new Set(['audit_events', 'change_sets', 'change_rows']);

/**
 * Rows the search indexes keep, with the column holding their internal row
 * number, which a re-added item gets anew (an entity's label: its place in
 * name order, given again when it comes back).
 */
const INDEX_ROWS: Record<string, string> = { search_docs: 'id', entity_search: 'id', link_search: 'id', entity_labels: 'label' };

/**
 * A digest of everything a case file holds: every row of every table
 * (attached files with their bytes, merge provenance, graph positions, the
 * search indexes' rows), with or without the audit log and undo journal. Rows
 * of the search indexes are taken without their internal row number, which a
 * re-added item gets anew; the FTS tables derived from them are left out, and
 * so are the tables named in `leaveOut`.
 */
export function contentDigest(db: CaseDb, options: { bookkeeping: boolean; leaveOut?: readonly string[] } = { bookkeeping: false }): string {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").pluck().all() as string[]).filter(
    (t) => (options.bookkeeping || !BOOKKEEPING.has(t)) && !/^(search_(words|trigram)|entity_search_fts|link_search_fts)_/.test(t) && !options.leaveOut?.includes(t),
  );
  const hash = createHash('sha256');
  for (const table of tables) {
    const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).filter((c) => INDEX_ROWS[table] !== c);
    const rows = db.prepare(`SELECT ${columns.map((c) => `quote(${c})`).join(" || ',' || ")} AS r FROM ${table} ORDER BY r`).pluck().all() as string[];
    hash.update(`${table}:${rows.length}\n${rows.join('\n')}\n`);
  }
  return hash.digest('hex');
}
