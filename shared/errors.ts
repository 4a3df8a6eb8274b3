/** Machine-readable reasons an operation can fail; every door maps them to its own signal. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_a_case_file'
  | 'no_case_open'
  | 'not_found'
  | 'conflict'
  | 'unknown_operation'
  | 'cancelled'
  /** A read ran longer than the time a read may take and was given up, so the operations after it could go on. */
  | 'timed_out'
  | 'internal';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "url" or "authors.0". */
  path: string;
  message: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

/** An error meant for the user: its message is one readable sentence. */
export class CaseboardError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'CaseboardError';
    this.code = code;
    if (issues) this.issues = issues;
  }

  toPayload(): ErrorPayload {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromPayload(payload: ErrorPayload): CaseboardError {
    return new CaseboardError(payload.code, payload.message, payload.issues);
  }
}

/** Turns anything thrown into a payload without leaking stack traces or internals. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof CaseboardError) return error.toPayload();
  return { code: 'internal', message: 'Something went wrong inside Caseboard; the case file was left as it was.' };
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return typeof value === 'object' && value !== null && typeof (value as ErrorPayload).code === 'string' && typeof (value as ErrorPayload).message === 'string';
}
