import { normaliseText } from './extract';
import { stemRussian } from './russian-stem';

/**
 * A search as the two full-text indexes understand it. Words in Latin or
 * Cyrillic script go to the unicode61 index (case- and accent-insensitive,
 * Russian words by their stem, longer Latin words by prefix); Chinese,
 * Japanese and Korean text goes to the trigram index, and runs shorter than
 * three characters, which trigrams cannot index, to a substring match.
 */
/** One term of a search: a place matches it when any of its alternatives matches. */
export interface SearchTerm {
  /** FTS5 expression for search_words, or null. */
  words: string | null;
  /** FTS5 expression for search_trigram, or null. */
  trigram: string | null;
  /** Substring to look for when neither index can (CJK runs shorter than three characters). */
  substring: string | null;
}

export interface ParsedSearch {
  /** Every term must match. */
  terms: SearchTerm[];
  /** What the user typed, term by term, for highlighting substring matches. */
  highlights: string[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** A light English stem: plural endings off, so "engines" finds "engine". */
function stemLatin(token: string): string {
  const lower = token.toLowerCase();
  if (lower.length > 4 && lower.endsWith('ies')) return lower.slice(0, -3);
  if (lower.length > 4 && /(?:ches|shes|sses|xes)$/.test(lower)) return lower.slice(0, -2);
  if (lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss')) return lower.slice(0, -1);
  return lower;
}

function wordTerm(token: string): SearchTerm {
  const parts = token.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  // Words written next to Chinese text share a token with it in the word index; the trigram index still finds them.
  const trigram = [...token].length >= 3 ? quote(token) : null;
  if (parts.length !== 1) return { words: quote(token), trigram, substring: null };
  const word = parts[0] as string;
  if (/\p{Script=Cyrillic}/u.test(word)) {
    const stem = stemRussian(word);
    return stem.length >= 3 ? { words: `${quote(stem)}*`, trigram: quote(stem), substring: null } : { words: quote(word), trigram, substring: null };
  }
  if (/^\p{N}+$/u.test(word) || word.length < 4) return { words: quote(word), trigram, substring: null };
  return { words: `${quote(stemLatin(word))}*`, trigram, substring: null };
}

function cjkTerm(run: string): SearchTerm {
  return [...run].length >= 3 ? { words: null, trigram: quote(run), substring: null } : { words: null, trigram: null, substring: run };
}

/** Splits what the user typed into terms: "quoted phrases" stay whole, CJK runs split from other script. */
export function parseSearch(input: string): ParsedSearch {
  const text = normaliseText(input).normalize('NFKC');
  const terms: SearchTerm[] = [];
  const highlights: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    const phrase = match[1];
    if (phrase !== undefined) {
      const trimmed = phrase.trim();
      if (!WORD_CHAR.test(trimmed)) continue;
      highlights.push(trimmed);
      if (CJK.test(trimmed)) terms.push(cjkTerm(trimmed));
      else terms.push({ words: quote(trimmed), trigram: [...trimmed].length >= 3 ? quote(trimmed) : null, substring: null });
      continue;
    }
    let rest = match[2] ?? '';
    for (const run of rest.match(CJK_RUN) ?? []) {
      highlights.push(run);
      terms.push(cjkTerm(run));
      rest = rest.replace(run, ' ');
    }
    for (const piece of rest.split(/\s+/)) {
      const word = piece.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!WORD_CHAR.test(word)) continue;
      highlights.push(word);
      terms.push(wordTerm(word));
    }
  }
  return { terms, highlights };
}
