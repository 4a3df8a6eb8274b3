import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CaseboardError } from '../../shared/errors';
import { asCaseFileError, caseFilePath, headerSchemaVersion, openCaseFile, refuseRollbackJournal, type CaseDb, type OpenOptions } from '../core/case-file';
import { decryptFile, encryptFile, isEncryptedFile } from './encryption';
import { checkOutputPath, publishFile } from '../core/output-file';
import { PrivateCopies, runSteps } from '../core/private-files';

export interface LeaveOutOptions {
  /** Leave the attached files' bytes and extracted text out of the copy. */
  omitAttachments?: boolean;
  /** Leave analyst notes and comments out of the copy, history included. */
  omitNotes?: boolean;
}

export interface ExportCaseOptions extends LeaveOutOptions {
  /** Encrypt the copy with a key derived from this passphrase. */
  passphrase?: string;
}

/** Columns that hold analyst notes, whatever table they are in. */
const NOTE_COLUMNS = new Set(['notes', 'comment']);

function tableColumns(db: CaseDb): { table: string; column: string }[] {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE TABLE%' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return tables.flatMap(({ name }) => (db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map((c) => ({ table: name, column: c.name })));
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Strips what the sharer chose to leave out, on a copy only. */
function redact(copy: CaseDb, options: LeaveOutOptions): void {
  copy.transaction(() => {
    if (options.omitAttachments) copy.prepare('DELETE FROM attachments').run();
    if (options.omitNotes) {
      for (const { table, column } of tableColumns(copy)) {
        if (NOTE_COLUMNS.has(column)) copy.prepare(`UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = NULL`).run();
        // FollowTheMoney values without a column of their own keep further notes there.
        if (column === 'ftm_properties') {
          copy.prepare(`UPDATE ${quoteIdentifier(table)} SET ftm_properties = json_remove(ftm_properties, '$.notes') WHERE json_valid(ftm_properties)`).run();
        }
        // History keeps before/after snapshots as JSON: take the notes out of those too.
        if (column.endsWith('_json')) {
          copy
            .prepare(`UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = json_remove(${quoteIdentifier(column)}, '$.notes', '$.comment') WHERE json_valid(${quoteIdentifier(column)})`)
            .run();
          const snapshot = quoteIdentifier(column);
          copy
            .prepare(
              `UPDATE ${quoteIdentifier(table)} SET ${snapshot} = json_set(${snapshot}, '$.ftm_properties', json_remove(json_extract(${snapshot}, '$.ftm_properties'), '$.notes') || '') WHERE json_valid(${snapshot}) AND json_valid(json_extract(${snapshot}, '$.ftm_properties'))`,
            )
            .run();
        }
      }
    }
  })();
}

/**
 * Runs `read` on the open case, or, when something is to be left out, on a
 * redacted copy of it held in memory, so that the text exports leave out what
 * a shared case file leaves out and no copy touches the disk.
 */
export function withLeftOut<T>(db: CaseDb, options: LeaveOutOptions, read: (db: CaseDb) => T): T {
  if (!options.omitAttachments && !options.omitNotes) return read(db);
  const image = db.serialize();
  // A database held in memory cannot use a write-ahead log: mark the image as a rollback-journal file.
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image);
  try {
    copy.pragma('trusted_schema = OFF');
    copy.pragma('foreign_keys = ON');
    redact(copy, options);
    return read(copy);
  } finally {
    copy.close();
  }
}

/**
 * Writes a consistent snapshot of the open case for sharing, in steps: VACUUM
 * INTO a file in the private folder while the case stays open, redacted there
 * as asked, then encrypted into `target` or put there as it is. The open case
 * file is never changed, and no plaintext copy is ever made beside `target`.
 */
