import type { Statement } from 'better-sqlite3';
import { CaseboardError } from '../../shared/errors';
import type { GridPage, GridQuery } from '../../shared/grid-query';
import type { HistoryRow, UndoState } from '../../shared/model';
import { recordAudit, type AuditAction } from './audit';
import type { CaseDb } from './case-file';
import { newId, now } from './clock';
import { gridToSql, type ColumnMap } from './grid-sql';
import { describeRow, keyOf, keyValues, keyWhere, REFERENCES, TABLES, type JournaledTable, type TableFacts } from './tables';

export { JOURNALED_TABLES, type JournaledTable } from './tables';

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

const statementCache = new WeakMap<CaseDb, Map<string, Statement>>();

/** A statement prepared once per connection: undo of a large change runs the same few statements many times. */
function statement(db: CaseDb, sql: string): Statement {
  let perDb = statementCache.get(db);
  if (!perDb) {
    perDb = new Map();
    statementCache.set(db, perDb);
  }
  let prepared = perDb.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    perDb.set(sql, prepared);
  }
  return prepared;
}

/** Columns of an attached file the journal keeps as JSON; its bytes go in change_rows.content instead. */
function attachmentColumns(db: CaseDb): string[] {
  return [...columnsOf(db, 'attachments')].filter((c) => c !== 'content');
}

function readRow(db: CaseDb, table: JournaledTable, key: string): Row | undefined {
  if (table !== 'attachments') return statement(db, `SELECT * FROM ${table} WHERE ${keyWhere(table)}`).get(...keyValues(table, key)) as Row | undefined;
  // An attached file is journaled with its extracted pages; its bytes are compared by their SHA-256.
  const row = statement(db, `SELECT ${attachmentColumns(db).join(', ')} FROM attachments WHERE id = ?`).get(key) as Row | undefined;
  if (row) row.pages = statement(db, 'SELECT page, text FROM attachment_pages WHERE attachment_id = ? ORDER BY page').all(key);
  return row;
}

