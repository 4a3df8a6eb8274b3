import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { CaseboardError } from '../../shared/errors';
import type { ReferenceList } from '../../shared/ops/screening';
import { now } from '../core/clock';
import { defaultDataDir } from '../core/data-dir';
import { matchKeys, nameForms, type NameForm } from './names';

/** FollowTheMoney schemata a reference list's entries come as; `Sanction` lines attach to them. */
export const LIST_SCHEMATA = ['Organization', 'Company', 'LegalEntity', 'PublicBody', 'Person', 'Vessel'] as const;
const ENTRY_SCHEMATA = new Set<string>(LIST_SCHEMATA);

/** Properties whose values are an entry's names. */
const NAME_PROPERTIES = ['name', 'alias', 'previousName', 'weakAlias'];
const COUNTRY_PROPERTIES = ['country', 'jurisdiction', 'nationality', 'citizenship', 'mainCountry', 'registrationCountry'];
/** Properties that identify a body or person the same way a case's identifiers do. */
const IDENTIFIER_PROPERTIES = ['registrationNumber', 'taxNumber', 'innCode', 'ogrnCode', 'leiCode', 'wikidataId', 'imoNumber', 'swiftBic', 'vatCode', 'idNumber', 'passportNumber'];
const DATE_PROPERTIES = ['birthDate', 'incorporationDate', 'buildDate'];

/** How many names of one entry are read; OpenSanctions entries of heads of state carry hundreds. */
const MAX_NAMES = 40;
const BATCH = 5000;
/** How many (key, entry) pairs are gathered in memory before they are written as one part of each key's posting list. */
const POSTINGS_IN_MEMORY = 4_000_000;
const LITTLE_ENDIAN = endianness() === 'LE';

/** The folder that holds the reference lists: `lists` in the user data folder. */
export function listsFolder(dataDir = defaultDataDir()): string {
  return path.join(dataDir, 'lists');
}

function fileOf(folder: string, name: string): string {
  return path.join(folder, `${createHash('sha256').update(name).digest('hex').slice(0, 24)}.sqlite`);
}

const SCHEMA = `
  CREATE TABLE list_info (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), name TEXT NOT NULL, version TEXT, sha256 TEXT NOT NULL, entities INTEGER NOT NULL, files TEXT NOT NULL, added_at TEXT NOT NULL);
  CREATE TABLE entries (id INTEGER PRIMARY KEY, ftm_id TEXT NOT NULL, schema TEXT NOT NULL, names TEXT NOT NULL, forms TEXT NOT NULL, countries TEXT NOT NULL, identifiers TEXT NOT NULL, dates TEXT NOT NULL);
  CREATE TABLE sanctions (entity TEXT NOT NULL, ftm_id TEXT NOT NULL, authority TEXT, program TEXT, start_date TEXT, end_date TEXT, reason TEXT, source_url TEXT);
  CREATE TABLE postings (key TEXT NOT NULL, part INTEGER NOT NULL, n INTEGER NOT NULL, entries BLOB NOT NULL);
`;
const INDEXES = `
  CREATE INDEX postings_key ON postings (key, part, n);
  CREATE INDEX entries_ftm_id ON entries (ftm_id);
  CREATE INDEX sanctions_entity ON sanctions (entity);
`;

function readInfo(file: string): ReferenceList | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT name, version, sha256, entities, added_at FROM list_info').get() as { name: string; version: string | null; sha256: string; entities: number; added_at: string } | undefined;
    if (!row) return null;
    return { name: row.name, version: row.version, sha256: row.sha256, entities: row.entities, addedAt: row.added_at };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** The reference lists the investigator has added, by name. */
