import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CaseboardError } from '../../shared/errors';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { tempDir } from '../helpers/temp';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A healthy case file, then tampered with through a raw SQLite connection as an attacker would. */
function tamperedCase(tamper: (raw: Database.Database) => void): string {
  const dir = tempDir();
  const file = path.join(dir, 'received.caseboard');
  createCaseFile(file, { title: 'Received from a colleague' }).close();
  const raw = new Database(file);
  raw.pragma('journal_mode = DELETE');
  tamper(raw);
  raw.close();
  return file;
}

function refusal(file: string): CaseboardError {
  try {
    openCaseFile(file).close();
  } catch (error) {
    expect(error).toBeInstanceOf(CaseboardError);
    return error as CaseboardError;
  }
  throw new Error('the file was opened');
}

const HOSTILE: [string, (raw: Database.Database) => void, RegExp][] = [
  ['an extra trigger', (raw) => raw.exec("CREATE TRIGGER exfiltrate AFTER INSERT ON sources BEGIN UPDATE case_info SET title = 'x'; END"), /trigger exfiltrate/],
  ['a view calling functions', (raw) => raw.exec('CREATE VIEW v AS SELECT load_extension(title) FROM sources'), /view v/],
  ['an extra table', (raw) => raw.exec('CREATE TABLE payload (x BLOB)'), /table payload/],
  ['an extra index', (raw) => raw.exec('CREATE INDEX sneaky ON sources (notes)'), /index sneaky/],
  [
    'a table with a generated column replacing ours',
    (raw) => {
      raw.unsafeMode(true);
      raw.pragma('writable_schema = ON');
      raw
        .prepare("UPDATE sqlite_schema SET sql = replace(sql, 'notes TEXT,', 'notes TEXT GENERATED ALWAYS AS (randomblob(1000000000)) VIRTUAL,') WHERE name = 'sources'")
        .run();
      raw.pragma('writable_schema = OFF');
    },
    // SQLite already fails to parse a schema with that column: refused as damaged before our own check.
    /table sources|is damaged/,
  ],
  [
    'a CHECK expression altered',
    (raw) => {
      raw.unsafeMode(true);
      raw.pragma('writable_schema = ON');
      raw.prepare("UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (singleton = 1)', 'CHECK (abs(-9223372036854775808))') WHERE name = 'case_info'").run();
      raw.pragma('writable_schema = OFF');
    },
    /table case_info/,
  ],
];

describe('a received case file with objects we did not create', () => {
  it.each(HOSTILE)('refuses %s, names it, and leaves the file untouched', (_label, tamper, named) => {
    const file = tamperedCase(tamper);
    const before = sha256(file);
    const listing = readdirSync(path.dirname(file)).sort();
    const error = refusal(file);
    expect(error.code).toBe('not_a_case_file');
    expect(error.message).toMatch(named);
    expect(error.message).toMatch(/refused for safety|is damaged/);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(path.dirname(file)).sort()).toEqual(listing);
  });

  it('refuses a file whose schema lost an index we create', () => {
    const file = tamperedCase((raw) => raw.exec('DROP INDEX sources_title'));
    expect(refusal(file).message).toMatch(/schema are missing/);
  });

  it('refuses a schema version no release wrote', () => {
    const file = tamperedCase((raw) => raw.pragma('user_version = 15'));
    expect(refusal(file).message).toMatch(/schema version \(15\)/);
  });

  it('opens an untampered file, also after SQLite wrote its statistics table', () => {
    const file = tamperedCase((raw) => {
      raw.exec('ANALYZE');
    });
    const db = openCaseFile(file);
    expect(db.prepare('SELECT title FROM case_info').get()).toEqual({ title: 'Received from a colleague' });
    db.close();
  });
});
