import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { runCaseOperation, runCaseOperationAsync, type CaseOperationName } from '../../db/host/operations';
import { openVerifiedCaseForReading } from '../../db/host/read-connection';
import { READS_KEPT_ON_WRITER, runsOnReadWorker } from '../../db/host/read-operations';
import { createSampleCase } from '../../db/host/sample-case';
import { Workspace } from '../../db/host/workspace';
import { contract, type Progress } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import { OPERATION_NAMES } from '../../shared/operation-names';
import { fillCase } from '../helpers/bulk';
import { distDir, tempDir } from '../helpers/temp';

// Every worker thread a workspace starts, so a test can see a read worker given up on and replaced.
const workers = vi.hoisted(() => [] as NodeWorker[]);
vi.mock('node:worker_threads', async (importOriginal) => (await import('../helpers/worker-threads')).trackingWorkers(await importOriginal(), workers));

const workerPath = path.join(distDir, 'db-worker.cjs');
const live: Workspace[] = [];
const ctx = { actor: 'Analyst', progress: () => undefined, throwIfCancelled: () => undefined };

afterEach(async () => {
  while (live.length) await live.pop()?.dispose();
  workers.length = 0;
});

function workspace(readTimeLimitMs: number): Workspace {
  const ws = new Workspace({ door: 'browser', workerPath, dataDir: tempDir(), readTimeLimitMs });
  live.push(ws);
  return ws;
}

/** Settles with the answer or the error, and when it came, in ms after `since`. */
function timed<T>(call: Promise<T>, since: number): Promise<{ value?: T; error?: unknown; at: number }> {
  return call.then(
    (value) => ({ value, at: Date.now() - since }),
    (error: unknown) => ({ error, at: Date.now() - since }),
  );
}

