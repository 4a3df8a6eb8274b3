import { contract, type OpOutput, type OpParsedInput, type Progress } from '../shared/contract';
import { CaseboardError } from '../shared/errors';
import type { OperationName } from '../shared/operation-names';
import { parseOperationInput } from '../shared/validate';
import type { CaseDb } from './case-file';
import { getCaseDetails, getCaseInfo, updateCaseDetails } from './case-info';
import { createSource, deleteSource, getSource, pageSources, updateSource } from './sources';

/** Operations that act on the open case file; `app.*` operations belong to the workspace. */
export type CaseOperationName = Exclude<OperationName, `app.${string}`>;

export interface OperationContext {
  /** Investigator recorded in the audit log. */
  actor: string;
  progress(progress: Progress): void;
  /** Throws when the caller cancelled the operation; long handlers call it between steps. */
  throwIfCancelled(): void;
}

type Handler<N extends CaseOperationName> = (db: CaseDb, input: OpParsedInput<N>, ctx: OperationContext) => OpOutput<N>;

const handlers: { [N in CaseOperationName]: Handler<N> } = {
  'case.get': (db) => getCaseDetails(db),
  'case.update': (db, input, ctx) => updateCaseDetails(db, ctx.actor, input),
  'case.info': (db) => getCaseInfo(db),
  'sources.page': (db, input) => pageSources(db, input),
  'sources.get': (db, input) => getSource(db, input.id),
  'sources.create': (db, input, ctx) => createSource(db, ctx.actor, input),
  'sources.update': (db, input, ctx) => updateSource(db, ctx.actor, input.id, input.fields),
  'sources.delete': (db, input, ctx) => deleteSource(db, ctx.actor, input.id),
};

export function isCaseOperation(name: OperationName): name is CaseOperationName {
  return !name.startsWith('app.');
}

/**
 * Validates and runs one operation on an open case file. Writing operations
 * run in one immediate transaction: all of it lands, or none of it.
 */
export function runCaseOperation<N extends CaseOperationName>(db: CaseDb, name: N, rawInput: unknown, ctx: OperationContext): OpOutput<N> {
  const handler = handlers[name] as Handler<N> | undefined;
  if (!handler) throw new CaseboardError('unknown_operation', `There is no operation called "${name}".`);
  const input = parseOperationInput(name, rawInput);
  if (contract[name].writes) return db.transaction(() => handler(db, input, ctx)).immediate();
  return handler(db, input, ctx);
}
