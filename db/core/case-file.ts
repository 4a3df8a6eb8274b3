import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import './sqlite-uri';
import { CaseboardError } from '../../shared/errors';
import { newId, now } from './clock';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index';
import { checkOutputPath, publishFile } from './output-file';
import { withPrivateCopies } from './private-files';
import { registerTrigramFunctions } from './trigram-fold';

export type CaseDb = Database.Database;

/** PRAGMA application_id of every Caseboard case file: "CSBD" in ASCII. */
export const APPLICATION_ID = 0x43534244;
export { CASE_FILE_EXTENSION } from '../../shared/case-file-name';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for this runtime (Electron needs its own ABI). */
  nativeBinding?: string;
  readonly?: boolean;
  /**
   * Also run SQLite's quick check over every page before trusting the file.
   * Files from someone else (a check, a merge) are read so; the user's own
   * case, which Caseboard wrote, is not: opening it stays as fast at a million
   * items as at a hundred, and a full check runs on request (`info --full`,
   * Verify case file).
   */
  scanPages?: boolean;
}

function notACaseFile(file: string, why: string): CaseboardError {
  return new CaseboardError('not_a_case_file', `${path.basename(file)} ${why}`);
}

/** The schema version in a case file's header (user_version), read before anything opens it; 0 when the file is too short to have one. */
export function headerSchemaVersion(file: string): number {
  const header = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, header, 0, 4, 60) === 4 ? header.readInt32BE(0) : 0;
  } finally {
    closeSync(fd);
  }
}