describe('reads beside the writer on a large case', () => {
  const ENTITIES = 200_000;
  // Column filters no index answers, on columns each gathered per entity from another table (aliases, sanctions), then sorted by them:
  // every one of the 200,000 entities has its aliases and sanctions gathered and tested ten times over, for the page and again for its total.
  const contains = (...words: string[]) => ({ filterType: 'text' as const, operator: 'AND' as const, conditions: words.map((filter) => ({ filterType: 'text' as const, type: 'contains' as const, filter })) });
  const lacks = (...words: string[]) => ({ filterType: 'text' as const, operator: 'AND' as const, conditions: words.map((filter) => ({ filterType: 'text' as const, type: 'notContains' as const, filter })) });
  const RUNAWAY = {
    startRow: 0,
    endRow: 100,
    sort: [
      { colId: 'aliases', sort: 'desc' as const },
      { colId: 'sanctions', sort: 'asc' as const },
    ],
    filter: { aliases: contains('Инст', 'нсти', 'стит', 'титу', 'итут'), sanctions: lacks('OFAC', 'EU', 'UK', 'UN', 'MOFCOM') },
  };
  /** How long the runaway read takes when nothing gives it up, measured on this machine. */
  let runawayAlone = 0;
  // Built once for the tests below (each works on a copy), in a folder of its own: tempDir() folders go after each test.
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-large-'));
  const largeCase = path.join(folder, 'large.caseboard');

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  beforeAll(() => {
    if (!existsSync(workerPath)) throw new Error('dist/db-worker.cjs is missing; run "npm run build" first.');
    const db = createCaseFile(largeCase, { title: 'Large received case' });
    fillCase(db, ENTITIES, 0);
    db.close();
    const reader = openCaseFile(largeCase);
    const started = Date.now();
    runCaseOperation(reader, 'entities.page', RUNAWAY, ctx);
    runawayAlone = Date.now() - started;
    reader.close();
  }, 180_000);

  function copyOfLargeCase(): string {
    const file = path.join(tempDir(), 'working.caseboard');
    copyFileSync(largeCase, file);
    return file;
  }

  it('never cuts off a long integrity check or import, and answers reads beside the check', async () => {
    // A limit the reads of this test stay well under, and every long operation below passes.
    const LIMIT = 1000;
    const ws = workspace(LIMIT);
    await ws.openCase(copyOfLargeCase());

    const start = Date.now();
    const check = timed(ws.call('case.info', { full: true }), start);
    const read = await timed(ws.call('case.get', {}), start);
    const checked = await check;
    expect(checked.error).toBeUndefined();
    expect(checked.value).toMatchObject({ integrity: 'ok', counts: { entities: ENTITIES } });
    expect(checked.at).toBeGreaterThan(LIMIT);
    // The read did not wait for the check to end.
    expect(read.value).toMatchObject({ title: 'Large received case' });
    expect(read.at).toBeLessThan(checked.at);

    const rows = Array.from({ length: 30_000 }, (_, i) => `Научно-исследовательский институт ${i},organisation,RU,НИИ ${i}`);
    const progress: Progress[] = [];
    const importStart = Date.now();
    const imported = await ws.call('exchange.importCsv', { text: `name,type,country,aliases\n${rows.join('\n')}\n`, kind: 'entities', map: { name: 'name', type: 'type', country: 'country', aliases: 'aliases' } }, { onProgress: (p) => progress.push(p) });
    const importTook = Date.now() - importStart;
    expect(imported).toMatchObject({ total: 30_000, imported: 30_000, errors: [] });
    expect(importTook).toBeGreaterThan(LIMIT);
    expect(progress.length).toBeGreaterThan(1);
    // Reads after the import see all of it.
    expect((await ws.call('entities.page', { startRow: 0, endRow: 1 })).total).toBe(ENTITIES + 30_000);
    console.info(`integrity check ${checked.at} ms (a read beside it answered at ${read.at} ms); import of 30,000 rows ${importTook} ms with ${progress.length} progress reports; limit ${LIMIT} ms`);
  });

  it('gives up on a runaway read after the limit, answers the operations sent meanwhile, and reads on a fresh reader see the latest writes', async () => {
    // A third of what the runaway takes alone on this machine (so it runs well past the limit), between 0.8 and 2 s.
    const LIMIT = Math.min(2000, Math.max(800, Math.floor(runawayAlone / 300) * 100));
    expect(runawayAlone, 'the runaway read must run well past the limit on its own').toBeGreaterThan(LIMIT * 2);
    const ws = workspace(LIMIT);
    await ws.openCase(copyOfLargeCase());
    expect((await ws.call('entities.page', { startRow: 0, endRow: 10 })).total).toBe(ENTITIES);
    const threadsBefore = workers.length;
    const firstReader = workers[1];
    const start = Date.now();
    let abandonedEndedAt = 0;
    firstReader?.once('exit', () => {
      abandonedEndedAt = Date.now() - start;
    });

    const runaway = timed(ws.call('entities.page', RUNAWAY), start);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A write sent while the runaway read runs completes on the writer beside it.
    const write = await timed(
      ws.call('entities.create', { fields: { type: 'organisation', name: 'Central Aerohydrodynamic Institute', country: 'RU', aliases: [{ name: 'ЦАГИ', language: 'ru' }] } }),
      start,
    );
    expect(write.error).toBeUndefined();
    expect(write.at).toBeLessThan(LIMIT);
    // A read sent while the runaway runs is answered once it is given up, on a fresh reader, and sees the write.
    const read = await timed(ws.call('entities.get', { id: write.value?.id ?? '' }), start);
    const stopped = await runaway;

    expect(stopped.error).toBeInstanceOf(CaseboardError);
    expect(stopped.error).toMatchObject({ code: 'timed_out', message: expect.stringMatching(/^Reading this from the case file took longer than [\d.]+ (seconds?|milliseconds), so Caseboard stopped waiting for it; [^.]+\.$/) });
    expect(stopped.at).toBeGreaterThanOrEqual(LIMIT);
    expect(stopped.at).toBeLessThan(LIMIT + 1500);
    expect(read.value).toMatchObject({ name: 'Central Aerohydrodynamic Institute', aliases: [expect.objectContaining({ name: 'ЦАГИ' })] });
    // Well before the runaway would have ended on its own.
    expect(read.at).toBeLessThan(Math.max(runawayAlone - 1000, LIMIT + 1000));

    // The reader given up on is replaced; later reads run on the new one and see the latest writes.
    expect(threadsBefore).toBe(2);
    expect(workers).toHaveLength(3);
    const renamed = await ws.call('case.update', { title: 'Large received case, checked' });
    expect(renamed.title).toBe('Large received case, checked');
    expect(await ws.call('case.get', {})).toMatchObject({ title: 'Large received case, checked' });
    expect((await ws.call('entities.page', { startRow: 0, endRow: 1 })).total).toBe(ENTITIES + 1);
    expect(workers).toHaveLength(3);

    // The runaway's thread ends on its own once its statement returns: nothing is left running.
    await vi.waitFor(() => expect(abandonedEndedAt).toBeGreaterThan(0), { timeout: 30_000, interval: 100 });
    console.info(`runaway read given up at ${stopped.at} ms (limit ${LIMIT} ms); a write sent during it done at ${write.at} ms; a read sent during it answered at ${read.at} ms; the abandoned thread ended at ${abandonedEndedAt} ms; the same read alone takes ${runawayAlone} ms`);
  }, 60_000);
});

