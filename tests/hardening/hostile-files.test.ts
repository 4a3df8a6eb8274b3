import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/case-file';
import { getCaseDetails } from '../../db/case-info';
import { tempDir } from '../helpers/temp';
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
