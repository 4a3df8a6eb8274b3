import type { CaseDb } from './case-file';

/**
 * Whether the case file has a table or an index of that name. A file of an
 * older schema read without being upgraded (from the command line, or a
 * received copy) lacks what later migrations add.
 */
export function hasSchemaObject(db: CaseDb, type: 'table' | 'index', name: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').get(type, name) !== undefined;
}
