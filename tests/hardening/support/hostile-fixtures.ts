import { scryptSync } from 'node:crypto';
import { closeSync, copyFileSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../../db/core/migrations/index';

/** A raw connection that may rewrite sqlite_schema, as an attacker's own SQLite would. */
function tamper(file: string, edit: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    db.unsafeMode(true);
    db.pragma('journal_mode = DELETE');
    edit(db);
  } finally {
    db.close();
  }
}

/** Replaces the CREATE statement of an existing schema object, keeping its data: what a hand-edited file looks like. */
function rewriteSchema(db: Database.Database, name: string, change: (sql: string) => string): void {
  const row = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string };
  db.pragma('writable_schema = ON');
  db.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(change(row.sql), name);
  db.pragma('writable_schema = OFF');
}

function plantSchemaRow(db: Database.Database, type: string, name: string, table: string, sql: string): void {
  db.pragma('writable_schema = ON');
  db.prepare('INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)').run(type, name, table, sql);
  db.pragma('writable_schema = OFF');
}

function setHeader(file: string, offset: number, value: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.close();
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  const handle = openSync(file, 'r+');
  writeSync(handle, bytes, 0, 4, offset);
  closeSync(handle);
}

const HUGE = 48 * 1024 * 1024;
const PLANTED_TRIGGER = (name: string) => `CREATE TRIGGER ${name} AFTER INSERT ON sources BEGIN UPDATE sources SET url = 'https://planted.example/' WHERE id = new.id; DELETE FROM audit_events; END`;

/** Case files built to attack the reader: every one must be refused. */
export const HOSTILE_CASE_FILES: Record<string, (file: string) => void> = {
  'an extra trigger': (file) => tamper(file, (db) => db.exec(PLANTED_TRIGGER('planted_trigger'))),
  'a trigger hidden under a reserved sqlite_stat name': (file) => tamper(file, (db) => plantSchemaRow(db, 'trigger', 'sqlite_stat_planted', 'sources', PLANTED_TRIGGER('sqlite_stat_planted'))),
  'a trigger hidden under a LIKE look-alike of sqlite_stat': (file) => tamper(file, (db) => plantSchemaRow(db, 'trigger', 'sqliteXstat1', 'sources', PLANTED_TRIGGER('sqliteXstat1'))),
  'a trigger named sqlite_sequence': (file) => tamper(file, (db) => plantSchemaRow(db, 'trigger', 'sqlite_sequence', 'sources', PLANTED_TRIGGER('sqlite_sequence'))),
  'a view named like a statistics table': (file) => tamper(file, (db) => plantSchemaRow(db, 'view', 'sqlite_stat1', 'sqlite_stat1', "CREATE VIEW sqlite_stat1(tbl,idx,stat) AS SELECT 'sources', NULL, zeroblob(2000000000)")),
  'a statistics table with a changed definition': (file) => tamper(file, (db) => plantSchemaRow(db, 'table', 'sqlite_stat1', 'sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat CHECK (load_extension(stat)))')),
  'a view calling functions': (file) => tamper(file, (db) => db.exec("CREATE VIEW case_overview AS SELECT zeroblob(2000000000) AS a, randomblob(1000000000) AS b, load_extension('/tmp/planted.so') AS c")),
  'a generated column calling a function': (file) =>
    tamper(file, (db) => rewriteSchema(db, 'sources', (sql) => sql.replace(/\)\s*STRICT\s*$/, ", planted TEXT GENERATED ALWAYS AS (load_extension('/tmp/planted.so')) VIRTUAL) STRICT"))),
  'a CHECK expression calling a function': (file) => tamper(file, (db) => rewriteSchema(db, 'case_info', (sql) => sql.replace('CHECK (singleton = 1)', "CHECK (singleton = 1 AND load_extension('/tmp/planted.so') IS NULL)"))),
  'a CHECK constraint removed': (file) => tamper(file, (db) => rewriteSchema(db, 'sources', (sql) => sql.replace(" CHECK (reliability IN ('A','B','C','D','E','F'))", ''))),
  'an index on an expression': (file) => tamper(file, (db) => db.exec("CREATE INDEX planted_index ON sources (length(zeroblob(100000)), title)")),
  'an extra table holding a huge blob': (file) =>
    tamper(file, (db) => {
      db.exec('CREATE TABLE planted (payload BLOB)');
      db.prepare('INSERT INTO planted VALUES (zeroblob(?))').run(HUGE);
    }),
  'a huge blob where the case title goes': (file) => {
    // STRICT refuses to store it, so the attacker drops STRICT, stores it, and puts STRICT back.
    let original = '';
    tamper(file, (db) =>
      rewriteSchema(db, 'case_info', (sql) => {
        original = sql;
        return sql.replace(/\)\s*STRICT\s*$/, ')').replace(' CHECK (length(title) BETWEEN 1 AND 300)', '');
      }),
    );
    tamper(file, (db) => db.prepare('UPDATE case_info SET title = zeroblob(?)').run(HUGE));
    tamper(file, (db) => rewriteSchema(db, 'case_info', () => original));
  },
  'a huge text where the case title goes': (file) =>
    tamper(file, (db) => {
      db.pragma('ignore_check_constraints = ON');
      db.prepare('UPDATE case_info SET title = ?').run('A'.repeat(HUGE));
    }),
  'two case details rows': (file) =>
    tamper(file, (db) => {
      db.pragma('ignore_check_constraints = ON');
      db.exec('INSERT INTO case_info SELECT 2, case_id, title, marking, description, created_at, updated_at FROM case_info');
    }),
  'a newer schema version': (file) => setHeader(file, 60, SCHEMA_VERSION + 1),
  'a schema version no release wrote': (file) => setHeader(file, 60, SCHEMA_VERSION - 1),
  'a negative schema version': (file) => setHeader(file, 60, -5),
  'another application id': (file) => setHeader(file, 68, 0x47504b47),
  'a table dropped': (file) => tamper(file, (db) => db.exec('DROP TABLE audit_events')),
  'a freelist pointing past the end': (file) => setHeader(file, 32, 0x7ffffff0),
};

