import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  CREATE TABLE keys (key TEXT NOT NULL, entry INTEGER NOT NULL);
`;
const INDEXES = `
  CREATE INDEX keys_key ON keys (key, entry);
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

function values(props: Props, name: string): string[] {
  const list = props[name];
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

export interface AddListOptions {
  name: string;
  version?: string | undefined;
  progress?: (done: number, total: number, message: string) => void;
  throwIfCancelled?: () => void;
}

/** What an entry's names become in the index: each name's readings, as `[name index, reading, tokens]`. */
type StoredForm = [number, NameForm['reading'], string];

/**
 * Adds a reference list from FollowTheMoney JSON lines, read as a stream so
 * a million-entity export never sits in memory whole: every person,
 * organisation, company, public body and vessel becomes an entry, with its
 * names read in every script (pinyin for Chinese, the Russian romanisation
 * schemes for Cyrillic) into the keys screening finds it by; `Sanction`
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
    const insertKey = db.prepare('INSERT INTO keys (key, entry) VALUES (?, ?)');
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
            pending.push(() => {
              const entry = insertEntry.run(id, schema, JSON.stringify(names), JSON.stringify(forms), JSON.stringify(countries), JSON.stringify(identifiers), JSON.stringify(dates)).lastInsertRowid;
              for (const key of keys) insertKey.run(key, entry);
            });
          }
        }
        if (pending.length >= BATCH) {
          flush(pending);
          pending = [];
          options.throwIfCancelled?.();
          options.progress?.(readBytes, totalBytes, `${entities.toLocaleString('en')} entries read`);
        }
      }
    }
    flush(pending);
    pending = [];
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

/** An added list opened for screening. */
export class ListReader {
  readonly info: ReferenceList;
  private readonly db: Database.Database;
  private readonly byKey: Database.Statement;
  private readonly byKeyWide: Database.Statement;
  private readonly entry: Database.Statement;
  private readonly entries: Database.Statement;
  private readonly sanctionsOf: Database.Statement;
  /** Entries read this run: neighbouring case names find the same entries. */
  private readonly cache = new Map<number, ListEntry>();

  constructor(name: string, folder = listsFolder()) {
    const file = fileOf(folder, name);
    const info = existsSync(file) ? readInfo(file) : null;
    if (!info || info.name !== name) throw new CaseboardError('invalid_input', `There is no reference list called "${name}"; add it with caseboard lists add.`);
    this.info = info;
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.byKey = this.db.prepare(`SELECT entry FROM keys WHERE key = ? LIMIT ${COMMON_KEY + 1}`).pluck();
    this.byKeyWide = this.db.prepare(`SELECT entry FROM keys WHERE key = ? LIMIT ${WIDE_KEY + 1}`).pluck();
    this.entry = this.db.prepare('SELECT id, ftm_id, schema, names, forms, countries, identifiers, dates FROM entries WHERE id = ?');
    this.entries = this.db.prepare('SELECT id, ftm_id, schema, names, forms, countries, identifiers, dates FROM entries WHERE id IN (SELECT value FROM json_each(?))');
    this.sanctionsOf = this.db.prepare('SELECT ftm_id, authority, program, start_date, end_date, reason, source_url FROM sanctions WHERE entity = ? ORDER BY start_date IS NULL, start_date, ftm_id');
  }

  /**
   * The entries most worth scoring for a name's keys: each entry gathers the
   * rarity of the keys it shares (a key few entries have says more), and the
   * best CANDIDATES of them are scored. A key too common to say anything is
   * used only when the name has nothing rarer.
   */
  candidates(keys: readonly string[]): Set<number> {
    const weight = new Map<number, number>();
    const common: string[] = [];
    for (const key of keys) {
      const rows = this.byKey.all(key) as number[];
      if (rows.length > COMMON_KEY) common.push(key);
      else for (const r of rows) weight.set(r, (weight.get(r) ?? 0) + 1 / rows.length);
    }
    // A name of common words only is found where its common words meet: entries sharing more of them rank first.
    if (weight.size === 0) {
      for (const key of common) {
        const rows = this.byKeyWide.all(key) as number[];
        if (rows.length > WIDE_KEY) continue;
        for (const r of rows) weight.set(r, (weight.get(r) ?? 0) + 1 / rows.length);
      }
    }
    if (weight.size <= CANDIDATES) return new Set(weight.keys());
    return new Set([...weight.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, CANDIDATES).map(([row]) => row));
  }

  read(row: number): ListEntry {
    const cached = this.cache.get(row);
    if (cached) return cached;
    const entry = this.readRow(row);
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(row, entry);
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
      if (this.cache.size + missing.length > 50_000) this.cache.clear();
      for (const r of this.entries.all(JSON.stringify(missing)) as EntryRow[]) {
        const entry = parseEntry(r);
        this.cache.set(entry.row, entry);
        found.push(entry);
      }
    }
    return found;
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
