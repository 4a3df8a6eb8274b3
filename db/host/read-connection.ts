import path from 'node:path';
import Database from 'better-sqlite3';
import { CaseboardError } from '../../shared/errors';
import { APPLICATION_ID, applyConnectionPragmas, asCaseFileError, type CaseDb } from '../core/case-file';

/**
 * Opens, for reading only, a case file that the writer's connection already
 * has open: verified, migrated and in WAL mode. So the file is not checked
 * again (that took the writer its time, and the read worker reopens the case
 * whenever it is restarted); the connection gets the same settings as every
 * case connection, and SQLite itself refuses any write through it.
 */
export function openVerifiedCaseForReading(file: string, nativeBinding?: string): CaseDb {
  const absolute = path.resolve(file);
  let db: CaseDb;
  try {
    db = new Database(absolute, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    // better-sqlite3 says so itself, before SQLite, when the folder has gone.
    if (error instanceof TypeError) throw new CaseboardError('not_a_case_file', `${path.basename(absolute)} is no longer where it was opened.`);
    throw asCaseFileError(absolute, error);
  }
  try {
    applyConnectionPragmas(db);
    db.pragma('query_only = ON');
    // The cheap part of the checks: still the case file the writer opened, and readable beside a writer.
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) throw new CaseboardError('not_a_case_file', `${path.basename(absolute)} is no longer a Caseboard case file.`);
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new CaseboardError('not_a_case_file', `${path.basename(absolute)} is not open for writing in Caseboard, so it cannot be read beside the writer.`);
    return db;
  } catch (error) {
    db.close();
    throw asCaseFileError(absolute, error);
  }
}
