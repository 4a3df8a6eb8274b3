import { parentPort, workerData } from 'node:worker_threads';
import { CaseboardError, toErrorPayload } from '../shared/errors';
import { requireOperationName } from '../shared/validate';
import { createCaseFile, openCaseFile, saveCopy, useNativeBinding, type CaseDb } from './case-file';
import { getCaseDetails } from './case-info';
import { createSampleCase } from './sample-case';
import { decryptCaseFile } from './share';
import { JSON_ANSWER_OPERATIONS } from './json-answer';
import { isCaseOperation, runCaseOperationAsync } from './operations';
import type { WorkerOptions, WorkerRequest, WorkerResponse } from './worker-protocol';

const options = workerData as WorkerOptions;
const cancelFlag = new Int32Array(options.cancelFlag);
const openOptions = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
// Every connection this thread makes (copies, checks, the reference schema) uses the same binary.
useNativeBinding(options.nativeBinding);
let db: CaseDb | null = null;

function post(message: WorkerResponse): void {
  parentPort?.postMessage(message);
}

function requireCase(): CaseDb {
  if (!db) throw new CaseboardError('no_case_open', 'No case is open; create or open a case first.');
  return db;
}

function closeCase(): void {
  if (db?.open) {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy checkpoint is retried by SQLite on the next open; closing matters more.
    }
    db.close();
  }
  db = null;
}

function handle(request: WorkerRequest): unknown {
  // Operations that read files first are async; the queue below still runs one request at a time.
  switch (request.kind) {
    case 'open': {
      const next = openCaseFile(request.path, openOptions);
      closeCase();
      db = next;
      return getCaseDetails(db);
    }
    case 'create': {
      const next = createCaseFile(request.path, { ...openOptions, title: request.title, marking: request.marking });
      closeCase();
      db = next;
      return getCaseDetails(db);
    }
    case 'createSample': {
      const next = createSampleCase(request.path);
      closeCase();
      db = next;
      return getCaseDetails(db);
    }
    case 'close':
      closeCase();
      return null;
    case 'decrypt':
      return decryptCaseFile(request.source, request.target, request.passphrase);
    case 'saveCopy':
      saveCopy(requireCase(), request.path);
      return { path: request.path };
    case 'op': {
      const name = requireOperationName(request.name);
      if (!isCaseOperation(name)) throw new CaseboardError('unknown_operation', `${name} is not a case operation.`);
      const id = request.id;
      return runCaseOperationAsync(requireCase(), name, request.input, {
        actor: request.actor,
        progress: (progress) => post({ kind: 'progress', id, progress }),
        throwIfCancelled: () => {
          if (Atomics.load(cancelFlag, 0) === id) throw new CaseboardError('cancelled', 'The operation was cancelled; the case file was left as it was.');
        },
      });
    }
  }
}

// One request at a time, in order: an async operation finishes before the next request (even a close) starts.
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const value = await handle(request);
      if (request.kind === 'op' && JSON_ANSWER_OPERATIONS.has(request.name)) post({ kind: 'result', id: request.id, ok: true, json: JSON.stringify(value ?? null) });
      else post({ kind: 'result', id: request.id, ok: true, value });
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error('caseboard worker:', error);
      post({ kind: 'result', id: request.id, ok: false, error: toErrorPayload(error) });
    }
  });
});

process.on('exit', closeCase);

// A damaged attachment can make a parser reject a promise nobody awaits; that must not take the case down with it.
process.on('unhandledRejection', (reason) => {
  console.error('caseboard worker: a file parser failed in the background:', reason instanceof Error ? reason.message : reason);
});
