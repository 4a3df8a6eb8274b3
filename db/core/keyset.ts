import type { CaseDb } from './case-file';
import { cachedRead } from './read-cache';

/**
 * Pages of a grid at any offset, read from a known row instead of counted from
 * the first. A page at row 500,000 read with OFFSET walks 500,000 index entries
 * every time; here the rows the walk passes every ANCHOR_STEP rows are kept
 * (their sort key and id, with their position), and a page starts from the
 * nearest kept row before it: the rest of its tie (`key = anchor AND id >=
 * anchor's id`), then `key > anchor`, two ranges the sort's index seeks to. Only a sort on one column
 * that holds no NULL, with the id after it in the same direction, is read so
 * (the order `gridOrder` gives such a column); the index on (column, id) then
 * serves both the range and the order.
 *
 * The kept rows are positions in one answer of the case as it is: they are
 * kept with the grid totals (db/core/read-cache.ts), per connection, and
 * forgotten when the case changes. A page read by keyset is the page OFFSET
 * would read, ties on the sort key included (the id breaks them in both).
 */

/** Rows between two kept anchors: a page at most this many rows past one walks no further. */
export const ANCHOR_STEP = 1000;

/** Anchors kept per grid query (with a step of 1,000: positions up to 20 million). */
const MAX_ANCHORS = 20_000;

/** One sorted, filtered selection of rows: what a grid shows for its current sort and filters. */
export interface KeysetQuery {
  /** `FROM table alias` with any joins the filter reads. */
  from: string;
  /** The filter: empty, or `WHERE …`. */
  where: string;
  params: readonly unknown[];
  /** The sort key as ORDER BY reads it, with its collation: `e.name COLLATE NOCASE`. Its column holds no NULL. */
  key: string;
  /** The row's id, the tie-breaker: `e.id`. */
  id: string;
  dir: 'ASC' | 'DESC';
}

interface Anchor {
  pos: number;
  key: unknown;
  id: string;
}

/** Kept rows of one query, by position. */
class Anchors {
  private readonly list: Anchor[] = [];

  /** The kept row at or nearest before `pos`. */
  before(pos: number): Anchor | null {
    let lo = 0;
    let hi = this.list.length - 1;
    let found: Anchor | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const anchor = this.list[mid] as Anchor;
      if (anchor.pos <= pos) {
        found = anchor;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  add(anchor: Anchor): void {
    if (this.list.length >= MAX_ANCHORS) return;
    const at = this.list.findIndex((a) => a.pos >= anchor.pos);
    if (at < 0) this.list.push(anchor);
    else if (this.list[at]?.pos !== anchor.pos) this.list.splice(at, 0, anchor);
  }
}

function andWhere(where: string, clause: string): string {
  return where ? `${where} AND ${clause}` : `WHERE ${clause}`;
}

/** The ids of rows `offset` to `offset + limit - 1` of the query, in its order. */
export function keysetPageIds(db: CaseDb, q: KeysetQuery, offset: number, limit: number): string[] {
  const order = `ORDER BY ${q.key} ${q.dir}, ${q.id} ${q.dir}`;
  const anchors = cachedRead(db, `keyset\u0000${q.from}\u0000${q.where}\u0000${order}\u0000${JSON.stringify(q.params)}`, () => new Anchors());
  const [past, from] = q.dir === 'ASC' ? ['>', '>='] : ['<', '<='];
  // Rows from the anchor on, the anchor included, in two ranges the sort's index seeks to: the rest of the anchor's
  // tie (same key, id from the anchor's on), then every row past its key. An import gives thousands of rows the same
  // time of change, so a tie is not walked from its start.
  const tie = andWhere(q.where, `${q.key} = ? AND ${q.id} ${from} ?`);
  const beyond = andWhere(q.where, `${q.key} ${past} ?`);
  const columns = `${q.id} AS id, ${q.key} AS k`;
  type Row = { id: string; k: unknown };
  const select = (where: string, params: readonly unknown[], take: number, skip: number) =>
    db.prepare(`SELECT ${columns} ${q.from} ${where} ${order} LIMIT ? OFFSET ?`).all(...params, take, skip) as Row[];
  const read = (anchor: Anchor | null, skip: number, take: number): Row[] => {
    if (!anchor) return select(q.where, q.params, take, skip);
    const inTie = select(tie, [...q.params, anchor.key, anchor.id], take, skip);
    if (inTie.length === take) return inTie;
    // The tie ended within skip + take rows: count it (no further than that) to know where past it the rest starts.
    const tieRows = db.prepare(`SELECT count(*) FROM (SELECT 1 ${q.from} ${tie} LIMIT ?)`).pluck().get(...q.params, anchor.key, anchor.id, skip + take) as number;
    return [...inTie, ...select(beyond, [...q.params, anchor.key], take - inTie.length, Math.max(0, skip - tieRows))];
  };

  let anchor = anchors.before(offset);
  // Far from any kept row: walk there a step at a time, keeping a row every ANCHOR_STEP, so later pages near here start close by.
  while (offset - (anchor?.pos ?? 0) > ANCHOR_STEP) {
    const base = anchor?.pos ?? 0;
    const next = read(anchor, ANCHOR_STEP, 1)[0];
    if (!next) break;
    anchor = { pos: base + ANCHOR_STEP, key: next.k, id: next.id };
    anchors.add(anchor);
  }
  const base = anchor?.pos ?? 0;
  const rows = read(anchor, offset - base, limit);
  const last = rows[rows.length - 1];
  // The page's last row: the next page read while scrolling starts from it.
  if (last && offset + rows.length - 1 > base) anchors.add({ pos: offset + rows.length - 1, key: last.k, id: last.id });
  return rows.map((r) => r.id);
}