export function referenceLists(folder = listsFolder()): ReferenceList[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => readInfo(path.join(folder, f)))
    .filter((l): l is ReferenceList => l !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes a reference list; the hits and decisions it gave stay in the cases that were screened against it. */
export function removeReferenceList(name: string, folder = listsFolder()): ReferenceList {
  const file = fileOf(folder, name);
  const info = existsSync(file) ? readInfo(file) : null;
  if (!info || info.name !== name) throw new CaseboardError('invalid_input', `There is no reference list called "${name}".`);
  rmSync(file, { force: true });
  return info;
}

type Props = Record<string, unknown>;

/**
 * (key, entry) pairs gathered while a list is added, in two flat arrays
 * rather than an array per key (a million entries give millions of pairs),
 * and given back as each key's posting list: its entries in the order they
 * were added (ascending row numbers), as 32-bit little-endian integers.
 */
class PostingBuffer {
  private ids = new Map<string, number>();
  private keys: string[] = [];
  private keyOf = new Int32Array(1 << 16);
  private entryOf = new Int32Array(1 << 16);
  size = 0;

  add(key: string, entry: number): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
    }
    if (this.size === this.keyOf.length) {
      const keyOf = new Int32Array(this.size * 2);
      keyOf.set(this.keyOf);
      this.keyOf = keyOf;
      const entryOf = new Int32Array(this.size * 2);
      entryOf.set(this.entryOf);
      this.entryOf = entryOf;
    }
    this.keyOf[this.size] = id;
    this.entryOf[this.size] = entry;
    this.size += 1;
  }

  /** Each key with its posting list, then the buffer is empty again. */
  drain(write: (key: string, n: number, entries: Buffer) => void): void {
    // Counted per key, then each pair put in its key's place: a counting sort, stable, so entries stay ascending.
    const counts = new Int32Array(this.keys.length);
    for (let i = 0; i < this.size; i += 1) {
      const k = this.keyOf[i] as number;
      counts[k] = (counts[k] as number) + 1;
    }
    const starts = new Int32Array(this.keys.length);
    for (let k = 1; k < this.keys.length; k += 1) starts[k] = (starts[k - 1] as number) + (counts[k - 1] as number);
    const next = starts.slice();
    const bytes = Buffer.allocUnsafe(this.size * 4);
    for (let i = 0; i < this.size; i += 1) {
      const k = this.keyOf[i] as number;
      const at = next[k] as number;
      bytes.writeInt32LE(this.entryOf[i] as number, at * 4);
      next[k] = at + 1;
    }
    this.keys.forEach((key, k) => {
      const start = starts[k] as number;
      const n = counts[k] as number;
      write(key, n, bytes.subarray(start * 4, (start + n) * 4));
    });
    this.ids = new Map();
    this.keys = [];
    this.size = 0;
  }
}

function postingRows(blob: Buffer): Int32Array {
  // Copied onto a buffer of its own, which is aligned (a blob from SQLite may start anywhere in a shared one).
  if (LITTLE_ENDIAN) return new Int32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.length));
  const rows = new Int32Array(blob.length / 4);
  for (let i = 0; i < rows.length; i += 1) rows[i] = blob.readInt32LE(i * 4);
  return rows;
}