/** Whether a write-ahead log with anything in it lies beside the file. */
function hasLogBeside(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Reads the SQLite header without SQLite, so files that are not ours are
 * refused before the library parses anything in them.
 */
function checkHeader(file: string): { userVersion: number } {
  if (!existsSync(file)) throw notACaseFile(file, 'does not exist.');
  refuseRollbackJournal(file);
  const stat = statSync(file);
  if (!stat.isFile()) throw notACaseFile(file, 'is not a file.');
  if (stat.size === 0) throw notACaseFile(file, 'is empty, so it is not a Caseboard case file.');
  if (stat.size < 512) throw notACaseFile(file, 'is too short to be a Caseboard case file.');
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw notACaseFile(file, 'is not a Caseboard case file (it is not an SQLite database).');
  if (header.readInt32BE(68) !== APPLICATION_ID) throw notACaseFile(file, 'is an SQLite database but not a Caseboard case file.');
  const pageSize = header.readUInt16BE(16);
  const validPageSize = pageSize === 1 || (pageSize >= 512 && pageSize <= 32768 && (pageSize & (pageSize - 1)) === 0);
  if (!validPageSize) throw notACaseFile(file, 'is damaged (its header is not valid).');
  // The page count in the header is current when SQLite marked it so (change counter = version-valid-for); a file shorter than that was cut off.
  // Not while a write-ahead log lies beside it: a checkpoint cut short writes the first page, with the new count, before the
  // pages that extend the file, and opening the case replays the log, which holds them all.
  const pageCount = header.readUInt32BE(28);
  const bytesPerPage = pageSize === 1 ? 65536 : pageSize;
  if (pageCount > 0 && header.readUInt32BE(24) === header.readUInt32BE(92) && stat.size < pageCount * bytesPerPage && !hasLogBeside(file)) {
    throw notACaseFile(file, 'is damaged (it is shorter than its header says; it may have been cut off).');
  }
  // The list of free pages starts, and counts, within the file.
  const pagesInFile = Math.max(pageCount, Math.floor(stat.size / bytesPerPage));
  if (header.readUInt32BE(32) > pagesInFile || header.readUInt32BE(36) >= pagesInFile) throw notACaseFile(file, 'is damaged (its list of free pages points outside the file).');
  const userVersion = header.readInt32BE(60);
  if (userVersion > SCHEMA_VERSION) {
    throw notACaseFile(file, `was written by a newer version of Caseboard (schema ${userVersion}, this version reads up to ${SCHEMA_VERSION}); update Caseboard to open it.`);
  }
  if (userVersion <= 0) throw notACaseFile(file, 'is damaged (it has no schema version).');
  return { userVersion };
}

/**
 * Case files are always in WAL mode, so a rollback journal beside one was not
 * written by Caseboard. SQLite would replay it at the first read, and a journal
 * can name a "super-journal" elsewhere on the disk that SQLite then deletes:
 * such a file is refused before SQLite sees it, and the journal is left alone.
 */
export function refuseRollbackJournal(file: string): void {
  const journal = `${path.resolve(file)}-journal`;
  if (existsSync(journal)) {
    throw notACaseFile(
      file,
      `has a rollback journal beside it (${path.basename(journal)}), which Caseboard never writes; it was refused unread so that the journal cannot change it or other files. Ask the sender for the case file alone, or move the journal away if you know where it came from.`,
    );
  }
}

/** The settings every connection to a case file gets, whoever opens it. */
export function applyConnectionPragmas(db: CaseDb): void {
  // Files may come from someone else: never run functions a schema smuggles in.
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Every statement a trigger runs in opens a statement journal; kept in memory rather than in a temporary
  // file, writes to the entities (whose name index and mentions keep up by triggers) are about three times faster.
  db.pragma('temp_store = MEMORY');
  // The quick filter tests common words on the rows it walks as the trigram index would find them.
  registerTrigramFunctions(db);
}

let processNativeBinding: string | undefined;

/** Sets the SQLite binary every connection in this thread uses unless told otherwise (Electron's ABI in development). */
export function useNativeBinding(binding: string | undefined): void {
  processNativeBinding = binding;
}

function bindingOption(options: OpenOptions): { nativeBinding?: string } {
  const binding = options.nativeBinding ?? processNativeBinding;
  return binding ? { nativeBinding: binding } : {};
}

function connect(file: string, options: OpenOptions, fileMustExist: boolean, uri?: string): CaseDb {
  try {
    const db = new Database(uri ?? file, {
      fileMustExist,
      readonly: options.readonly ?? false,
      ...bindingOption(options),
    });
    caseFilePaths.set(db, path.resolve(file));
    return db;
  } catch (error) {
    throw asCaseFileError(file, error);
  }
}

const caseFilePaths = new WeakMap<CaseDb, string>();

/** The path of the file a connection reads, whether it was opened by path or by an SQLite URI. */
export function caseFilePath(db: CaseDb): string {
  return caseFilePaths.get(db) ?? path.resolve(db.name);
}

/**
 * A read-only connection that reads the main file as it lies on the disk and
 * nothing else: SQLite takes no lock, looks for no journal or log, and creates
 * no file beside it (the "immutable" URI parameter).
 */
function connectImmutable(file: string, options: OpenOptions): CaseDb {
  return connect(file, { ...options, readonly: true }, true, `${pathToFileURL(file).href}?immutable=1`);
}

/** Maps SQLite's corruption and not-a-database errors to a readable refusal. */
export function asCaseFileError(file: string, error: unknown): Error {
  if (error instanceof CaseboardError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return notACaseFile(file, 'is damaged and cannot be read.');
  if (code.startsWith('SQLITE_CANTOPEN')) return new CaseboardError('not_a_case_file', `${path.basename(file)} cannot be opened (check that the folder exists and you may read and write it).`);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) return new CaseboardError('not_a_case_file', `${path.basename(file)} cannot be written; check its permissions.`);
  if (code.startsWith('SQLITE_')) return notACaseFile(file, `could not be read (${code}).`);
  return error instanceof Error ? error : new Error(String(error));
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

// Every row, reserved names included: SQLite loads a trigger or view called sqlite_stat… from a file like any other.
const SCHEMA_QUERY = 'SELECT type, name, tbl_name, sql FROM sqlite_schema';
const schemaKey = (row: SchemaRow) => `${row.type}\u0000${row.name}\u0000${row.tbl_name}\u0000${row.sql ?? ''}`;
/** Tables SQLite itself adds to a healthy file (ANALYZE, AUTOINCREMENT), accepted only in their exact built-in shape. */
const SQLITE_OWN_TABLES = new Set(
  [
    ['sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat)'],
    ['sqlite_stat4', 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)'],
    ['sqlite_sequence', 'CREATE TABLE sqlite_sequence(name,seq)'],
  ].map(([name, sql]) => schemaKey({ type: 'table', name: name as string, tbl_name: name as string, sql: sql as string })),
);
const expectedSchemas = new Map<number, Set<string>>();

/** The exact schema objects the migrations up to `version` create, built once in memory. */
function expectedSchema(version: number, options: OpenOptions): Set<string> {
  const cached = expectedSchemas.get(version);
  if (cached) return cached;
  const reference = new Database(':memory:', bindingOption(options));
  try {
    for (const migration of MIGRATIONS.filter((m) => m.version <= version)) reference.exec(migration.sql);
    const keys = new Set((reference.prepare(SCHEMA_QUERY).all() as SchemaRow[]).map(schemaKey));
    expectedSchemas.set(version, keys);
    return keys;
  } finally {
    reference.close();
  }
}

/**
 * Refuses any table, index, trigger or view we did not create, and any of ours
 * that was changed: a received file must not bring code or shapes of its own.
 */
function verifySchema(db: CaseDb, file: string, version: number, options: OpenOptions): void {
  if (!MIGRATIONS.some((m) => m.version === version)) throw notACaseFile(file, `has a schema version (${version}) no Caseboard release wrote.`);
  const expected = expectedSchema(version, options);
  const actual = db.prepare(SCHEMA_QUERY).all() as SchemaRow[];
  const foreign = actual.filter((row) => !expected.has(schemaKey(row)) && !SQLITE_OWN_TABLES.has(schemaKey(row)));
  if (foreign.length > 0) {
    const names = foreign.slice(0, 3).map((row) => `${row.type} ${row.name}`).join(', ');
    throw notACaseFile(file, `contains database objects Caseboard does not create or has altered (${names}); it was refused for safety.`);
  }
  const actualKeys = new Set(actual.map(schemaKey));
  const missing = [...expected].filter((key) => !actualKeys.has(key));
  if (missing.length > 0) throw notACaseFile(file, 'is damaged (parts of its schema are missing).');
}

/**
 * The checks every open makes, whatever the file's size: the exact schema and
 * the case details table (the header was read before). The whole-file quick
 * check only when asked for (`scanPages`).
 */
function verify(db: CaseDb, file: string, version: number, options: OpenOptions): void {
  verifySchema(db, file, version, options);
  // The case details row is read at once by every door: its one table is checked whole (types, CHECK constraints), which costs nothing.
  const scope = options.scanPages ? 'quick_check' : 'quick_check(case_info)';
  const result = db.pragma(scope, { simple: true });
  if (result !== 'ok') throw notACaseFile(file, 'is damaged (SQLite integrity check failed).');
  const info = db.prepare('SELECT count(*) AS n FROM case_info').get() as { n: number } | undefined;
  if (!info || info.n !== 1) throw notACaseFile(file, 'is damaged (its case details are missing).');
}

function migrate(db: CaseDb): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
}

/**
 * Verifies a file that has a write-ahead log beside it through a read-only
 * connection: closing a writable one would fold the log into the file even
 * after a refusal, so a refused file and its log would not stay as they came.
 */
function verifyBesideLog(file: string, version: number, options: OpenOptions): void {
  const index = `${file}-shm`;
  const hadIndex = existsSync(index);
  const db = connect(file, { ...options, readonly: true }, true);
  try {
    applyConnectionPragmas(db);
    verify(db, file, version, options);
  } catch (error) {
    db.close();
    // A read-only connection cannot remove the shared-memory index it made. A healthy file keeps it
    // for the writable connection that follows, which removes it on close.
    if (!hadIndex) rmSync(index, { force: true });
    throw error;
  }
  db.close();
}

/**
 * Opens a case file only to read it (`info`, exports, reports, searches, the
 * check of a received copy), without replaying, folding or writing anything:
 * not the file, not a journal or log beside it. A file with a live
 * write-ahead log and its index beside it may be open in Caseboard right now,
 * so it is read through SQLite's shared index like any reader would, and its
 * log is never folded in; any other file is read as it lies on the disk.
 */
function openForReading(file: string, version: number, options: OpenOptions): CaseDb {
  const live = existsSync(`${file}-wal`) && existsSync(`${file}-shm`);
  const db = live ? connect(file, { ...options, readonly: true }, true) : connectImmutable(file, options);
  try {
    applyConnectionPragmas(db);
    verify(db, file, version, options);
    return db;
  } catch (error) {
    db.close();
    throw asCaseFileError(file, error);
  }
}

/** Whether a connection read the main file alone while a write-ahead log lay beside it (that log's changes are not in what it reads). */
export function leftLogUnread(db: CaseDb): boolean {
  const file = caseFilePath(db);
  return db.readonly && db.name.startsWith('file:') && existsSync(`${file}-wal`);
}

/**
 * Planner statistics (ANALYZE's tables) steer every query. Caseboard never
 * writes them, so any in a file came from elsewhere and could make the
 * simplest query take minutes: they are emptied when the file is opened to
 * work on, and the planner works from the schema alone.
 */
function dropPlannerStatistics(db: CaseDb): void {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4')").all() as { name: string }[]).map((r) => r.name);
  if (!tables.some((name) => (db.prepare(`SELECT EXISTS (SELECT 1 FROM ${name}) AS filled`).get() as { filled: number }).filled)) return;
  db.transaction(() => {
    for (const name of tables) db.exec(`DELETE FROM ${name}`);
  })();
  // The connection keeps the statistics it loaded; this loads them again, now none (the empty tables stay, as ANALYZE made them).
  db.exec('ANALYZE sqlite_schema');
}

/**
 * Opens an existing case file, refusing anything that is not a healthy case
 * file of this or an older schema before writing a single byte to it or to
 * the write-ahead log beside it. With `readonly`, nothing is ever written.
 */
export function openCaseFile(file: string, options: OpenOptions = {}): CaseDb {
  const absolute = path.resolve(file);
  const { userVersion } = checkHeader(absolute);
  if (options.readonly) return openForReading(absolute, userVersion, options);
  if (existsSync(`${absolute}-wal`)) {
    try {
      verifyBesideLog(absolute, userVersion, options);
    } catch (error) {
      throw asCaseFileError(absolute, error);
    }
  }
  const db = connect(absolute, { ...options, readonly: false }, true);
  try {
    applyConnectionPragmas(db);
    // Nothing may be written until the file has proved to be a healthy case file.
    db.pragma('query_only = ON');
    verify(db, absolute, userVersion, options);
    db.pragma('query_only = OFF');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    dropPlannerStatistics(db);
    if (userVersion < SCHEMA_VERSION) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw asCaseFileError(absolute, error);
  }
}

export interface NewCaseOptions extends OpenOptions {
  title: string;
  marking?: string | null;
}

/**
 * Creates a new case file. It is built under a temporary name and renamed into
 * place, so a crash never leaves a half-made case file behind.
 */
export function createCaseFile(file: string, options: NewCaseOptions): CaseDb {
  const absolute = path.resolve(file);
  if (existsSync(absolute)) throw new CaseboardError('conflict', `${path.basename(absolute)} already exists; choose another name or open it.`);
  if (!existsSync(path.dirname(absolute))) throw new CaseboardError('invalid_input', `The folder ${path.dirname(absolute)} does not exist.`);
  const temp = `${absolute}.creating-${process.pid}`;
  rmSync(temp, { force: true });
  const db = connect(temp, options, false);
  try {
    // Page size and auto-vacuum only take effect before the first write, which setting application_id is.
    db.pragma('page_size = 4096');
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    applyConnectionPragmas(db);
    migrate(db);
    const at = now();
    db.prepare('INSERT INTO case_info (singleton, case_id, title, marking, description, created_at, updated_at) VALUES (1, ?, ?, ?, NULL, ?, ?)').run(
      newId(),
      options.title,
      options.marking ?? null,
      at,
      at,
    );
    db.close();
    renameSync(temp, absolute);
  } catch (error) {
    if (db.open) db.close();
    rmSync(temp, { force: true });
    throw asCaseFileError(absolute, error);
  }
  return openCaseFile(absolute, options);
}

/**
 * Writes a consistent copy of an open case file: made in the private folder,
 * then put at `target` whole, never over an existing file or through a link.
 */
export function saveCopy(db: CaseDb, target: string): void {
  const absolute = path.resolve(target);
  if (caseFilePath(db) === absolute) throw new CaseboardError('invalid_input', 'Choose a different file than the open case file.');
  if (existsSync(absolute)) throw new CaseboardError('conflict', `${path.basename(absolute)} already exists; choose another name.`);
  checkOutputPath(absolute, { replace: false });
  withPrivateCopies((copies) => {
    const copy = copies.emptyFile(absolute);
    try {
      db.prepare('VACUUM INTO ?').run(copy);
    } catch (error) {
      throw asCaseFileError(absolute, error);
    }
    copies.secure(copy);
    publishFile(copy, absolute, { replace: false });
  });
}
