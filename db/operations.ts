import { contract, type OpOutput } from '../shared/contract';
import { CaseboardError } from '../shared/errors';
import type { OperationName } from '../shared/operation-names';
import { parseOperationInput } from '../shared/validate';
import type { CaseDb } from './case-file';
import { getCaseDetails, getCaseInfo, updateCaseDetails } from './case-info';
import { evidenceHandlers } from './evidence-handlers';
import type { CaseOperationName, Handler, Handlers, OperationContext } from './handler';
import { modelHandlers } from './model-handlers';
import { createSource, deleteSource, getSource, pageSources, updateSource } from './sources';

export type { CaseOperationName, OperationContext } from './handler';

const handlers: Handlers<CaseOperationName> = {
  'case.get': (db) => getCaseDetails(db),
  'case.update': (db, input, ctx) => updateCaseDetails(db, ctx.actor, input),
  'case.info': (db) => getCaseInfo(db),
  'sources.page': (db, input) => pageSources(db, input),
  'sources.get': (db, input) => getSource(db, input.id),
  'sources.create': (db, input, ctx) => createSource(db, ctx.actor, input),
  'sources.update': (db, input, ctx) => updateSource(db, ctx.actor, input.id, input.fields),
  'sources.delete': (db, input, ctx) => deleteSource(db, ctx.actor, input.id),
  ...evidenceHandlers,
  ...modelHandlers,
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
