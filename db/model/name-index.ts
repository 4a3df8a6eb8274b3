import type { CaseDb } from '../core/case-file';
import { escapeLike } from '../core/grid-sql';
import { cachedCount } from '../core/read-cache';
import { HAS_WORD_FUNCTION } from '../core/trigram-fold';
import { refreshEntityNameIndex } from './name-order';
import { forEachWaitingPiece, trigramIndexCaughtUp } from './trigram-catch-up';

/**
 * Looking words up in the entities' name index (entity_search, kept by
 * triggers, and its trigram index entity_search_fts, one row per entity
 * numbered in name order by entity_labels; see migrations 101 and 143).
 *
 * A word of three characters or more is looked up in the trigram index, which
 * finds it inside a longer word in any case and with or without accents
 * ("москва" finds "Москва", "muller" finds "Müller"). A shorter word (a
 * two-character Chinese name such as 北航, an initial) has no trigram to look
 * up: it is tested with LIKE, ASCII case aside as before, against the index's
 * rows (an entity's name and the rest, and each alias), and only against the
 * entities the longer words found when there are any. Entities written since
 * the trigram index last caught up (by SQL outside an operation) have no
 * label yet, and their rows are tested with LIKE too, so a lookup is never
 * wrong, only slower until the next write.
 */

/** Characters a word needs for the trigram index to answer it. */
const INDEXED_LENGTH = 3;

/** Which of the index's columns a lookup reads: everything the quick filter searches, or the entity's own name. */
export type NameIndexColumns = 'all' | 'name';

const FTS_COLUMNS: Record<NameIndexColumns, string> = { all: '{name alias other} : ', name: '{name} : ' };
const LIKE_COLUMNS: Record<NameIndexColumns, string[]> = { all: ['s.name', 's.alias', 's.other'], name: ['s.name'] };

/** Whether the trigram index can answer this text (counted in characters, not UTF-16 units). */
export function isIndexed(text: string): boolean {
  return [...text].length >= INDEXED_LENGTH;
}

/** The text as one FTS5 phrase: found wherever it appears as it is, quotes and operators included. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The words of a quick filter: split at white space, at most ten. */
export function quickWords(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 10);
}

function likeCondition(word: string, columns: NameIndexColumns, params: string[]): string {
  const like = `%${escapeLike(word)}%`;
  for (let i = 0; i < LIKE_COLUMNS[columns].length; i += 1) params.push(like);
  return `(${LIKE_COLUMNS[columns].map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`;
}

/** The entities the trigram index has not caught up with: they have a row waiting, and no label. */
const WAITING = 'SELECT w.entity_id FROM entity_search w WHERE w.indexed = 0';

/** The ids of the entities whose row of the trigram index matches (an FTS5 expression), in name order; at most `limit`. */
function indexedEntities(limit?: number): string {
  return `SELECT l.entity_id FROM entity_search_fts f CROSS JOIN entity_labels l WHERE f.entity_search_fts MATCH ? AND l.label = f.rowid${limit === undefined ? '' : ` LIMIT ${limit}`}`;
}

/** A subquery of the ids of the entities that have the word in the chosen columns (in a name, an alias or the rest). */
export function entityIdsWithWord(word: string, columns: NameIndexColumns = 'all'): { sql: string; params: string[] } {
  const params: string[] = [];
  if (isIndexed(word)) {
    params.push(`${FTS_COLUMNS[columns]}${ftsPhrase(word)}`);
    const pending = likeCondition(word, columns, params);
    return { sql: `${indexedEntities()} UNION ALL SELECT s.entity_id FROM entity_search s WHERE s.entity_id IN (${WAITING}) AND ${pending}`, params };
  }
  return { sql: `SELECT s.entity_id FROM entity_search s WHERE ${likeCondition(word, columns, params)}`, params };
}

/**
 * Rows of entity_search that hold the text in one column, for the picker:
 * those of at most `limit` entities from the trigram index, and those of the
 * entities it has not caught up with. An entity's row of the index holds all
 * its aliases (and keys), so the row that matched is found among the entity's
 * own by testing each as the index would. The column `key` holds each name's
 * name key (see nameKey), so a key made of part of a name finds the name
 * written in another script.
 */
