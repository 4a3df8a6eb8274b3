import { CaseboardError } from '../shared/errors';
import type { GridPage, GridQuery } from '../shared/grid-query';
import type { HistoryRow, UndoState } from '../shared/model';
import { recordAudit, type AuditAction } from './audit';
import type { CaseDb } from './case-file';
import { newId, now } from './clock';
import { gridToSql, type ColumnMap } from './grid-sql';

/** Tables whose rows model operations change; every change to them goes through this module. */
export const JOURNALED_TABLES = ['entities', 'entity_aliases', 'entity_identifiers', 'links', 'citations', 'technology_areas', 'area_tags', 'link_types', 'sources', 'excerpts'] as const;
export type JournaledTable = (typeof JOURNALED_TABLES)[number];

/** The primary key column of each journaled table. */
const KEY: Record<JournaledTable, string> = {
  entities: 'id',
  entity_aliases: 'id',
  entity_identifiers: 'id',
  links: 'id',
  citations: 'id',
  technology_areas: 'id',
  area_tags: 'id',
  link_types: 'name',
  sources: 'id',
  excerpts: 'id',
};

/** Undo reaches back at least this far; older change sets are dropped (their audit events stay). */
export const UNDO_DEPTH = 200;

type Row = Record<string, unknown>;

/**
 * One model operation in progress: the change set its row changes and audit
 * events belong to. Created inside the operation's transaction.
 */
export interface ChangeSet {
  readonly id: string;
  readonly actor: string;
  /** Next row sequence number inside the change set. */
  next: number;
  summary: string;
}

const columnCache = new WeakMap<CaseDb, Map<string, Set<string>>>();

function columnsOf(db: CaseDb, table: JournaledTable): Set<string> {
  let perDb = columnCache.get(db);
  if (!perDb) {
    perDb = new Map();
    columnCache.set(db, perDb);
  }
  let cols = perDb.get(table);
  if (!cols) {
    cols = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
    perDb.set(table, cols);
  }
  return cols;
}

function checkedColumns(db: CaseDb, table: JournaledTable, row: Row): string[] {
  const known = columnsOf(db, table);
  const names = Object.keys(row);
  for (const name of names) if (!known.has(name)) throw new Error(`Column ${name} is not in ${table}.`);
  return names;
}

function readRow(db: CaseDb, table: JournaledTable, key: string): Row | undefined {
  return db.prepare(`SELECT * FROM ${table} WHERE ${KEY[table]} = ?`).get(key) as Row | undefined;
}

function writeChange(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string, before: Row | undefined, after: Row | undefined): void {
  db.prepare('INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)').run(
    cs.id,
    cs.next,
    table,
    key,
    before ? JSON.stringify(before) : null,
    after ? JSON.stringify(after) : null,
  );
  cs.next += 1;
}

function rawInsert(db: CaseDb, table: JournaledTable, row: Row): void {
  const names = checkedColumns(db, table, row);
  db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => row[n]));
}

function rawUpdate(db: CaseDb, table: JournaledTable, key: string, row: Row): void {
  const names = checkedColumns(db, table, row).filter((n) => n !== KEY[table]);
  if (names.length === 0) return;
  db.prepare(`UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE ${KEY[table]} = ?`).run(...names.map((n) => row[n]), key);
}

function rawDelete(db: CaseDb, table: JournaledTable, key: string): void {
  db.prepare(`DELETE FROM ${table} WHERE ${KEY[table]} = ?`).run(key);
}

/** Inserts a row and journals it. */
export function insertRow(db: CaseDb, cs: ChangeSet, table: JournaledTable, row: Row): void {
  rawInsert(db, table, row);
  const key = String(row[KEY[table]]);
  writeChange(db, cs, table, key, undefined, readRow(db, table, key));
}

/** Changes some columns of a row and journals it; returns the row as it was. */
export function updateRow(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string, changes: Row): Row {
  const before = readRow(db, table, key);
  if (!before) throw new CaseboardError('not_found', 'That item is no longer in the case; it may have been deleted.');
  rawUpdate(db, table, key, changes);
  const after = readRow(db, table, key);
  if (JSON.stringify(before) !== JSON.stringify(after)) writeChange(db, cs, table, key, before, after);
  return before;
}

/** Deletes a row and journals it; returns the row as it was. */
export function deleteRow(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string): Row {
  const before = readRow(db, table, key);
  if (!before) throw new CaseboardError('not_found', 'That item is no longer in the case; it may have been deleted.');
  rawDelete(db, table, key);
  writeChange(db, cs, table, key, before, undefined);
  return before;
}

