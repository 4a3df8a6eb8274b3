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
  /** Long lists of ids (see cachedIds), few of them. */
  lists: Map<string, readonly string[]>;
}

const kept = new WeakMap<CaseDb, Kept>();
/** At most this many answers per connection; the oldest go first. */
const LIMIT = 200;
/** At most this many lists of ids per connection, and none longer than MAX_IDS. */
const LIST_LIMIT = 2;
const MAX_IDS = 300_000;

function changeMarker(db: CaseDb): string {
  const row = db.prepare('SELECT total_changes() AS own').get() as { own: number };
  return `${db.pragma('data_version', { simple: true }) as number}:${row.own}`;
}

function current(db: CaseDb): Kept {
  const marker = changeMarker(db);
  let entry = kept.get(db);
  if (!entry || entry.marker !== marker) {
    entry = { marker, values: new Map(), lists: new Map() };
    kept.set(db, entry);
  }
  return entry;
}

/** The answer `compute` gives for `key`, computed again only after the case changed. */
export function cachedRead<T>(db: CaseDb, key: string, compute: () => T): T {
  // A read-only connection's transaction (the read thread runs each read in one, for a consistent view) reads
  // the snapshot data_version names, and cannot be rolled back into something else: what it computes is kept.
  if (db.inTransaction && !db.readonly) return compute();
  const entry = current(db);
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

/**
 * The ids a query selects, in its order, read once per change of the case
 * and kept while they are few enough (MAX_IDS); null when there are more,
 * which are not kept.
 */
export function cachedIds(db: CaseDb, sql: string, params: readonly unknown[]): readonly string[] | null {
  const key = `${sql}\u0000${JSON.stringify(params)}`;
  const keep = !(db.inTransaction && !db.readonly);
  const entry = keep ? current(db) : null;
  const found = entry?.lists.get(key);
  if (found) {
    // The most recently used list is the last to go.
    entry?.lists.delete(key);
    entry?.lists.set(key, found);
    return found;
  }
  const ids = db.prepare(`${sql} LIMIT ${MAX_IDS + 1}`).pluck().all(...params) as string[];
  if (ids.length > MAX_IDS) return null;
  if (entry) {
    if (entry.lists.size >= LIST_LIMIT) {
      const oldest = entry.lists.keys().next();
      if (!oldest.done) entry.lists.delete(oldest.value);
    }
    entry.lists.set(key, ids);
  }
  return ids;
}

/** Drops what this connection keeps, so that the next read computes again (for tests of query plans). */
export function forgetCachedReads(db: CaseDb): void {
  kept.delete(db);
}
