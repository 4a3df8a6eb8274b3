import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JsonAnswer } from '../../db/core/json-answer';
import { fileNameForTitle, Workspace } from '../../db/host/workspace';
import type { CaseDetails } from '../../shared/schemas';
import { distDir, tempDir } from '../helpers/temp';

// Every worker thread the workspace starts, so tests can see how many there are and whether they still run.
const workers = vi.hoisted(() => [] as NodeWorker[]);
vi.mock('node:worker_threads', async (importOriginal) => (await import('../helpers/worker-threads')).trackingWorkers(await importOriginal(), workers));

const workerPath = path.join(distDir, 'db-worker.cjs');
const live: Workspace[] = [];

beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error('dist/db-worker.cjs is missing; run "npm run build" first.');
});

afterEach(async () => {
  while (live.length) await live.pop()?.dispose();
  workers.length = 0;
});

function workspace(dataDir = tempDir()): Workspace {
  const ws = new Workspace({ door: 'browser', workerPath, dataDir });
  live.push(ws);
  return ws;
}

const rferl = { kind: 'article', title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows", reliability: 'B', language: 'en' };

describe('file names for new cases', () => {
  it('keeps letters of any script and dashes the rest', () => {
    expect(fileNameForTitle('My first case')).toBe('My-first-case.caseboard');
    expect(fileNameForTitle('哈尔滨工业大学 / HIT')).toBe('哈尔滨工业大学-HIT.caseboard');
    expect(fileNameForTitle('../../etc/passwd')).toBe('etc-passwd.caseboard');
    expect(fileNameForTitle('***')).toBe('case.caseboard');
  });
});

describe('new, open and close', () => {
  it('creates a case at a given path, opens it and lists it as recent', async () => {
    const dataDir = tempDir();
    const ws = workspace(dataDir);
    const file = path.join(tempDir(), 'beihang.caseboard');
    const details = await ws.newCase(file, 'Beihang and MAI', 'SENSITIVE');
    expect(existsSync(file)).toBe(true);
    expect(details).toMatchObject({ title: 'Beihang and MAI', marking: 'SENSITIVE', path: file, fileName: 'beihang.caseboard' });
    expect(ws.currentCase).toEqual(details);
    const state = ws.appState();
    expect(state).toMatchObject({ door: 'browser', case: details, casesFolder: path.join(dataDir, 'cases') });
    expect(state.recent.map((r) => [r.path, r.title])).toEqual([[file, 'Beihang and MAI']]);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).lastCase).toBe(file);
  });

  it('puts a case given only a name, or no name, in the cases folder', async () => {
    const dataDir = tempDir();
    const ws = workspace(dataDir);
    const named = await ws.call('app.newCase', { path: 'hit', title: 'Harbin Institute of Technology' });
    expect(named.path).toBe(path.join(dataDir, 'cases', 'hit.caseboard'));
    const untitled = await ws.call('app.newCase', { title: '哈尔滨工业大学' });
    expect(untitled.path).toBe(path.join(dataDir, 'cases', '哈尔滨工业大学.caseboard'));
    const again = await ws.call('app.newCase', { title: '哈尔滨工业大学' });
    expect(again.path).toBe(path.join(dataDir, 'cases', '哈尔滨工业大学-2.caseboard'));
    expect(again.caseId).not.toBe(untitled.caseId);
  });

  it('switches cases and keeps the recent list newest first, without duplicates', async () => {
    const ws = workspace();
    const dir = tempDir();
    const a = await ws.newCase(path.join(dir, 'a.caseboard'), 'Case A');
    const b = await ws.newCase(path.join(dir, 'b.caseboard'), 'Case B');
    expect((await ws.call('case.get', {})).caseId).toBe(b.caseId);
    const reopened = await ws.call('app.openCase', { path: a.path });
    expect(reopened.caseId).toBe(a.caseId);
    expect((await ws.call('case.get', {})).caseId).toBe(a.caseId);
    expect((await ws.call('app.state', {})).recent.map((r) => r.title)).toEqual(['Case A', 'Case B']);
  });

  it('closes the case: operations then answer no_case_open', async () => {
    const dataDir = tempDir();
    const ws = workspace(dataDir);
    const file = path.join(tempDir(), 'c.caseboard');
    await ws.newCase(file, 'Case C');
    await ws.call('sources.create', rferl);
    expect(await ws.call('app.closeCase', {})).toBeNull();
    expect(ws.currentCase).toBeNull();
    expect(ws.appState().case).toBeNull();
    await expect(ws.call('case.get', {})).rejects.toMatchObject({ code: 'no_case_open' });
    await expect(ws.call('sources.page', { startRow: 0, endRow: 10 })).rejects.toMatchObject({ code: 'no_case_open' });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).lastCase).toBeNull();
    // Closing checkpoints the write-ahead log and releases the file.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('answers no_case_open before any case was opened', async () => {
    const ws = workspace();
    await expect(ws.call('case.info', {})).rejects.toMatchObject({ code: 'no_case_open' });
    await expect(ws.call('app.saveCopy', { path: path.join(tempDir(), 'copy.caseboard') })).rejects.toMatchObject({ code: 'no_case_open' });
  });

  it('keeps reading and writing a case whose folder was moved away while it was open', async () => {
    const ws = workspace();
    const folder = path.join(tempDir(), 'stick');
    const file = path.join(folder, 'moved.caseboard');
    mkdirSync(folder);
    await ws.newCase(file, 'On a stick');
    await ws.call('sources.create', rferl);
    renameSync(folder, `${folder}-moved`);
    const overview = await ws.call('case.overview', {});
    expect(overview.totals.sources).toBe(1);
    await ws.call('sources.create', { ...rferl, title: 'A second report' });
    expect((await ws.call('case.overview', {})).totals.sources).toBe(2);
  });

  it('keeps the open case when opening a file that is not a case file', async () => {
    const ws = workspace();
    const dir = tempDir();
    const good = await ws.newCase(path.join(dir, 'good.caseboard'), 'Good case');
    const text = path.join(dir, 'notes.caseboard');
    writeFileSync(text, 'not a case file\n'.repeat(100));
    await expect(ws.call('app.openCase', { path: text })).rejects.toMatchObject({ code: 'not_a_case_file' });
    await expect(ws.call('app.openCase', { path: path.join(dir, 'missing.caseboard') })).rejects.toMatchObject({ code: 'not_a_case_file' });
    expect(ws.currentCase?.caseId).toBe(good.caseId);
    expect((await ws.call('case.get', {})).caseId).toBe(good.caseId);
  });

  it('runs case operations against the open case and tells listeners about title changes', async () => {
    const ws = workspace();
    await ws.newCase(path.join(tempDir(), 'ops.caseboard'), 'Ops');
    const seen: (string | null)[] = [];
    ws.onCaseChanged((d: CaseDetails | null) => seen.push(d?.title ?? null));
    const source = await ws.call('sources.create', rferl);
    expect((await ws.call('sources.get', { id: source.id })).title).toBe(rferl.title);
    expect((await ws.call('sources.page', { startRow: 0, endRow: 10 })).total).toBe(1);
    await ws.call('case.update', { title: 'Renamed' });
    expect(ws.currentCase?.title).toBe('Renamed');
    const info = await ws.call('case.info', { full: true });
    expect(info).toMatchObject({ title: 'Renamed', integrity: 'ok', counts: { sources: 1, auditEvents: 2 } });
    await ws.closeCase();
    expect(seen).toEqual(['Renamed', null]);
  });

  it('answers the graph as JSON text from the database thread to a door that keeps it, and as the value to any other caller', async () => {
    const ws = workspace();
    await ws.newCase(path.join(tempDir(), 'graph.caseboard'), 'Graph');
    const a = await ws.call('entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', aliases: [{ name: '哈尔滨工业大学', language: 'zh' }] } });
    const b = await ws.call('entities.create', { fields: { type: 'organisation', name: 'Bauman Moscow State Technical University', aliases: [{ name: 'МГТУ им. Н. Э. Баумана', language: 'ru' }] } });
    await ws.call('links.create', { fields: { fromId: a.id, toId: b.id, type: 'cooperation agreement' } });
    const value = await ws.call('graph.load', {});
    expect(value.nodes.aliases).toEqual(expect.arrayContaining(['哈尔滨工业大学', 'МГТУ им. Н. Э. Баумана']));
    expect(value.edges.ids).toHaveLength(1);
    const kept = await ws.callKeepingJson('graph.load', {});
    expect(kept).toBeInstanceOf(JsonAnswer);
    expect(JSON.parse((kept as JsonAnswer).text)).toEqual(value);
    // Other answers stay values.
    expect(await ws.callKeepingJson('entities.get', { id: a.id })).toMatchObject({ name: 'Harbin Institute of Technology' });
  });

  it('saves a copy only to a full path', async () => {
    const ws = workspace();
    const dir = tempDir();
    await ws.newCase(path.join(dir, 'orig.caseboard'), 'Original');
    await expect(ws.call('app.saveCopy', { path: 'relative.caseboard' })).rejects.toMatchObject({ code: 'invalid_input' });
    const copy = path.join(dir, 'copy.caseboard');
    expect(await ws.call('app.saveCopy', { path: copy })).toEqual({ path: copy });
    expect((await ws.call('app.openCase', { path: copy })).title).toBe('Original');
  });
});