/**
 * Starts the change set of one operation. A new change ends the redo branch:
 * what was undone before it can no longer be redone.
 */
export function startChangeSet(db: CaseDb, actor: string, summary: string): ChangeSet {
  db.prepare("DELETE FROM change_sets WHERE state = 'undone'").run();
  const seq = ((db.prepare('SELECT max(seq) AS m FROM change_sets').get() as { m: number | null }).m ?? 0) + 1;
  const id = newId();
  db.prepare("INSERT INTO change_sets (id, seq, at, actor, summary, state) VALUES (?, ?, ?, ?, ?, 'done')").run(id, seq, now(), actor, summary);
  db.prepare('DELETE FROM change_sets WHERE seq <= ?').run(seq - UNDO_DEPTH);
  return { id, actor, next: 0, summary };
}

/** Drops a change set that changed nothing, so Undo never offers an empty step. */
export function dropIfEmpty(db: CaseDb, cs: ChangeSet): void {
  if (cs.next === 0) db.prepare('DELETE FROM change_sets WHERE id = ?').run(cs.id);
}

/** Sets the one-line description of a change set once the operation knows it (e.g. after a lookup). */
export function describeChangeSet(db: CaseDb, cs: ChangeSet, summary: string): void {
  cs.summary = summary;
  db.prepare('UPDATE change_sets SET summary = ? WHERE id = ?').run(summary, cs.id);
}

/** Records an audit event that belongs to the change set. */
export function audit(db: CaseDb, cs: ChangeSet, action: AuditAction, itemType: string, itemId: string, before: unknown, after: unknown, summary?: string): void {
  recordAudit(db, cs.actor, action, itemType, itemId, before, after, { changeSetId: cs.id, summary: summary ?? cs.summary });
}

interface ChangeSetRow {
  id: string;
  seq: number;
  at: string;
  summary: string;
  state: 'done' | 'undone';
}

interface ChangeRow {
  seq: number;
  table_name: JournaledTable;
  row_id: string;
  before_json: string | null;
  after_json: string | null;
}

function sameRow(a: Row | undefined, b: Row | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function describeRow(table: JournaledTable, row: Row | undefined): string {
  const name = row && typeof row.name === 'string' ? ` "${row.name}"` : '';
  const what: Record<JournaledTable, string> = {
    entities: 'an entity',
    entity_aliases: 'an alias',
    entity_identifiers: 'an identifier',
    links: 'a link',
    citations: 'a citation',
    technology_areas: 'a technology area',
    area_tags: 'a technology-area tag',
    link_types: 'a link type',
    sources: 'a source',
    excerpts: 'an excerpt',
  };
  return `${what[table]}${name}`;
}

/**
 * Moves every row of a change set from one side to the other: for undo from
 * "after" back to "before" in reverse order, for redo forwards. Each row must
 * still be as the change set left it; otherwise the step is refused whole.
 */
function applyChangeSet(db: CaseDb, changeSetId: string, direction: 'undo' | 'redo'): void {
  const rows = db.prepare('SELECT seq, table_name, row_id, before_json, after_json FROM change_rows WHERE change_set_id = ? ORDER BY seq').all(changeSetId) as ChangeRow[];
  if (direction === 'undo') rows.reverse();
  // Each step in reverse leaves the case as it was at some moment of the original
  // operation, so foreign keys hold after every statement unless something outside
  // the history (deleting a source, say) removed an item the change refers to.
  const verb = direction === 'undo' ? 'undone' : 'redone';
  for (const change of rows) {
    const before = change.before_json ? (JSON.parse(change.before_json) as Row) : undefined;
    const after = change.after_json ? (JSON.parse(change.after_json) as Row) : undefined;
    const [from, to] = direction === 'undo' ? [after, before] : [before, after];
    const current = readRow(db, change.table_name, change.row_id);
    if (!sameRow(current, from)) {
      throw new CaseboardError('conflict', `This change cannot be ${verb}: ${describeRow(change.table_name, from ?? current)} was changed or deleted since, outside the undo history.`);
    }
    try {
      if (!to) rawDelete(db, change.table_name, change.row_id);
      else if (!from) rawInsert(db, change.table_name, to);
      else rawUpdate(db, change.table_name, change.row_id, to);
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new CaseboardError('conflict', `This change cannot be ${verb}: ${describeRow(change.table_name, to ?? from)} refers to an item (such as a cited excerpt or its source) that has been deleted since.`);
      }
      throw error;
    }
  }
}

