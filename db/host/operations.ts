import { contract, type OpOutput, type OpParsedInput } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import type { OperationName } from '../../shared/operation-names';
import type { OperationTraits } from '../../shared/operation';
import { parseOperationInput } from '../../shared/validate';
import { caseChanges } from '../core/audit';
import type { CaseDb } from '../core/case-file';
import { getCaseDetails, getCaseInfo, updateCaseDetails, verifyCaseFile } from '../core/case-info';
import { evidenceHandlers } from '../evidence/handlers';
import { refreshMentions } from '../evidence/mentions';
import { refreshNameIndex } from '../model/name-index';
import { exchangeHandlers } from '../exchange/handlers';
import { changesOf, type CaseOperationName, type Handler, type Handlers, type OperationContext, type PreparedHandler } from '../core/handler';
import { inChangeSet } from '../core/journal';
import { graphHandlers } from '../graph/handlers';
import { mergeHandlers } from '../merge/handlers';
import { modelHandlers } from '../model/handlers';
import { reportHandlers } from '../reports/handlers';
import { screeningHandlers } from '../screening/handlers';
import { shareHandlers } from '../share/handlers';
import { createSource, deleteSource, getSource, pageSources, updateSource } from '../evidence/sources';

export type { CaseOperationName, OperationContext } from '../core/handler';

const handlers: Handlers<CaseOperationName> = {
  'case.get': (db) => getCaseDetails(db),
  'case.update': (db, input, ctx) => updateCaseDetails(db, changesOf(ctx), input),
  'case.info': (db, input) => getCaseInfo(db, { full: input.full }),
  'case.verify': (db, _input, ctx) =>
    verifyCaseFile(db, { progress: (done, total, message) => ctx.progress({ done, total, message }), throwIfCancelled: () => ctx.throwIfCancelled() }),
  'case.changes': (db, input) => caseChanges(db, input.since),
  'sources.page': (db, input) => pageSources(db, input),
  'sources.get': (db, input) => getSource(db, input.id),
  'sources.create': (db, input, ctx) => createSource(db, changesOf(ctx), input),
  'sources.update': (db, input, ctx) => updateSource(db, changesOf(ctx), input.id, input.fields),
  'sources.delete': (db, input, ctx) => deleteSource(db, changesOf(ctx), input.id),
  ...evidenceHandlers,
  ...modelHandlers,
  ...shareHandlers,
  ...graphHandlers,
  ...reportHandlers,
  ...mergeHandlers,
  ...exchangeHandlers,
  ...screeningHandlers,
};

export function isCaseOperation(name: OperationName): name is CaseOperationName {
  return !name.startsWith('app.');
}

/**
 * Runs a writing operation's work in one immediate transaction with its change
 * set: all of it lands, or none of it, and it is one undo step (dropped when
 * no row changed). Operations the contract declares not undoable get none,
 * so they neither add a step nor end the redo branch. Mentions of the
 * entities and attachments it changed are worked out again in the same
 * transaction, and the entities' trigram index catches up with their names.
 */
function inWriteTransaction<N extends CaseOperationName, R>(db: CaseDb, name: N, ctx: OperationContext, work: (ctx: OperationContext) => R): R {
  const entry: OperationTraits = contract[name];
  return db.transaction(() => {
    const result = entry.undo?.possible === false ? work(ctx) : inChangeSet(db, ctx.actor, name, (changes) => work({ ...ctx, changes }));
    // Derived rows follow what the operation changed (whatever it was: an edit, Undo, a merge) before it commits.
    refreshMentions(db);
    refreshNameIndex(db);
    return result;
  }).immediate();
}

/**
 * Runs one operation on an open case file, with input a door has validated
 * against the contract (parseOperationInput). Writing operations run in one
 * immediate transaction: all of it lands, or none of it.
 */
export function runParsedCaseOperation<N extends CaseOperationName>(db: CaseDb, name: N, input: OpParsedInput<N>, ctx: OperationContext): OpOutput<N> {
  const handler = handlers[name] as Handler<N> | PreparedHandler<N, unknown> | undefined;
  if (!handler) throw new CaseboardError('unknown_operation', `There is no operation called "${name}".`);
  if (typeof handler !== 'function') throw new CaseboardError('internal', `${name} reads files first; run it with runCaseOperationAsync.`);
  if (contract[name].writes) return inWriteTransaction(db, name, ctx, (wctx) => handler(db, input, wctx));
  return handler(db, input, ctx);
}

/**
 * Runs any operation with validated input, including those that prepare work
 * before their transaction (see PreparedHandler). The worker runs every
 * operation this way, as the door validated it.
 */
export async function runParsedCaseOperationAsync<N extends CaseOperationName>(db: CaseDb, name: N, input: OpParsedInput<N>, ctx: OperationContext): Promise<OpOutput<N>> {
  const handler = handlers[name] as Handler<N> | PreparedHandler<N, unknown> | undefined;
  if (!handler || typeof handler === 'function') return runParsedCaseOperation(db, name, input, ctx);
  const prepared = await handler.prepare(db, input, ctx);
  ctx.throwIfCancelled();
  if (contract[name].writes) return inWriteTransaction(db, name, ctx, (wctx) => handler.commit(db, input, prepared, wctx));
  return handler.commit(db, input, prepared, ctx);
}

/** Validates the input, then runs the operation: the door for code that holds the case file itself (a command, the sample case). */
export function runCaseOperation<N extends CaseOperationName>(db: CaseDb, name: N, rawInput: unknown, ctx: OperationContext): OpOutput<N> {
  return runParsedCaseOperation(db, name, parseOperationInput(name, rawInput), ctx);
}

/** As runCaseOperation, for operations that read files before their transaction. */
export async function runCaseOperationAsync<N extends CaseOperationName>(db: CaseDb, name: N, rawInput: unknown, ctx: OperationContext): Promise<OpOutput<N>> {
  return runParsedCaseOperationAsync(db, name, parseOperationInput(name, rawInput), ctx);
}
