import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { decryptFile } from '../../db/share/encryption';
import { decryptCaseFile, exportCaseFile } from '../../db/share/share';
import { CaseboardError } from '../../shared/errors';
import { cliPath, tempDir } from '../helpers/temp';
import { buildBaseCase } from './support/base-case';
import { LONG_TIMEOUT, runToEnd, SOAK } from './support/child-bundle';
import { recordFigures } from './support/figures';
import { encryptCheaply, HOSTILE_ENCRYPTED } from './support/hostile-fixtures';
import { mutate } from './support/mutate';
import { probeFiles } from './support/probe-runner';
import { below, seededRandom } from './support/random';

const PASSPHRASE = 'correct horse battery staple';
const ENCRYPTED_MUTATIONS = SOAK ? 5000 : 300;
const CHECK_MUTATIONS = SOAK ? 5000 : 300;
const CLI_RUNS = SOAK ? 200 : 24;
const SEED = Number(process.env.CASEBOARD_FUZZ_SEED ?? (SOAK ? Date.now() % 1_000_000 : 20_260_102));

let dir: string;
let plain: Buffer;
let encrypted: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-enc-base-'));
  const base = await buildBaseCase(dir);
  // What an export encrypts: a VACUUM INTO snapshot, one file without a log.
  const snapshot = path.join(dir, 'snapshot.caseboard');
  const db = new Database(base.file, { readonly: true });
  db.prepare('VACUUM INTO ?').run(snapshot);
  db.close();
  plain = readFileSync(snapshot);
  encrypted = encryptCheaply(plain, PASSPHRASE);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Damage aimed at the encrypted layout: its header, its chunks and their order, its length. */
function mutateEncrypted(bytes: Buffer, random: () => number): { bytes: Buffer; what: string } {
  const chunk = 4096 + 16;
  const chunks = Math.ceil((bytes.length - 48) / chunk);
  const kind = below(random, 6);
  if (kind === 0) {
    const out = Buffer.from(bytes);
    const at = below(random, 48);
    out[at] = below(random, 256);
    return { bytes: out, what: `header byte ${at} set` };
  }
  if (kind === 1) {
    const a = below(random, chunks - 1);
    const out = Buffer.concat([bytes.subarray(0, 48 + a * chunk), bytes.subarray(48 + (a + 1) * chunk, 48 + (a + 2) * chunk), bytes.subarray(48 + a * chunk, 48 + (a + 1) * chunk), bytes.subarray(48 + (a + 2) * chunk)]);
    return { bytes: out, what: `chunks ${a} and ${a + 1} swapped` };
  }
  if (kind === 2) {
    const a = below(random, chunks);
    return { bytes: Buffer.concat([bytes.subarray(0, 48 + a * chunk), bytes.subarray(48 + (a + 1) * chunk)]), what: `chunk ${a} dropped` };
  }
  if (kind === 3) return { bytes: Buffer.concat([bytes, Buffer.alloc(1 + below(random, 5000), below(random, 256))]), what: 'bytes appended' };
  return mutate(bytes, random, 4096);
}

