import type { CaseDb } from '../case-file';
import { newId, now } from '../clock';
import { startChangeSet, type ChangeSet, type JournaledTable } from '../history';
import type { Statement } from 'better-sqlite3';

type Row = Record<string, unknown>;

/**
 * Writes many new rows as one undoable change set with statements prepared
 * once: what a bulk import needs to keep near the speed of a bare insert.
 * Rows must list every column of their table in the table's order, as the
 * journal stores them the way history.ts reads them back.
 */
export class BulkWriter {
  readonly cs: ChangeSet;
  private readonly inserts = new Map<string, Statement>();
  private readonly journal: Statement;

  constructor(
    private readonly db: CaseDb,
    actor: string,
    summary: string,
  ) {
    this.cs = startChangeSet(db, actor, summary);
    this.journal = db.prepare('INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES (?, ?, ?, ?, NULL, ?)');
  }

  insert(table: JournaledTable, row: Row): void {
    let statement = this.inserts.get(table);
    const names = Object.keys(row);
    if (!statement) {
      statement = this.db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      this.inserts.set(table, statement);
    }
    statement.run(...names.map((n) => row[n]));
    this.journal.run(this.cs.id, this.cs.next, table, String(row.id ?? row.name), JSON.stringify(row));
    this.cs.next += 1;
  }

  /** Records the import as one audit event, and drops the change set if nothing was written. */
  finish(summary: string, itemType: string): void {
    if (this.cs.next === 0) {
      this.db.prepare('DELETE FROM change_sets WHERE id = ?').run(this.cs.id);
      return;
    }
    this.db.prepare('UPDATE change_sets SET summary = ? WHERE id = ?').run(summary, this.cs.id);
    this.db
      .prepare('INSERT INTO audit_events (id, at, actor, action, item_type, item_id, before_json, after_json, change_set_id, summary) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)')
      .run(newId(), now(), this.cs.actor, 'create', itemType, this.cs.id, JSON.stringify({ rows: this.cs.next }), this.cs.id, summary);
  }
}
