import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, createCaseFile, openCaseFile, saveCopy, type CaseDb, type OpenOptions } from '../../db/core/case-file';
import { getCaseInfo } from '../../db/core/case-info';
import { SCHEMA_VERSION } from '../../db/core/migrations/index';
import { createSource } from '../../db/evidence/sources';
import { CaseboardError } from '../../shared/errors';
import { tempDir } from '../helpers/temp';
import { changeSetOf } from '../helpers/model';

const open: CaseDb[] = [];
afterEach(() => {
  while (open.length) {
    const db = open.pop();
    if (db?.open) db.close();
  }
});

function sha256(file: string): string | null {
  if (!existsSync(file)) return null;
  if (!statSync(file).isFile()) return 'not a file';
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A closed, healthy case file with `sources` sources in it. */
function makeCaseFile(dir: string, sources = 0, name = 'case.caseboard'): string {
  const file = path.join(dir, name);
  const db = createCaseFile(file, { title: 'Defence universities', marking: 'SENSITIVE' });
  db.transaction(() => {
    for (let i = 0; i < sources; i += 1) {
      createSource(db, changeSetOf(db, 'tester'), {
        kind: 'article',
        title: `Source ${i}: Harbin Institute of Technology 哈尔滨工业大学 and Bauman Moscow State Technical University`,
        url: `https://example.org/articles/${i}`,
        publisher: 'Radio Free Europe/Radio Liberty',
        authors: ['Bethany Allen'],
        publishedDate: '2024',
        accessedAt: null,
        language: 'en',
        reliability: 'B',
        notes: `Notes ${i} `.repeat(40),
      });
    }
  })();
  db.close();
  return file;
}

function refusalOf(file: string, options: OpenOptions = {}): CaseboardError {
  let db: CaseDb | undefined;
  try {
    db = openCaseFile(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CaseboardError);
    return error as CaseboardError;
  }
  open.push(db);
  throw new Error(`${path.basename(file)} was opened although it should have been refused`);
}

/** Asserts the refusal is `not_a_case_file` and left the file and its folder exactly as they were. */
function expectRefusedUntouched(file: string, message: RegExp, extra: OpenOptions = {}): void {
  const dir = path.dirname(file);
  const before = sha256(file);
  const listing = readdirSync(dir).sort();
  for (const options of [{ ...extra }, { ...extra, readonly: true }]) {
    const error = refusalOf(file, options);
    expect(error.code).toBe('not_a_case_file');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path.basename(file));
    expect(error.message).not.toMatch(/SQLITE_|sqlite3|\n/);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(listing);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  }
}

describe('opening a healthy case file', () => {
  it('opens, reads its details and leaves no -wal or -shm after closing', () => {
    const dir = tempDir();
    const file = makeCaseFile(dir, 3);
    const db = openCaseFile(file);
    open.push(db);
    const info = getCaseInfo(db, { full: true });
    expect(info).toMatchObject({ title: 'Defence universities', marking: 'SENSITIVE', schemaVersion: SCHEMA_VERSION, integrity: 'ok', fileName: 'case.caseboard' });
    expect(info.counts).toMatchObject({ sources: 3, auditEvents: 3 });
    db.close();
    expect(readdirSync(dir)).toEqual(['case.caseboard']);
  });

  it('opens read-only without allowing writes, leaving the file and folder as they were', () => {
    const file = makeCaseFile(tempDir());
    const before = sha256(file);
    const db = openCaseFile(file, { readonly: true });
    open.push(db);
    expect(() => db.prepare("UPDATE case_info SET title = 'changed'").run()).toThrow(/readonly/i);
    expect(getCaseInfo(db).title).toBe('Defence universities');
    db.close();
    expect(sha256(file)).toBe(before);
    expect(readdirSync(path.dirname(file))).toEqual(['case.caseboard']);
  });
});

