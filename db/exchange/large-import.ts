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

/** Rows an entities or links import must be expected to add, and no fewer than the case holds of them, before it leaves those indexes out. */
export const LARGE_IMPORT_ROWS = 50_000;

/**
 * Leaves the indexes of entities or links out while an import of many of
 * them writes its rows, and builds them again at its end, inside the
 * import's transaction. An import is large when the rows it is expected to
 * add are at least LARGE_IMPORT_ROWS and at least as many as the case
 * already has of them. An import that updates the items it matches keeps
 * them: it rewrites rows already in the case, which was not measured.
 */
export class LargeImport {
  private readonly indexes: DeferredIndexes;
  private readonly degrees: DeferredIndexes | null;
  private decided = false;

  constructor(
    private readonly db: CaseDb,
    private readonly kind: 'entities' | 'links',
  ) {
    this.indexes = new DeferredIndexes(db, kind === 'entities' ? ENTITY_INDEXES_DEFERRED : LINK_INDEXES_DEFERRED);
    this.degrees = kind === 'links' ? new DeferredIndexes(db, LINK_DEGREES_DEFERRED) : null;
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
    return true;
  }

  /** Whether the indexes are left out. */
  get deferred(): boolean {
    return this.indexes.deferred;
  }

  /** Builds the indexes left out again, and for links counts every entity's links afresh before the trigger that keeps the counts is back. */
  finish(): void {
    this.indexes.restore();
    if (this.degrees?.deferred) {
      recountEntityDegrees(this.db);
      this.degrees.restore();
    }
  }
}
