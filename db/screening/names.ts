import anyAscii from 'any-ascii';
import { BGN_PCGN, GOST_7034, ICAO_DOC_9303, SCIENTIFIC, translate, type Schema } from 'iuliia';
import { pinyin } from 'pinyin-pro';

/**
 * How a name was read into Latin letters for matching: as written (Latin),
 * through pinyin (Chinese), or through one of the Russian romanisation
 * schemes (the passport's ICAO, BGN/PCGN, GOST 7.79 and the scientific one).
 */
export type Reading = 'latin' | 'pinyin' | 'icao' | 'bgn-pcgn' | 'gost' | 'scientific' | 'other script';

/** One way of reading a name: its tokens, folded so that spelling variants meet. */
export interface NameForm {
  reading: Reading;
  tokens: string[];
}

export const READING_LABELS: Record<Reading, string> = {
  latin: 'Latin letters',
  pinyin: 'pinyin',
  icao: 'ICAO passport romanisation',
  'bgn-pcgn': 'BGN/PCGN romanisation',
  gost: 'GOST 7.79 romanisation',
  scientific: 'scientific romanisation',
  'other script': 'transliteration',
};

const CYRILLIC_SCHEMES: [Reading, Schema][] = [
  ['icao', ICAO_DOC_9303],
  ['bgn-pcgn', BGN_PCGN],
  ['gost', GOST_7034],
  ['scientific', SCIENTIFIC],
];

const CYRILLIC = /[\u0400-\u04ff]/;
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Words the same thing is spelt in several ways, read to one: British and
 * American spelling, the legal forms of companies in English and Russian
 * (ООО reads "OOO" and means LLC), common abbreviations.
 */
const SYNONYMS: Record<string, string> = {
  centre: 'center',
  tsentr: 'center',
  centr: 'center',
  ooo: 'llc',
  limited: 'ltd',
  liability: 'ltd',
  ao: 'jsc',
  oao: 'jsc',
  pao: 'jsc',
  zao: 'jsc',
  pjsc: 'jsc',
  ojsc: 'jsc',
  cjsc: 'jsc',
  incorporated: 'inc',
  corporation: 'corp',
  company: 'co',
  univ: 'university',
  universitet: 'university',
  inst: 'institute',
  institut: 'institute',
  tech: 'technology',
  technological: 'technology',
  technologies: 'technology',
  tekhnologii: 'technology',
  tekhnologicheskii: 'technology',
  nauchno: 'scientific',
  engineering: 'engineering',
  st: 'saint',
  sankt: 'saint',
};

/**
 * Words that say what kind of body a name is rather than which one; a match
 * on them alone says little, so they weigh less.
 */
const GENERIC = new Set([
  'university', 'institute', 'technology', 'center', 'college', 'academy', 'school', 'state', 'national', 'federal', 'research',
  'scientific', 'science', 'sciences', 'design', 'bureau', 'plant', 'factory', 'group', 'holding', 'international', 'industrial',
  'industry', 'engineering', 'development', 'trading', 'trade', 'production', 'enterprise', 'systems', 'system', 'service', 'services',
  'joint', 'stock', 'open', 'closed', 'public', 'private', 'society', 'association', 'union', 'department', 'ministry', 'laboratory',
  'lab', 'china', 'chinese', 'russia', 'russian', 'moscow', 'beijing', 'daxue', 'gongye', 'xueyuan', 'yanjiusuo', 'gongsi', 'youxian',
  // Pairs of pinyin syllables that say what kind of body a Chinese name is: university, company, limited, institute, science and technology.
  'xianggong', 'yougong', 'keji', 'kexue', 'jishu', 'yanjiu', 'jiusuo', 'zhongguo', 'jituan', 'gufen', 'xuedaxue',
]);
/** Words that carry nothing: articles, prepositions, legal forms. */
const EMPTY = new Set(['of', 'the', 'and', 'for', 'a', 'an', 'de', 'im', 'imeni', 'llc', 'ltd', 'jsc', 'inc', 'corp', 'co', 'gmbh', 'plc', 'sa', 'ag', 'fgup', 'fgbou', 'vo', 'pte', 'kg']);

function foldSpelling(word: string): string {
  return word
    .replace(/shch|shh|sch/g, 's')
    .replace(/kh|ch|sh|zh|ph/g, (m) => ({ kh: 'h', ch: 'c', sh: 's', zh: 'z', ph: 'f' })[m] ?? m)
    .replace(/ts|tz/g, 'c')
    .replace(/ks/g, 'x')
    .replace(/[jyw]/g, (m) => (m === 'w' ? 'v' : 'i'))
    .replace(/ii+/g, 'i')
    .replace(/ie|io/g, 'e')
    .replace(/(.)\1+/g, '$1');
}

const FOLDED_SYNONYMS = new Map(Object.entries(SYNONYMS).map(([from, to]) => [foldSpelling(from), foldSpelling(to)]));
const FOLDED_GENERIC = new Set([...GENERIC].map(foldSpelling));
const FOLDED_EMPTY = new Set([...EMPTY].map(foldSpelling));

