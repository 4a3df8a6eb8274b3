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
  // The automaton's states are numbers; state 0 is the root. Its edges live in one open-addressing
  // hash table of typed arrays (state, UTF-16 unit → next state) and each state's children in a
  // linked list, so that tens of thousands of names cost no object per state.
  private mask = 0;
  private edgeFrom: Int32Array = new Int32Array(0);
  private edgeUnit: Uint16Array = new Uint16Array(0);
  private edgeTo: Int32Array = new Int32Array(0);
  private states = 1;
  private units: Uint16Array = new Uint16Array(1);
  private firstChild: Int32Array = new Int32Array([-1]);
  private nextSibling: Int32Array = new Int32Array([-1]);
  private fail: Int32Array = new Int32Array(1);
  /** For each state, the patterns ending there (its own and those along its failure links). */
  private out: (number[] | null)[] = [null];
  private readonly lengths: number[] = [];
  private readonly targets: Target[][] = [];

  constructor(names: readonly KnownName[]) {
    const byPattern = new Map<string, number>();
    const patterns: number[][] = [];
    for (const { entityId, name } of names) {
      const clean = name.trim().replace(/\s+/g, ' ');
      // One character alone names nothing reliably.
      if (clean.length < 2 || (clean.length <= 3 && [...clean].length < 2)) continue;
      const units = foldName(clean);
      const key = String.fromCharCode(...units);
      let pattern = byPattern.get(key);
      if (pattern === undefined) {
        pattern = this.lengths.length;
        byPattern.set(key, pattern);
        this.lengths.push(units.length);
        this.targets.push([]);
        patterns.push(units);
      }
      const list = this.targets[pattern] as Target[];
      if (list.some((t) => t.entityId === entityId && t.name === clean)) continue;
      list.push({ entityId, name: clean, rule: ruleFor(clean), wordStart: isWordChar(clean, 0), wordEnd: isWordChar(clean, clean.length - 1) });
    }
    // Names share their beginnings, so a quarter of their length is room enough to start with.
    this.allocate(1 + Math.ceil(this.lengths.reduce((sum, n) => sum + n, 0) / 4));
    patterns.forEach((units, pattern) => this.insert(units, pattern));
    this.link();
  }

  /** How many distinct names the matcher looks for. */
  get size(): number {
    return this.lengths.length;
  }

  /** Room for about this many states; the tables grow as the names need. */
  private allocate(states: number): void {
    this.resizeStates(Math.max(16, states));
    this.resizeEdges(Math.max(16, states * 2));
  }

  private resizeStates(capacity: number): void {
    const grow = <T extends Int32Array | Uint16Array>(old: T, make: (n: number) => T, empty: number): T => {
      const next = make(capacity);
      if (empty !== 0) next.fill(empty);
      next.set(old.subarray(0, Math.min(old.length, capacity)));
      return next;
    };
    this.units = grow(this.units, (n) => new Uint16Array(n), 0);
    this.firstChild = grow(this.firstChild, (n) => new Int32Array(n), -1);
    this.nextSibling = grow(this.nextSibling, (n) => new Int32Array(n), -1);
    while (this.out.length < capacity) this.out.push(null);
  }

  /** A new edge table of a power of two at least this large, with every edge placed again. */
  private resizeEdges(atLeast: number): void {
    let capacity = 16;
    while (capacity < atLeast) capacity *= 2;
    const [from, unit, to] = [this.edgeFrom, this.edgeUnit, this.edgeTo];
    this.mask = capacity - 1;
    this.edgeFrom = new Int32Array(capacity);
    this.edgeUnit = new Uint16Array(capacity);
    this.edgeTo = new Int32Array(capacity);
    for (let i = 0; i < to.length; i++) if (to[i] !== 0) this.place(from[i] as number, unit[i] as number, to[i] as number);
  }

  private place(state: number, unit: number, to: number): void {
    let h = this.slot(state, unit);
    while (this.edgeTo[h] !== 0) h = (h + 1) & this.mask;
    this.edgeFrom[h] = state;
    this.edgeUnit[h] = unit;
    this.edgeTo[h] = to;
  }

  private slot(state: number, unit: number): number {
    return (Math.imul(state, 0x9e3779b1) ^ Math.imul(unit + 1, 0x85ebca6b)) & this.mask;
  }

  /** The state an edge leads to, or 0 where there is none (no edge leads back to the root). */
  private edge(state: number, unit: number): number {
    for (let h = this.slot(state, unit); ; h = (h + 1) & this.mask) {
      const to = this.edgeTo[h] as number;
      if (to === 0 || (this.edgeFrom[h] === state && this.edgeUnit[h] === unit)) return to;
    }
  }

  private insert(units: number[], pattern: number): void {
    let state = 0;
    for (const unit of units) {
      let to = this.edge(state, unit);
      if (to === 0) {
        to = this.states++;
        if (to >= this.units.length) this.resizeStates(this.units.length * 2);
        // Kept at most half full, so a probe ends soon.
        if (this.states * 2 > this.mask + 1) this.resizeEdges((this.mask + 1) * 2);
        this.units[to] = unit;
        this.nextSibling[to] = this.firstChild[state] as number;
        this.firstChild[state] = to;
        this.place(state, unit, to);
      }
      state = to;
    }
    this.out[state] = [...(this.out[state] ?? []), pattern];
  }

  private link(): void {
    this.fail = new Int32Array(this.states);
    const queue = new Int32Array(this.states);
    let tail = 0;
    for (let child = this.firstChild[0] as number; child !== -1; child = this.nextSibling[child] as number) queue[tail++] = child;
    for (let head = 0; head < tail; head++) {
      const state = queue[head] as number;
      for (let child = this.firstChild[state] as number; child !== -1; child = this.nextSibling[child] as number) {
        const unit = this.units[child] as number;
        let f = this.fail[state] as number;
        let target = this.edge(f, unit);
        while (target === 0 && f !== 0) {
          f = this.fail[f] as number;
          target = this.edge(f, unit);
        }
        const to = target !== child ? target : 0;
        this.fail[child] = to;
        const inherited = this.out[to];
        if (inherited) this.out[child] = [...(this.out[child] ?? []), ...inherited];
        queue[tail++] = child;
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
      let to = this.edge(state, unit);
      while (to === 0 && state !== 0) {
        state = this.fail[state] as number;
        to = this.edge(state, unit);
      }
      state = to;
      const ending = this.out[state];
      if (!ending) continue;
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
