import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../core/case-file';
import { ImportIds } from './ids';
import { audit, BulkInsertJournal, describeChangeSet, type ChangeSet, type JournaledTable } from '../core/journal';

type Row = Record<string, unknown>;

/**
 * Writes many new rows as one undoable change set, with statements prepared
 * once and a compact journal (the added rows' ids, in chunks): what a bulk
 * import needs to keep near the speed of a bare insert. Every row of one
 * table must name the same columns in the same order.
 */
export class BulkWriter {
  readonly cs: ChangeSet;
  private readonly inserts = new Map<string, { statement: Statement; names: string[] }>();
  private readonly journal: BulkInsertJournal;
  private rows = 0;
  private readonly ids = new ImportIds();

  constructor(
    private readonly db: CaseDb,
    cs: ChangeSet,
  ) {
    this.cs = cs;
    this.journal = new BulkInsertJournal(db, this.cs);
  }

  /** A new ID for a row this writer adds. */
  newId(): string {
    return this.ids.next();
  }

  /** Inserts a row and journals it; returns its row number. */
  insert(table: JournaledTable, row: Row): number {
    let prepared = this.inserts.get(table);
    if (!prepared) {
      const names = Object.keys(row);
      prepared = { statement: this.db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`), names };
      this.inserts.set(table, prepared);
    }
    const { statement, names } = prepared;
    const values = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i += 1) values[i] = row[names[i] as string];
    const { lastInsertRowid } = statement.run(values);
    this.journal.add(table, String(row.id));
    this.rows += 1;
    return Number(lastInsertRowid);
  }

  /** Writes the rest of the journal and records the import as one audit event; the runner drops the change set if nothing was written. */
  finish(summary: string, itemType: string): void {
    this.journal.flush();
    // Rows changed one by one (an update of a matched item, a new technology area) are journaled apart and count too.
    if (this.rows === 0 && this.cs.next === 0) return;
    describeChangeSet(this.db, this.cs, summary);
    audit(this.db, this.cs, 'create', itemType, this.cs.id, undefined, { rows: this.rows });
  }
}