export function searchRowsWithText(text: string, column: 'name' | 'alias' | 'key', limit: number): { sql: string; params: string[] } {
  const own = column === 'key' ? 'name_key' : column;
  const params = [`{${column}} : ${ftsPhrase(text)}`];
  // The name matched: it is the entity's own row. An alias or a key: the one that holds the text.
  let which = '+s.alias_id IS NULL';
  if (column !== 'name') {
    which = `${column === 'alias' ? 's.alias_id IS NOT NULL AND ' : ''}${HAS_WORD_FUNCTION}(?, s.${own})`;
    params.push(text);
  }
  params.push(`%${escapeLike(text)}%`);
  return {
    sql: `SELECT s.id FROM entity_search s WHERE s.entity_id IN (${indexedEntities(limit)}) AND ${which}
      UNION ALL SELECT s.id FROM entity_search s WHERE s.entity_id IN (${WAITING}) AND s.${own} LIKE ? ESCAPE '\\'`,
    params,
  };
}

/**
 * Brings the trigram indexes of entities' names and links' text up to date
 * with the rows the triggers added, changed or removed. The operation runner
 * calls it before every writing operation commits.
 */
export function refreshNameIndex(db: CaseDb): void {
  refreshEntityNameIndex(db);
  refreshLinkIndex(db);
}

/**
 * A subquery of the ids of the links whose type, notes or tags hold the word
 * (three characters or more), from the links' trigram index, with the rows it
 * has not caught up with read with LIKE.
 */
export function linkIdsWithText(word: string): { sql: string; params: string[] } {
  return {
    sql: `SELECT ls.link_id FROM link_search ls WHERE ls.id IN (SELECT rowid FROM link_search_fts WHERE link_search_fts MATCH ?) AND ls.indexed = 1
      UNION ALL SELECT ls.link_id FROM link_search ls WHERE ls.indexed = 0 AND ls.text LIKE ? ESCAPE '\\'`,
    params: [ftsPhrase(word), `%${escapeLike(word)}%`],
  };
}

/** Brings the links' trigram index up to date, a piece of the rows waiting at a time (see forEachWaitingPiece). */
function refreshLinkIndex(db: CaseDb): void {
  if (trigramIndexCaughtUp(db, 'link_search')) return;
  db.prepare('DELETE FROM link_search_fts WHERE rowid IN (SELECT id FROM link_search_removed)').run();
  const piece = 'FROM link_search WHERE indexed = 0 AND id > ? AND id <= ?';
  const remove = db.prepare(`DELETE FROM link_search_fts WHERE rowid IN (SELECT id ${piece})`);
  const add = db.prepare(`INSERT INTO link_search_fts (rowid, text) SELECT id, text ${piece}`);
  const mark = db.prepare('UPDATE link_search SET indexed = 1 WHERE indexed = 0 AND id > ? AND id <= ?');
  forEachWaitingPiece(db, 'link_search', (after, last) => {
    remove.run(after, last);
    add.run(after, last);
    mark.run(after, last);
  });
  db.prepare('DELETE FROM link_search_removed').run();
}

/** Rows of the trigram index a word is counted in before it is called common (see entityHasWords). */
export const COMMON_WORD_ROWS = 2000;

/** How many rows of the trigram index hold the word, counted no further than `limit`. */
function indexRowsWithWord(db: CaseDb, word: string, limit: number): number {
  return db.prepare(`SELECT count(*) FROM (SELECT 1 FROM entity_search_fts WHERE entity_search_fts MATCH ? LIMIT ${limit})`).pluck().get(`${FTS_COLUMNS.all}${ftsPhrase(word)}`) as number;
}

/** Whether rows were written since the trigram index last caught up (by SQL outside an operation). */
function indexBehind(db: CaseDb): boolean {
  return (db.prepare('SELECT EXISTS (SELECT 1 FROM entity_search WHERE indexed = 0)').pluck().get() as number) === 1;
}

