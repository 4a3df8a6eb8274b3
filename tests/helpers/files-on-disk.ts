import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { APPLICATION_ID, type CaseDb } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { foundation } from '../../db/core/migrations/010-foundation';
import { exportCaseFile } from '../../db/share/share';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

/** Whether a file holds an SQLite database (a plaintext case file), by its first 16 bytes. */
export function startsAsSqlite(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const start = Buffer.alloc(16);
    return readSync(fd, start, 0, 16, 0) === 16 && start.equals(SQLITE_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Every file below `dir`, links not followed, except those below `skip`. */
export function filesBelow(dir: string, skip?: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => !(skip && (file === skip || file.startsWith(`${skip}${path.sep}`))) && lstatSync(file).isFile());
}

/** Runs `work` with CASEBOARD_HOME (and so the private folder) set to `home`. */
export function withCaseboardHome<T>(home: string, work: () => T): T {
  const saved = process.env.CASEBOARD_HOME;
  process.env.CASEBOARD_HOME = home;
  try {
    return work();
  } finally {
    if (saved === undefined) delete process.env.CASEBOARD_HOME;
    else process.env.CASEBOARD_HOME = saved;
  }
}

/** A case file an older Caseboard wrote: the first schema only. */
export function olderCaseFile(file: string, title: string): string {
  const db = new Database(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.exec(foundation.sql);
  db.pragma(`user_version = ${foundation.version}`);
  db.prepare("INSERT INTO case_info (singleton, case_id, title, created_at, updated_at) VALUES (1, '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d', ?, 'x', 'x')").run(title);
  db.close();
  return file;
}

/** Stores bytes as a source's attached file straight into the table, the shape of a scanned document. */
export function attachBytes(db: CaseDb, sourceId: string, name: string, mediaType: string, bytes: Buffer): void {
  db.prepare("INSERT INTO attachments (id, source_id, name, media_type, size, sha256, content, text_status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'not_applicable', '2026-01-01T00:00:00.000Z')").run(
    newId(),
    sourceId,
    name,
    mediaType,
    bytes.length,
    createHash('sha256').update(bytes).digest('hex'),
    bytes,
  );
}

/** An encrypted export of `db` at `sealed` (its private copies made under `home`), and a passphrase file beside it; returns that file. */
export function sealForSharing(db: CaseDb, sealed: string, passphrase: string, home: string): string {
  withCaseboardHome(home, () => exportCaseFile(db, sealed, { passphrase }));
  const passphraseFile = path.join(path.dirname(sealed), 'passphrase.txt');
  writeFileSync(passphraseFile, `${passphrase}\n`);
  return passphraseFile;
}
