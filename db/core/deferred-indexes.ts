import type { CaseDb } from './case-file';

/**
 * Secondary indexes a large import leaves out while it writes its rows, and
 * builds again, by sorting, before its transaction ends; and triggers that
 * keep derived data, which the import then brings up to date in one pass. An
 * index kept up row by row puts each new row in its place: a name index
 * takes a random page for every row, and once the index outgrows SQLite's
 * cache each of those is a page read and later written again. Built at the end, it is one sort and
 * pages written in order. A bare insert of a million entities with every
 * index took 25.3 s; without the four indexes of entities that an import
 * leaves out, 15.6 s, and building those four again 4.3 s.
 *
 * The indexes are dropped and made again inside the operation's transaction:
 * no other connection ever sees the case without them, and if the import
 * fails or is cancelled, rolling back puts them back as they were. They are
 * made again from their own SQL in the case file's schema, which the open
 * checked to be exactly what the migrations wrote.
 */
export class DeferredIndexes {
  private dropped: { type: 'index' | 'trigger'; name: string; sql: string }[] = [];

  constructor(
    private readonly db: CaseDb,
    private readonly names: readonly string[],
  ) {}

  /** Whether the indexes are left out now. */
  get deferred(): boolean {
    return this.dropped.length > 0;
  }

  /** Drops the indexes and triggers named (those the case has); nothing may be reading from the case file at the time. */
  defer(): void {
    if (this.deferred) return;
    const found = this.db
      .prepare(`SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND name IN (${this.names.map(() => '?').join(', ')})`)
      .all(...this.names) as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const { type, name } of found) this.db.exec(`DROP ${type === 'index' ? 'INDEX' : 'TRIGGER'} "${name.replaceAll('"', '""')}"`);
    this.dropped = found;
  }

  /** Builds the indexes again and puts the triggers back, each from its own SQL. */
  restore(): void {
    for (const { sql } of this.dropped) this.db.exec(sql);
    this.dropped = [];
  }
}