/** Words already folded: a list's names repeat their words ("university", "LLC", surnames, cities) a great deal. */
const foldedWords = new Map<string, string>();

/**
 * A Latin word folded so that the spellings romanisation schemes and
 * languages disagree on meet: "Moskovskiy", "Moskovskii" and "Moskovskij"
 * become one, as do "Shchukin" and "Ščukin", "Tsentr" and "Centr", and the
 * words of SYNONYMS their one reading.
 */
export function foldToken(word: string): string {
  let token = foldedWords.get(word);
  if (token === undefined) {
    const folded = foldSpelling(SYNONYMS[word] ?? word);
    token = FOLDED_SYNONYMS.get(folded) ?? folded;
    if (foldedWords.size >= 200_000) foldedWords.clear();
    foldedWords.set(word, token);
  }
  return token;
}


/** How much a (folded) token counts towards a name's similarity. */
export function tokenWeight(token: string): number {
  if (FOLDED_EMPTY.has(token)) return 0.05;
  if (FOLDED_GENERIC.has(token)) return 0.35;
  return 1;
}

function latinTokens(latin: string): string[] {
  return latin
    .toLowerCase()
    .replace(/['`’ʹʺ"]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .map(foldToken);
}

/** Chinese characters as toneless pinyin syllables, other characters kept as they are. */
function pinyinText(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join(' ');
}

/** Words already romanised, in every scheme: a list's names repeat their words (институт, университет, ООО) a great deal. */
const romanisedWords = new Map<string, string[]>();

/** A Cyrillic name in Latin letters by each scheme of CYRILLIC_SCHEMES, word by word (the schemes' rules never reach across words). */
function romanisations(text: string): string[] {
  const out = CYRILLIC_SCHEMES.map(() => '');
  for (const word of text.split(/(\s+)/)) {
    let latin: string[] | undefined;
    if (CYRILLIC.test(word)) {
      latin = romanisedWords.get(word);
      if (latin === undefined) {
        latin = CYRILLIC_SCHEMES.map(([, scheme]) => anyAscii(translate(word, scheme)));
        if (romanisedWords.size > 100_000) romanisedWords.clear();
        romanisedWords.set(word, latin);
      }
    }
    for (let i = 0; i < out.length; i += 1) out[i] += latin ? (latin[i] as string) : word;
  }
  return out;
}

/** Which writing system a name is in, for the readings it is given. */
export function scriptOf(name: string): 'han' | 'cyrillic' | 'latin' {
  if (HAN.test(name)) return 'han';
  if (CYRILLIC.test(name)) return 'cyrillic';
  return 'latin';
}

/**
 * Every reading of a name that matching compares: one for a Latin name, one
 * in pinyin for a Chinese one (its syllables are its tokens), one per
 * romanisation scheme for a Russian one (folding makes most of them the
 * same; each different one is kept once).
 */
export function nameForms(name: string): NameForm[] {
  const text = name.normalize('NFKC');
  const script = scriptOf(text);
  if (script === 'han') {
    const tokens = latinTokens(anyAscii(pinyinText(text)));
    return tokens.length ? [{ reading: 'pinyin', tokens }] : [];
  }
  if (script === 'cyrillic') {
    const forms: NameForm[] = [];
    const seen = new Set<string>();
    const latin = romanisations(text);
    for (const [i, [reading]] of CYRILLIC_SCHEMES.entries()) {
      const written = latin[i] as string;
      // Schemes that write the name letter for letter alike give the same tokens: read them once.
      if (latin.indexOf(written) < i) continue;
      const tokens = latinTokens(written);
      const key = tokens.join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      forms.push({ reading, tokens });
    }
    return forms;
  }
  const ascii = anyAscii(text);
  const tokens = latinTokens(ascii);
  const plain = !/[^ -~\s]/.test(text.normalize('NFD').replace(/\p{M}/gu, ''));
  return tokens.length ? [{ reading: plain ? 'latin' : 'other script', tokens }] : [];
}

/** The name written as one run of folded letters, spaces gone: "Ha'erbin Gongye Daxue" and 哈尔滨工业大学 meet here. */
export function compact(tokens: readonly string[]): string {
  return tokens.join('');
}

/**
 * The keys a name is found by in a list's index: each token that says
 * something (not "of" or "LLC"), pairs of pinyin syllables (a single
 * syllable is too common to find anything by), and the start of the name
 * written as one run, which joins a Chinese name to its romanised spelling.
 */
export function matchKeys(form: NameForm): string[] {
  const keys = new Set<string>();
  if (form.reading === 'pinyin') {
    for (let i = 0; i + 1 < form.tokens.length; i += 1) {
      const pair = `${form.tokens[i]}${form.tokens[i + 1]}`;
      if (!FOLDED_GENERIC.has(pair)) keys.add(pair);
    }
  } else {
    for (const token of form.tokens) if (token.length >= 2 && tokenWeight(token) === 1) keys.add(token);
  }
  const run = compact(form.tokens.filter((t) => !FOLDED_EMPTY.has(t)));
  if (run.length >= 6) keys.add(`^${run.slice(0, 6)}`);
  // A name of generic words only ("State University") is found by them after all.
  if (keys.size === 0) for (const token of form.tokens) if (token.length >= 2 && !FOLDED_EMPTY.has(token)) keys.add(token);
  return [...keys];
}

/** The two rows of edit distances, kept between calls: screening counts edits for millions of pairs of words. */
let editRows: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)];

