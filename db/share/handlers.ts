import type { shareOperations } from '../../shared/ops/share';
import type { Handlers } from '../core/handler';
import { runStepsInterruptibly } from '../core/private-files';
import { exportCaseFileSteps } from './share';

export const shareHandlers: Handlers<keyof typeof shareOperations> = {
  // In steps, so a command stopped with Ctrl+C stops between them and removes its private copy.
  'share.exportCase': {
    prepare: (db, input) =>
      runStepsInterruptibly(
        exportCaseFileSteps(db, input.path, {
          omitAttachments: input.omitAttachments,
          omitNotes: input.omitNotes,
          ...(input.passphrase !== undefined ? { passphrase: input.passphrase } : {}),
        }),
      ),
    commit: (_db, _input, exported: { path: string; encrypted: boolean }) => exported,
  },
};
