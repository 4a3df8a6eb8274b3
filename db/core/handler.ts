import type { OpOutput, OpParsedInput, Progress } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { CaseboardError } from '../../shared/errors';
import type { CaseDb } from './case-file';
import type { ChangeSet } from './journal';

/** Operations that act on the open case file; `app.*` operations belong to the workspace. */
export type CaseOperationName = Exclude<OperationName, `app.${string}`>;

export interface OperationContext {
  /** Investigator recorded in the audit log. */
  actor: string;
  progress(progress: Progress): void;
  /** Throws when the caller cancelled the operation; long handlers call it between steps. */
  throwIfCancelled(): void;
  /**
   * The change set of a writing operation, opened by the operation runner
   * inside the operation's transaction: repositories write their rows through
   * it and set its summary, the one line Undo names.
   */
  changes?: ChangeSet;
}

/** The change set the runner opened for this operation; a writing handler has one. */
export function changesOf(ctx: OperationContext): ChangeSet {
  if (!ctx.changes) throw new CaseboardError('internal', 'This operation writes, so it must run through the operation runner.');
  return ctx.changes;
}

export type Handler<N extends CaseOperationName> = (db: CaseDb, input: OpParsedInput<N>, ctx: OperationContext) => OpOutput<N>;

/**
 * An operation with slow work to do before it writes (reading a file, hashing,
 * extracting text): `prepare` runs first, outside any transaction, and may be
 * async and cancelled; `commit` then writes in the operation's one transaction.
 */
export interface PreparedHandler<N extends CaseOperationName, P> {
  prepare(db: CaseDb, input: OpParsedInput<N>, ctx: OperationContext): Promise<P>;
  commit(db: CaseDb, input: OpParsedInput<N>, prepared: P, ctx: OperationContext): OpOutput<N>;
}

/** Handlers for a subset of operations, checked against the contract. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each prepared handler chooses its own prepared type
export type Handlers<N extends CaseOperationName> = { [K in N]: Handler<K> | PreparedHandler<K, any> };
