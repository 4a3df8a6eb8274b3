import type { Progress } from '../shared/contract';
import type { ErrorPayload } from '../shared/errors';

/** Messages from the door's thread to the database worker. */
export type WorkerRequest =
  | { kind: 'open'; id: number; path: string }
  | { kind: 'create'; id: number; path: string; title: string; marking: string | null }
  | { kind: 'close'; id: number }
  | { kind: 'createSample'; id: number; path: string }
  | { kind: 'saveCopy'; id: number; path: string }
  | { kind: 'decrypt'; id: number; source: string; target: string; passphrase: string }
  | { kind: 'op'; id: number; name: string; input: unknown; actor: string };

/** Messages from the database worker back to the door. */
export type WorkerResponse =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  /** An answer written as JSON on this thread (see JSON_ANSWER_OPERATIONS). */
  | { kind: 'result'; id: number; ok: true; json: string }
  | { kind: 'result'; id: number; ok: false; error: ErrorPayload }
  | { kind: 'progress'; id: number; progress: Progress };

export interface WorkerOptions {
  nativeBinding?: string;
  /** Shared flag: holds the id of a request the door asked to cancel. */
  cancelFlag: SharedArrayBuffer;
}
