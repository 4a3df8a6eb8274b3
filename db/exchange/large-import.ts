import type { CaseDb } from '../core/case-file';
import { DeferredIndexes } from '../core/deferred-indexes';
import { recountEntityDegrees } from '../model/links';

/**
 * The indexes of entities an import of many of them builds again at its end
 * instead of keeping up row by row (see DeferredIndexes). A CSV import matches
 * rows by name key and a FollowTheMoney import by identifier, so those indexes
 * stay; none of these is read while the rows are written. The index of the
 * name index's rows by entity stays: new rows come in the order of their IDs,
 * so it only grows at its end, and sorting three million of them to build it
 * again held 250 MB.
 */
const ENTITY_INDEXES_DEFERRED = ['entities_name', 'entities_type', 'entities_country', 'entities_updated', 'entity_aliases_name'];

/**
 * What a links import of many of them leaves out while it writes its rows:
 * the indexes of links by their to end, type, dates and last change, and the
 * trigger that counts each entity's links with the index of those counts. The
 * index by the from end stays: a CSV import matches rows along it (see
 * LinksAlongFrom), and a FollowTheMoney import matches links by their FtM id.
 * Kept up row by row, each took a page of its own for a row's far end, or
 * wrote a page again for every row: a million links took 51 s of CPU time
 * with them and 35.6 s without, of which building them and counting the links
 * again at the end took 8 s.
 */
const LINK_INDEXES_DEFERRED = ['links_to', 'links_type', 'links_start', 'links_end', 'links_updated'];
const LINK_DEGREES_DEFERRED = ['links_degree_ai', 'entity_degrees_by_degree'];

/**
 * The triggers that write, for every new entity and alias, its row of the
 * name index (entity_search) and its mark for the mentions (mention_dirty);
 * and for every new link, its row of the links' text index (link_search). A
 * large import leaves them out while it writes its rows and writes what they
 * would have written at its end, a statement per table for a stretch of rows
 * (see fillEntityRows and fillLinkRows). A trigger runs a program of its own
 * for every row: a bare insert of a million entities took 22.6 to 24.3 s
 * with the two on entities and 14.3 to 15.5 s without them and one statement
 * each at the end, 1.5 to 2.0 s of it.
 */
const ENTITY_ROW_TRIGGERS = ['entities_search_ai', 'entities_mentions_ai', 'entity_aliases_search_ai', 'entity_aliases_mentions_ai'];
const LINK_ROW_TRIGGERS = ['links_search_ai'];

/** Rows written by one statement of the fill: a statement keeps the pages it changes that were in the file before it began, in memory, in case it must be undone alone. */
const FILL_ROWS = 100_000;

/**
 * From this rowid on the triggers stay. SQLite numbers a new row after the
 * last one until the largest rowid is taken, then picks free numbers at
 * random, and the rows after the last one before the import would no longer
 * be the import's; far below that, 2^53 - 1 is the last rowid a JavaScript
 * number holds exactly.
 */
const LAST_IN_ORDER_ROWID = 2 ** 53 - 1;

/** Rows an entities or links import must be expected to add, and no fewer than the case holds of them, before it leaves those indexes out. */
export const LARGE_IMPORT_ROWS = 50_000;

/**
 * Leaves the indexes of entities or links, and the triggers that write
 * derived rows for each new one, out while an import of many of them writes
 * its rows, and builds and writes them at its end, inside the import's
 * transaction. An import is large when the rows it is expected to
 * add are at least LARGE_IMPORT_ROWS and at least as many as the case
 * already has of them. An import that updates the items it matches keeps
 * them: it rewrites rows already in the case, which was not measured.
 */
export class LargeImport {
  private readonly indexes: DeferredIndexes;
  private readonly degrees: DeferredIndexes | null;
  private readonly rowTriggers: DeferredIndexes;
  /** The last rowid of each table the triggers left out cover, when they were left out: every row after it is new. */
  private readonly lastBefore = new Map<'entities' | 'entity_aliases' | 'links', number>();
  private decided = false;

  constructor(
    private readonly db: CaseDb,
    private readonly kind: 'entities' | 'links',
  ) {
    this.indexes = new DeferredIndexes(db, kind === 'entities' ? ENTITY_INDEXES_DEFERRED : LINK_INDEXES_DEFERRED);
    this.degrees = kind === 'links' ? new DeferredIndexes(db, LINK_DEGREES_DEFERRED) : null;
    this.rowTriggers = new DeferredIndexes(db, kind === 'entities' ? ENTITY_ROW_TRIGGERS : LINK_ROW_TRIGGERS);
  }

  /** Decides once, from the rows the import is expected to add, whether to leave the indexes out: true from the call that left them out, false from every other. Nothing may be reading from the case file at the time. */
  decide(expected: number): boolean {
    if (this.decided) return false;
    this.decided = true;
    if (expected < LARGE_IMPORT_ROWS) return false;
    const existing = this.db.prepare(`SELECT count(*) FROM ${this.kind}`).pluck().get() as number;
    if (expected < existing) return false;
    this.indexes.defer();
    this.degrees?.defer();
    const tables = this.kind === 'entities' ? (['entities', 'entity_aliases'] as const) : (['links'] as const);
    // Compared in SQL: a rowid past 2^53 would not come back exact as a JavaScript number.
    const last = tables.map((table) => this.db.prepare(`SELECT CASE WHEN max(rowid) >= ${LAST_IN_ORDER_ROWID} THEN NULL ELSE coalesce(max(rowid), 0) END FROM ${table}`).pluck().get() as number | null);
    if (last.every((rowid) => rowid !== null)) {
      tables.forEach((table, i) => this.lastBefore.set(table, last[i] as number));
      this.rowTriggers.defer();
    }
    return true;
  }

