import { Worker } from 'node:worker_threads';
import { contract, type Progress } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import { requireOperationName } from '../../shared/validate';
import { CaseReader, READ_TIME_LIMIT_MS, ReaderCannotOpen } from './case-reader';
import { JsonAnswer } from '../core/json-answer';
import { runsOnReadWorker } from './read-operations';
import { noCaseOpen, type WorkerOptions, type WorkerRequest, type WorkerResponse } from './worker-protocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (p: Progress) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface CaseWorkerOptions {
  /** Path of the bundled worker script (dist/db-worker.cjs). */
  workerPath: string;
  nativeBinding?: string;
  /** How long a read the user waits on may run before it is given up (15 s; tests set less). */
  readTimeLimitMs?: number;
  /**
   * Starts the read worker's thread as soon as a case is open, so the first
   * view's reads do not wait the half second it takes to load (the doors do;
   * a command that only writes does not).
   */
  startReaderWithCase?: boolean;
}

/**
 * The door's handle on the database threads. Every SQL statement runs there,
 * so neither the Electron main thread nor the HTTP server ever blocks. The
 * writer owns the case and runs every operation that writes, and those that
 * report progress; the reads the user waits on run beside it on the read
 * worker, which gives up on a read that runs too long, so no single read can
 * hold the case.
 */
export class CaseWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cancelFlag = new SharedArrayBuffer(4);
  /** The case to reopen if the worker has to be restarted. */
  private openPath: string | null = null;
  private readonly reader: CaseReader;
  /**
   * Settles when the last request sent to the writer that changes the case,
   * or which case is open, has: a read waits for it, so it sees every change
   * sent before it, as when one thread ran everything in order.
   */
  private lastWrite: Promise<unknown> = Promise.resolve();
  /** Settles when the last open, create or close has: requests to the writer made meanwhile wait for it, to reach the writer in the order they were made. */
  private switching: Promise<unknown> = Promise.resolve();
  private switchesPending = 0;

  constructor(private readonly options: CaseWorkerOptions) {
    this.reader = new CaseReader({
      workerPath: options.workerPath,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      limitMs: options.readTimeLimitMs ?? READ_TIME_LIMIT_MS,
      casePath: () => this.openPath,
    });
  }

  /** Runs a change to the case or to which case is open; reads sent from now on wait for it. */
  private changing<T>(work: Promise<T>): Promise<T> {
    this.lastWrite = work.catch(() => undefined);
    return work;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const workerData: WorkerOptions = { cancelFlag: this.cancelFlag, ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}) };
    const worker = new Worker(this.options.workerPath, { workerData });
    worker.on('message', (message: WorkerResponse) => this.receive(message));
    worker.on('error', (error) => {
      // One line, no stack: the pending calls are rejected with a readable message on exit.
      console.error(`caseboard: the database worker failed: ${error.message}`);
    });
    worker.on('exit', () => {
      this.worker = null;
      const error = new CaseboardError('internal', 'The database worker stopped unexpectedly; the last change may not have been saved.');
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: WorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.ok) pending.resolve('json' in message ? new JsonAnswer(message.json) : message.value);
    else pending.reject(CaseboardError.fromPayload(message.error));
  }

  private send(body: RequestBody, onProgress?: (p: Progress) => void): { id: number; done: Promise<unknown> } {
    const restarted = !this.worker;
    const worker = this.start();
    if (restarted && this.openPath && body.kind === 'op') {
      // A fresh worker has no case open: reopen the one the user had before anything else runs.
      const reopenId = this.nextId++;
      this.pending.set(reopenId, { resolve: () => undefined, reject: () => undefined });
      worker.postMessage({ kind: 'open', id: reopenId, path: this.openPath } satisfies WorkerRequest);
    }
    const id = this.nextId++;
    const done = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
    });
    worker.postMessage({ ...body, id } as WorkerRequest);
    return { id, done };
  }

  /**
   * Opens, creates or closes the case in the writer. The reader lets go of
   * the case first, so the writer's connection is the last one on it when it
   * closes (and removes the log); the reader reopens lazily on its next read.
   */
  private switchCase(body: RequestBody, path: string | null): Promise<unknown> {
    const previous = this.lastWrite;
    const work = (async () => {
      // Reads waiting for the changes before this one reach the reader first, and still see this case.
      await previous;
      await this.reader.closeCase();
      if (path === null) this.openPath = null;
      if (body.kind === 'close' && !this.worker) return null;
      const details = await this.send(body).done;
      if (path !== null) {
        this.openPath = path;
        if (this.options.startReaderWithCase) this.reader.warm();
      }
      return details;
    })();
    this.switchesPending += 1;
    this.switching = work.catch(() => undefined).then(() => {
      this.switchesPending -= 1;
    });
    return this.changing(work);
  }

  /** Sends to the writer now, or once the case being opened or closed is. */
  private afterSwitch<T>(send: () => Promise<T>): Promise<T> {
    return this.switchesPending === 0 ? send() : this.switching.then(send);
  }

  open(path: string): Promise<unknown> {
    return this.switchCase({ kind: 'open', path }, path);
  }

  create(path: string, title: string, marking: string | null): Promise<unknown> {
    return this.switchCase({ kind: 'create', path, title, marking }, path);
  }

  createSample(path: string): Promise<unknown> {
    return this.switchCase({ kind: 'createSample', path }, path);
  }

  async close(): Promise<void> {
    await this.switchCase({ kind: 'close' }, null);
  }

  /** Decrypts a received encrypted case file into a new case file, off the door's thread. */
  decrypt(source: string, target: string, passphrase: string): Promise<unknown> {
    return this.afterSwitch(() => this.send({ kind: 'decrypt', source, target, passphrase }).done);
  }

  saveCopy(path: string): Promise<unknown> {
    return this.afterSwitch(() => this.send({ kind: 'saveCopy', path }).done);
  }

  /**
   * Runs a case operation with input the door has parsed against the
   * contract (the database threads do not parse it again); `signal` cancels
   * long operations between their steps. A read the user waits on goes to the read worker once the changes
   * sent before it are done; everything else runs on the writer, in order.
   */
  run(name: string, input: unknown, actor: string, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<unknown> {
    const operation = requireOperationName(name);
    if (runsOnReadWorker(operation)) return this.read(name, input, actor);
    const work = this.afterSwitch(() => this.runOnWriter(name, input, actor, onProgress, signal));
    return contract[operation].writes ? this.changing(work) : work;
  }

  private async read(name: string, input: unknown, actor: string): Promise<unknown> {
    await this.lastWrite;
    if (this.openPath === null) throw noCaseOpen();
    try {
      return await this.reader.read(name, input, actor);
    } catch (error) {
      if (!(error instanceof ReaderCannotOpen)) throw error;
      // The file is no longer where it was opened (moved, deleted, its folder gone): only the writer's connection still reads it.
      return this.afterSwitch(() => this.runOnWriter(name, input, actor));
    }
  }

  private async runOnWriter(name: string, input: unknown, actor: string, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<unknown> {
    const { id, done } = this.send({ kind: 'op', name, input, actor }, onProgress);
    const cancel = () => Atomics.store(new Int32Array(this.cancelFlag), 0, id);
    // Cancelled while waiting for a case to open: the operation stops at its first step.
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await done;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  async terminate(): Promise<void> {
    try {
      await this.reader.terminate();
    } finally {
      if (this.worker) {
        try {
          await this.close();
        } finally {
          await this.worker?.terminate();
          this.worker = null;
        }
      }
    }
  }
}
