import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { decryptFile, encryptFile, isEncryptedFile } from '../../db/share/encryption';
import { loadOtherCase } from '../../db/merge/read';
import { foundation } from '../../db/core/migrations/010-foundation';
import { checkCaseFile, decryptCaseFile, exportCaseFile } from '../../db/share/share';
import { createSource } from '../../db/evidence/sources';
import { CaseboardError } from '../../shared/errors';
import { sourceFields } from '../../shared/schemas';
import { olderCaseFile } from '../helpers/files-on-disk';
import { cliPath, tempDir } from '../helpers/temp';
import { changeSetOf } from '../helpers/model';

const PASSPHRASE = 'correct horse battery staple';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function caseWithSources(dir: string): CaseDb {
  const db = createCaseFile(path.join(dir, 'mine.caseboard'), { title: 'Defence universities', marking: 'SENSITIVE' });
  db.transaction(() => {
    createSource(
      db,
      changeSetOf(db, 'analyst'),
      sourceFields.parse({
        kind: 'article',
        title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows",
        reliability: 'B',
        notes: 'Private analyst note: do not share.',
      }),
    );
    createSource(db, changeSetOf(db, 'analyst'), sourceFields.parse({ kind: 'report', title: 'Московский авиационный институт', reliability: 'C' }));
  })();
  return db;
}

function expectCaseboardError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CaseboardError);
    expect((error as CaseboardError).code).toBe(code);
    expect((error as CaseboardError).message).toMatch(message);
    return;
  }
  throw new Error('expected a refusal');
}