/** A condition that the entity `idExpr` has the word in its name, an alias, or the rest, tested on its own rows as the trigram index would find it. */
function entityRowsHaveWord(idExpr: string, word: string, params: string[]): string {
  params.push(word);
  return `EXISTS (SELECT 1 FROM entity_search s WHERE s.entity_id = ${idExpr} AND ${HAS_WORD_FUNCTION}(?, s.name, s.alias, s.other))`;
}

/**
 * A condition that the entity whose id is `idExpr` has every one of the
 * words, each in its name, one of its aliases, or its subtype, description or
 * tags.
 *
 * Only one word is looked up in the trigram index: the one in the fewest of
 * its rows, counted up to COMMON_WORD_ROWS (a word in a third of a million
 * entities would otherwise bring them all before the next word narrowed them
 * down). The other words are tested on the rows of the entities it found, as
 * the index would find them (db/core/trigram-fold.ts); short words, which the
 * index cannot answer, with LIKE as before. While the index is behind, every
 * word is looked up the way that is right then. `common` says whether every
 * word is common, so that the filter may match very many entities.
 */
export function entityHasWords(db: CaseDb, idExpr: string, words: readonly string[]): { clause: string; params: string[]; common: boolean } {
  const plan = planWords(db, words);
  const params: string[] = [];
  const clauses = words.map((word) => {
    if (isIndexed(word) && (plan.behind || word === plan.lookedUp)) {
      const ids = entityIdsWithWord(word);
      params.push(...ids.params);
      return `${idExpr} IN (${ids.sql})`;
    }
    if (plan.lookedUp === null && !plan.behind) {
      const ids = entityIdsWithWord(word);
      params.push(...ids.params);
      return `${idExpr} IN (${ids.sql})`;
    }
    return otherWordCondition(idExpr, word, params);
  });
  return { clause: clauses.join(' AND '), params, common: plan.common };
}

interface WordsPlan {
  /** Rows were written since the trigram index caught up: every word is looked up, each the way that is right then. */
  behind: boolean;
  /** The word looked up in the index (the rarest); null when no word has three characters. */
  lookedUp: string | null;
  /** Every word is in at least COMMON_WORD_ROWS rows of the index: the filter may well match tens of thousands of entities. */
  common: boolean;
}

function planWords(db: CaseDb, words: readonly string[]): WordsPlan {
  const indexed = words.filter(isIndexed);
  const behind = indexed.length > 1 && indexBehind(db);
  // One word is looked up whatever its count; it is counted only to say whether it is common.
  const counts = new Map(behind ? [] : indexed.map((word) => [word, indexRowsWithWord(db, word, COMMON_WORD_ROWS)] as const));
  const lookedUp = behind ? null : ([...counts.entries()].sort((a, b) => a[1] - b[1])[0]?.[0] ?? null);
  return { behind, lookedUp, common: indexed.length > 0 && (behind || [...counts.values()].every((n) => n >= COMMON_WORD_ROWS)) };
}

/** The words of a filter less one occurrence of the word looked up (the same word typed twice is still tested once more). */
function wordsBeside(words: readonly string[], lookedUp: string): string[] {
  return words.filter((w, i) => w !== lookedUp || words.indexOf(w) !== i);
}

/** A word beside the one looked up: tested on the rows of each entity that one found. */
function otherWordCondition(idExpr: string, word: string, params: string[]): string {
  if (isIndexed(word)) return entityRowsHaveWord(idExpr, word, params);
  return `EXISTS (SELECT 1 FROM entity_search s WHERE s.entity_id = ${idExpr} AND ${likeCondition(word, 'all', params)})`;
}

/**
 * Up to `limit` ids of entities that have every word, in the order the index
 * finds them (by name), with no total: what a search shows beside
 * its documents. Rows are read from the index only until enough are found, so
 * a word that a third of the case holds costs no more than a rare one.
 */
