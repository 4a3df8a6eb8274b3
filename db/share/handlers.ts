import type { shareOperations } from '../../shared/ops/share';
import type { Handlers } from '../core/handler';
import { exportCaseFile } from './share';

export const shareHandlers: Handlers<keyof typeof shareOperations> = {
  'share.exportCase': (db, input) =>
    exportCaseFile(db, input.path, {
      omitAttachments: input.omitAttachments,
      omitNotes: input.omitNotes,
      ...(input.passphrase !== undefined ? { passphrase: input.passphrase } : {}),
    }),
};
