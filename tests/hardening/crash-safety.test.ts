import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { cliPath, tempDir } from '../helpers/temp';
import { childScript, SOAK } from './support/child-bundle';
import { AcknowledgedState, checkAfterKill, type WriterLine } from './support/crash-model';
import { below, seededRandom } from './support/random';
import { recordFigures } from './support/figures';

const KILLS = SOAK ? 2000 : 200;
// Four writers at once: starting node dominates a cycle, and on a busy machine more lanes get a fairer share of it.
const LANES = 4;
// Generous: on a busy machine a cycle takes longer, and the run must still reach its number of kills.
const TIME_BUDGET_MS = SOAK ? 30 * 60_000 : 600_000;
const CLI_KILLS = SOAK ? 100 : 12;

interface LaneFigures {
  kills: number;
  killedAfterReady: number;
  acknowledged: number;
  inFlightAtKill: Record<string, number>;
  problems: string[];
}

function importFolder(dir: string, lane: number): string {
  const folder = path.join(dir, 'to-import');
  mkdirSync(folder);
  for (let i = 0; i < 6; i += 1) {
    // Different sizes, some spanning many pages, so a kill can land in the middle of writing one.
    writeFileSync(path.join(folder, `note-${lane}-${i}.txt`), `Lane ${lane} file ${i}\n${'Московский авиационный институт, drones and aero-engines. '.repeat(50 + i * 400)}`);
  }
  return folder;
}

/** The lines the writer logged; a line cut short by the kill was never acknowledged, so it is dropped. */
function readLog(logFile: string): WriterLine[] {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  rmSync(logFile, { force: true });
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter(Boolean).map((line) => JSON.parse(line) as WriterLine);
}

/** One cycle: start the writer, kill it at a random moment, collect every line it logged. */
function killOnce(script: string, caseFile: string, seed: number, folder: string, random: () => number): Promise<{ lines: WriterLine[]; signal: NodeJS.Signals | null; ready: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const logFile = `${caseFile}.writer-log`;
    rmSync(logFile, { force: true });
    const child = spawn(process.execPath, [script, caseFile, String(seed), folder, logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let ready = false;
    const kill = () => child.kill('SIGKILL');
    // Mostly in the middle of editing; sometimes while it opens (and recovers) the case file.
    const duringOpen = random() < 0.2;
    const openTimer = duringOpen ? setTimeout(kill, below(random, 400)) : undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (text === 'ready' && !ready) {
        ready = true;
        if (!duringOpen) setTimeout(kill, 5 + below(random, 150));
      }
    });
    // A writer that never gets ready is killed too, and the failure shows in its stderr.
    const guard = setTimeout(kill, 15_000);
    child.once('close', (_code, signal) => {
      clearTimeout(guard);
      if (openTimer) clearTimeout(openTimer);
      const lines = readLog(logFile);
      resolve({ lines, signal, ready: ready || lines.some((line) => line.kind === 'ready'), stderr });
    });
  });
}

async function runLane(lane: number, kills: number, deadline: number): Promise<LaneFigures> {
  const script = await childScript('crash-writer');
  const dir = tempDir(`caseboard-crash-${lane}-`);
  const caseFile = path.join(dir, 'crash.caseboard');
  createCaseFile(caseFile, { title: `Crash lane ${lane}` }).close();
  const folder = importFolder(dir, lane);
  const random = seededRandom(0xc0ffee + lane);
  const state = new AcknowledgedState();
  const figures: LaneFigures = { kills: 0, killedAfterReady: 0, acknowledged: 0, inFlightAtKill: {}, problems: [] };
  for (let cycle = 0; cycle < kills && Date.now() < deadline && figures.problems.length === 0; cycle += 1) {
    const seed = lane * 1_000_000 + cycle;
    const { lines, signal, ready, stderr } = await killOnce(script, caseFile, seed, folder, random);
    if (signal !== 'SIGKILL') {
      figures.problems.push(`cycle ${cycle} (seed ${seed}): the writer ended by itself (${signal ?? 'exit'}): ${stderr.slice(0, 500)}`);
      break;
    }
    figures.kills += 1;
    if (ready) figures.killedAfterReady += 1;
    for (const line of lines) state.apply(line);
    const last = lines.at(-1);
    const inFlight = last?.kind === 'begin' ? last : undefined;
    const where = inFlight ? inFlight.op : ready ? 'between changes' : 'while opening';
    figures.inFlightAtKill[where] = (figures.inFlightAtKill[where] ?? 0) + 1;
    // The user's way back in: the killed file must open as a healthy case file.
    let db;
    try {
      db = openCaseFile(caseFile);
    } catch (error) {
      figures.problems.push(`cycle ${cycle} (seed ${seed}): the case file no longer opens: ${(error as Error).message}`);
      break;
    }
    try {
      // A delete in flight may have committed: take the file's word for it first, then check everything else.
      state.settle(inFlight, db);
      for (const problem of checkAfterKill(db, state, inFlight)) figures.problems.push(`cycle ${cycle} (seed ${seed}, killed during ${where}): ${problem}`);
    } finally {
      db.close();
    }
  }
  figures.acknowledged = state.acknowledged;
  return figures;
}

