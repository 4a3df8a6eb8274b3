import type { CaseDb } from '../core/case-file';
import { forEachWaitingPiece, TRIGRAM_REFRESH_ROWS, trigramIndexCaughtUp } from './trigram-catch-up';

/**
 * Bringing the entities' trigram index up to date, one row per entity
 * numbered in name order (see migration 143).
 *
 * Each entity's label rises with its name (case aside in ASCII) and then its
 * ID, the order of the entities grid, so the index returns a word's entities
 * already sorted by name. An entity the triggers marked (new, renamed, an
 * alias added, changed or removed) has lost its label: it takes one between
 * the labels of the entities before and after it by name, and its row of the
 * index is written again. Entities that fall together between the same two
 * neighbours (an import of names that sort together) share the room between
 * them evenly; past the last name or before the first, they follow on
 * LABEL_STEP apart. When there is no room left, the entities on either side
 * give theirs up and the whole stretch is spread again, widened until it
 * leaves SPREAD_STEP per entity or reaches the first or the last name. When
 * most of the case changed at once (an import into an empty case), every
 * entity is numbered afresh.
 */

/** Labels lie strictly between -LABEL_END and LABEL_END (2^53 - 1: every label is exact as a JavaScript number). */
export const LABEL_END = 9_007_199_254_740_991;

/**
 * Room between neighbours' labels when entities are numbered afresh or a
 * stretch is spread again, and between entities added after the last name or
 * before the first. Small, because the index stores each row number as its
 * difference from the one before in as few bytes as it fits: spread across
 * the whole range, the labels made the index 28 % larger than row numbers 1,
 * 2, 3 did. 64 leaves room for six entities in a row to fall between the
 * same two neighbours one at a time before the stretch is spread again.
 */
export const LABEL_STEP = 64;

/**
 * Room per entity a stretch spread again must have: less than LABEL_STEP, or
 * a stretch among entities LABEL_STEP apart could never be widened enough.
 */
const SPREAD_STEP = LABEL_STEP / 4;

/** Entities read at a time while walking the name order. */
const WALK_ROWS = 256;

/** The rows of entity_search waiting for the index, read off the index of them (SQLite otherwise chose to read every row in entity order for DISTINCT). */
const WAITING_ROWS = 'entity_search INDEXED BY entity_search_not_indexed WHERE indexed = 0';

interface Named {
  id: string;
  name: string;
  label: number | null;
}

/**
 * Brings entity_search_fts up to date with entity_search and the entities'
 * labels. Called by refreshNameIndex before every writing operation commits.
 */
export function refreshEntityNameIndex(db: CaseDb): void {
  if (trigramIndexCaughtUp(db, 'entity_search')) return;
  const waiting = db.prepare(`SELECT count(*) FROM (SELECT DISTINCT entity_id FROM ${WAITING_ROWS})`).pluck().get() as number;
  // Numbering every entity afresh costs a pass over the case; it pays when the entities waiting are a good part of it.
  if (waiting > 10_000 && waiting * 4 > (db.prepare('SELECT count(*) FROM entity_labels').pluck().get() as number)) renumberAll(db);
  else if (waiting > 0) labelWaiting(db);
  else deleteRemoved(db);
  markIndexed(db);
}

/** Deletes the index rows of labels taken away since it last caught up. */
function deleteRemoved(db: CaseDb): void {
  db.prepare('DELETE FROM entity_search_fts WHERE rowid IN (SELECT id FROM entity_search_removed)').run();
  db.prepare('DELETE FROM entity_search_removed').run();
}

/** Marks every row of entity_search as held by the index, a piece at a time (see forEachWaitingPiece for why). */
function markIndexed(db: CaseDb): void {
  const mark = db.prepare('UPDATE entity_search SET indexed = 1 WHERE indexed = 0 AND id > ? AND id <= ?');
  forEachWaitingPiece(db, 'entity_search', (after, last) => mark.run(after, last));
}

/** What an entity's row of the index holds, from its rows of entity_search (the entity's own, and one per alias). */
const ROW_TEXT = `o.name, coalesce((SELECT group_concat(a.alias, char(10)) FROM entity_search a WHERE a.entity_id = o.entity_id AND a.alias_id IS NOT NULL), ''), o.other,
  coalesce((SELECT group_concat(k.name_key, char(10)) FROM entity_search k WHERE k.entity_id = o.entity_id), '')`;

/**
 * Writes the index rows of these labelled entities. Rows go in by label:
 * FTS5 writes what it holds to disk whenever a row number is lower than the
 * one before, so rows in any other order cost a write each.
 */
function fillRows(db: CaseDb, ids: readonly string[]): void {
  const fill = db.prepare(
    `INSERT INTO entity_search_fts (rowid, name, alias, other, key) SELECT l.label, ${ROW_TEXT}
     FROM json_each(?) j CROSS JOIN entity_labels l CROSS JOIN entity_search o WHERE l.entity_id = j.value AND o.entity_id = l.entity_id AND +o.alias_id IS NULL ORDER BY l.label`,
  );
  for (let i = 0; i < ids.length; i += TRIGRAM_REFRESH_ROWS) fill.run(JSON.stringify(ids.slice(i, i + TRIGRAM_REFRESH_ROWS)));
}

