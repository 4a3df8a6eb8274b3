import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { caseOverview } from '../../db/model/overview';
import { Workspace } from '../../db/host/workspace';
import { CaseboardError } from '../../shared/errors';
import { fillCase } from '../helpers/bulk';
import { queryPlan, recordStatements } from '../helpers/query-plans';
import { cliPath, distDir, tempDir } from '../helpers/temp';
import { hostileWriteAheadLog } from './support/hostile-fixtures';
import { plantSuperJournal } from './support/super-journal';

let baseDir: string;
let clean: string;

beforeAll(() => {
  baseDir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-received-'));
  clean = path.join(baseDir, 'clean.caseboard');
  const db = createCaseFile(clean, { title: 'Received case', marking: 'OFFICIAL' });
  fillCase(db, 200, 300);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
});

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function caseboard(args: string[], cwd: string, home: string): Run {
  const run = spawnSync(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, CASEBOARD_HOME: home, CASEBOARD_DEBUG: '' }, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A received case file with a journal beside it that names a victim file, and the victim; `relative` names it relative to the reader's folder. */
function receivedWithSuperJournal(relative: boolean): { dir: string; home: string; file: string; journal: string; victim: string; fingerprints: () => string[] } {
  const dir = tempDir('caseboard-recv-');
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const file = path.join(dir, 'recv.caseboard');
  copyFileSync(clean, file);
  const victim = relative ? path.join(dir, 'interview notes.docx') : path.join(home, 'settings.json');
  writeFileSync(victim, 'what the investigator wrote\n');
  const journal = plantSuperJournal(file, relative ? path.basename(victim) : victim);
  const fingerprints = () => [sha256(file), sha256(journal), readdirSync(dir).sort().join('|')];
  return { dir, home, file, journal, victim, fingerprints };
}

describe('a rollback journal beside a received case file', () => {
  it('is a real attack: plain SQLite replays it and deletes the file it names', () => {
    const attack = receivedWithSuperJournal(false);
    const db = new Database(attack.file);
    db.prepare('SELECT count(*) FROM case_info').get();
    db.close();
    expect(existsSync(attack.victim)).toBe(false);
  });

  for (const relative of [false, true]) {
    const named = relative ? 'a file named relative to the reader' : 'a file named by its full path';
    it(`caseboard check refuses the file unread and ${named} survives`, () => {
      const attack = receivedWithSuperJournal(relative);
      const before = attack.fingerprints();
      const run = caseboard(['check', attack.file], attack.dir, attack.home);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/rollback journal beside it \(recv\.caseboard-journal\)/);
      expect(run.stdout).not.toMatch(/healthy/);
      expect(existsSync(attack.victim)).toBe(true);
      expect(attack.fingerprints()).toEqual(before);
    });

    it(`caseboard info refuses the file unread and ${named} survives`, () => {
      const attack = receivedWithSuperJournal(relative);
      const before = attack.fingerprints();
      const run = caseboard(['info', attack.file], attack.dir, attack.home);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/rollback journal/);
      expect(existsSync(attack.victim)).toBe(true);
      expect(attack.fingerprints()).toEqual(before);
    });
  }

  it('caseboard merge refuses the other file and leaves both cases and the victim as they were', () => {
    const attack = receivedWithSuperJournal(true);
    const mine = path.join(attack.home, 'mine.caseboard');
    createCaseFile(mine, { title: 'Mine' }).close();
    const mineBefore = sha256(mine);
    const before = attack.fingerprints();
    const run = caseboard(['merge', mine, attack.file], attack.dir, attack.home);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/rollback journal/);
    expect(existsSync(attack.victim)).toBe(true);
    expect(attack.fingerprints()).toEqual(before);
    expect(sha256(mine)).toBe(mineBefore);
  });

  it('caseboard serve refuses to open the file and exits 2 at once', () => {
    const attack = receivedWithSuperJournal(true);
    const before = attack.fingerprints();
    const run = caseboard(['serve', attack.file, '--port', '0'], attack.dir, attack.home);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/rollback journal/);
    expect(existsSync(attack.victim)).toBe(true);
    expect(attack.fingerprints()).toEqual(before);
  });

  it('app.openCase refuses the file in the window and the browser mode alike', async () => {
    const attack = receivedWithSuperJournal(false);
    const before = attack.fingerprints();
    const workspace = new Workspace({ door: 'browser', dataDir: attack.home, workerPath: path.join(distDir, 'db-worker.cjs') });
    try {
      const refusal = await workspace.call('app.openCase', { path: attack.file }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(CaseboardError);
      expect((refusal as CaseboardError).code).toBe('not_a_case_file');
      expect((refusal as CaseboardError).message).toMatch(/rollback journal/);
      expect(workspace.currentCase).toBeNull();
    } finally {
      await workspace.dispose();
    }
    expect(existsSync(attack.victim)).toBe(true);
    expect(attack.fingerprints()).toEqual(before);
  });
});