describe('the encrypted format', () => {
  it('is read by the same code as a real export (the cheap fixture is faithful)', () => {
    const file = path.join(tempDir(), 'cheap.caseboard.enc');
    writeFileSync(file, encrypted);
    const report = decryptCaseFile(file, path.join(path.dirname(file), 'out.caseboard'), PASSPHRASE);
    expect(report).toMatchObject({ title: 'Aero-engine cooperation', integrity: 'ok', foreignKeyProblems: 0 });
  });

  it('a real export with the default parameters decrypts too', () => {
    const work = tempDir();
    const source = path.join(work, 'source.caseboard');
    copyFileSync(path.join(dir, 'base.caseboard'), source);
    const db = openCaseFile(source);
    try {
      exportCaseFile(db, path.join(work, 'shared.caseboard.enc'), { passphrase: PASSPHRASE });
    } finally {
      db.close();
    }
    expect(decryptCaseFile(path.join(work, 'shared.caseboard.enc'), path.join(work, 'back.caseboard'), PASSPHRASE).integrity).toBe('ok');
  }, 30_000);

  it.each(Object.entries(HOSTILE_ENCRYPTED))('refuses %s at once, before deriving any key', (_name, bytes) => {
    const work = tempDir();
    const file = path.join(work, 'hostile.caseboard.enc');
    writeFileSync(file, bytes);
    const started = performance.now();
    let error: unknown;
    try {
      decryptFile(file, path.join(work, 'out.caseboard'), PASSPHRASE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CaseboardError);
    expect((error as CaseboardError).code).toBe('not_a_case_file');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it(`${ENCRYPTED_MUTATIONS} mutated encrypted files: every one refused cleanly, no crash, no hang, no output left`, async () => {
    const work = tempDir('caseboard-enc-fuzz-');
    const random = seededRandom(SEED);
    const files: string[] = [];
    const described = new Map<string, string>();
    for (let i = 0; i < ENCRYPTED_MUTATIONS; i += 1) {
      const { bytes, what } = mutateEncrypted(encrypted, random);
      if (bytes.equals(encrypted)) continue;
      const file = path.join(work, `mutant-${i}.caseboard.enc`);
      writeFileSync(file, bytes);
      files.push(file);
      described.set(file, what);
    }
    const started = Date.now();
    const results = await probeFiles('decrypt', files, path.join(work, 'list.txt'), { passphrase: PASSPHRASE });
    const notRefused = results.filter((r) => r.outcome !== 'refused').map((r) => `${r.outcome} on ${described.get(r.file)}: ${r.detail}`);
    recordFigures('fuzz-encrypted', { seed: SEED, files: results.length, refused: results.length - notRefused.length, seconds: Math.round((Date.now() - started) / 100) / 10 });
    expect(notRefused).toEqual([]);
    expect(results).toHaveLength(files.length);
    for (const file of files) expect(() => readFileSync(`${file}.decrypted`)).toThrow();
  }, LONG_TIMEOUT);
});

describe('caseboard check on damaged files', () => {
  it(`${CHECK_MUTATIONS} mutated files, plain and encrypted: a report or a clean refusal, never a crash or a hang`, async () => {
    const work = tempDir('caseboard-check-fuzz-');
    const random = seededRandom(SEED + 1);
    const plainFiles: string[] = [];
    const encryptedFiles: string[] = [];
    for (let i = 0; i < CHECK_MUTATIONS; i += 1) {
      const isEncrypted = i % 3 === 0;
      const { bytes } = isEncrypted ? mutateEncrypted(encrypted, random) : mutate(plain, random, 4096);
      const file = path.join(work, `mutant-${i}.caseboard${isEncrypted ? '.enc' : ''}`);
      writeFileSync(file, bytes);
      (isEncrypted ? encryptedFiles : plainFiles).push(file);
    }
    const started = Date.now();
    const results = [...(await probeFiles('check', plainFiles, path.join(work, 'plain.txt'))), ...(await probeFiles('check', encryptedFiles, path.join(work, 'enc.txt'), { passphrase: PASSPHRASE }))];
    const bad = results.filter((r) => r.outcome !== 'opened' && r.outcome !== 'refused').map((r) => `${r.outcome} on ${path.basename(r.file)}: ${r.detail}`);
    const healthy = results.filter((r) => r.outcome === 'opened' && r.detail === 'ok 0').length;

    // And the real command on a sample: exit 0 (healthy) or 2 (damaged or refused), one sentence, no stack trace.
    const exits: Record<string, number> = {};
    const cliProblems: string[] = [];
    for (const file of results.filter((_, i) => i % Math.max(1, Math.floor(results.length / CLI_RUNS)) === 0).slice(0, CLI_RUNS).map((r) => r.file)) {
      const run = await runToEnd(process.execPath, [cliPath, 'check', file], 30_000, { ...process.env, CASEBOARD_PASSPHRASE: PASSPHRASE });
      exits[String(run.code)] = (exits[String(run.code)] ?? 0) + 1;
      if (run.signal || run.timedOut || (run.code !== 0 && run.code !== 2)) cliProblems.push(`${path.basename(file)}: exit ${run.code ?? run.signal} ${run.stderr.slice(0, 200)}`);
      if (/\n\s+at |SqliteError/.test(run.stderr)) cliProblems.push(`${path.basename(file)}: a stack trace on stderr`);
    }
    recordFigures('fuzz-check', { seed: SEED + 1, files: results.length, healthy, refusedOrDamaged: results.length - healthy, cliRuns: Object.values(exits).reduce((a, b) => a + b, 0), cliExitCodes: exits, seconds: Math.round((Date.now() - started) / 100) / 10 });
    expect(bad).toEqual([]);
    expect(cliProblems).toEqual([]);
    expect(results).toHaveLength(CHECK_MUTATIONS);
  }, LONG_TIMEOUT);
});
