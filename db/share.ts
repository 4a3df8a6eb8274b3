import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseboardError } from '../shared/errors';
import { asCaseFileError, openCaseFile, type CaseDb, type OpenOptions } from './case-file';
import { decryptFile, encryptFile, isEncryptedFile } from './encryption';

export interface ExportCaseOptions {
  /** Leave the attached files' bytes and extracted text out of the copy. */
  omitAttachments?: boolean;
  /** Leave analyst notes and comments out of the copy, history included. */
  omitNotes?: boolean;
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

/** Strips what the sharer chose to leave out, on the copy only. */
function redact(copy: CaseDb, options: ExportCaseOptions): void {
  copy.transaction(() => {
    if (options.omitAttachments) copy.prepare('DELETE FROM attachments').run();
    if (options.omitNotes) {
      for (const { table, column } of tableColumns(copy)) {
        if (NOTE_COLUMNS.has(column)) copy.prepare(`UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = NULL`).run();
        // History keeps before/after snapshots as JSON: take the notes out of those too.
        if (column.endsWith('_json')) {
          copy
            .prepare(`UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)} = json_remove(${quoteIdentifier(column)}, '$.notes', '$.comment') WHERE json_valid(${quoteIdentifier(column)})`)
            .run();
        }
      }
    }
  })();
  copy.exec('VACUUM');
}

/**
 * Writes a consistent snapshot of the open case for sharing: VACUUM INTO a
 * temporary file while the case stays open, redacted and encrypted as asked,
 * then renamed into place. The open case file is never changed.
 */
export function exportCaseFile(db: CaseDb, target: string, options: ExportCaseOptions = {}): { path: string; encrypted: boolean } {
  const absolute = path.resolve(target);
  if (path.resolve(db.name) === absolute) throw new CaseboardError('invalid_input', 'Choose a different file than the open case file.');
  if (!existsSync(path.dirname(absolute))) throw new CaseboardError('invalid_input', `The folder ${path.dirname(absolute)} does not exist.`);
  const snapshot = `${absolute}.snapshot-${process.pid}`;
  rmSync(snapshot, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(snapshot);
    if (options.omitAttachments || options.omitNotes) {
      const copy = openCaseFile(snapshot);
      try {
        redact(copy, options);
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
    }
    if (options.passphrase !== undefined) encryptFile(snapshot, absolute, options.passphrase);
    else renameSync(snapshot, absolute);
  } finally {
    rmSync(snapshot, { force: true });
    rmSync(`${snapshot}-wal`, { force: true });
    rmSync(`${snapshot}-shm`, { force: true });
  }
  return { path: absolute, encrypted: options.passphrase !== undefined };
}

export interface CheckReport {
  file: string;
  encrypted: boolean;
  title: string;
  schemaVersion: number;
  integrity: string;
  foreignKeyProblems: number;
}

/**
 * Checks a received file the way opening it would, and more: header,
 * application id, schema version, the exact schema, full integrity check and
 * foreign keys. Encrypted files are decrypted to a temporary file first, and
 * a file with a write-ahead log beside it is checked from a temporary copy of
 * both. The checked file and its log are never written.
 */
export function checkCaseFile(file: string, passphrase?: string, options: OpenOptions = {}): CheckReport {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new CaseboardError('not_a_case_file', `${path.basename(absolute)} does not exist.`);
  const encrypted = isEncryptedFile(absolute);
  let readable = absolute;
  let copyDir: string | null = null;
  if (encrypted) {
    if (passphrase === undefined) throw new CaseboardError('invalid_input', `${path.basename(absolute)} is encrypted; give its passphrase.`);
    readable = `${absolute}.checking-${process.pid}`;
    decryptFile(absolute, readable, passphrase);
  } else if (existsSync(`${absolute}-wal`)) {
    // Closing a connection folds the log into the file, even a healthy one's: check a copy of both instead.
    copyDir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-check-'));
    readable = path.join(copyDir, path.basename(absolute));
  }
  try {
    if (copyDir) {
      copyFileSync(absolute, readable);
      copyFileSync(`${absolute}-wal`, `${readable}-wal`);
    }
    const db = openCaseFile(readable, { ...options, readonly: true });
    try {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length;
      const row = db.prepare('SELECT title FROM case_info').get() as { title: string };
      return { file: absolute, encrypted, title: row.title, schemaVersion: db.pragma('user_version', { simple: true }) as number, integrity, foreignKeyProblems };
    } catch (error) {
      // Damage the quick check at open did not reach can stop the full check itself.
      throw asCaseFileError(absolute, error);
    } finally {
      db.close();
    }
  } finally {
    if (encrypted) for (const suffix of ['', '-wal', '-shm']) rmSync(`${readable}${suffix}`, { force: true });
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  }
}

/** Decrypts a received encrypted case file into `target`, then checks it; a bad result removes it again. */
export function decryptCaseFile(source: string, target: string, passphrase: string, options: OpenOptions = {}): CheckReport {
  const absolute = path.resolve(target);
  if (existsSync(absolute)) throw new CaseboardError('conflict', `${path.basename(absolute)} already exists; choose another name.`);
  decryptFile(path.resolve(source), absolute, passphrase);
  try {
    const report = checkCaseFile(absolute, undefined, options);
    if (report.integrity !== 'ok' || report.foreignKeyProblems > 0) throw new CaseboardError('not_a_case_file', `${path.basename(source)} decrypted, but the case inside is damaged.`);
    return { ...report, encrypted: true };
  } catch (error) {
    rmSync(absolute, { force: true });
    throw error;
  }
}