describe('reading a case file changes nothing beside it', () => {
  it('caseboard info reads a received file without a lock file, log or index appearing beside it', () => {
    const dir = tempDir('caseboard-recv-');
    const file = path.join(dir, 'recv.caseboard');
    copyFileSync(clean, file);
    const before = [sha256(file), readdirSync(dir).sort().join('|')];
    const run = caseboard(['info', file, '--json', '--full'], dir, path.join(dir, 'home'));
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: 'Received case', integrity: 'ok', counts: { entities: 200 } });
    expect([sha256(file), readdirSync(dir).filter((name) => name !== 'home').sort().join('|')]).toEqual(before);
  });

  it('caseboard info does not fold a write-ahead log into the file, and says it did not read it', () => {
    const dir = tempDir('caseboard-recv-');
    const file = path.join(dir, 'recv.caseboard');
    hostileWriteAheadLog(clean, file);
    const before = [sha256(file), sha256(`${file}-wal`), readdirSync(dir).sort().join('|')];
    const run = caseboard(['info', file], dir, path.join(dir, 'home'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/write-ahead log lies beside the file and was not read/);
    expect([sha256(file), sha256(`${file}-wal`), readdirSync(dir).filter((name) => name !== 'home').sort().join('|')]).toEqual(before);
  });

  it('caseboard info on a case that is open for work reads it through the live log without changing the file', () => {
    const dir = tempDir('caseboard-own-');
    const file = path.join(dir, 'mine.caseboard');
    copyFileSync(clean, file);
    const writer = openCaseFile(file);
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare('UPDATE case_info SET title = ?').run('Renamed while open');
      const mainBefore = sha256(file);
      const run = caseboard(['info', file, '--json'], dir, path.join(dir, 'home'));
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ title: 'Renamed while open' });
      expect(JSON.parse(run.stdout).logUnread).toBeUndefined();
      expect(sha256(file)).toBe(mainBefore);
    } finally {
      writer.close();
    }
  });

  it('terminal output escapes control characters a received title or marking carries', () => {
    const dir = tempDir('caseboard-recv-');
    const file = path.join(dir, 'recv.caseboard');
    const db = createCaseFile(file, { title: 'Plain title\u001b]0;owned\u0007\u001b[2J', marking: 'SECRET\u202eTERCES\r\nTitle: forged' });
    db.close();
    const run = caseboard(['info', file], dir, path.join(dir, 'home'));
    expect(run.status).toBe(0);
    for (const raw of ['\u001b', '\u0007', '\u202e', '\r']) expect(run.stdout).not.toContain(raw);
    expect(run.stdout).toContain('Plain title\\u001b]0;owned\\u0007\\u001b[2J');
    expect(run.stdout).toContain('SECRET\\u202eTERCES\\u000d\\u000aTitle: forged');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('Title:'))).toHaveLength(1);
  });
});

describe('planner statistics that came with a received file', () => {
  let cleanLarge: string;
  let poisonedTemplate: string;
  /** A fresh copy of the poisoned file: opening one to work on takes its statistics away. */
  const poisonedCopy = () => {
    const file = path.join(tempDir('caseboard-poisoned-'), 'poisoned.caseboard');
    copyFileSync(poisonedTemplate, file);
    return file;
  };

  beforeAll(() => {
    const dir = path.join(baseDir, 'large');
    mkdirSync(dir);
    cleanLarge = path.join(dir, 'clean.caseboard');
    const db = createCaseFile(cleanLarge, { title: 'Large' });
    fillCase(db, 20_000, 40_000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Statistics in the exact shape ANALYZE writes, with contents that claim every table holds one row.
    poisonedTemplate = path.join(dir, 'poisoned.caseboard');
    copyFileSync(cleanLarge, poisonedTemplate);
    const raw = new Database(poisonedTemplate);
    raw.exec('ANALYZE case_info; DELETE FROM sqlite_stat1; DELETE FROM sqlite_stat4;');
    const indexes = raw.prepare("SELECT name, tbl_name AS tbl FROM sqlite_schema WHERE type = 'index'").all() as { name: string; tbl: string }[];
    const insert = raw.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
    for (const index of indexes) insert.run(index.tbl, index.name, '1 1 1 1 1');
    raw.pragma('journal_mode = DELETE');
    raw.close();
  }, 120_000);

  it('steer no query once the file is opened to work on: the Overview is planned as on a clean file', () => {
    const plans = (file: string) => {
      const db = openCaseFile(file);
      try {
        const { statements } = recordStatements(db, () => caseOverview(db));
        return statements.map((statement) => queryPlan(db, statement));
      } finally {
        db.close();
      }
    };
    const expected = plans(cleanLarge);
    const poisoned = poisonedCopy();
    expect(plans(poisoned)).toEqual(expected);
    const reopened = new Database(poisoned, { readonly: true });
    expect(reopened.prepare('SELECT (SELECT count(*) FROM sqlite_stat1) + (SELECT count(*) FROM sqlite_stat4) AS n').get()).toEqual({ n: 0 });
    reopened.close();
  });

  it('the poisoned case answers the Overview through a door within three times the clean case', async () => {
    const overviewTime = async (file: string) => {
      const workspace = new Workspace({ door: 'browser', dataDir: tempDir('caseboard-home-'), workerPath: path.join(distDir, 'db-worker.cjs') });
      try {
        await workspace.call('app.openCase', { path: file });
        await workspace.call('case.overview', {});
        const started = performance.now();
        await workspace.call('case.overview', {});
        return performance.now() - started;
      } finally {
        await workspace.dispose();
      }
    };
    const cleanMs = await overviewTime(cleanLarge);
    const poisonedMs = await overviewTime(poisonedCopy());
    // A small allowance on top of the ratio absorbs a busy machine; poisoned plans take minutes.
    expect(poisonedMs).toBeLessThan(3 * cleanMs + 1500);
  }, 120_000);
});