  /** Whether the indexes are left out. */
  get deferred(): boolean {
    return this.indexes.deferred;
  }

  /**
   * Builds the indexes left out again, writes what the triggers left out
   * would have written for the rows added, and for links counts every
   * entity's links afresh before the trigger that keeps the counts is back.
   */
  finish(): void {
    this.indexes.restore();
    if (this.rowTriggers.deferred) {
      if (this.kind === 'entities') fillEntityRows(this.db, this.lastBefore.get('entities') ?? 0, this.lastBefore.get('entity_aliases') ?? 0);
      else fillLinkRows(this.db, this.lastBefore.get('links') ?? 0);
      this.rowTriggers.restore();
    }
    if (this.degrees?.deferred) {
      recountEntityDegrees(this.db);
      this.degrees.restore();
    }
  }
}

/** Runs a statement, or `each`, with the bounds of each stretch of FILL_ROWS rowids of `table` after `after`, in order. */
function inStretches(db: CaseDb, table: string, after: number, each: string | ((from: number, to: number) => void)): void {
  const last = db.prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number;
  const run = typeof each === 'string' ? runner(db, each) : each;
  for (let from = after; from < last; from += FILL_ROWS) run(from, Math.min(from + FILL_ROWS, last));
}

/** A statement of two bounds, prepared once. */
function runner(db: CaseDb, sql: string): (from: number, to: number) => void {
  const statement = db.prepare(sql);
  return (from, to) => void statement.run(from, to);
}

/**
 * What the triggers on entities and aliases write for each new row, for the
 * rows after those rowids, in the order the rows were written: an entity's
 * row of the name index and its mark for the mentions; an alias's row of the
 * name index, and for an alias of an entity the case already had, that
 * entity's mark and the loss of its label (its row of the index is written
 * again). The rows of the name index wait for the index (indexed = 0) as the
 * triggers leave them.
 */
function fillEntityRows(db: CaseDb, entitiesAfter: number, aliasesAfter: number): void {
  inStretches(
    db,
    'entities',
    entitiesAfter,
    `INSERT INTO entity_search (entity_id, name, other, name_key)
     SELECT id, name, concat_ws(char(10), subtype, description, tags), name_key FROM entities WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
  );
  inStretches(db, 'entities', entitiesAfter, "INSERT OR IGNORE INTO mention_dirty (kind, item_id) SELECT 'entity', id FROM entities WHERE rowid > ? AND rowid <= ? ORDER BY rowid");
  inStretches(
    db,
    'entity_aliases',
    aliasesAfter,
    'INSERT INTO entity_search (entity_id, alias_id, alias, name_key) SELECT entity_id, id, name, name_key FROM entity_aliases WHERE rowid > ? AND rowid <= ? ORDER BY rowid',
  );
  // A new entity is marked already and has no label yet. Entities the case had before are looked for only when there were some
  // (the CSV and FtM imports add aliases to them only when they update what they match, and such an import is never large).
  if (entitiesAfter === 0) return;
  const olderOf = db
    .prepare(`SELECT DISTINCT a.entity_id FROM entity_aliases a WHERE a.rowid > ? AND a.rowid <= ? AND EXISTS (SELECT 1 FROM entities e WHERE e.id = a.entity_id AND e.rowid <= ${entitiesAfter})`)
    .pluck();
  const mark = db.prepare("INSERT OR IGNORE INTO mention_dirty (kind, item_id) SELECT 'entity', value FROM json_each(?)");
  const unlabel = db.prepare('DELETE FROM entity_labels WHERE entity_id IN (SELECT value FROM json_each(?))');
  inStretches(db, 'entity_aliases', aliasesAfter, (from, to) => {
    const older = olderOf.all(from, to) as string[];
    if (older.length === 0) return;
    mark.run(JSON.stringify(older));
    unlabel.run(JSON.stringify(older));
  });
}

/**
 * What the trigger on links writes for each new link, for the links after
 * that rowid: its row of the links' text index. The rows are put in the
 * trigram index at once, a stretch at a time, as migration 141 filled it,
 * and written as indexed: left waiting, the index would catch up with them
 * before the commit and then mark each row again (1.4 s of a million links'
 * import, against 0.08 s at 100,000).
 */
function fillLinkRows(db: CaseDb, linksAfter: number): void {
  const lastRow = db.prepare('SELECT coalesce(max(id), 0) FROM link_search').pluck();
  const add = db.prepare("INSERT INTO link_search (link_id, text, indexed) SELECT id, concat_ws(char(10), type, notes, tags), 1 FROM links WHERE rowid > ? AND rowid <= ? ORDER BY rowid");
  const index = db.prepare('INSERT INTO link_search_fts (rowid, text) SELECT id, text FROM link_search WHERE id > ?');
  inStretches(db, 'links', linksAfter, (from, to) => {
    const before = lastRow.get() as number;
    add.run(from, to);
    index.run(before);
  });
}