describe('input validation', () => {
  it('refuses bad input with invalid_input and field issues, before a worker is even started', async () => {
    const ws = workspace();
    // No case is open: if the input reached the worker, the answer would be no_case_open.
    await expect(ws.call('sources.create', { ...rferl, reliability: 'G', url: 'javascript:alert(1)' })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [
        { path: 'url', message: expect.any(String) },
        { path: 'reliability', message: expect.any(String) },
      ],
    });
    await expect(ws.call('sources.page', { startRow: 5, endRow: 5 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ws.call('app.newCase', { title: '' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ws.call('app.openCase', {})).rejects.toMatchObject({ code: 'invalid_input' });
    expect(workers).toHaveLength(0);
  });

  it('validates in the workspace even with a case open', async () => {
    const ws = workspace();
    await ws.newCase(path.join(tempDir(), 'v.caseboard'), 'V');
    await expect(ws.call('sources.delete', { id: 'not-an-id' })).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: 'id' }] });
    expect((await ws.call('case.info', {})).counts.auditEvents).toBe(0);
  });
});

describe('first start and the next start', () => {
  it('creates "My first case" in the cases folder on first start, and reopens the last case next time', async () => {
    const dataDir = tempDir();
    const first = workspace(dataDir);
    const created = await first.openInitial();
    expect(created.title).toBe('My first case');
    expect(created.path).toBe(path.join(dataDir, 'cases', 'My-first-case.caseboard'));
    expect(existsSync(created.path)).toBe(true);
    await first.call('sources.create', rferl);
    await first.dispose();

    const second = workspace(dataDir);
    const reopened = await second.openInitial();
    expect(reopened.caseId).toBe(created.caseId);
    expect((await second.call('sources.page', { startRow: 0, endRow: 10 })).total).toBe(1);
  });

  it('reopens the case the user switched to last, not the first one', async () => {
    const dataDir = tempDir();
    const first = workspace(dataDir);
    await first.openInitial();
    const other = await first.newCase(path.join(tempDir(), 'other.caseboard'), 'Other');
    await first.dispose();
    expect((await workspace(dataDir).openInitial()).caseId).toBe(other.caseId);
  });

  it('starts a new case and forgets the last one when it has gone missing', async () => {
    const dataDir = tempDir();
    const first = workspace(dataDir);
    const gone = await first.newCase(path.join(tempDir(), 'gone.caseboard'), 'Gone');
    await first.dispose();
    rmSync(gone.path);
    const second = workspace(dataDir);
    const fresh = await second.openInitial();
    expect(fresh.title).toBe('My first case');
    expect(second.appState().recent.map((r) => r.path)).toEqual([fresh.path]);
  });

  it('starts a new case when the last one is no longer a case file', async () => {
    const dataDir = tempDir();
    const first = workspace(dataDir);
    const broken = await first.newCase(path.join(tempDir(), 'broken.caseboard'), 'Broken');
    await first.dispose();
    writeFileSync(broken.path, 'overwritten by something else');
    const fresh = await workspace(dataDir).openInitial();
    expect(fresh.title).toBe('My first case');
    expect(readFileSync(broken.path, 'utf8')).toBe('overwritten by something else');
  });
});

