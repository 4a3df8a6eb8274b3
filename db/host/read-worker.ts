import type { MessagePort } from 'node:worker_threads';
import type { OpParsedInput } from '../../shared/contract';
import { CaseboardError, toErrorPayload } from '../../shared/errors';
import { requireOperationName } from '../../shared/validate';
import type { CaseDb } from '../core/case-file';
import { isCaseOperation, runParsedCaseOperation } from './operations';
import { openVerifiedCaseForReading } from './read-connection';
import { runsOnReadWorker } from './read-operations';
import { movedWith, noCaseOpen, resultMessage, type WorkerOptions, type WorkerRequest } from './worker-protocol';

/**
 * The read worker's side: a read-only connection to the case the writer has
 * open, and the reads the door sends, one at a time. The door gives up on a
 * read that runs too long by abandoning this thread and starting another, so
 * nothing here may hold state the next reader would need.
 */
export function serveReads(port: MessagePort, options: WorkerOptions): void {
  let db: CaseDb | null = null;
  const close = () => {
    if (db?.open) db.close();
    db = null;
  };

  const handle = (request: WorkerRequest): unknown => {
    switch (request.kind) {
      case 'open':
        close();
        db = openVerifiedCaseForReading(request.path, options.nativeBinding);
        return null;
      case 'close':
        close();
        return null;
      case 'op': {
        const name = requireOperationName(request.name);
        if (!isCaseOperation(name) || !runsOnReadWorker(name)) throw new CaseboardError('unknown_operation', `${name} is not an operation the read worker runs.`);
        const reader = db;
        if (!reader) throw noCaseOpen();
        const ctx = { actor: request.actor, progress: () => undefined, throwIfCancelled: () => undefined };
        // One snapshot for the whole operation: a page's rows and its total agree even while the writer commits.
        return reader.transaction(() => runParsedCaseOperation(reader, name, request.input as OpParsedInput<typeof name>, ctx)).deferred();
      }
      default:
        throw new CaseboardError('internal', `The read worker does not ${request.kind} case files.`);
    }
  };

  port.on('message', (request: WorkerRequest) => {
    try {
      const message = resultMessage(request, handle(request));
      port.postMessage(message, movedWith(message));
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error('caseboard read worker:', error);
      port.postMessage({ kind: 'result', id: request.id, ok: false, error: toErrorPayload(error) });
    }
  });
  process.on('exit', close);
}