export function someEntitiesWithWords(db: CaseDb, words: readonly string[], limit: number): string[] {
  const plan = planWords(db, words);
  if (plan.behind || plan.lookedUp === null) {
    const { clause, params } = entityHasWords(db, 'e.id', words);
    return db.prepare(`SELECT e.id FROM entities e ${clause ? `WHERE ${clause}` : ''} LIMIT ?`).pluck().all(...params, limit) as string[];
  }
  const driver = plan.lookedUp;
  const rest = wordsBeside(words, driver);
  const params: string[] = [`${FTS_COLUMNS.all}${ftsPhrase(driver)}`];
  const and = (idExpr: string) => rest.map((word) => ` AND ${otherWordCondition(idExpr, word, params)}`).join('');
  const found = `${indexedEntities()}${and('l.entity_id')}`;
  // With one word the index may be behind (with more, planWords said so): entities it has not caught up with are read with LIKE.
  let pending = '';
  if (indexBehind(db)) {
    const like = likeCondition(driver, 'all', params);
    pending = ` UNION SELECT p.entity_id FROM (SELECT s.entity_id FROM entity_search s WHERE s.entity_id IN (${WAITING}) AND ${like}) p WHERE 1${and('p.entity_id')}`;
  }
  return db.prepare(`SELECT * FROM (${found} LIMIT ${limit})${pending} LIMIT ${limit}`).pluck().all(...params) as string[];
}

/**
 * One page of the entities that have every word and meet `where` (a
 * condition on the entity `e`, or none), in name order straight off the
 * trigram index, whose rows are numbered in that order: the first page reads
 * the first rows the index finds instead of every entity with the words. The
 * words of three characters or more are looked up together (the index
 * intersects them), shorter ones tested with LIKE on the entities found.
 * With the page, the total: with nothing but indexed words, a count of the
 * index alone. Null when the index cannot give the order: no word of three
 * characters, or rows written since it caught up.
 */