describe('the database worker', () => {
  it('runs every operation in two worker threads, the writer and the reader; the main thread never loads the SQLite binding', async () => {
    const ws = workspace();
    await ws.newCase(path.join(tempDir(), 'w.caseboard'), 'Worker');
    for (let i = 0; i < 5; i += 1) await ws.call('sources.create', { ...rferl, title: `Source ${i}` });
    // Opening a case starts the read worker beside the writer; every read reuses it.
    await ws.call('sources.page', { startRow: 0, endRow: 100, sort: [{ colId: 'title', sort: 'desc' }] });
    await ws.call('case.info', {});
    await ws.call('case.overview', {});
    expect(workers).toHaveLength(2);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.filter((key) => /better_sqlite3\.node$/.test(key))).toEqual([]);
  });

  it('writes to the case file while the main thread is blocked, so SQL is not running on the main thread', async () => {
    const ws = workspace();
    const file = path.join(tempDir(), 'busy.caseboard');
    await ws.newCase(file, 'Busy');
    const walState = () => {
      if (!existsSync(`${file}-wal`)) return 'none';
      const stat = statSync(`${file}-wal`);
      return `${stat.size}:${stat.mtimeMs}`;
    };
    const pending = Array.from({ length: 300 }, (_, i) => ws.call('sources.create', { ...rferl, title: `Busy ${i}` }));
    const startedAt = walState();
    let changesWhileBlocked = 0;
    let last = startedAt;
    const until = Date.now() + 1000;
    // Block the main thread: no callback, promise or message handler of this thread can run here.
    while (Date.now() < until) {
      const now = walState();
      if (now !== last) changesWhileBlocked += 1;
      last = now;
    }
    expect(changesWhileBlocked).toBeGreaterThan(0);
    await Promise.all(pending);
    expect((await ws.call('sources.page', { startRow: 0, endRow: 1000 })).total).toBe(300);
  });

  it('answers a read sent right after changes, before they were answered, with the changes in it', async () => {
    const ws = workspace();
    await ws.newCase(path.join(tempDir(), 'order.caseboard'), 'Order');
    const renamed = ws.call('case.update', { title: 'Beihang and MAI' });
    const read = ws.call('case.get', {});
    const created = Array.from({ length: 20 }, (_, i) => ws.call('sources.create', { ...rferl, title: `Source ${i}` }));
    const page = ws.call('sources.page', { startRow: 0, endRow: 100 });
    expect((await read).title).toBe('Beihang and MAI');
    expect((await page).total).toBe(20);
    await Promise.all([renamed, ...created]);
  });

  it('dispose closes the case file and terminates the worker threads', async () => {
    const ws = workspace();
    const file = path.join(tempDir(), 'd.caseboard');
    await ws.newCase(file, 'Dispose');
    await ws.call('sources.create', rferl);
    expect((await ws.call('sources.page', { startRow: 0, endRow: 10 })).total).toBe(1);
    expect(workers).toHaveLength(2);
    expect(workers.every((worker) => worker.threadId > 0)).toBe(true);
    const exited = Promise.all(workers.map((worker) => new Promise<number>((resolve) => worker.once('exit', resolve))));
    await ws.dispose();
    await exited;
    expect(workers.map((worker) => worker.threadId)).toEqual([-1, -1]);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('the binding check above would notice SQLite loaded on the main thread', async () => {
    const Database = (await import('better-sqlite3')).default;
    new Database(':memory:').close();
    expect(Object.keys(createRequire(import.meta.url).cache).some((key) => key.endsWith('better_sqlite3.node'))).toBe(true);
  });
});
