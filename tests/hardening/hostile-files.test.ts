import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { getCaseDetails } from '../../db/core/case-info';
import { checkCaseFile } from '../../db/share/share';
import { Workspace } from '../../db/host/workspace';
import { CaseboardError } from '../../shared/errors';
import { cliPath, distDir, tempDir } from '../helpers/temp';
import { buildBaseCase } from './support/base-case';
import { LONG_TIMEOUT, SOAK } from './support/child-bundle';
import { recordFigures } from './support/figures';
import { HOSTILE_CASE_FILES, hostileWriteAheadLog } from './support/hostile-fixtures';
import { mutate } from './support/mutate';
import { probeFiles, type ProbeOutcome, type ProbeResult } from './support/probe-runner';
import { seededRandom } from './support/random';

const MUTATED_FILES = SOAK ? 30_000 : 2000;
const SEED = Number(process.env.CASEBOARD_FUZZ_SEED ?? (SOAK ? Date.now() % 1_000_000 : 20_260_101));
const PAGE_SIZE = 4096;

let base: { file: string; bytes: Buffer };
let baseDir: string;

beforeAll(async () => {
  // Not a tempDir(): those go after each test, and every test here starts from this file.
  baseDir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-base-'));
  base = await buildBaseCase(baseDir);
}, 60_000);

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function tally(results: ProbeResult[]): Record<ProbeOutcome, number> {
  const counts: Record<ProbeOutcome, number> = { opened: 0, refused: 0, failed: 0, crashed: 0, hung: 0 };
  for (const result of results) counts[result.outcome] += 1;
  return counts;
}