describe('encrypted files', () => {
  let dir: string;
  let plain: string;
  let sealed: string;

  beforeAll(() => {
    // Shared by the tests below, so not a per-test temp folder.
    dir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-encryption-'));
    plain = path.join(dir, 'plain.bin');
    // Just over two chunks, so chunk order and the last-chunk flag are exercised.
    writeFileSync(plain, Buffer.from(Array.from({ length: 2 * 1024 * 1024 + 4097 }, (_, i) => (i * 31) % 251)));
    sealed = path.join(dir, 'sealed.bin');
    encryptFile(plain, sealed, PASSPHRASE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips byte for byte and does not contain the plaintext', () => {
    const out = path.join(dir, 'out.bin');
    decryptFile(sealed, out, PASSPHRASE);
    expect(sha256(out)).toBe(sha256(plain));
    expect(isEncryptedFile(sealed)).toBe(true);
    expect(isEncryptedFile(plain)).toBe(false);
    expect(readFileSync(sealed).includes(readFileSync(plain).subarray(0, 64))).toBe(false);
  });

  it('refuses a wrong passphrase with a clear error and writes nothing', () => {
    const out = path.join(dir, 'wrong.bin');
    expectCaseboardError(() => decryptFile(sealed, out, 'not the passphrase'), 'not_a_case_file', /passphrase is wrong or the file was changed/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.writing-'))).toEqual([]);
  });

  it.each([
    ['a flipped byte in a chunk', (b: Buffer) => b.length - 100],
    ['a flipped byte in the salt', () => 25],
    ['a flipped byte in the nonce', () => 40],
  ])('refuses %s', (_label, offset) => {
    const bytes = Buffer.from(readFileSync(sealed));
    const at = offset(bytes);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
    const tampered = path.join(dir, 'tampered.bin');
    writeFileSync(tampered, bytes);
    expectCaseboardError(() => decryptFile(tampered, path.join(dir, 'x.bin'), PASSPHRASE), 'not_a_case_file', /could not be decrypted/);
  });

  it('refuses a file cut short at a chunk boundary (the last-chunk flag is checked)', () => {
    const bytes = readFileSync(sealed);
    const truncated = path.join(dir, 'truncated.bin');
    writeFileSync(truncated, bytes.subarray(0, 48 + (1024 * 1024 + 16)));
    expectCaseboardError(() => decryptFile(truncated, path.join(dir, 'y.bin'), PASSPHRASE), 'not_a_case_file', /could not be decrypted/);
  });

  it('refuses key-derivation parameters that would exhaust memory, before deriving', () => {
    const bytes = Buffer.from(readFileSync(sealed));
    bytes[15] = 30; // N = 2^30
    const hostile = path.join(dir, 'hostile.bin');
    writeFileSync(hostile, bytes);
    expectCaseboardError(() => decryptFile(hostile, path.join(dir, 'z.bin'), PASSPHRASE), 'not_a_case_file', /encryption header is not valid/);
  });

  it('refuses a short passphrase when encrypting', () => {
    expectCaseboardError(() => encryptFile(plain, path.join(dir, 'weak.bin'), 'short'), 'invalid_input', /at least 8 characters/);
  });
});

describe('exporting a case file for sharing', () => {
  it('writes a consistent copy while the case stays open, leaving the open file as it was', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    const out = path.join(dir, 'shared.caseboard');
    exportCaseFile(db, out);
    // The case is still open and usable.
    expect((db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n).toBe(2);
    db.close();
    const copy = openCaseFile(out, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n).toBe(2);
    expect((copy.prepare("SELECT notes FROM sources WHERE kind = 'article'").get() as { notes: string }).notes).toMatch(/Private analyst note/);
    copy.close();
    expect(checkCaseFile(out).integrity).toBe('ok');
  });

  it('leaves analyst notes out, from the items and from their history', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    const out = path.join(dir, 'no-notes.caseboard');
    exportCaseFile(db, out, { omitNotes: true });
    db.close();
    expect(readFileSync(out).includes(Buffer.from('Private analyst note'))).toBe(false);
    const copy = openCaseFile(out, { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM sources WHERE notes IS NOT NULL').get() as { n: number }).n).toBe(0);
    expect((copy.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n).toBeGreaterThan(0);
    copy.close();
  });

  it('encrypts the export; check and decrypt need the passphrase and give back the same case', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    const out = path.join(dir, 'shared.caseboard.enc');
    expect(exportCaseFile(db, out, { passphrase: PASSPHRASE }).encrypted).toBe(true);
    db.close();
    expect(readFileSync(out).includes(Buffer.from('Defence universities'))).toBe(false);
    expectCaseboardError(() => checkCaseFile(out), 'invalid_input', /is encrypted; give its passphrase/);
    const report = checkCaseFile(out, PASSPHRASE);
    expect(report).toMatchObject({ encrypted: true, title: 'Defence universities', integrity: 'ok', foreignKeyProblems: 0 });
    const received = path.join(dir, 'received.caseboard');
    decryptCaseFile(out, received, PASSPHRASE);
    const copy = openCaseFile(received, { readonly: true });
    expect((copy.prepare('SELECT title FROM sources ORDER BY title').all() as { title: string }[]).map((r) => r.title)).toContain('Московский авиационный институт');
    copy.close();
  });
});

describe('caseboard check and decrypt on the command line', () => {
  function run(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: tempDir(), ...env } });
  }

  it('reports a healthy file with exit 0 and a foreign file with exit 2', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    db.close();
    const ok = run(['check', path.join(dir, 'mine.caseboard')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/a healthy Caseboard case file/);
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'not a case file at all, just some text that is long enough to pass the size check'.repeat(10));
    const bad = run(['check', text]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^caseboard: notes.txt is not a Caseboard case file/);
  });

  it('decrypts with the passphrase from the environment, and exits 2 on a wrong one', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    const sealed = path.join(dir, 'shared.enc');
    exportCaseFile(db, sealed, { passphrase: PASSPHRASE });
    db.close();
    const wrong = run(['decrypt', sealed, path.join(dir, 'a.caseboard')], { CASEBOARD_PASSPHRASE: 'wrong passphrase' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/passphrase is wrong/);
    expect(existsSync(path.join(dir, 'a.caseboard'))).toBe(false);
    const right = run(['decrypt', sealed, path.join(dir, 'b.caseboard')], { CASEBOARD_PASSPHRASE: PASSPHRASE });
    expect(right.status).toBe(0);
    const check = run(['check', sealed, '--json'], { CASEBOARD_PASSPHRASE: PASSPHRASE });
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ encrypted: true, integrity: 'ok' });
  });
});

