import type { CaseDb } from './case-file';
import { TRIGRAM_FOLDS } from './trigram-fold-table';

/**
 * Whether a text holds a word the way the entities' trigram index finds it
 * (FTS5's trigram tokenizer, case folded, remove_diacritics 1), tested on the
 * text itself instead of in the index.
 *
 * The tokenizer folds each character on its own (to lower case, without its
 * diacritic; a combining mark is dropped) and a phrase of three characters or
 * more matches where its folded characters follow one another in the folded
 * text; a shorter one matches nothing. The table of folds is read from the
 * SQLite better-sqlite3 bundles (scripts/trigram-fold-table.mjs), and
 * tests/unit/trigram-fold.test.ts holds it against that SQLite character by
 * character, so a row tested here is a row the index finds, and no other.
 *
 * The quick filter uses it to test a common word on the rows it walks, which
 * is far cheaper than asking the index about one row at a time.
 */

/** What each character of the Basic Multilingual Plane folds to: -1 for itself, 0 when dropped. */
const BMP = new Int32Array(0x10000).fill(-1);
/** Folds of characters past the Basic Multilingual Plane. */
const ASTRAL = new Map<number, number>();
for (let i = 0; i < TRIGRAM_FOLDS.length; i += 2) {
  const from = TRIGRAM_FOLDS[i] as number;
  const to = TRIGRAM_FOLDS[i + 1] as number;
  if (from < 0x10000) BMP[from] = to;
  else ASTRAL.set(from, to);
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** The text as the trigram tokenizer reads it: every character folded, dropped ones left out. */
export function trigramFold(text: string): string {
  // ASCII folds A–Z to a–z and nothing else, which is what toLowerCase does to ASCII.
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    const to = code < 0x10000 ? (BMP[code] as number) : (ASTRAL.get(code) ?? -1);
    if (to === -1) out += char;
    else if (to !== 0) out += String.fromCodePoint(to);
  }
  return out;
}

/** Whether a folded word is long enough for the index to look up: three characters. */
export function trigramSearchable(folded: string): boolean {
  let count = 0;
  for (const _ of folded) if (++count >= 3) return true;
  return false;
}

/** Whether `text` holds `word` as the trigram index finds it. */
export function trigramContains(text: string, word: string): boolean {
  const folded = trigramFold(word);
  return trigramSearchable(folded) && trigramFold(text).includes(folded);
}

/** The SQL function: `caseboard_has_word(word, text, …)` is 1 when any of the texts holds the word as the index finds it. */
export const HAS_WORD_FUNCTION = 'caseboard_has_word';

/** Adds the function to a case connection. */
export function registerTrigramFunctions(db: CaseDb): void {
  // The word is the same for every row a statement tests: fold it once.
  let lastWord = '';
  let lastFolded: string | null = null;
  db.function(HAS_WORD_FUNCTION, { deterministic: true, varargs: true }, (word: unknown, ...texts: unknown[]) => {
    if (typeof word !== 'string') return 0;
    if (word !== lastWord || lastFolded === null) {
      lastWord = word;
      const folded = trigramFold(word);
      lastFolded = trigramSearchable(folded) ? folded : '';
    }
    if (lastFolded === '') return 0;
    for (const text of texts) if (typeof text === 'string' && text !== '' && trigramFold(text).includes(lastFolded)) return 1;
    return 0;
  });
}
