/**
 * Finds known names in page text: every name of every entity against every
 * page in one pass, with an Aho–Corasick automaton over the text folded to
 * lower case one UTF-16 unit at a time, so that an offset in the folded text
 * is the same offset in the stored text and an excerpt made from it quotes
 * exactly what matched.
 *
 * The rules, by the kind of name:
 * - CJK (Chinese, Japanese, Korean characters anywhere in it): a substring, as
 *   these scripts write no spaces between words;
 * - a short all-capital name (4 letters or fewer, such as HIT, BIT, MAI, МАИ):
 *   a whole word in capitals, so "hit" in running text is not a mention;
 * - any other name (Latin, Cyrillic, ...): a whole word, in any case.
 * Whitespace in a name matches one whitespace character of any kind (a line
 * break in a PDF's text too).
 */

export type NameRule = 'substring' | 'capitals' | 'word';

/** A name to look for, and the entity it names. */
export interface KnownName {
  entityId: string;
  name: string;
}

/** One place a name was found: offsets in UTF-16 units into the page text, end exclusive. */
export interface NameHit {
  entityId: string;
  start: number;
  end: number;
  text: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const WHITESPACE = /\s/;

/** How a name is matched. */
export function ruleFor(name: string): NameRule {
  if (CJK.test(name)) return 'substring';
  const letters = name.match(/\p{L}/gu)?.length ?? 0;
  if (letters >= 1 && letters <= 4 && !/\s/.test(name) && !/\p{Ll}/u.test(name) && /\p{Lu}/u.test(name)) return 'capitals';
  return 'word';
}

const folded = new Map<number, number>();

/** A UTF-16 unit in lower case where that stays one unit; whitespace becomes a plain space. */
function foldUnit(unit: number): number {
  if (unit < 0x80) {
    if (unit >= 0x41 && unit <= 0x5a) return unit + 32;
    return unit === 0x09 || unit === 0x0a || unit === 0x0d || unit === 0x0b || unit === 0x0c ? 0x20 : unit;
  }
  let result = folded.get(unit);
  if (result === undefined) {
    const ch = String.fromCharCode(unit);
    if (WHITESPACE.test(ch)) result = 0x20;
    else {
      const lower = ch.toLowerCase();
      result = lower.length === 1 ? lower.charCodeAt(0) : unit;
    }
    folded.set(unit, result);
  }
  return result;
}

function foldName(name: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < name.length; i++) units.push(foldUnit(name.charCodeAt(i)));
  return units;
}

interface Target {
  entityId: string;
  /** The name as given, whitespace collapsed: a 'capitals' name must appear exactly so. */
  name: string;
  rule: NameRule;
  /** Whether the name starts and ends with a letter or digit (then its neighbours in the text must not be). */
  wordStart: boolean;
  wordEnd: boolean;
}

function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const unit = text.charCodeAt(index);
  if (unit < 0x80) return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a) || unit === 0x5f;
  // A surrogate pair: look at the whole code point.
  if (unit >= 0xdc00 && unit <= 0xdfff && index > 0) return WORD_CHAR.test(text.slice(index - 1, index + 1));
  if (unit >= 0xd800 && unit <= 0xdbff) return WORD_CHAR.test(text.slice(index, index + 2));
  return WORD_CHAR.test(text[index] as string);
}

/** A matcher built once for a set of names and run over many pages. */
export class NameMatcher {
  private readonly next: Map<number, number>[] = [new Map()];
  private fail: Int32Array = new Int32Array(1);
  /** For each state, the patterns ending there (its own and those along its failure links). */
  private readonly out: number[][] = [[]];
  private readonly lengths: number[] = [];
  private readonly targets: Target[][] = [];

  constructor(names: readonly KnownName[]) {
    const byPattern = new Map<string, number>();
    for (const { entityId, name } of names) {
      const clean = name.trim().replace(/\s+/g, ' ');
      // One character alone names nothing reliably.
      if ([...clean].length < 2) continue;
      const units = foldName(clean);
      const key = String.fromCharCode(...units);
      let pattern = byPattern.get(key);
      if (pattern === undefined) {
        pattern = this.lengths.length;
        byPattern.set(key, pattern);
        this.lengths.push(units.length);
        this.targets.push([]);
        this.insert(units, pattern);
      }
      const list = this.targets[pattern] as Target[];
      if (list.some((t) => t.entityId === entityId && t.name === clean)) continue;
      list.push({ entityId, name: clean, rule: ruleFor(clean), wordStart: isWordChar(clean, 0), wordEnd: isWordChar(clean, clean.length - 1) });
    }
    this.link();
  }

  /** How many distinct names the matcher looks for. */
  get size(): number {
    return this.lengths.length;
  }

  private insert(units: number[], pattern: number): void {
    let state = 0;
    for (const unit of units) {
      const edges = this.next[state] as Map<number, number>;
      let to = edges.get(unit);
      if (to === undefined) {
        to = this.next.length;
        this.next.push(new Map());
        this.out.push([]);
        edges.set(unit, to);
      }
      state = to;
    }
    (this.out[state] as number[]).push(pattern);
  }

  private link(): void {
    this.fail = new Int32Array(this.next.length);
    const queue: number[] = [];
    for (const to of (this.next[0] as Map<number, number>).values()) queue.push(to);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      for (const [unit, to] of this.next[state] as Map<number, number>) {
        let f = this.fail[state] as number;
        while (f !== 0 && !(this.next[f] as Map<number, number>).has(unit)) f = this.fail[f] as number;
        const target = (this.next[f] as Map<number, number>).get(unit);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        const inherited = this.out[this.fail[to] as number] as number[];
        if (inherited.length) this.out[to] = [...(this.out[to] as number[]), ...inherited];
        queue.push(to);
      }
    }
  }

  /**
   * Every mention in one page's text. Where names of one entity overlap (its
   * name and a shorter alias inside it), the longest is kept; names of
   * different entities may overlap.
   */
  find(text: string): NameHit[] {
    const hits: NameHit[] = [];
    if (this.lengths.length === 0) return hits;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = foldUnit(text.charCodeAt(i));
      let to = (this.next[state] as Map<number, number>).get(unit);
      while (to === undefined && state !== 0) {
        state = this.fail[state] as number;
        to = (this.next[state] as Map<number, number>).get(unit);
      }
      state = to ?? 0;
      const ending = this.out[state] as number[];
      for (const pattern of ending) {
        const end = i + 1;
        const start = end - (this.lengths[pattern] as number);
        for (const target of this.targets[pattern] as Target[]) {
          if (this.accepts(text, start, end, target)) hits.push({ entityId: target.entityId, start, end, text: text.slice(start, end) });
        }
      }
    }
    return keepLongest(hits);
  }

  private accepts(text: string, start: number, end: number, target: Target): boolean {
    if (target.rule === 'substring') return true;
    if (target.wordStart && isWordChar(text, start - 1)) return false;
    if (target.wordEnd && isWordChar(text, end)) return false;
    if (target.rule === 'capitals') return text.slice(start, end) === target.name;
    return true;
  }
}

function keepLongest(hits: NameHit[]): NameHit[] {
  if (hits.length < 2) return hits;
  hits.sort((a, b) => (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : a.start - b.start || b.end - a.end));
  const kept: NameHit[] = [];
  let entity = '';
  let reach = -1;
  for (const hit of hits) {
    if (hit.entityId !== entity) {
      entity = hit.entityId;
      reach = -1;
    }
    if (hit.start < reach) continue;
    kept.push(hit);
    reach = hit.end;
  }
  return kept.sort((a, b) => a.start - b.start || b.end - a.end || (a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0));
}