/** Every entity numbered afresh in name order, LABEL_STEP apart, and the whole index written again. */
function renumberAll(db: CaseDb): void {
  db.prepare('DELETE FROM entity_labels').run();
  db.prepare("INSERT INTO entity_search_fts (entity_search_fts) VALUES ('delete-all')").run();
  db.prepare('DELETE FROM entity_search_removed').run();
  // Put in by ID: in label order every row went to a random place of the index of IDs, twice as slow at a million.
  db.prepare(
    `INSERT INTO entity_labels (label, entity_id)
     SELECT label, id FROM (SELECT row_number() OVER (ORDER BY name COLLATE NOCASE, id) * ${LABEL_STEP} AS label, id FROM entities) ORDER BY id`,
  ).run();
  // In pieces of entities by ID, which is nearly the order their rows were written in, each piece grouped and put in by label.
  const pieceEnd = db.prepare(`SELECT max(entity_id) FROM (SELECT entity_id FROM entity_labels WHERE entity_id > ? ORDER BY entity_id LIMIT ${RENUMBER_PIECE_ROWS})`).pluck();
  const fill = db.prepare(
    `INSERT INTO entity_search_fts (rowid, name, alias, other, key)
     SELECT l.label, g.name, g.alias, g.other, g.key FROM (
       SELECT entity_id, max(name) AS name, coalesce(group_concat(CASE WHEN alias_id IS NOT NULL THEN alias END, char(10)), '') AS alias,
         max(other) AS other, group_concat(name_key, char(10)) AS key
       FROM entity_search WHERE entity_id > ? AND entity_id <= ? GROUP BY entity_id
     ) g CROSS JOIN entity_labels l WHERE l.entity_id = g.entity_id ORDER BY l.label`,
  );
  withFtsBuffer(db, BULK_HASH_BYTES, () => {
    for (let after = ''; ; ) {
      const last = pieceEnd.get(after) as string | null;
      if (last === null) break;
      fill.run(after, last);
      after = last;
    }
  });
}

/**
 * Entities whose rows of the index are written together when every entity is
 * numbered afresh. Each piece starts below the labels of the one before, and
 * FTS5 writes out what it holds whenever a row number is lower than the one
 * before: every piece becomes a segment of the index, and segments are merged
 * again and again as they add up. A million entities took 9.2 to 9.7 s in
 * pieces of 20,000, 7.2 s in pieces of 100,000 (a piece's rows are sorted by
 * label in memory: 17 MB more at the peak) and 5.8 s in one piece (150 MB more).
 */
export const RENUMBER_PIECE_ROWS = 100_000;

/**
 * FTS5's buffer of new rows, in bytes, while every entity's row is written
 * again: a piece of plain names fits, so the index is written once a piece,
 * and a piece of long texts is written when the buffer is full. With the
 * default of 1 MB the index was written many times a piece, and its segments
 * merged again and again: 13.3 s against 9.8 s for a million entities.
 */
const BULK_HASH_BYTES = 64 * 1024 * 1024;

/** FTS5's default buffer (its `hashsize` option), which the option is set back to. */
const DEFAULT_HASH_BYTES = 1024 * 1024;

/**
 * Runs `work` with the trigram index buffering up to `bytes` of new rows. The
 * option is kept in the case file, so it is set back after; if `work` fails,
 * the operation's transaction takes both back.
 */
function withFtsBuffer(db: CaseDb, bytes: number, work: () => void): void {
  // A literal: FTS5 takes the size only as an integer, and a bound JavaScript number is a real.
  const set = (size: number) => db.prepare(`INSERT INTO entity_search_fts (entity_search_fts, rank) VALUES ('hashsize', ${Math.trunc(size)})`).run();
  set(bytes);
  work();
  set(DEFAULT_HASH_BYTES);
}

/**
 * Labels for the entities waiting, taken between their neighbours' in name
 * order, and their rows of the index written.
 */
function labelWaiting(db: CaseDb): void {
  // A waiting entity that still has a label (rows marked by hand) gives it up first.
  db.prepare(`DELETE FROM entity_labels WHERE entity_id IN (SELECT entity_id FROM ${WAITING_ROWS})`).run();
  const waiting = db
    .prepare(`SELECT e.id, e.name FROM (SELECT DISTINCT entity_id FROM ${WAITING_ROWS}) w CROSS JOIN entities e WHERE e.id = w.entity_id ORDER BY e.name COLLATE NOCASE, e.id`)
    .all() as { id: string; name: string }[];
  const walk = walker(db);
  const insert = db.prepare('INSERT INTO entity_labels (label, entity_id) VALUES (?, ?)');
  const release = db.prepare('DELETE FROM entity_labels WHERE entity_id = ?');
  const labelled = new Set<string>();
  const written: string[] = [];

  for (const first of waiting) {
    if (labelled.has(first.id)) continue;
    // The run: this entity and those right after it by name that have no label either; then the next one with a label.
    // Entities before it already have labels; one without (and not waiting) is numbered with the run rather than collide with it.
    const start: Named = { ...first, label: null };
    const { passed: after, labelled: next } = toLabelled(walk, start, 'up');
    const { passed: unlabelledBefore, labelled: before } = toLabelled(walk, start, 'down');
    const run = [...unlabelledBefore.reverse(), start, ...after];
    let low = before?.label ?? null;
    let high = next?.label ?? null;
    let stretch = run;
    if (!hasRoom(run.length, low, high, 1)) ({ stretch, low, high } = widen(walk, run, before, next));
    for (const e of stretch) if (e.label !== null) release.run(e.id);
    spread(stretch.length, low, high).forEach((label, i) => {
      const e = stretch[i] as Named;
      insert.run(label, e.id);
      labelled.add(e.id);
      written.push(e.id);
    });
  }
  // The rows of labels given up (by the triggers and by a stretch spread again) go before any row is written under a label again.
  deleteRemoved(db);
  fillRows(db, written);
}

