import type { CaseDb } from '../core/case-file';

/**
 * What the entities' and the links' trigram indexes share as they catch up
 * with the rows their triggers marked: a row of `table` waits with
 * indexed = 0, and a row of the index to delete is listed in `table`_removed.
 */

/** A table whose rows a trigram index holds, marked by its triggers. */
export type TrigramSource = 'entity_search' | 'link_search';

/** Rows of a trigram index brought up to date by one statement of each kind. */
export const TRIGRAM_REFRESH_ROWS = 20_000;

/** Whether the trigram index holds `table` as it is now: no row waits and none is left to delete. */
export function trigramIndexCaughtUp(db: CaseDb, table: TrigramSource): boolean {
  return (db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE indexed = 0) AND NOT EXISTS (SELECT 1 FROM ${table}_removed)`).pluck().get() as number) === 1;
}

/**
 * Calls `each` with the bounds of each piece of the rows waiting (after, up
 * to and including last), TRIGRAM_REFRESH_ROWS rows at a time in order of id.
 *
 * A statement that changes rows inside a transaction keeps the pages it
 * changes as they were before it, in case it must be undone alone, and case
 * connections keep that in memory (temp_store): marking three million rows
 * of an import as indexed in one statement held a copy of every page of the
 * table, over 300 MB. In pieces, a statement keeps the pages of its piece.
 */
export function forEachWaitingPiece(db: CaseDb, table: TrigramSource, each: (after: number, last: number) => void): void {
  const pieceEnd = db.prepare(`SELECT max(id) FROM (SELECT id FROM ${table} WHERE indexed = 0 AND id > ? ORDER BY id LIMIT ${TRIGRAM_REFRESH_ROWS})`).pluck();
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const last = pieceEnd.get(after) as number | null;
    if (last === null) break;
    each(after, last);
    after = last;
  }
}
