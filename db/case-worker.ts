import { Worker } from 'node:worker_threads';
import type { Progress } from '../shared/contract';
import { CaseboardError } from '../shared/errors';
import { JsonAnswer } from './json-answer';
import type { WorkerOptions, WorkerRequest, WorkerResponse } from './worker-protocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (p: Progress) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface CaseWorkerOptions {
  /** Path of the bundled worker script (dist/db-worker.cjs). */
  workerPath: string;
  nativeBinding?: string;
}

/**
 * The door's handle on the database worker thread. Every SQL statement runs
 * there, so neither the Electron main thread nor the HTTP server ever blocks.
 */
export class CaseWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cancelFlag = new SharedArrayBuffer(4);
  /** The case to reopen if the worker has to be restarted. */
  private openPath: string | null = null;

  constructor(private readonly options: CaseWorkerOptions) {}

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

  async open(path: string): Promise<unknown> {
    const details = await this.send({ kind: 'open', path }).done;
    this.openPath = path;
    return details;
  }

  async create(path: string, title: string, marking: string | null): Promise<unknown> {
    const details = await this.send({ kind: 'create', path, title, marking }).done;
    this.openPath = path;
    return details;
  }

  async createSample(path: string): Promise<unknown> {
    const details = await this.send({ kind: 'createSample', path }).done;
    this.openPath = path;
    return details;
  }

  async close(): Promise<void> {
    this.openPath = null;
    if (this.worker) await this.send({ kind: 'close' }).done;
  }

  /** Decrypts a received encrypted case file into a new case file, off the door's thread. */
  async decrypt(source: string, target: string, passphrase: string): Promise<unknown> {
    return this.send({ kind: 'decrypt', source, target, passphrase }).done;
  }

  async saveCopy(path: string): Promise<unknown> {
    return this.send({ kind: 'saveCopy', path }).done;
  }

  /** Runs a case operation; `signal` cancels long operations between their steps. */
  async run(name: string, input: unknown, actor: string, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<unknown> {
    const { id, done } = this.send({ kind: 'op', name, input, actor }, onProgress);
    const cancel = () => Atomics.store(new Int32Array(this.cancelFlag), 0, id);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await done;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  async terminate(): Promise<void> {
    if (!this.worker) return;
    try {
      await this.close();
    } finally {
      await this.worker?.terminate();
      this.worker = null;
    }
  }
}
