import { parentPort, workerData } from 'node:worker_threads';
import type { OpParsedInput } from '../../shared/contract';
import { CaseboardError, toErrorPayload } from '../../shared/errors';
import { requireOperationName } from '../../shared/validate';
import { createCaseFile, openCaseFile, saveCopy, useNativeBinding, type CaseDb } from '../core/case-file';
import { getCaseDetails } from '../core/case-info';
import { createSampleCase } from './sample-case';
import { decryptCaseFile } from '../share/share';
import { isCaseOperation, runParsedCaseOperationAsync } from './operations';
import { serveReads } from './read-worker';
import { movedWith, noCaseOpen, resultMessage, type WorkerOptions, type WorkerRequest, type WorkerResponse } from './worker-protocol';

const options = workerData as WorkerOptions;
const cancelFlag = new Int32Array(options.cancelFlag);
const openOptions = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
// Every connection this thread makes (copies, checks, the reference schema) uses the same binary.
useNativeBinding(options.nativeBinding);
let db: CaseDb | null = null;

function post(message: WorkerResponse): void {
  parentPort?.postMessage(message, movedWith(message));
}

function requireCase(): CaseDb {
  if (!db) throw noCaseOpen();
  return db;
}

function closeCase(): void {
  if (db?.open) {
    try {
      // A read the door gave up on may still hold a snapshot: closing does not wait for it, and its log is folded in on the next open.
      db.pragma('busy_timeout = 0');
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
      // The door validated the input; it arrives as the parsed value, copied.
      return runParsedCaseOperationAsync(requireCase(), name, request.input as OpParsedInput<typeof name>, {
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

function serveWrites(): void {
  parentPort?.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        post(resultMessage(request, await handle(request)));
      } catch (error) {
        if (!(error instanceof CaseboardError)) console.error('caseboard worker:', error);
        post({ kind: 'result', id: request.id, ok: false, error: toErrorPayload(error) });
      }
    });
  });
  process.on('exit', closeCase);
}

if (options.role === 'reader') {
  if (parentPort) serveReads(parentPort, options);
} else {
  serveWrites();
}

// A damaged attachment can make a parser reject a promise nobody awaits; that must not take the case down with it.
process.on('unhandledRejection', (reason) => {
  console.error('caseboard worker: a file parser failed in the background:', reason instanceof Error ? reason.message : reason);
});