function writeChange(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string, before: Row | undefined, after: Row | undefined): void {
  statement(db, 'INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)').run(
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
  statement(db, `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => row[n]));
}

function rawUpdate(db: CaseDb, table: JournaledTable, key: string, row: Row): void {
  if (table === 'attachments') throw new Error('Attached files are added or removed, never changed, through the journal.');
  const keyColumns: readonly string[] = TABLES[table].key;
  const names = checkedColumns(db, table, row).filter((n) => !keyColumns.includes(n));
  if (names.length === 0) return;
  statement(db, `UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE ${keyWhere(table)}`).run(...names.map((n) => row[n]), ...keyValues(table, key));
}

function rawDelete(db: CaseDb, table: JournaledTable, key: string): void {
  statement(db, `DELETE FROM ${table} WHERE ${keyWhere(table)}`).run(...keyValues(table, key));
}

function isView(table: JournaledTable): boolean {
  const facts: TableFacts = TABLES[table];
  return facts.view === true;
}

/**
 * Puts an attached file back from its journal row: the columns and pages from
 * the JSON, the bytes from change_rows.content, which is then emptied (the
 * bytes live in the case again).
 */
function restoreAttachment(db: CaseDb, changeSetId: string, seq: number, row: Row): void {
  const names = attachmentColumns(db);
  statement(db, `INSERT INTO attachments (${names.join(', ')}, content) SELECT ${names.map(() => '?').join(', ')}, content FROM change_rows WHERE change_set_id = ? AND seq = ? AND content IS NOT NULL`).run(
    ...names.map((n) => row[n] ?? null),
    changeSetId,
    seq,
  );
  if (!statement(db, 'SELECT 1 FROM attachments WHERE id = ?').get(row.id)) throw new Error(`The journal holds no bytes for the attached file ${String(row.id)}.`);
  for (const page of (row.pages as { page: number; text: string }[] | undefined) ?? []) {
    statement(db, 'INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)').run(row.id, page.page, page.text);
  }
  statement(db, 'UPDATE change_rows SET content = NULL WHERE change_set_id = ? AND seq = ?').run(changeSetId, seq);
}

/** Takes an attached file out of the case, keeping its bytes in its journal row. Its pages and search entries go with it. */
function removeAttachment(db: CaseDb, changeSetId: string, seq: number, id: string): void {
  statement(db, 'UPDATE change_rows SET content = (SELECT content FROM attachments WHERE id = ?) WHERE change_set_id = ? AND seq = ?').run(id, changeSetId, seq);
  rawDelete(db, 'attachments', id);
}

/** Inserts a row and journals it. */
export function insertRow(db: CaseDb, cs: ChangeSet, table: JournaledTable, row: Row): void {
  if (table === 'attachments') throw new Error('Attached files are added with insertAttachment.');
  rawInsert(db, table, row);
  const key = keyOf(table, row);
  writeChange(db, cs, table, key, undefined, readRow(db, table, key));
}

/** Adds an attached file (bytes and extracted pages) and journals it; Undo keeps the bytes in the journal so Redo can bring them back. */
export function insertAttachment(db: CaseDb, cs: ChangeSet, row: Row, pages: readonly { page: unknown; text: unknown }[]): void {
  const names = checkedColumns(db, 'attachments', row);
  statement(db, `INSERT INTO attachments (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => row[n]));
  for (const page of pages) statement(db, 'INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)').run(row.id, page.page, page.text);
  const key = String(row.id);
  writeChange(db, cs, 'attachments', key, undefined, readRow(db, 'attachments', key));
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

/**
 * Journals what SQLite would do on its own when a row goes: rows that refer
 * to it with ON DELETE CASCADE are deleted (with what refers to them), and
 * SET NULL references are emptied, so that Undo can put all of it back.
 */
function deleteDependents(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string): void {
  if (TABLES[table].key.length !== 1) return;
  for (const ref of REFERENCES) {
    if (ref.parent !== table || ref.onDelete === 'restrict') continue;
    const keyColumns = TABLES[ref.table].key.join(', ');
    const children = statement(db, `SELECT ${keyColumns} FROM ${ref.table} WHERE ${ref.column} = ?`).all(key) as Row[];
    for (const child of children) {
      const childKey = keyOf(ref.table, child);
      if (ref.onDelete === 'cascade') deleteRow(db, cs, ref.table, childKey);
      else updateRow(db, cs, ref.table, childKey, { [ref.column]: null });
    }
  }
}

/** Deletes a row, and the rows SQLite would take or change with it, and journals them; returns the row as it was. */
export function deleteRow(db: CaseDb, cs: ChangeSet, table: JournaledTable, key: string): Row {
  if (!readRow(db, table, key)) throw new CaseboardError('not_found', 'That item is no longer in the case; it may have been deleted.');
  deleteDependents(db, cs, table, key);
  // Read once its dependents are journaled: this is the row Undo puts back last.
  const before = readRow(db, table, key) as Row;
  if (table === 'attachments') {
    const seq = cs.next;
    writeChange(db, cs, table, key, before, undefined);
    removeAttachment(db, cs.id, seq, key);
  } else {
    rawDelete(db, table, key);
    writeChange(db, cs, table, key, before, undefined);
  }
  return before;
}

/** How many ids one compact journal row lists. */
const BULK_CHUNK = 5000;

/** The marker that starts the after_json of a compact journal row. */
const BULK_MARK = '{"$bulk":';

interface BulkRecord {
  /** Ids of the rows the operation added, in the order it added them. */
  $bulk: string[];
  /** The rows themselves, kept by the first Undo so that Redo can add them again. */
  $rows?: Row[];
}

/**
 * Journals many added rows compactly: one change row per table and chunk
 * lists their ids, instead of one row with a JSON copy each. What a bulk
 * import needs to stay near the speed of a bare insert. Undo deletes the
 * listed rows (keeping a copy for Redo). Rows must be added parents first;
 * chunks are written in the order their tables first appeared, all at once,
 * so that Undo, going backwards, removes children before their parents.
 */
export class BulkInsertJournal {
  private readonly pending = new Map<JournaledTable, string[]>();
  private count = 0;

  constructor(
    private readonly db: CaseDb,
    private readonly cs: ChangeSet,
  ) {}

  /** Records that a row with this key was added. */
  add(table: JournaledTable, key: string): void {
    if (table === 'attachments') throw new Error('Attached files are journaled one by one, with their bytes.');
    let ids = this.pending.get(table);
    if (!ids) {
      ids = [];
      this.pending.set(table, ids);
    }
    ids.push(key);
    this.count += 1;
    if (this.count >= BULK_CHUNK) this.flush();
  }

  /** Writes what is pending; call once the last row is added. */
  flush(): void {
    for (const [table, ids] of this.pending) {
      if (ids.length === 0) continue;
      writeBulk(this.db, this.cs, table, { $bulk: ids });
      this.pending.set(table, []);
    }
    this.count = 0;
  }
}

function writeBulk(db: CaseDb, cs: ChangeSet, table: JournaledTable, record: BulkRecord): void {
  statement(db, 'INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES (?, ?, ?, ?, NULL, ?)').run(
    cs.id,
    cs.next,
    table,
    record.$bulk[0] ?? '',
    JSON.stringify(record),
  );
  cs.next += 1;
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

/**
 * Ends an operation's change set inside its transaction: dropped when no row
 * changed; otherwise it has at least one audit event (its summary), so the
 * History view and whatever watches the audit log see every change.
 */
export function closeChangeSet(db: CaseDb, cs: ChangeSet): void {
  if (cs.next === 0) {
    dropIfEmpty(db, cs);
    return;
  }
  if (!statement(db, 'SELECT 1 FROM audit_events WHERE change_set_id = ? LIMIT 1').get(cs.id)) {
    recordAudit(db, cs.actor, 'update', 'case', cs.id, undefined, undefined, { changeSetId: cs.id, summary: cs.summary });
  }
}

/**
 * Runs one user change as one change set: started, written through, then
 * closed (see closeChangeSet). Call inside the change's transaction; the
 * operation runner does so for every writing operation.
 */
export function inChangeSet<R>(db: CaseDb, actor: string, summary: string, work: (cs: ChangeSet) => R): R {
  const cs = startChangeSet(db, actor, summary);
  const result = work(cs);
  closeChangeSet(db, cs);
  return result;
}

/** An item's name as a change's one line quotes it, cut short as the Overview lists it. */
export function quoteName(name: string): string {
  return `“${name.length > 80 ? `${name.slice(0, 79)}…` : name}”`;
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

/**
 * Moves every row of a change set from one side to the other: for undo from
 * "after" back to "before" in reverse order, for redo forwards. Each row must
 * still be as the change set left it; otherwise the step is refused whole.
 */
function applyChangeSet(db: CaseDb, changeSetId: string, direction: 'undo' | 'redo'): void {
  const rows = statement(db, 'SELECT seq, table_name, row_id, before_json, after_json FROM change_rows WHERE change_set_id = ? ORDER BY seq').all(changeSetId) as ChangeRow[];
  if (direction === 'undo') rows.reverse();
  // Each step in reverse leaves the case as it was at some moment of the original
  // operation, so foreign keys hold after every statement unless something outside
  // the history (deleting a source, say) removed an item the change refers to.
  const verb = direction === 'undo' ? 'undone' : 'redone';
  for (const change of rows) {
    if (change.before_json === null && change.after_json?.startsWith(BULK_MARK)) {
      applyBulk(db, changeSetId, change, direction);
      continue;
    }
    const before = change.before_json ? (JSON.parse(change.before_json) as Row) : undefined;
    const after = change.after_json ? (JSON.parse(change.after_json) as Row) : undefined;
    const [from, to] = direction === 'undo' ? [after, before] : [before, after];
    const current = readRow(db, change.table_name, change.row_id);
    if (isView(change.table_name)) {
      // View data moves without undo; put it back as it was, whatever it is now.
      rawDelete(db, change.table_name, change.row_id);
      if (to) rawInsert(db, change.table_name, to);
      continue;
    }
    if (!sameRow(current, from)) {
      throw new CaseboardError('conflict', `This change cannot be ${verb}: ${describeRow(change.table_name, from ?? current)} was changed or deleted since, outside the undo history.`);
    }
    try {
      if (change.table_name === 'attachments') {
        if (!to) removeAttachment(db, changeSetId, change.seq, change.row_id);
        else if (!from) restoreAttachment(db, changeSetId, change.seq, to);
        else rawUpdate(db, change.table_name, change.row_id, to);
      } else if (!to) rawDelete(db, change.table_name, change.row_id);
      else if (!from) rawInsert(db, change.table_name, to);
      else rawUpdate(db, change.table_name, change.row_id, to);
    } catch (error) {
      throw constraintConflict(error, verb, change.table_name, to ?? from);
    }
  }
}

function constraintConflict(error: unknown, verb: string, table: JournaledTable, row: Row | undefined): unknown {
  if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
    return new CaseboardError('conflict', `This change cannot be ${verb}: ${describeRow(table, row)} refers to an item (such as a cited excerpt or its source) that has been deleted since.`);
  }
  return error;
}

/**
 * Undo of a compact journal row deletes the rows it lists, last first, and
 * keeps a copy of them in the journal row; Redo adds that copy back.
 */
function applyBulk(db: CaseDb, changeSetId: string, change: ChangeRow, direction: 'undo' | 'redo'): void {
  const record = JSON.parse(change.after_json ?? '{}') as BulkRecord;
  const table = change.table_name;
  const select = statement(db, `SELECT * FROM ${table} WHERE ${keyWhere(table)}`);
  const verb = direction === 'undo' ? 'undone' : 'redone';
  if (direction === 'undo') {
    const kept: Row[] = new Array<Row>(record.$bulk.length);
    const remove = statement(db, `DELETE FROM ${table} WHERE ${keyWhere(table)}`);
    for (let i = record.$bulk.length - 1; i >= 0; i -= 1) {
      const id = record.$bulk[i] as string;
      const current = select.get(...keyValues(table, id)) as Row | undefined;
      const expected = record.$rows?.[i];
      if (!current || (expected && !sameRow(current, expected))) {
        throw new CaseboardError('conflict', `This change cannot be undone: ${describeRow(table, expected ?? current)} was changed or deleted since, outside the undo history.`);
      }
      kept[i] = current;
      try {
        remove.run(...keyValues(table, id));
      } catch (error) {
        throw constraintConflict(error, verb, table, current);
      }
    }
    if (!record.$rows) statement(db, 'UPDATE change_rows SET after_json = ? WHERE change_set_id = ? AND seq = ?').run(JSON.stringify({ $bulk: record.$bulk, $rows: kept }), changeSetId, change.seq);
    return;
  }
  if (!record.$rows) throw new Error('A compact journal row was redone before it was undone.');
  for (const row of record.$rows) {
    if (select.get(...keyValues(table, keyOf(table, row)))) throw new CaseboardError('conflict', `This change cannot be redone: ${describeRow(table, row)} is in the case again.`);
    try {
      rawInsert(db, table, row);
    } catch (error) {
      throw constraintConflict(error, verb, table, row);
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
