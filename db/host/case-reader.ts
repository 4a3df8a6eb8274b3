import { Worker } from 'node:worker_threads';
import { CaseboardError } from '../../shared/errors';
import { JsonAnswer } from '../core/json-answer';
import type { WorkerOptions, WorkerRequest, WorkerResponse } from './worker-protocol';

/** How long a read the user waits on may run before it is given up. */
export const READ_TIME_LIMIT_MS = 15_000;

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Job {
  /** The operation to run, or null to close the reader's connection. */
  op: { name: string; input: unknown; actor: string } | null;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface InFlight {
  id: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface CaseReaderOptions {
  /** Path of the bundled worker script (dist/db-worker.cjs); the reader is the same script in its reader role. */
  workerPath: string;
  nativeBinding?: string;
  /** How long one read may run, in milliseconds. */
  limitMs: number;
  /** The case the writer has open now (null: none). */
  casePath: () => string | null;
}

/**
 * The read worker could not open the case the writer has open: its file was
 * moved, deleted or made unreadable since. The writer's connection still
 * reads it, so the door runs the read there instead.
 */
export class ReaderCannotOpen extends Error {
  constructor(readonly reason: unknown) {
    super('The read worker could not open the case.');
  }
}

function inWords(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return ms >= 1000 ? `${seconds} ${seconds === 1 ? 'second' : 'seconds'}` : `${ms} milliseconds`;
}

/**
 * The door's handle on the read worker: a second database thread with a
 * read-only connection to the case the writer has open, running reads one at
 * a time. A read that runs past the limit is given up: better-sqlite3 cannot
 * interrupt a statement, so the thread running it is told to terminate (it
 * ends when the statement returns) and is left to finish alone, while a fresh
 * read worker opens the case and runs the reads queued behind it.
 */
export class CaseReader {
  private worker: Worker | null = null;
  /** The case the current worker's connection has open. */
  private opened: string | null = null;
  private readonly queue: Job[] = [];
  private pumping = false;
  private inFlight: InFlight | null = null;
  private nextId = 1;
  private readonly cancelFlag = new SharedArrayBuffer(4);
  /** Removes the listeners this handle put on a worker. */
  private readonly listeners = new WeakMap<Worker, () => void>();

  constructor(private readonly options: CaseReaderOptions) {}

  /** Runs a read; it sees every write that completed before it was sent. */
  read(name: string, input: unknown, actor: string): Promise<unknown> {
    return this.enqueue({ name, input, actor });
  }

  /** Closes the reader's connection once the reads sent before have run, so the writer can fold the log in and remove it on close. */
  closeCase(): Promise<void> {
    return this.enqueue(null).then(() => undefined);
  }

  /** Starts the read worker's thread ahead of the first read: loading it takes about half a second. */
  warm(): void {
    this.start();
  }

  private enqueue(op: Job['op']): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          job.resolve(await this.run(job));
        } catch (error) {
          job.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async run(job: Job): Promise<unknown> {
    if (!job.op) {
      if (this.worker && this.opened !== null) await this.exchange({ kind: 'close' }, null);
      this.opened = null;
      return null;
    }
    const wanted = this.options.casePath();
    if (this.opened !== wanted) {
      if (this.opened !== null) await this.exchange({ kind: 'close' }, null);
      this.opened = null;
      if (wanted !== null) {
        try {
          await this.exchange({ kind: 'open', path: wanted }, null);
        } catch (error) {
          throw new ReaderCannotOpen(error);
        }
        this.opened = wanted;
      }
    }
    return this.exchange({ kind: 'op', ...job.op }, this.options.limitMs);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const workerData: WorkerOptions = { role: 'reader', cancelFlag: this.cancelFlag, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) };
    const worker = new Worker(this.options.workerPath, { workerData });
    const onMessage = (message: WorkerResponse) => this.receive(message);
    const onError = (error: Error) => console.error(`caseboard: the read worker failed: ${error.message}`);
    const onExit = () => {
      this.worker = null;
      this.opened = null;
      const inFlight = this.inFlight;
      this.inFlight = null;
      inFlight?.reject(new CaseboardError('internal', 'The database reader stopped unexpectedly; try again.'));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.once('exit', onExit);
    this.listeners.set(worker, () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: WorkerResponse): void {
    const inFlight = this.inFlight;
    if (message.kind !== 'result' || !inFlight || message.id !== inFlight.id) return;
    this.inFlight = null;
    if (!message.ok) inFlight.reject(CaseboardError.fromPayload(message.error));
    else inFlight.resolve('json' in message ? new JsonAnswer(message.json) : message.value);
  }

  /** Sends one request and waits for its answer, giving it up after `limitMs` (null: no limit). */
  private exchange(body: RequestBody, limitMs: number | null): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        finish();
      };
      this.inFlight = { id, resolve: (value) => settle(() => resolve(value)), reject: (error) => settle(() => reject(error)) };
      if (limitMs !== null && Number.isFinite(limitMs)) {
        timer = setTimeout(() => {
          if (this.inFlight?.id !== id) return;
          this.inFlight = null;
          this.abandon(worker);
          reject(
            new CaseboardError(
              'timed_out',
              `Reading this from the case file took longer than ${inWords(limitMs)}, so Caseboard stopped waiting for it; the case is unchanged, and a narrower filter or search may answer sooner.`,
            ),
          );
        }, limitMs);
      }
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  /** Lets go of a worker stuck in a statement: it ends when the statement returns, and nothing it says is heard. */
  private abandon(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = null;
      this.opened = null;
    }
    this.listeners.get(worker)?.();
    worker.on('error', () => undefined);
    // Neither the abandoned thread nor its pending termination may keep the process alive.
    worker.unref();
    void worker.terminate().catch(() => undefined);
    // The reads queued behind it need a reader at once.
    this.start();
  }

  /** Closes the reader's connection and ends its thread; threads given up on end by themselves. */
  async terminate(): Promise<void> {
    try {
      await this.closeCase();
    } finally {
      const worker = this.worker;
      this.worker = null;
      this.opened = null;
      if (worker) await worker.terminate();
    }
  }
}