describe('a received file is checked from a private copy of its main file alone', () => {
  /** A received case whose latest change is still in the write-ahead log beside it, as when the sender's Caseboard had it open. */
  function receivedWithLog(dir: string): string {
    const db = caseWithSources(dir);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('UPDATE case_info SET title = ?').run('Renamed in the log only');
    const file = path.join(dir, 'received.caseboard');
    copyFileSync(path.join(dir, 'mine.caseboard'), file);
    copyFileSync(path.join(dir, 'mine.caseboard-wal'), `${file}-wal`);
    db.close();
    return file;
  }

  it('reports a write-ahead log beside the file instead of reading it, and leaves both as they were', () => {
    const dir = tempDir();
    const file = receivedWithLog(dir);
    const before = [sha256(file), sha256(`${file}-wal`)];
    expect(checkCaseFile(file)).toMatchObject({ title: 'Defence universities', integrity: 'ok', writeAheadLogBeside: true });
    const home = tempDir('caseboard-home-');
    const text = spawnSync(process.execPath, [cliPath, 'check', file], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: home } });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('A write-ahead log lies beside it; it was not read. Ask the sender to close Caseboard and send the file again.\n');
    const json = spawnSync(process.execPath, [cliPath, 'check', file, '--json'], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: home } });
    expect(JSON.parse(json.stdout)).toMatchObject({ writeAheadLogBeside: true, title: 'Defence universities' });
    expect([sha256(file), sha256(`${file}-wal`)]).toEqual(before);
    expect(readdirSync(path.join(home, 'private'))).toEqual([]);
  });

  it('says nothing of a log when there is none', () => {
    const dir = tempDir();
    caseWithSources(dir).close();
    expect(checkCaseFile(path.join(dir, 'mine.caseboard')).writeAheadLogBeside).toBe(false);
  });

  it('is refused for a merge when a write-ahead log lies beside it, since its latest changes may be there', () => {
    const dir = tempDir();
    const file = receivedWithLog(dir);
    const before = [sha256(file), sha256(`${file}-wal`)];
    const mine = path.join(tempDir(), 'mine.caseboard');
    createCaseFile(mine, { title: 'Mine' }).close();
    expectCaseboardError(() => loadOtherCase(file, undefined, mine), 'not_a_case_file', /received\.caseboard has a write-ahead log beside it.*ask the sender to close Caseboard and send the file again/);
    expect([sha256(file), sha256(`${file}-wal`)]).toEqual(before);
  });

  it('reports the schema version the received file has, though the copy it checks is brought up to date', () => {
    const file = olderCaseFile(path.join(tempDir(), 'older.caseboard'), 'Older');
    const before = sha256(file);
    expect(checkCaseFile(file)).toMatchObject({ title: 'Older', schemaVersion: foundation.version, integrity: 'ok' });
    expect(sha256(file)).toBe(before);
    expect(readdirSync(path.dirname(file))).toEqual(['older.caseboard']);
  });

  it('decrypts into the private folder and puts only a checked case at the output', () => {
    const dir = tempDir();
    const db = caseWithSources(dir);
    const sealed = path.join(dir, 'shared.enc');
    exportCaseFile(db, sealed, { passphrase: PASSPHRASE });
    db.close();
    const out = tempDir('caseboard-out-');
    expectCaseboardError(() => decryptCaseFile(sealed, path.join(out, 'a.caseboard'), 'not the passphrase'), 'not_a_case_file', /passphrase is wrong/);
    expect(readdirSync(out)).toEqual([]);
    expect(decryptCaseFile(sealed, path.join(out, 'b.caseboard'), PASSPHRASE)).toMatchObject({ file: path.join(out, 'b.caseboard'), encrypted: true, integrity: 'ok', writeAheadLogBeside: false });
    expect(readdirSync(out)).toEqual(['b.caseboard']);
  });
});