describe('files that are not case files are refused and left untouched', () => {
  it('a missing file', () => {
    const file = path.join(tempDir(), 'missing.caseboard');
    expectRefusedUntouched(file, /does not exist/);
    expect(existsSync(file)).toBe(false);
  });

  it('a folder', () => {
    const dir = tempDir();
    const folder = path.join(dir, 'folder.caseboard');
    mkdirSync(folder);
    expectRefusedUntouched(folder, /is not a file/);
  });

  it('an empty file', () => {
    const file = path.join(tempDir(), 'empty.caseboard');
    writeFileSync(file, '');
    expectRefusedUntouched(file, /is empty/);
  });

  it('a short text file', () => {
    const file = path.join(tempDir(), 'notes.caseboard');
    writeFileSync(file, 'Beihang University and the Moscow Aviation Institute run a joint programme.\n');
    expectRefusedUntouched(file, /too short/);
  });

  it('a long text file', () => {
    const file = path.join(tempDir(), 'notes.caseboard');
    writeFileSync(file, 'SPbPU developed the Orlan-10 UAV.\n'.repeat(200));
    expectRefusedUntouched(file, /not an SQLite database/);
  });

  it('an SQLite database of another application (application_id 0)', () => {
    const file = path.join(tempDir(), 'other.db');
    const db = new Database(file);
    db.exec("CREATE TABLE case_info (x TEXT); INSERT INTO case_info VALUES ('not ours');");
    db.pragma('user_version = 10');
    db.close();
    expectRefusedUntouched(file, /SQLite database but not a Caseboard case file/);
  });

  it('a case file written by a newer Caseboard', () => {
    const file = makeCaseFile(tempDir());
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 10}`);
    db.close();
    expectRefusedUntouched(file, /newer version of Caseboard/);
    expect(refusalOf(file).message).toContain(String(SCHEMA_VERSION + 10));
  });

  it('a case file with no schema version', () => {
    const file = makeCaseFile(tempDir());
    const db = new Database(file);
    db.pragma('user_version = 0');
    db.close();
    expectRefusedUntouched(file, /damaged/);
  });

  it('a case file with damaged pages in the middle', () => {
    const file = makeCaseFile(tempDir(), 300);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(40);
    // Scribble over a run of pages in the middle, as a failing disk or a bad copy would.
    const first = Math.floor(pages / 3);
    for (let p = first; p < first + 10; p += 1) bytes.fill(0xa5, p * pageSize, (p + 1) * pageSize);
    writeFileSync(file, bytes);
    // Only a whole-file scan finds pages no query at open reads: files from elsewhere are opened with one.
    expectRefusedUntouched(file, /damaged/, { scanPages: true });
  });

  it('a truncated case file', () => {
    const file = makeCaseFile(tempDir(), 300);
    truncateSync(file, Math.floor(statSync(file).size * 0.6) + 123);
    expectRefusedUntouched(file, /damaged/);
  });

  it('a case file whose case details row was deleted', () => {
    const file = makeCaseFile(tempDir(), 2);
    const db = new Database(file);
    db.exec('DELETE FROM case_info');
    db.close();
    expectRefusedUntouched(file, /case details are missing/);
  });

  it('a case file whose application id was changed', () => {
    const file = makeCaseFile(tempDir());
    const db = new Database(file);
    db.pragma(`application_id = ${APPLICATION_ID + 1}`);
    db.close();
    expectRefusedUntouched(file, /not a Caseboard case file/);
  });
});

describe('creating case files', () => {
  it('refuses to overwrite an existing file and leaves it as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, 'existing.caseboard');
    writeFileSync(file, 'precious notes');
    const before = sha256(file);
    expect(() => createCaseFile(file, { title: 'New' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['existing.caseboard']);
  });

  it('refuses a folder that does not exist', () => {
    const file = path.join(tempDir(), 'no', 'such', 'folder', 'x.caseboard');
    expect(() => createCaseFile(file, { title: 'New' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('leaves nothing behind when the case details cannot be written', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.caseboard');
    // The schema limits a case title to 300 characters; the insert fails after the migrations ran.
    expect(() => createCaseFile(file, { title: 'x'.repeat(301) })).toThrow(expect.objectContaining({ code: 'not_a_case_file', message: 'bad.caseboard could not be read (SQLITE_CONSTRAINT_CHECK).' }));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('saving a copy', () => {
  it('writes a complete, openable case file with the same content', () => {
    const dir = tempDir();
    const db = openCaseFile(makeCaseFile(dir, 5));
    open.push(db);
    const copy = path.join(dir, 'copy.caseboard');
    saveCopy(db, copy);
    const copied = openCaseFile(copy, { readonly: true });
    open.push(copied);
    expect(getCaseInfo(copied, { full: true })).toMatchObject({ title: 'Defence universities', counts: { sources: 5, auditEvents: 5 }, integrity: 'ok' });
    expect(copied.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
  });

  it('refuses the open file itself and an existing file', () => {
    const dir = tempDir();
    const file = makeCaseFile(dir);
    const db = openCaseFile(file);
    open.push(db);
    expect(() => saveCopy(db, file)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    const other = path.join(dir, 'taken.caseboard');
    writeFileSync(other, 'taken');
    expect(() => saveCopy(db, other)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(readFileSync(other, 'utf8')).toBe('taken');
  });

  it('never writes through a link at the target, and leaves nothing but the copy in its folder', () => {
    const dir = tempDir();
    const db = openCaseFile(makeCaseFile(dir));
    open.push(db);
    const out = path.join(tempDir(), 'out');
    mkdirSync(out);
    const elsewhere = path.join(dir, 'elsewhere.txt');
    symlinkSync(elsewhere, path.join(out, 'dangling.caseboard'));
    expect(() => saveCopy(db, path.join(out, 'dangling.caseboard'))).toThrow(/link/);
    expect(existsSync(elsewhere)).toBe(false);
    saveCopy(db, path.join(out, 'copy.caseboard'));
    expect(readdirSync(out).sort()).toEqual(['copy.caseboard', 'dangling.caseboard']);
  });
});