describe('a writer killed with SIGKILL at random moments', () => {
  it(
    `leaves a healthy case file holding every acknowledged change, ${KILLS} kills`,
    async () => {
      const started = Date.now();
      const deadline = started + TIME_BUDGET_MS;
      const lanes = await Promise.all(Array.from({ length: LANES }, (_, lane) => runLane(lane, Math.ceil(KILLS / LANES), deadline)));
      const total = (key: 'kills' | 'killedAfterReady' | 'acknowledged') => lanes.reduce((sum, lane) => sum + lane[key], 0);
      const inFlight: Record<string, number> = {};
      for (const lane of lanes) for (const [where, n] of Object.entries(lane.inFlightAtKill)) inFlight[where] = (inFlight[where] ?? 0) + n;
      const figures = { kills: total('kills'), killedWhileEditing: total('killedAfterReady'), acknowledgedChanges: total('acknowledged'), killedDuring: inFlight, seconds: Math.round((Date.now() - started) / 100) / 10 };
      recordFigures('crash-safety', figures);
      expect(lanes.flatMap((lane) => lane.problems)).toEqual([]);
      expect(figures.kills).toBeGreaterThanOrEqual(KILLS);
      // The kills must land where it matters: in the middle of changes, batches and imports.
      for (const op of ['create', 'update', 'batch']) expect(inFlight[op] ?? 0, `kills during ${op}`).toBeGreaterThan(0);
    },
    TIME_BUDGET_MS + 60_000,
  );
});

describe('caseboard import killed with SIGKILL', () => {
  it(`leaves every imported file whole or absent, ${CLI_KILLS} kills`, async () => {
    const dir = tempDir('caseboard-crash-import-');
    const caseFile = path.join(dir, 'import.caseboard');
    createCaseFile(caseFile, { title: 'Import crash' }).close();
    const folder = importFolder(dir, 9);
    const files = Array.from({ length: 6 }, (_, i) => path.join(folder, `note-9-${i}.txt`));
    const random = seededRandom(0x1badb002);
    const problems: string[] = [];
    let kills = 0;
    let completed = 0;
    for (let cycle = 0; cycle < CLI_KILLS && problems.length === 0; cycle += 1) {
      const outcome = await new Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cliPath, 'import', caseFile, ...files], { env: { ...process.env, CASEBOARD_HOME: dir, CASEBOARD_DEBUG: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        // Early enough that most runs die mid-import even on an idle machine, late enough that some get past opening.
        const timer = setTimeout(() => child.kill('SIGKILL'), 150 + below(random, 650));
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stderr });
        });
      });
      if (outcome.signal === 'SIGKILL') kills += 1;
      else if (outcome.code === 0) completed += 1;
      else problems.push(`cycle ${cycle}: caseboard import failed with exit code ${outcome.code}: ${outcome.stderr.slice(0, 1500)}`);
      const db = openCaseFile(caseFile);
      try {
        const problemsHere = checkAfterKill(db, new AcknowledgedState(), undefined);
        // An import makes a source and attaches the file in one transaction: never one without the other.
        const orphans = db.prepare('SELECT count(*) AS n FROM sources s WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.source_id = s.id)').get() as { n: number };
        if (orphans.n > 0) problemsHere.push(`${orphans.n} imported sources have no attachment`);
        const distinct = (db.prepare('SELECT count(DISTINCT sha256) AS n FROM attachments').get() as { n: number }).n;
        if (outcome.code === 0 && distinct !== files.length) problemsHere.push(`a finished import left ${distinct} of ${files.length} files in the case`);
        problems.push(...problemsHere.map((p) => `cycle ${cycle}: ${p}`));
      } finally {
        db.close();
      }
    }
    recordFigures('crash-import', { kills, completedRuns: completed });
    expect(problems).toEqual([]);
    expect(kills).toBeGreaterThan(0);
  }, 180_000);
});

describe('the checks after a kill', () => {
  it('do report a half batch, a lost acknowledged change and a change without its audit event', () => {
    const file = path.join(tempDir(), 'broken.caseboard');
    const db = createCaseFile(file, { title: 'Broken on purpose' });
    try {
      const insert = db.prepare("INSERT INTO sources (id, kind, title, reliability, notes, created_at, updated_at) VALUES (?, 'article', ?, 'B', '0', 'x', 'x')");
      insert.run('01900000-0000-7000-8000-000000000001', 'batch 7-1 1/3');
      insert.run('01900000-0000-7000-8000-000000000002', 'batch 7-1 2/3');
      const state = new AcknowledgedState();
      state.apply({ kind: 'ack', op: 'create', ids: ['01900000-0000-7000-8000-000000000009'] });
      const problems = checkAfterKill(db, state, undefined).join('\n');
      expect(problems).toMatch(/batch 7-1 is partly in the file: 2 of 3/);
      expect(problems).toMatch(/acknowledged source 01900000-0000-7000-8000-000000000009 is missing/);
      expect(problems).toMatch(/2 sources have no audit event/);
    } finally {
      db.close();
    }
  });
});
