import type { CaseDb } from './case-file';

/**
 * Answers that take a scan of a large table (a grid's total for a filter, the
 * Overview's counts), kept per connection until the case changes. A change is
 * seen cheaply and exactly: SQLite's data_version moves when another
 * connection commits (the writer, for the read thread; the command line or a
 * merge, for the writer), and total_changes() when this connection writes.
 * Nothing is kept from inside a writing transaction, which may still be rolled back.
 */
interface Kept {
  marker: string;
  values: Map<string, unknown>;
}

const kept = new WeakMap<CaseDb, Kept>();
/** At most this many answers per connection; the oldest go first. */
const LIMIT = 200;

function changeMarker(db: CaseDb): string {
  const row = db.prepare('SELECT total_changes() AS own').get() as { own: number };
  return `${db.pragma('data_version', { simple: true }) as number}:${row.own}`;
}

/** The answer `compute` gives for `key`, computed again only after the case changed. */
export function cachedRead<T>(db: CaseDb, key: string, compute: () => T): T {
  // A read-only connection's transaction (the read thread runs each read in one, for a consistent view) reads
  // the snapshot data_version names, and cannot be rolled back into something else: what it computes is kept.
  if (db.inTransaction && !db.readonly) return compute();
  const marker = changeMarker(db);
  let entry = kept.get(db);
  if (!entry || entry.marker !== marker) {
    entry = { marker, values: new Map() };
    kept.set(db, entry);
  }
  if (entry.values.has(key)) return entry.values.get(key) as T;
  const value = compute();
  if (entry.values.size >= LIMIT) {
    const oldest = entry.values.keys().next();
    if (!oldest.done) entry.values.delete(oldest.value);
  }
  entry.values.set(key, value);
  return value;
}

/** `SELECT count(*) …` with its parameters, counted once per change of the case. */
export function cachedCount(db: CaseDb, sql: string, params: readonly unknown[] = []): number {
  return cachedRead(db, `${sql}\u0000${JSON.stringify(params)}`, () => db.prepare(sql).pluck().get(...params) as number);
}

/** Drops what this connection keeps, so that the next read computes again (for tests of query plans). */
export function forgetCachedReads(db: CaseDb): void {
  kept.delete(db);
}