function values(props: Props, name: string): string[] {
  const list = props[name];
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

export interface AddListOptions {
  name: string;
  version?: string | undefined;
  progress?: (done: number, total: number, message: string) => void;
  throwIfCancelled?: () => void;
  /** How many (key, entry) pairs are held in memory before they are written as a part of each key's posting list. */
  postingsInMemory?: number;
}

/** What an entry's names become in the index: each name's readings, as `[name index, reading, tokens]`. */
type StoredForm = [number, NameForm['reading'], string];

/**
 * Adds a reference list from FollowTheMoney JSON lines, read as a stream so
 * a million-entity export never sits in memory whole: every person,
 * organisation, company, public body and vessel becomes an entry, with its
 * names read in every script (pinyin for Chinese, the Russian romanisation
 * schemes for Cyrillic) into the keys screening finds it by, each key with
 * its posting list (the entries that have it, and how many); `Sanction`
 * lines are kept with the entry they name. The list is built in a file of
 * its own beside the others and takes its place only when it is whole.
 */
export async function addReferenceList(files: readonly string[], options: AddListOptions, folder = listsFolder()): Promise<ReferenceList> {
  const name = options.name.trim();
  if (!name || name.length > 200) throw new CaseboardError('invalid_input', 'Give the list a name of 1 to 200 characters.');
  const version = options.version?.trim() || null;
  if (version && version.length > 100) throw new CaseboardError('invalid_input', 'The list version is longer than 100 characters.');
  if (files.length === 0) throw new CaseboardError('invalid_input', 'Name the FollowTheMoney file to add the list from.');
  for (const file of files) {
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read as a file.`);
  }
  mkdirSync(folder, { recursive: true });
  const target = fileOf(folder, name);
  if (existsSync(target)) throw new CaseboardError('invalid_input', `A reference list called "${name}" is already added; remove it first to add it again.`);
  const building = `${target}.${process.pid}.building`;
  rmSync(building, { force: true });
  const db = new Database(building);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);
    const insertEntry = db.prepare('INSERT INTO entries (ftm_id, schema, names, forms, countries, identifiers, dates) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertPosting = db.prepare('INSERT INTO postings (key, part, n, entries) VALUES (?, ?, ?, ?)');
    // Each key's entries, gathered in memory and written as one row per key (a part per POSTINGS_IN_MEMORY pairs, so memory stays bounded).
    const postingsInMemory = options.postingsInMemory ?? POSTINGS_IN_MEMORY;
    const postings = new PostingBuffer();
    let pairs = 0;
    let part = 0;
    const writePostings = db.transaction(() => {
      postings.drain((key, n, entries) => insertPosting.run(key, part, n, entries));
      part += 1;
      pairs = 0;
    });
    const insertSanction = db.prepare('INSERT INTO sanctions (entity, ftm_id, authority, program, start_date, end_date, reason, source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const hash = createHash('sha256');
    let entities = 0;
    let lines = 0;
    let bad = 0;
    let pending: (() => void)[] = [];
    const flush = db.transaction((work: (() => void)[]) => {
      for (const w of work) w();
    });
    const totalBytes = files.reduce((s, f) => s + statSync(f).size, 0);
    let readBytes = 0;
    for (const file of files) {
      const stream = createReadStream(file);
      stream.on('data', (chunk) => {
        hash.update(chunk);
        readBytes += chunk.length;
      });
      const reader = createInterface({ input: stream, crlfDelay: Infinity });
      for await (const raw of reader) {
        lines += 1;
        if (raw.trim() === '') continue;
        let line: { id?: unknown; schema?: unknown; properties?: unknown };
        try {
          line = JSON.parse(raw) as typeof line;
        } catch {
          bad += 1;
          continue;
        }
        if (!line || typeof line.id !== 'string' || typeof line.schema !== 'string') {
          bad += 1;
          continue;
        }
        const id = line.id;
        const props = (line.properties && typeof line.properties === 'object' ? line.properties : {}) as Props;
        if (line.schema === 'Sanction') {
          const entity = values(props, 'entity')[0];
          if (entity) {
            const date = (v: string | undefined) => (v ? v.slice(0, 10) : null);
            pending.push(() => insertSanction.run(entity, id, values(props, 'authority')[0] ?? null, values(props, 'program')[0] ?? null, date(values(props, 'startDate')[0]), date(values(props, 'endDate')[0]), values(props, 'reason')[0] ?? null, values(props, 'sourceUrl')[0] ?? null));
          }
        } else if (ENTRY_SCHEMATA.has(line.schema)) {
          const names = [...new Set(NAME_PROPERTIES.flatMap((p) => values(props, p)))].slice(0, MAX_NAMES);
          if (names.length > 0) {
            const forms: StoredForm[] = [];
            const keys = new Set<string>();
            names.forEach((n, index) => {
              for (const form of nameForms(n)) {
                forms.push([index, form.reading, form.tokens.join(' ')]);
                for (const key of matchKeys(form)) keys.add(key);
              }
            });
            const countries = [...new Set(COUNTRY_PROPERTIES.flatMap((p) => values(props, p)).map((c) => c.toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)))];
            const identifiers = IDENTIFIER_PROPERTIES.flatMap((p) => values(props, p).map((v) => [p, v]));
            const dates = DATE_PROPERTIES.flatMap((p) => values(props, p).map((v) => [p, v.slice(0, 10)]));
            const schema = line.schema;
            entities += 1;
            pairs += keys.size;
            pending.push(() => {
              const entry = Number(insertEntry.run(id, schema, JSON.stringify(names), JSON.stringify(forms), JSON.stringify(countries), JSON.stringify(identifiers), JSON.stringify(dates)).lastInsertRowid);
              for (const key of keys) postings.add(key, entry);
            });
          }
        }
        if (pending.length >= BATCH || pairs >= postingsInMemory) {
          flush(pending);
          pending = [];
          if (pairs >= postingsInMemory) writePostings();
          options.throwIfCancelled?.();
          options.progress?.(readBytes, totalBytes, `${entities.toLocaleString('en')} entries read`);
        }
      }
    }
    flush(pending);
    pending = [];
    if (pairs > 0) writePostings();
    if (entities === 0) {
      throw new CaseboardError('invalid_input', `The file holds no FollowTheMoney people, organisations, companies, public bodies or vessels${bad ? ` (${bad.toLocaleString('en')} of ${lines.toLocaleString('en')} lines are not FtM JSON)` : ''}.`);
    }
    options.progress?.(totalBytes, totalBytes, 'Indexing the names');
    db.exec(INDEXES);
    const info: ReferenceList = { name, version, sha256: hash.digest('hex'), entities, addedAt: now() };
    db.prepare('INSERT INTO list_info (singleton, name, version, sha256, entities, files, added_at) VALUES (1, ?, ?, ?, ?, ?, ?)').run(name, version, info.sha256, entities, JSON.stringify(files.map((f) => path.basename(f))), info.addedAt);
    db.close();
    if (existsSync(target)) throw new CaseboardError('invalid_input', `A reference list called "${name}" was added meanwhile; remove it first to add it again.`);
    renameSync(building, target);
    return info;
  } catch (error) {
    if (db.open) db.close();
    rmSync(building, { force: true });
    throw error;
  }
}

/** An entry of a reference list as screening reads it. */
export interface ListEntry {
  row: number;
  ftmId: string;
  schema: string;
  names: string[];
  forms: { name: number; form: NameForm }[];
  countries: string[];
  identifiers: [string, string][];
  dates: [string, string][];
}

export interface ListSanction {
  ftmId: string;
  authority: string | null;
  program: string | null;
  startDate: string | null;
  endDate: string | null;
  reason: string | null;
  sourceUrl: string | null;
}

/** Keys this common find too many entries to say anything; a name is found by its rarer ones. */
const COMMON_KEY = 250;
/** A name with only common keys reads them up to this many entries each; a key commoner still ("university", "ivanov" in a million) says nothing. */
const WIDE_KEY = 20_000;
/** How many entries are scored for one case entity at most. */
const CANDIDATES = 60;
/** How many entries read in a run are kept for the names that find them again. */
const ENTRY_CACHE = 50_000;

/** An added list opened for screening. */
export class ListReader {
  readonly info: ReferenceList;
  private readonly db: Database.Database;
  /** How many entries have a key, without reading them. */
  private readonly countOf: (key: string) => number;
  /** The entries that have a key. */
  private readonly postingsOf: (key: string) => ArrayLike<number>;
  private readonly entry: Database.Statement;
  private readonly entries: Database.Statement;
  private readonly sanctionsOf: Database.Statement;
  /** Entries read this run: neighbouring case names find the same entries. */
  private readonly cache = new Map<number, ListEntry>();
  /** Keys counted this run: a case's names share most of their words ("university", "LLC", a city). */
  private readonly counts = new Map<string, number>();
  private weights: Float64Array | undefined;

  constructor(name: string, folder = listsFolder()) {
    const file = fileOf(folder, name);
    const info = existsSync(file) ? readInfo(file) : null;
    if (!info || info.name !== name) throw new CaseboardError('invalid_input', `There is no reference list called "${name}"; add it with caseboard lists add.`);
    this.info = info;
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    // Candidates are read from all over the file: mapped into memory, each read is a copy rather than a call to the system.
    this.db.pragma('mmap_size = 4294967296');
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'postings'").get()) {
      const count = this.db.prepare('SELECT coalesce(sum(n), 0) FROM postings WHERE key = ?').pluck();
      const parts = this.db.prepare('SELECT entries FROM postings WHERE key = ? ORDER BY part').pluck();
      this.countOf = (key) => count.get(key) as number;
      this.postingsOf = (key) => {
        const blobs = parts.all(key) as Buffer[];
        return blobs.length === 1 && blobs[0] ? postingRows(blobs[0]) : postingRows(Buffer.concat(blobs));
      };
    } else {
      // A list added before posting lists were kept has one row per key and entry: counted up to the widest key read.
      const count = this.db.prepare(`SELECT count(*) FROM (SELECT 1 FROM keys WHERE key = ? LIMIT ${WIDE_KEY + 1})`).pluck();
      const rows = this.db.prepare('SELECT entry FROM keys WHERE key = ?').pluck();
      this.countOf = (key) => count.get(key) as number;
      this.postingsOf = (key) => rows.all(key) as number[];
    }
    this.entry = this.db.prepare('SELECT id, ftm_id, schema, names, forms, countries, identifiers, dates FROM entries WHERE id = ?');
    this.entries = this.db.prepare('SELECT id, ftm_id, schema, names, forms, countries, identifiers, dates FROM entries WHERE id IN (SELECT value FROM json_each(?))');
    this.sanctionsOf = this.db.prepare('SELECT ftm_id, authority, program, start_date, end_date, reason, source_url FROM sanctions WHERE entity = ? ORDER BY start_date IS NULL, start_date, ftm_id');
  }

  /** How many entries of the list have a key, from its posting list's length; nothing is read twice in a run. */
  keyCount(key: string): number {
    let n = this.counts.get(key);
    if (n === undefined) {
      n = this.countOf(key);
      if (this.counts.size >= 200_000) this.counts.clear();
      this.counts.set(key, n);
    }
    return n;
  }

  /**
   * The entries most worth scoring for a name's keys: each entry gathers the
   * rarity of the keys it shares (a key few entries have says more), and the
   * best CANDIDATES of them are scored. Each key's count is known before its
   * entries are read, so a key too common to say anything costs one lookup:
   * it is read only when the name has nothing rarer, and never when more
   * than WIDE_KEY entries share it.
   */
  candidates(keys: readonly string[]): Set<number> {
    const counted = keys.map((key) => [key, this.keyCount(key)] as const).filter(([, n]) => n > 0);
    const rare = counted.filter(([, n]) => n <= COMMON_KEY);
    // A name of common words only is found where its common words meet: entries sharing more of them rank first.
    const used = rare.length ? rare : counted.filter(([, n]) => n <= WIDE_KEY);
    // Weights gather in one array indexed by entry, kept for the run and cleared after each name: thousands of entries per common key.
    this.weights ??= new Float64Array((this.db.prepare('SELECT coalesce(max(id), 0) FROM entries').pluck().get() as number) + 1);
    const weight = this.weights;
    const touched: number[] = [];
    for (const [key, n] of used) {
      const rows = this.postingsOf(key);
      for (let i = 0; i < rows.length; i += 1) {
        const r = rows[i] as number;
        if (weight[r] === 0) touched.push(r);
        weight[r] = (weight[r] as number) + 1 / n;
      }
    }
    let chosen = touched;
    if (touched.length > CANDIDATES) {
      // The best CANDIDATES by weight, and among equal weights the first entries: the weight of the last one taken, then those above it and enough of those at it.
      const sorted = Float64Array.from(touched, (r) => weight[r] as number).sort();
      const last = sorted[sorted.length - CANDIDATES] as number;
      const above = touched.filter((r) => (weight[r] as number) > last);
      const at = touched.filter((r) => weight[r] === last).sort((a, b) => a - b);
      chosen = [...above, ...at.slice(0, CANDIDATES - above.length)];
    }
    for (const r of touched) weight[r] = 0;
    return new Set(chosen);
  }

  read(row: number): ListEntry {
    const cached = this.cache.get(row);
    if (cached) return cached;
    const entry = this.readRow(row);
    this.remember(entry);
    return entry;
  }

  /** Many entries at once, in one query for those not read before this run. */
  readMany(rows: Iterable<number>): ListEntry[] {
    const found: ListEntry[] = [];
    const missing: number[] = [];
    for (const row of rows) {
      const cached = this.cache.get(row);
      if (cached) found.push(cached);
      else missing.push(row);
    }
    if (missing.length) {
      for (const r of this.entries.all(JSON.stringify(missing)) as EntryRow[]) {
        const entry = parseEntry(r);
        this.remember(entry);
        found.push(entry);
      }
    }
    return found;
  }

  /** Keeps an entry for the rest of the run; when ENTRY_CACHE are kept, the tenth read longest ago make room (entries sharing common words come back often). */
  private remember(entry: ListEntry): void {
    if (this.cache.size >= ENTRY_CACHE) {
      let dropped = 0;
      for (const row of this.cache.keys()) {
        this.cache.delete(row);
        dropped += 1;
        if (dropped >= ENTRY_CACHE / 10) break;
      }
    }
    this.cache.set(entry.row, entry);
  }

  private readRow(row: number): ListEntry {
    return parseEntry(this.entry.get(row) as EntryRow);
  }

  sanctions(ftmId: string): ListSanction[] {
    return (this.sanctionsOf.all(ftmId) as { ftm_id: string; authority: string | null; program: string | null; start_date: string | null; end_date: string | null; reason: string | null; source_url: string | null }[]).map((s) => ({
      ftmId: s.ftm_id,
      authority: s.authority,
      program: s.program,
      startDate: s.start_date,
      endDate: s.end_date,
      reason: s.reason,
      sourceUrl: s.source_url,
    }));
  }

  close(): void {
    this.db.close();
  }
}

interface EntryRow {
  id: number;
  ftm_id: string;
  schema: string;
  names: string;
  forms: string;
  countries: string;
  identifiers: string;
  dates: string;
}

function parseEntry(r: EntryRow): ListEntry {
  const forms = (JSON.parse(r.forms) as StoredForm[]).map(([name, reading, tokens]) => ({ name, form: { reading, tokens: tokens.split(' ') } }));
  return { row: r.id, ftmId: r.ftm_id, schema: r.schema, names: JSON.parse(r.names) as string[], forms, countries: JSON.parse(r.countries) as string[], identifiers: JSON.parse(r.identifiers) as [string, string][], dates: JSON.parse(r.dates) as [string, string][] };
}