export function pageByNameWithWords(
  db: CaseDb,
  words: readonly string[],
  besides: { where: string; params: readonly unknown[] },
  dir: 'ASC' | 'DESC',
  offset: number,
  limit: number,
): { ids: string[]; total: number } | null {
  const indexed = words.filter(isIndexed);
  if (indexed.length === 0 || !trigramIndexCaughtUp(db, 'entity_search')) return null;
  // An entity's row of the index holds all its text, so the index itself finds the entities with every word.
  const match = [...new Set(indexed)].map((word) => `${FTS_COLUMNS.all}${ftsPhrase(word)}`).join(' AND ');
  const restParams: string[] = [];
  const rest = words
    .filter((word) => !isIndexed(word))
    .map((word) => ` AND ${otherWordCondition('e.id', word, restParams)}`)
    .join('');
  const params = [match, ...restParams, ...besides.params];
  const from = `FROM entity_search_fts f CROSS JOIN entity_labels l CROSS JOIN entities e
    WHERE f.entity_search_fts MATCH ? AND l.label = f.rowid AND e.id = l.entity_id${rest}${besides.where ? ` AND ${besides.where}` : ''}`;
  const ids = db.prepare(`SELECT l.entity_id ${from} ORDER BY f.rowid ${dir} LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as string[];
  // A first page that is not full holds them all; otherwise they are counted, off the index alone when nothing else is asked.
  if (offset === 0 && ids.length < limit) return { ids, total: ids.length };
  const count = rest || besides.where ? { sql: `SELECT count(*) ${from}`, params } : { sql: 'SELECT count(*) FROM entity_search_fts WHERE entity_search_fts MATCH ?', params: [match] };
  return { ids, total: cachedCount(db, count.sql, count.params) };
}

/** Whether links were written since their trigram index last caught up (by SQL outside an operation). */
function linkIndexBehind(db: CaseDb): boolean {
  return (db.prepare('SELECT EXISTS (SELECT 1 FROM link_search WHERE indexed = 0)').pluck().get() as number) === 1;
}

/**
 * The ids of the links with the word in their own text or in the name of
 * either end, read from the indexes row by row. (No alias here is `f` or `t`:
 * the links grid joins the entities at either end by those names when a
 * condition reads them.)
 */
function linksWithWordSql(word: string): { sql: string; params: string[] } {
  return {
    sql: `SELECT ls.link_id AS id FROM link_search_fts lf CROSS JOIN link_search ls WHERE lf.link_search_fts MATCH ? AND ls.id = lf.rowid
      UNION ALL SELECT n.id FROM entity_search_fts ef CROSS JOIN entity_labels el CROSS JOIN links n WHERE ef.entity_search_fts MATCH ? AND el.label = ef.rowid AND (n.from_id = el.entity_id OR n.to_id = el.entity_id)`,
    params: [ftsPhrase(word), `${FTS_COLUMNS.name}${ftsPhrase(word)}`],
  };
}

interface LinkWordsPlan {
  /** The word read from the indexes: the one with the fewest links. */
  driver: string;
  /** The other words, tested on the links the driver found. */
  rest: string[];
  /** The driver's links, counted up to COMMON_WORD_ROWS (0 when it was not counted). */
  count: number;
}

/**
 * Which word of a links filter leads; null when a word has fewer than three
 * characters or an index is behind, and the filter tests the words as before.
 */
function planLinkWords(db: CaseDb, words: readonly string[], countAlone: boolean): LinkWordsPlan | null {
  if (words.length === 0 || !words.every(isIndexed) || indexBehind(db) || linkIndexBehind(db)) return null;
  const counts: { word: string; n: number }[] = [];
  // Longest first: a word no link has leads to nothing at once, and the words after it are not counted
  // (counting a word that many descriptions hold but no name reads every row that holds it).
  for (const word of [...words].sort((a, b) => [...b].length - [...a].length)) {
    const q = linksWithWordSql(word);
    const n = words.length === 1 && !countAlone ? 0 : (db.prepare(`SELECT count(*) FROM (${q.sql} LIMIT ${COMMON_WORD_ROWS})`).pluck().get(...q.params) as number);
    counts.push({ word, n });
    if (n === 0) break;
  }
  const lead = counts.sort((a, b) => a.n - b.n)[0] as { word: string; n: number };
  return { driver: lead.word, rest: wordsBeside(words, lead.word), count: lead.n };
}

/** Conditions that the link `l` has each of the words in its own text or in the name of either end, tested as the indexes would find them. */
function linkHasOtherWords(rest: readonly string[], params: string[]): string {
  return rest
    .map((word) => {
      params.push(word, word, word);
      const name = (end: string) => `EXISTS (SELECT 1 FROM entity_search s WHERE s.entity_id = l.${end} AND +s.alias_id IS NULL AND ${HAS_WORD_FUNCTION}(?, s.name))`;
      return ` AND (EXISTS (SELECT 1 FROM link_search ls WHERE ls.link_id = l.id AND ${HAS_WORD_FUNCTION}(?, ls.text)) OR ${name('from_id')} OR ${name('to_id')})`;
    })
    .join('');
}

/**
 * A condition that the link `l` has every word in its type, notes or tags or
 * in the name of either end: the word with the fewest links is looked up in
 * the indexes and the others are tested on the links it found. `common`: that
 * word has COMMON_WORD_ROWS links or more. Null when the indexes cannot answer
 * (a short word, or rows written since they caught up).
 */
export function linkHasWords(db: CaseDb, words: readonly string[]): { clause: string; params: string[]; common: boolean } | null {
  const plan = planLinkWords(db, words, true);
  if (!plan) return null;
  const lead = linksWithWordSql(plan.driver);
  const params = [...lead.params];
  return { clause: `l.id IN (${lead.sql})${linkHasOtherWords(plan.rest, params)}`, params, common: plan.count >= COMMON_WORD_ROWS };
}

/**
 * Up to `limit` ids of links with every word in their type, notes or tags or
 * in the name of either end, in the order the indexes find them, with no
 * total: what a search shows beside its documents. The leading word's links
 * are read link by link only until enough are found. Null when the indexes
 * cannot answer: the grid's quick filter answers then.
 */
export function someLinksWithWords(db: CaseDb, words: readonly string[], limit: number): string[] | null {
  const plan = planLinkWords(db, words, false);
  if (!plan) return null;
  const lead = linksWithWordSql(plan.driver);
  const params = [...lead.params];
  const others = linkHasOtherWords(plan.rest, params);
  return db
    .prepare(`SELECT DISTINCT h.id FROM (${lead.sql}) h CROSS JOIN links l WHERE l.id = h.id${others} LIMIT ${limit}`)
    .pluck()
    .all(...params) as string[];
}