interface AuditRow {
  action: string;
  item_type: string;
  item_id: string;
  before_json: string | null;
  after_json: string | null;
}

function recordStep(db: CaseDb, actor: string, set: ChangeSetRow, direction: 'undo' | 'redo'): void {
  const events = db
    .prepare("SELECT action, item_type, item_id, before_json, after_json FROM audit_events WHERE change_set_id = ? AND action NOT IN ('undo','redo') ORDER BY at, rowid")
    .all(set.id) as AuditRow[];
  const summary = `${direction === 'undo' ? 'Undid' : 'Redid'}: ${set.summary}`;
  for (const e of events) {
    const before = e.before_json === null ? undefined : (JSON.parse(e.before_json) as unknown);
    const after = e.after_json === null ? undefined : (JSON.parse(e.after_json) as unknown);
    recordAudit(db, actor, direction, e.item_type, e.item_id, direction === 'undo' ? after : before, direction === 'undo' ? before : after, { changeSetId: set.id, summary });
  }
}

/** Undoes the latest change that is not undone yet. */
export function undo(db: CaseDb, actor: string): UndoState {
  const set = db.prepare("SELECT id, seq, at, summary, state FROM change_sets WHERE state = 'done' ORDER BY seq DESC LIMIT 1").get() as ChangeSetRow | undefined;
  if (!set) throw new CaseboardError('conflict', 'There is nothing to undo.');
  applyChangeSet(db, set.id, 'undo');
  db.prepare("UPDATE change_sets SET state = 'undone' WHERE id = ?").run(set.id);
  recordStep(db, actor, set, 'undo');
  return undoState(db);
}

/** Redoes the change undone most recently. */
export function redo(db: CaseDb, actor: string): UndoState {
  const set = db.prepare("SELECT id, seq, at, summary, state FROM change_sets WHERE state = 'undone' ORDER BY seq ASC LIMIT 1").get() as ChangeSetRow | undefined;
  if (!set) throw new CaseboardError('conflict', 'There is nothing to redo.');
  applyChangeSet(db, set.id, 'redo');
  db.prepare("UPDATE change_sets SET state = 'done' WHERE id = ?").run(set.id);
  recordStep(db, actor, set, 'redo');
  return undoState(db);
}

/** What Undo and Redo would do next. */
export function undoState(db: CaseDb): UndoState {
  const last = db.prepare("SELECT summary, at FROM change_sets WHERE state = 'done' ORDER BY seq DESC LIMIT 1").get() as { summary: string; at: string } | undefined;
  const next = db.prepare("SELECT summary, at FROM change_sets WHERE state = 'undone' ORDER BY seq ASC LIMIT 1").get() as { summary: string; at: string } | undefined;
  return { undo: last ?? null, redo: next ?? null };
}

// ---- The History view ----

interface HistoryDbRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  item_type: string;
  item_id: string;
  summary: string | null;
  change_set_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

const HISTORY_COLUMNS: ColumnMap = {
  at: 'at',
  actor: 'actor',
  action: 'action',
  itemType: 'item_type',
  summary: 'summary',
};

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** One page of the audit log, newest first unless sorted otherwise; optionally only one item's events. */
export function pageHistory(db: CaseDb, query: GridQuery & { itemId: string | null }): GridPage<HistoryRow> {
  const sql = gridToSql({ ...query, sort: query.sort.length ? query.sort : [{ colId: 'at', sort: 'desc' }] }, HISTORY_COLUMNS, ['summary', 'actor', 'itemType'], 'rowid DESC');
  let where = sql.where;
  const params = [...sql.params];
  if (query.itemId) {
    where = `${where ? `${where} AND` : 'WHERE'} item_id = ?`;
    params.push(query.itemId);
  }
  // Sorting "at" as text with NOCASE is still chronological: ISO timestamps have no letters that differ by case.
  const rows = db
    .prepare(`SELECT id, at, actor, action, item_type, item_id, summary, change_set_id, before_json, after_json FROM audit_events ${where} ${sql.orderBy} LIMIT ? OFFSET ?`)
    .all(...params, query.endRow - query.startRow, query.startRow) as HistoryDbRow[];
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_events ${where}`).get(...params) as { n: number }).n;
  return {
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      itemType: r.item_type,
      itemId: r.item_id,
      summary: r.summary,
      changeSetId: r.change_set_id,
      before: parseJson(r.before_json),
      after: parseJson(r.after_json),
    })),
    total,
  };
}
