import type { Progress } from '../../shared/contract';
import { CaseboardError, type ErrorPayload } from '../../shared/errors';
import { answersJson } from '../core/json-answer';

/** Messages from the door's thread to the database worker. */
export type WorkerRequest =
  | { kind: 'open'; id: number; path: string }
  | { kind: 'create'; id: number; path: string; title: string; marking: string | null }
  | { kind: 'close'; id: number }
  | { kind: 'createSample'; id: number; path: string }
  | { kind: 'saveCopy'; id: number; path: string }
  | { kind: 'decrypt'; id: number; source: string; target: string; passphrase: string }
  /** `input` is the value the door parsed against the contract; the threads do not parse it again. */
  | { kind: 'op'; id: number; name: string; input: unknown; actor: string };

/** Messages from the database worker back to the door. */
export type WorkerResponse =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  /** An answer written as JSON on this thread (see answersJson), as UTF-8 bytes the message moves rather than copies. */
  | { kind: 'result'; id: number; ok: true; json: Uint8Array }
  | { kind: 'result'; id: number; ok: false; error: ErrorPayload }
  | { kind: 'progress'; id: number; progress: Progress };

export interface WorkerOptions {
  nativeBinding?: string;
  /** Shared flag: holds the id of a request the door asked to cancel. */
  cancelFlag: SharedArrayBuffer;
  /**
   * The writer (the default) owns the case: it opens, creates and closes it and
   * runs every operation sent to it. The reader opens the case the writer has
   * open, read-only, and runs only the operations `runsOnReadWorker` names.
   */
  role?: 'writer' | 'reader';
}

/** The answer to a request, written as JSON on the database thread where the operation's answers are large. */
export function resultMessage(request: WorkerRequest, value: unknown): WorkerResponse {
  if (request.kind === 'op' && answersJson(request.name)) return { kind: 'result', id: request.id, ok: true, json: utf8(JSON.stringify(value ?? null)) };
  return { kind: 'result', id: request.id, ok: true, value };
}

/** A string's UTF-8 in bytes of their own (never a slice of Node's shared pool), so that they can be moved to another thread. */
function utf8(text: string): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** What a message moves to the door's thread instead of copying: the bytes of a JSON answer. */
export function movedWith(message: WorkerResponse): ArrayBuffer[] {
  return message.kind === 'result' && message.ok && 'json' in message && message.json.buffer instanceof ArrayBuffer ? [message.json.buffer] : [];
}

/** What every database thread answers when an operation needs a case and none is open. */
export function noCaseOpen(): CaseboardError {
  return new CaseboardError('no_case_open', 'No case is open; create or open a case first.');
}
