import type { OpOutput, OpParsedInput, Progress } from '../shared/contract';
import type { OperationName } from '../shared/operation-names';
import type { CaseDb } from './case-file';

/** Operations that act on the open case file; `app.*` operations belong to the workspace. */
export type CaseOperationName = Exclude<OperationName, `app.${string}`>;

export interface OperationContext {
  /** Investigator recorded in the audit log. */
  actor: string;
  progress(progress: Progress): void;
  /** Throws when the caller cancelled the operation; long handlers call it between steps. */
  throwIfCancelled(): void;
}

export type Handler<N extends CaseOperationName> = (db: CaseDb, input: OpParsedInput<N>, ctx: OperationContext) => OpOutput<N>;

/** Handlers for a subset of operations, checked against the contract. */
export type Handlers<N extends CaseOperationName> = { [K in N]: Handler<K> };