describe('mutated case files, opened the way a user opens them', () => {
  it(`${MUTATED_FILES} mutations: each opens or is refused cleanly, none crashes or hangs`, async () => {
    const dir = tempDir('caseboard-fuzz-');
    const random = seededRandom(SEED);
    const started = Date.now();
    const results: ProbeResult[] = [];
    const described = new Map<string, string>();
    const byKind = new Map<string, Record<ProbeOutcome, number>>();
    const chunk = 250;
    for (let done = 0; done < MUTATED_FILES; done += chunk) {
      const files: string[] = [];
      for (let i = done; i < Math.min(done + chunk, MUTATED_FILES); i += 1) {
        const { bytes, what } = mutate(base.bytes, random, PAGE_SIZE);
        const file = path.join(dir, `mutant-${i}.caseboard`);
        writeFileSync(file, bytes);
        files.push(file);
        described.set(file, what);
      }
      const batch = await probeFiles('open', files, path.join(dir, 'list.txt'));
      results.push(...batch);
      for (const result of batch) {
        const kind = (described.get(result.file) ?? '').split(':')[0] as string;
        const counts = byKind.get(kind) ?? { opened: 0, refused: 0, failed: 0, crashed: 0, hung: 0 };
        counts[result.outcome] += 1;
        byKind.set(kind, counts);
        // Keep the files that went wrong, for replaying; the rest would only fill the disk.
        if (result.outcome === 'opened' || result.outcome === 'refused') for (const suffix of ['', '-wal', '-shm']) rmSync(`${result.file}${suffix}`, { force: true });
      }
    }
    const counts = tally(results);
    const bad = results.filter((r) => r.outcome !== 'opened' && r.outcome !== 'refused').map((r) => `${r.outcome} on ${described.get(r.file)} (seed ${SEED}): ${r.detail}`);
    recordFigures('fuzz-open', {
      seed: SEED,
      files: results.length,
      ...counts,
      refusalRate: Math.round((counts.refused / results.length) * 1000) / 10,
      byMutation: Object.fromEntries(byKind),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    expect(bad.slice(0, 20)).toEqual([]);
    expect(results).toHaveLength(MUTATED_FILES);
    // A fuzzer that never gets past the header proves little: most mutations must reach SQLite.
    expect(counts.refused).toBeGreaterThan(MUTATED_FILES / 10);
    expect(counts.opened).toBeGreaterThan(0);
  }, LONG_TIMEOUT);
});

describe('hand-made hostile case files', () => {
  it('are every one refused, and the other case files in the folder stay byte for byte as they were', async () => {
    const dir = tempDir('caseboard-hostile-');
    // The user's own case files, beside the received ones: one closed cleanly, one with its log still beside it.
    const mine = path.join(dir, 'my-case.caseboard');
    copyFileSync(base.file, mine);
    const other = createCaseFile(path.join(dir, 'other-case.caseboard'), { title: 'Other case' });
    other.close();
    const fixtures = new Map<string, string>();
    for (const [name, build] of Object.entries(HOSTILE_CASE_FILES)) {
      const file = path.join(dir, `received-${name.replace(/[^a-z0-9]+/gi, '-')}.caseboard`);
      copyFileSync(base.file, file);
      build(file);
      fixtures.set(file, name);
    }
    const withLog = path.join(dir, 'received-hostile-log.caseboard');
    hostileWriteAheadLog(base.file, withLog);
    fixtures.set(withLog, 'a clean file with a hostile write-ahead log beside it');

    const untouched = readdirSync(dir).filter((name) => !name.startsWith('received-'));
    const before = new Map(untouched.map((name) => [name, sha256(path.join(dir, name))]));
    const results = await probeFiles('open', [...fixtures.keys()], path.join(tempDir(), 'list.txt'));
    const outcomes = Object.fromEntries(results.map((r) => [fixtures.get(r.file), r.outcome === 'refused' ? 'refused' : `${r.outcome}: ${r.detail}`]));
    expect(outcomes).toEqual(Object.fromEntries([...fixtures.values()].map((name) => [name, 'refused'])));
    for (const [name, hash] of before) expect(sha256(path.join(dir, name)), name).toBe(hash);
    expect(readdirSync(dir).filter((name) => !name.startsWith('received-')).sort()).toEqual([...untouched].sort());
    recordFigures('hostile-fixtures', { fixtures: fixtures.size, refused: results.filter((r) => r.outcome === 'refused').length });
  }, 120_000);

  it('are refused by caseboard check too, which never reports one of them healthy', async () => {
    const dir = tempDir('caseboard-hostile-check-');
    const files: string[] = [];
    for (const [name, build] of Object.entries(HOSTILE_CASE_FILES)) {
      const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.caseboard`);
      copyFileSync(base.file, file);
      build(file);
      files.push(file);
    }
    const results = await probeFiles('check', files, path.join(dir, 'list.txt'));
    expect(results.filter((r) => r.outcome !== 'refused').map((r) => `${path.basename(r.file)}: ${r.outcome} ${r.detail}`)).toEqual([]);
  }, 120_000);

  it('still opens a healthy case file that SQLite statistics were added to', () => {
    const file = path.join(tempDir(), 'analysed.caseboard');
    copyFileSync(base.file, file);
    const raw = new Database(file);
    raw.exec('ANALYZE');
    raw.close();
    const db = openCaseFile(file);
    try {
      expect(getCaseDetails(db).title).toBe('Aero-engine cooperation');
    } finally {
      db.close();
    }
  });
});

/** A hostile case file (a planted trigger) whose write-ahead log beside it carries an ordinary change. */
function hostileFileWithLog(clean: string, file: string): void {
  const scratch = `${file}.scratch`;
  copyFileSync(clean, scratch);
  HOSTILE_CASE_FILES['an extra trigger']?.(scratch);
  const db = new Database(scratch);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.prepare('UPDATE case_info SET title = ?').run('Changed in the log');
  // Copied while the connection holds them, as a sender's copy of an open case would be.
  copyFileSync(scratch, file);
  copyFileSync(`${scratch}-wal`, `${file}-wal`);
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
}

describe('a refused received file with a write-ahead log beside it', () => {
  const fixtures: Record<string, (clean: string, file: string) => void> = {
    'a clean file with a hostile log': hostileWriteAheadLog,
    'a hostile file with an ordinary log': hostileFileWithLog,
  };

  function received(dir: string): { file: string; name: string }[] {
    return Object.entries(fixtures).map(([name, build]) => {
      const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.caseboard`);
      build(base.file, file);
      expect(readFileSync(`${file}-wal`).length, name).toBeGreaterThan(0);
      return { file, name };
    });
  }

  function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, sha256(path.join(dir, name))]));
  }

  it('is left byte for byte as it was, log included, by caseboard check', () => {
    const dir = tempDir('caseboard-hostile-wal-check-');
    const files = received(dir);
    const before = snapshot(dir);
    for (const { file, name } of files) {
      const result = spawnSync(process.execPath, [cliPath, 'check', file], { encoding: 'utf8' });
      if (name === 'a clean file with a hostile log') {
        // The check reads a copy of the file alone: the log's trigger is never replayed, and the report says the log is there.
        expect(result.status, `${name}: ${result.stderr}`).toBe(0);
        expect(result.stdout, name).toMatch(/A write-ahead log lies beside it; it was not read\./);
        expect(checkCaseFile(file), name).toMatchObject({ integrity: 'ok', writeAheadLogBeside: true });
        continue;
      }
      expect(result.status, `${name}: ${result.stderr}`).toBe(2);
      expect(result.stderr, name).toMatch(/refused for safety/);
      expect(() => checkCaseFile(file), name).toThrow(CaseboardError);
    }
    expect(snapshot(dir)).toEqual(before);
  }, 60_000);

  it('is left byte for byte as it was, log included, by an attempt to open it', async () => {
    const workerPath = path.join(distDir, 'db-worker.cjs');
    expect(existsSync(workerPath), 'dist/db-worker.cjs is missing; run "npm run build" first').toBe(true);
    const dir = tempDir('caseboard-hostile-wal-open-');
    const files = received(dir);
    const before = snapshot(dir);
    const workspace = new Workspace({ door: 'browser', workerPath, dataDir: tempDir() });
    try {
      for (const { file, name } of files) {
        await expect(workspace.openCase(file), name).rejects.toMatchObject({ code: 'not_a_case_file' });
        expect(() => openCaseFile(file), name).toThrow(CaseboardError);
      }
      await workspace.closeCase();
    } finally {
      await workspace.dispose();
    }
    expect(snapshot(dir)).toEqual(before);
  }, 60_000);

  it('is still read with its log when healthy, so a case closed by a crash loses nothing', () => {
    const file = path.join(tempDir(), 'crashed.caseboard');
    const scratch = `${file}.scratch`;
    copyFileSync(base.file, scratch);
    const db = new Database(scratch);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('UPDATE case_info SET title = ?').run('Saved in the log only');
    copyFileSync(scratch, file);
    copyFileSync(`${scratch}-wal`, `${file}-wal`);
    db.close();
    const before = [sha256(file), sha256(`${file}-wal`)];
    // Checking a received file reads the file alone and says a log lies beside it; file and log stay as they are.
    expect(checkCaseFile(file)).toMatchObject({ title: 'Aero-engine cooperation', writeAheadLogBeside: true });
    expect([sha256(file), sha256(`${file}-wal`)]).toEqual(before);
    const opened = openCaseFile(file);
    try {
      expect(getCaseDetails(opened).title).toBe('Saved in the log only');
    } finally {
      opened.close();
    }
  });
});
