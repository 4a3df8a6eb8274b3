import type * as WorkerThreads from 'node:worker_threads';

/**
 * node:worker_threads with a Worker that records every thread it starts in
 * `started`, so a test can count the database threads and watch them end.
 * Use as `vi.mock('node:worker_threads', async (original) => (await import('../helpers/worker-threads')).trackingWorkers(await original(), started))`.
 */
export function trackingWorkers(real: typeof WorkerThreads, started: WorkerThreads.Worker[]): typeof WorkerThreads {
  class TrackedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...real, default: { ...real, Worker: TrackedWorker }, Worker: TrackedWorker } as typeof WorkerThreads;
}