describe('the read worker', () => {
  /** A case with one item of every kind, open in a writer as the app has it, and the read connection beside it. */
  function sampleCase(): { writer: CaseDb; reader: CaseDb } {
    const file = path.join(tempDir(), 'sample.caseboard');
    createSampleCase(file).close();
    const writer = openCaseFile(file);
    return { writer, reader: openVerifiedCaseForReading(file) };
  }

  it('runs the reads the user waits on, and keeps on the writer every operation that writes or reports progress', () => {
    const onReader = OPERATION_NAMES.filter((name) => runsOnReadWorker(name));
    for (const name of onReader) expect(contract[name].writes, name).toBe(false);
    for (const name of ['case.overview', 'case.changes', 'entities.page', 'links.page', 'sources.page', 'search.query', 'entities.get', 'graph.load', 'history.state'] as const) expect(onReader).toContain(name);
    // Long operations with progress or files to write: never cut off.
    for (const name of ['case.info', 'reports.export', 'merge.plan', 'share.exportCase', 'attachments.export', 'exchange.export'] as const) {
      expect(runsOnReadWorker(name), name).toBe(false);
      expect(READS_KEPT_ON_WRITER).toHaveProperty([name]);
    }
    for (const name of ['exchange.importCsv', 'exchange.importFtm', 'merge.apply', 'attachments.add', 'history.undo'] as const) expect(runsOnReadWorker(name), name).toBe(false);
    for (const name of OPERATION_NAMES.filter((n) => n.startsWith('app.'))) expect(runsOnReadWorker(name), name).toBe(false);
  });

  it('opens a case with the settings of every case connection, and cannot write to it', () => {
    const { writer, reader } = sampleCase();
    for (const setting of ['trusted_schema', 'cell_size_check', 'foreign_keys', 'busy_timeout']) {
      expect(reader.pragma(setting, { simple: true }), setting).toEqual(writer.pragma(setting, { simple: true }));
    }
    expect(reader.readonly).toBe(true);
    expect(() => runCaseOperation(reader, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute' } }, ctx)).toThrow(/readonly|read-only/i);
    reader.close();
    writer.close();
  });

  it('runs every operation it takes on a read-only connection: none of them writes', async () => {
    const { writer, reader } = sampleCase();
    const source = (runCaseOperation(writer, 'sources.page', { startRow: 0, endRow: 1 }, ctx).rows[0] ?? { id: '' }).id;
    await runCaseOperationAsync(writer, 'attachments.add', { sourceId: source, file: { name: 'notes.txt', base64: Buffer.from('Beihang and the Moscow Aviation Institute').toString('base64') } }, ctx);
    const attachment = runCaseOperation(writer, 'attachments.list', { sourceId: source }, ctx)[0]?.id ?? '';
    const excerpt = runCaseOperation(writer, 'excerpts.list', { sourceId: source }, ctx)[0]?.id ?? '';
    const entity = runCaseOperation(writer, 'entities.page', { startRow: 0, endRow: 1 }, ctx).rows[0]?.id ?? '';
    const link = runCaseOperation(writer, 'links.page', { startRow: 0, endRow: 1 }, ctx).rows[0]?.id ?? '';
    const report = runCaseOperation(writer, 'reports.list', {}, ctx)[0]?.id ?? '';

    const inputs: Partial<Record<CaseOperationName, unknown>> = {
      'case.get': {},
      'case.overview': {},
      'case.changes': { since: 0 },
      'sources.page': { startRow: 0, endRow: 10, quick: 'defense' },
      'sources.get': { id: source },
      'attachments.list': { sourceId: source },
      'attachments.get': { id: attachment },
      'attachments.text': { id: attachment },
      'attachments.content': { id: attachment },
      'excerpts.list': { sourceId: source },
      'excerpts.get': { id: excerpt },
      'search.query': { query: 'Beihang' },
      'entities.page': { startRow: 0, endRow: 10, quick: 'university', sort: [{ colId: 'degree', sort: 'desc' }] },
      'entities.get': { id: entity },
      'entities.search': { text: 'Harbin' },
      'entities.duplicates': { names: ['Harbin Institute of Technology'] },
      'entities.links': { id: entity },
      'entities.filterOptions': {},
      'links.page': { startRow: 0, endRow: 10 },
      'links.get': { id: link },
      'links.types': {},
      'citations.excerpts': { text: 'Beihang' },
      'citations.excerpt': { id: excerpt },
      'areas.list': {},
      'areas.ofItem': { kind: 'entity', itemId: entity },
      'history.page': { startRow: 0, endRow: 10 },
      'history.state': {},
      'graph.load': {},
      'graph.metrics': { ids: [entity] },
      'reports.list': {},
      'reports.get': { id: report },
      'reports.preview': { id: report },
      'exchange.previewCsv': { text: 'name;country\nBeihang University;CN\n', kind: 'entities' },
      'screening.lists': {},
      'screening.results': { entityId: entity },
    };
    const onReader = OPERATION_NAMES.filter((name): name is CaseOperationName => runsOnReadWorker(name));
    // A new read the read worker takes needs an input here, so that it is run read-only too.
    expect(Object.keys(inputs).sort()).toEqual([...onReader].sort());
    for (const name of onReader) {
      const run = () => reader.transaction(() => runCaseOperation(reader, name, inputs[name], ctx)).deferred();
      expect(run, name).not.toThrow();
    }
    reader.close();
    writer.close();
  });
});