/**
 * A clean case file with a hostile write-ahead log beside it: the log plants
 * a trigger. Opening the file applies the log, so the check must see it.
 */
export function hostileWriteAheadLog(clean: string, file: string): void {
  const scratch = `${file}.scratch`;
  copyFileSync(clean, scratch);
  const db = new Database(scratch);
  db.unsafeMode(true);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(PLANTED_TRIGGER('planted_by_log'));
  // Copy the file and its log while the connection still holds them: closing would fold the log in.
  copyFileSync(clean, file);
  copyFileSync(`${scratch}-wal`, `${file}-wal`);
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
}

/** The encrypted format's header, written by hand so the fuzzer can set any field (see db/encryption.ts). */
export function encryptedHeader(fields: { version?: number; log2N?: number; r?: number; p?: number; chunkLog2?: number; reserved?: number }): Buffer {
  const header = Buffer.alloc(48);
  Buffer.from('CASEBOARD-ENC\u0000', 'latin1').copy(header, 0);
  header.writeUInt8(fields.version ?? 1, 14);
  header.writeUInt8(fields.log2N ?? 10, 15);
  header.writeUInt8(fields.r ?? 1, 16);
  header.writeUInt8(fields.p ?? 1, 17);
  header.writeUInt8(fields.chunkLog2 ?? 12, 18);
  header.writeUInt8(fields.reserved ?? 0, 19);
  Buffer.from('0123456789abcdef').copy(header, 20);
  Buffer.from('nonce-prefix').copy(header, 36);
  return header;
}

/**
 * Encrypts `plain` in the case-file format with cheap scrypt parameters, so
 * that hundreds of mutated copies can be decrypted quickly. Readers accept
 * any parameters within their bounds, these included.
 */
export function encryptCheaply(plain: Buffer, passphrase: string): Buffer {
  const header = encryptedHeader({});
  const chunk = 2 ** 12;
  const derived = scryptSync(passphrase.normalize('NFC'), header.subarray(20, 36), 32, { N: 2 ** 10, r: 1, p: 1 });
  const parts: Buffer[] = [header];
  const chunks = Math.max(1, Math.ceil(plain.length / chunk));
  for (let index = 0; index < chunks; index += 1) {
    const nonce = Buffer.alloc(24);
    header.copy(nonce, 0, 36, 48);
    nonce.writeUInt32BE(index, 12);
    nonce.writeUInt8(index === chunks - 1 ? 1 : 0, 16);
    parts.push(Buffer.from(xchacha20poly1305(derived, nonce, header).encrypt(plain.subarray(index * chunk, (index + 1) * chunk))));
  }
  return Buffer.concat(parts);
}

/** Hostile encrypted files: parameters that would take unbounded memory or time, and malformed headers. */
export const HOSTILE_ENCRYPTED: Record<string, Buffer> = {
  'scrypt N = 2^30': encryptedHeader({ log2N: 30 }),
  'scrypt N = 2^255': encryptedHeader({ log2N: 255 }),
  'scrypt r = 255': encryptedHeader({ log2N: 17, r: 255 }),
  'scrypt p = 255': encryptedHeader({ log2N: 17, p: 255 }),
  'scrypt memory of 4 GiB within each bound': encryptedHeader({ log2N: 22, r: 8, p: 1 }),
  'scrypt memory of 512 MiB': encryptedHeader({ log2N: 20, r: 4, p: 1 }),
  'scrypt N = 1': encryptedHeader({ log2N: 0 }),
  'scrypt r = 0': encryptedHeader({ r: 0 }),
  'scrypt p = 0': encryptedHeader({ p: 0 }),
  'chunks of 2^31 bytes': encryptedHeader({ chunkLog2: 31 }),
  'chunks of 1 byte': encryptedHeader({ chunkLog2: 0 }),
  'a reserved byte set': encryptedHeader({ reserved: 1 }),
  'a newer format version': encryptedHeader({ version: 2 }),
  'a header cut short': encryptedHeader({}).subarray(0, 30),
  'a header and no body': encryptedHeader({}),
};

export function writeFixture(dir: string, name: string, bytes: Buffer): string {
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.caseboard`);
  writeFileSync(file, bytes);
  return file;
}