type Walk = (from: Named, dir: 'up' | 'down', count: number) => Named[];

/** Entities after (up) or before (down) one in name order, with their labels. */
function walker(db: CaseDb): Walk {
  // The name bounds the range the name index seeks to; the ID then settles entities of the same name.
  // (A comparison of (name, id) as a pair is not answered from the index: it read the whole of it.)
  const statement = (dir: 'up' | 'down') => {
    const [past, from, order] = dir === 'up' ? ['>', '>=', 'ASC'] : ['<', '<=', 'DESC'];
    return db.prepare(
      `SELECT e.id, e.name, l.label FROM entities e LEFT JOIN entity_labels l ON l.entity_id = e.id
       WHERE e.name COLLATE NOCASE ${from} @name AND (e.name COLLATE NOCASE ${past} @name OR e.id ${past} @id) ORDER BY e.name COLLATE NOCASE ${order}, e.id ${order} LIMIT @count`,
    );
  };
  const up = statement('up');
  const down = statement('down');
  return (from, dir, count) => (dir === 'up' ? up : down).all({ name: from.name, id: from.id, count }) as Named[];
}

/**
 * From an entity, the entities without a label next to it in one direction
 * (nearest first), and the first one with a label past them (null: none, to
 * the first or the last name). Most of the time that is the next entity: a
 * few rows are read first, more only when they all lack a label too.
 */
function toLabelled(walk: Walk, from: Named, dir: 'up' | 'down'): { passed: Named[]; labelled: Named | null } {
  const passed: Named[] = [];
  for (let at = from, take = 4; ; take = WALK_ROWS) {
    const rows = walk(at, dir, take);
    const labelled = rows.find((r) => r.label !== null);
    if (labelled) {
      passed.push(...rows.slice(0, rows.indexOf(labelled)));
      return { passed, labelled };
    }
    passed.push(...rows);
    if (rows.length < take) return { passed, labelled: null };
    at = rows[rows.length - 1] as Named;
  }
}

/** Whether `count` labels fit between `low` and `high` (null: the start or the end of the order) at least `step` apart. */
function hasRoom(count: number, low: number | null, high: number | null, step: number): boolean {
  return low === null || high === null || (high - low) / (count + 1) >= step;
}

/** `count` labels between `low` and `high`, evenly spread; past the first or the last label, LABEL_STEP apart. */
function spread(count: number, low: number | null, high: number | null): number[] {
  const at = (i: number) => {
    if (low !== null && high !== null) return low + Math.floor((high - low) / (count + 1)) * (i + 1);
    if (low !== null) return low + LABEL_STEP * (i + 1);
    if (high !== null) return high - LABEL_STEP * (count - i);
    return LABEL_STEP * (i + 1);
  };
  const labels = Array.from({ length: count }, (_, i) => at(i));
  if (labels.some((l) => Math.abs(l) >= LABEL_END)) throw new Error('The name index has run out of labels: renumber it.');
  return labels;
}

/**
 * A run with no room between its neighbours, widened by the entities on
 * either side (labelled or waiting) until the labels just outside leave
 * SPREAD_STEP per entity, or it reaches the first or the last name.
 */
function widen(walk: Walk, run: readonly Named[], before: Named | null, after: Named | null): { stretch: Named[]; low: number | null; high: number | null } {
  for (let width = 64; ; width *= 4) {
    const below = before ? [before, ...walk(before, 'down', width - 1)] : [];
    const above = after ? [after, ...walk(after, 'up', width - 1)] : [];
    // Outside the stretch: the next labelled entity on each side; those without a label on the way (entities above may still be waiting) join it.
    const outside = (side: Named[], dir: 'up' | 'down'): Named | null => {
      if (side.length < width) return null;
      const { passed, labelled } = toLabelled(walk, side[side.length - 1] as Named, dir);
      side.push(...passed);
      return labelled;
    };
    const lowOutside = outside(below, 'down');
    const highOutside = outside(above, 'up');
    const stretch = [...below.reverse(), ...run, ...above];
    const low = lowOutside?.label ?? null;
    const high = highOutside?.label ?? null;
    if (hasRoom(stretch.length, low, high, SPREAD_STEP)) return { stretch, low, high };
  }
}
