import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_WORD_FUNCTION, registerTrigramFunctions, trigramContains, trigramFold } from '../../db/core/trigram-fold';
import { TRIGRAM_FOLD_LAST, TRIGRAM_FOLD_SQLITE } from '../../db/core/trigram-fold-table';

// The same tokenizer as the entities' trigram index (migration 101).
const db = new Database(':memory:');
db.exec("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'trigram remove_diacritics 1'); CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance');");
afterAll(() => db.close());

/** What SQLite's tokenizer makes of each character (undefined: dropped), read back from the index's terms. */
function sqliteFolds(codes: number[]): Map<number, string | undefined> {
  db.exec('DELETE FROM t');
  const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
  db.transaction(() => {
    for (const c of codes) insert.run(c, `a${String.fromCodePoint(c)}b`);
  })();
  const folds = new Map<number, string | undefined>(codes.map((c) => [c, undefined]));
  for (const [term, doc] of db.prepare('SELECT term, doc FROM v').raw().all() as [string, number][]) folds.set(doc, [...term][1]);
  return folds;
}

const notSurrogate = (c: number) => c < 0xd800 || c > 0xdfff;

describe('the trigram fold', () => {
  it('is built from the SQLite this build runs', () => {
    expect(db.prepare('SELECT sqlite_version()').pluck().get()).toBe(TRIGRAM_FOLD_SQLITE);
  });

  it('folds every character up to U+1FFFF as the tokenizer does, and leaves those past it as they are', () => {
    const codes: number[] = [];
    for (let c = 1; c <= TRIGRAM_FOLD_LAST; c += 1) if (notSurrogate(c)) codes.push(c);
    for (let c = TRIGRAM_FOLD_LAST + 1; c <= 0x10ffff; c += 37) codes.push(c);
    const folds = sqliteFolds(codes);
    const differing: string[] = [];
    for (const c of codes) {
      const expected = folds.get(c) ?? '';
      const actual = trigramFold(String.fromCodePoint(c));
      if (actual !== expected) differing.push(`U+${c.toString(16)}: SQLite ${JSON.stringify(expected)}, here ${JSON.stringify(actual)}`);
    }
    expect(differing.slice(0, 20)).toEqual([]);
    // The fold is not the identity: upper case, accents and combining marks are all in play.
    expect(trigramFold('ÄÖÜ Straße МОСКВА Ελλάδα e\u0301')).toBe('aou straße москва ελλάδα e');
  });

  it('finds a word in a text exactly where the index finds it', () => {
    const alphabet = [...'aAbBeEéÉèiIİıoOöÖuUüßẞsSσςΣкКмМоОсСвВаАёЁ北京航空大学東\u0301\u0308 -.,0123'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const text = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    db.exec('DELETE FROM t');
    const texts = Array.from({ length: 400 }, () => text(4 + random(20)));
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
    texts.forEach((t, i) => insert.run(i + 1, t));
    const words: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      const source = texts[random(texts.length)] as string;
      const chars = [...source];
      const start = random(chars.length);
      const piece = chars.slice(start, start + 2 + random(5)).join('');
      // A piece of a text in other cases, a random word, and words too short to look up.
      words.push(i % 3 === 0 ? piece.toUpperCase() : i % 3 === 1 ? piece : text(1 + random(4)));
    }
    const match = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').pluck();
    let found = 0;
    for (const word of words) {
      const expected = match.all(`"${word.replaceAll('"', '""')}"`) as number[];
      const actual = texts.flatMap((t, i) => (trigramContains(t, word) ? [i + 1] : []));
      expect(actual, `the word ${JSON.stringify(word)}`).toEqual(expected);
      found += expected.length;
    }
    // The words are not all misses.
    expect(found).toBeGreaterThan(100);
  });

  it('is an SQL function on a case connection that tests any of its texts', () => {
    const conn = new Database(':memory:');
    try {
      registerTrigramFunctions(conn);
      const has = conn.prepare(`SELECT ${HAS_WORD_FUNCTION}(?, ?, ?, ?)`).pluck();
      expect(has.get('москв', 'Harbin', null, 'МОСКВА')).toBe(1);
      expect(has.get('muller', 'Müller GmbH', '', null)).toBe(1);
      expect(has.get('harbin', 'Harbi n', 'Nanjing', '')).toBe(0);
      // Two characters are not looked up in the index, so they match nothing here either.
      expect(has.get('北京', '北京航空航天大学', null, null)).toBe(0);
      expect(has.get('北京航', '北京航空航天大学', null, null)).toBe(1);
      expect(has.get(null, 'text', null, null)).toBe(0);
    } finally {
      conn.close();
    }
  });
});
