import type { mergeOperations } from '../../shared/ops/merge';
import type { Handlers } from '../core/handler';
import { caseFilePath } from '../core/case-file';
import { mergeCase } from './apply';
import { loadOtherCase, type CaseSnapshot } from './read';

/**
 * Merge reads the other file first (copy, decrypt, validate, read), outside
 * the transaction; then plans, and for `merge.apply` writes, in one transaction.
 */
export const mergeHandlers: Handlers<keyof typeof mergeOperations> = {
  'merge.plan': {
    prepare: (db, input, ctx) => {
      ctx.progress({ done: 0, total: 1, message: 'Checking the other case file' });
      return Promise.resolve(loadOtherCase(input.path, input.passphrase, caseFilePath(db)));
    },
    commit: (db, input, there: CaseSnapshot, ctx) =>
      mergeCase(db, there, { choices: input.choices, mergeDuplicates: input.mergeDuplicates, apply: false, actor: ctx.actor }),
  },
  'merge.apply': {
    prepare: (db, input, ctx) => {
      ctx.progress({ done: 0, total: 1, message: 'Checking the other case file' });
      return Promise.resolve(loadOtherCase(input.path, input.passphrase, caseFilePath(db)));
    },
    commit: (db, input, there: CaseSnapshot, ctx) =>
      mergeCase(db, there, {
        choices: input.choices,
        mergeDuplicates: input.mergeDuplicates,
        apply: true,
        actor: ctx.actor,
        progress: (done, total, message) => ctx.progress({ done, total, message }),
        throwIfCancelled: () => ctx.throwIfCancelled(),
      }),
  },
};