export function* exportCaseFileSteps(db: CaseDb, target: string, options: ExportCaseOptions = {}): Generator<void, { path: string; encrypted: boolean }> {
  const absolute = path.resolve(target);
  if (caseFilePath(db) === absolute) throw new CaseboardError('invalid_input', 'Choose a different file than the open case file.');
  checkOutputPath(absolute, { replace: true });
  const copies = PrivateCopies.make();
  try {
    // Created empty and exclusively first: SQLite then writes into a file that is ours alone.
    const snapshot = copies.emptyFile(path.basename(absolute));
    db.prepare('VACUUM INTO ?').run(snapshot);
    copies.secure(snapshot);
    yield;
    if (options.omitAttachments || options.omitNotes) {
      const copy = openCaseFile(snapshot);
      try {
        copies.secure(snapshot);
        redact(copy, options);
        copy.exec('VACUUM');
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
      yield;
    }
    if (options.passphrase !== undefined) encryptFile(snapshot, absolute, options.passphrase, { replace: true });
    else publishFile(snapshot, absolute, { replace: true });
  } finally {
    copies.remove();
  }
  return { path: absolute, encrypted: options.passphrase !== undefined };
}

/** `exportCaseFileSteps` in one go. */
export function exportCaseFile(db: CaseDb, target: string, options: ExportCaseOptions = {}): { path: string; encrypted: boolean } {
  return runSteps(exportCaseFileSteps(db, target, options));
}

export interface CheckReport {
  file: string;
  encrypted: boolean;
  title: string;
  /** The schema version the received file has (the check reads a copy brought up to date). */
  schemaVersion: number;
  integrity: string;
  foreignKeyProblems: number;
  /** A write-ahead log lies beside the received file; it was not read (the sender had the case open). */
  writeAheadLogBeside: boolean;
}

/** A write-ahead log with something in it beside a plain case file. */
function hasWriteAheadLog(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Brings a received file into the private folder: decrypted, or its main file
 * alone copied (never a log or journal beside it), under its own name so that
 * a refusal names the file the user chose.
 */
function receive(copies: PrivateCopies, received: string, passphrase: string | undefined): { copy: string; encrypted: boolean } {
  if (!existsSync(received)) throw new CaseboardError('not_a_case_file', `${path.basename(received)} does not exist.`);
  if (statSync(received).isFile() && isEncryptedFile(received)) {
    if (passphrase === undefined) throw new CaseboardError('invalid_input', `${path.basename(received)} is encrypted; give its passphrase.`);
    const copy = copies.pathFor(received);
    decryptFile(received, copy, passphrase);
    return { copy, encrypted: true };
  }
  // A journal beside a plain file is never copied, but it says the file is not what Caseboard wrote: refused unread, as opening it is.
  refuseRollbackJournal(received);
  return { copy: copies.copyIn(received), encrypted: false };
}

/**
 * Opens a private copy of a received file as a case file, writable (it is
 * ours: opening it so brings it up to date and drops what must not be
 * trusted), and hands it to `read`; a damaged file's errors name `received`.
 */
function readPrivateCopy<T>(copies: PrivateCopies, copy: string, received: string, options: OpenOptions, read: (db: CaseDb) => T): T {
  // A received file is not trusted as the user's own: every page is checked before anything reads it.
  const db = openCaseFile(copy, { ...options, readonly: false, scanPages: true });
  copies.secure(copy);
  try {
    // Sorting and indexing work stays in memory, never in the system's temporary folder.
    db.pragma('temp_store = MEMORY');
    return read(db);
  } catch (error) {
    // Damage the quick check at open did not reach can stop a full read.
    throw asCaseFileError(received, error);
  } finally {
    db.close();
  }
}

/**
 * Checks a received file the way opening it would, and more: header,
 * application id, schema version, the exact schema, full integrity check and
 * foreign keys. It checks a private copy of the main file alone (decrypted if
 * need be), never what lies beside it: a write-ahead log there is reported,
 * not read. The received file is never written.
 */
export function* checkCaseFileSteps(file: string, passphrase?: string, options: OpenOptions = {}): Generator<void, CheckReport> {
  const absolute = path.resolve(file);
  const copies = PrivateCopies.make();
  try {
    const { copy, encrypted } = receive(copies, absolute, passphrase);
    yield;
    const schemaVersion = headerSchemaVersion(copy);
    return readPrivateCopy(copies, copy, absolute, options, (db) => {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
      const row = db.prepare('SELECT title FROM case_info').get() as { title: string };
      return { file: absolute, encrypted, title: row.title, schemaVersion, integrity, foreignKeyProblems, writeAheadLogBeside: !encrypted && hasWriteAheadLog(absolute) };
    });
  } finally {
    copies.remove();
  }
}

/** `checkCaseFileSteps` in one go. */
export function checkCaseFile(file: string, passphrase?: string, options: OpenOptions = {}): CheckReport {
  return runSteps(checkCaseFileSteps(file, passphrase, options));
}

/**
 * Reads a received file for a merge: a private copy of its main file alone,
 * decrypted if need be, checked as opening it checks, removed afterwards. A
 * plain file with a write-ahead log beside it is refused: its latest changes
 * may be in the log, and a merge must not take in a case silently short of them.
 */
export function* readReceivedCaseSteps<T>(file: string, passphrase: string | undefined, options: OpenOptions, read: (db: CaseDb) => T): Generator<void, T> {
  const absolute = path.resolve(file);
  const copies = PrivateCopies.make();
  try {
    const { copy, encrypted } = receive(copies, absolute, passphrase);
    if (!encrypted && hasWriteAheadLog(absolute)) throw new CaseboardError('not_a_case_file', `${path.basename(absolute)} has a write-ahead log beside it, so its latest changes may not be in the file; ask the sender to close Caseboard and send the file again.`);
    yield;
    return readPrivateCopy(copies, copy, absolute, options, read);
  } finally {
    copies.remove();
  }
}

/**
 * Decrypts a received encrypted case file into `target`, a new file: into the
 * private folder first, checked there, and only then put at `target`. A wrong
 * passphrase or a damaged case leaves nothing at `target`.
 */
export function* decryptCaseFileSteps(source: string, target: string, passphrase: string, options: OpenOptions = {}): Generator<void, CheckReport> {
  const absolute = path.resolve(target);
  checkOutputPath(absolute, { replace: false });
  const copies = PrivateCopies.make();
  try {
    const plain = copies.pathFor(source);
    decryptFile(path.resolve(source), plain, passphrase);
    yield;
    // The check reads a copy of its own, so the file put at `target` is the one that was sent, not one brought up to date.
    const report = yield* checkCaseFileSteps(plain, undefined, options);
    if (report.integrity !== 'ok' || report.foreignKeyProblems > 0) throw new CaseboardError('not_a_case_file', `${path.basename(source)} decrypted, but the case inside is damaged.`);
    publishFile(plain, absolute, { replace: false });
    return { ...report, file: absolute, encrypted: true };
  } finally {
    copies.remove();
  }
}

/** `decryptCaseFileSteps` in one go. */
export function decryptCaseFile(source: string, target: string, passphrase: string, options: OpenOptions = {}): CheckReport {
  return runSteps(decryptCaseFileSteps(source, target, passphrase, options));
}
