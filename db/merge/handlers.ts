import type { mergeOperations } from '../../shared/ops/merge';
import { changesOf, type Handlers, type OperationContext } from '../core/handler';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { mergeCase } from './apply';
import { runStepsInterruptibly } from '../core/private-files';
import { loadOtherCaseSteps, type CaseSnapshot } from './read';

/**
 * Merge reads the other file first (copy, decrypt, validate, read), outside
 * the transaction; then plans, and for `merge.apply` writes, in one transaction.
 * The reading yields between its steps, so a command stopped with Ctrl+C
 * stops there and removes its private copies.
 */
function readOther(db: CaseDb, input: { path: string; passphrase?: string | undefined }, ctx: OperationContext): Promise<CaseSnapshot> {
  ctx.progress({ done: 0, total: 1, message: 'Checking the other case file' });
  return runStepsInterruptibly(loadOtherCaseSteps(input.path, input.passphrase, caseFilePath(db)));
}

export const mergeHandlers: Handlers<keyof typeof mergeOperations> = {
  'merge.plan': {
    prepare: readOther,
    commit: (db, input, there: CaseSnapshot, ctx) =>
      mergeCase(db, there, { choices: input.choices, mergeDuplicates: input.mergeDuplicates, apply: false, actor: ctx.actor }),
  },
  'merge.apply': {
    prepare: readOther,
    commit: (db, input, there: CaseSnapshot, ctx) =>
      mergeCase(db, there, {
        choices: input.choices,
        mergeDuplicates: input.mergeDuplicates,
        apply: true,
        actor: ctx.actor,
        changes: changesOf(ctx),
        progress: (done, total, message) => ctx.progress({ done, total, message }),
        throwIfCancelled: () => ctx.throwIfCancelled(),
      }),
  },
};