/** Similarity of two strings from 0 to 1: one minus their edit distance over the longer length. */
export function stringSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  if (Math.abs(n - m) / Math.max(n, m) > 0.5) return 0;
  if (editRows[0].length <= m) editRows = [new Int32Array(2 * m + 2), new Int32Array(2 * m + 2)];
  let [previous, current] = editRows;
  for (let j = 0; j <= m; j += 1) previous[j] = j;
  for (let i = 1; i <= n; i += 1) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j += 1) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    [previous, current] = [current, previous];
  }
  return 1 - (previous[m] as number) / Math.max(n, m);
}

/** Two tokens count as the same word from this similarity on (Centre/Center after folding is 1; a typo in a long word passes). */
const TOKEN_MATCH = 0.8;

function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 4 || b.length < 4) return 0;
  // Lengths further apart than a fifth can never reach TOKEN_MATCH: no need to count the edits.
  if (Math.abs(a.length - b.length) > (1 - TOKEN_MATCH) * Math.max(a.length, b.length)) return 0;
  const s = stringSimilarity(a, b);
  return s >= TOKEN_MATCH ? s : 0;
}

export interface FormSimilarity {
  score: number;
  /** How the names were compared: word by word, by pairs of Chinese syllables, or written as one run of letters. */
  how: 'tokens' | 'syllables' | 'run';
  /** Distinctive words of either name that found no partner in the other. */
  unmatched: string[];
}

/** Pairs of neighbouring syllables: the words of a Chinese name, whose syllables alone say little. */
function syllablePairs(tokens: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 1) pairs.push(`${tokens[i]}${tokens[i + 1]}`);
  return pairs.length ? pairs : [...tokens];
}

function diceOfPairs(a: readonly string[], b: readonly string[]): FormSimilarity {
  const pa = syllablePairs(a);
  const pb = syllablePairs(b);
  const left = [...pb];
  let shared = 0;
  const unmatched: string[] = [];
  for (const p of pa) {
    const at = left.indexOf(p);
    if (at >= 0) {
      left.splice(at, 1);
      shared += 1;
    } else unmatched.push(p);
  }
  return { score: (2 * shared) / (pa.length + pb.length), how: 'syllables', unmatched: [...unmatched, ...left] };
}

/**
 * How alike two readings are, from 0 to 1, whatever the word order: each
 * word finds its best partner in the other name, and words that say which
 * body it is count more than words that say what kind of body it is; each
 * word left without a partner lowers the score a little more. Two Chinese
 * names are compared by pairs of syllables (哈尔滨工业大学 and 哈尔滨工程大学
 * share the city, not the university); a Chinese name and a romanised one
 * are compared as one run of letters, since pinyin is written with spaces in
 * different places, and a run that is not the same letter for letter counts
 * for less than words would.
 */
export function formSimilarity(a: NameForm, b: NameForm): FormSimilarity {
  if (a.reading === 'pinyin' && b.reading === 'pinyin') return diceOfPairs(a.tokens, b.tokens);
  const used = new Set<number>();
  let matched = 0;
  let penalty = 1;
  const unmatched: string[] = [];
  const unpartnered = (token: string) => {
    const w = tokenWeight(token);
    penalty *= 1 - 0.15 * w;
    if (w === 1) unmatched.push(token);
  };
  for (const token of a.tokens) {
    let best = 0;
    let bestIndex = -1;
    b.tokens.forEach((other, index) => {
      if (used.has(index)) return;
      const s = tokenSimilarity(token, other);
      if (s > best) {
        best = s;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) {
      used.add(bestIndex);
      matched += 2 * best * Math.min(tokenWeight(token), tokenWeight(b.tokens[bestIndex] ?? ''));
    } else unpartnered(token);
  }
  b.tokens.forEach((token, index) => {
    if (!used.has(index)) unpartnered(token);
  });
  const total = a.tokens.reduce((s, t) => s + tokenWeight(t), 0) + b.tokens.reduce((s, t) => s + tokenWeight(t), 0);
  const byTokens = total > 0 ? (matched / total) * penalty : 0;
  if (a.reading === 'pinyin' || b.reading === 'pinyin') {
    const runA = compact(a.tokens);
    const runB = compact(b.tokens);
    const alike = runA.length >= 4 && runB.length >= 4 ? stringSimilarity(runA, runB) : 0;
    const byRun = alike * alike;
    if (byRun > byTokens) return { score: byRun, how: 'run', unmatched: [] };
  }
  return { score: byTokens, how: 'tokens', unmatched };
}
