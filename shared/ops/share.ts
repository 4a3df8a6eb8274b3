import { z } from 'zod';
import { op } from '../operation';

export const exportCaseInput = z.object({
  path: z
    .string()
    .trim()
    .min(1, 'Choose where to write the copy.')
    .max(4096)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Give the full path of the file to write.'),
  omitAttachments: z.boolean().default(false),
  omitNotes: z.boolean().default(false),
  passphrase: z.string().min(8, 'Choose a passphrase of at least 8 characters.').max(1024).optional(),
});

/** Operations for sharing a case with others. */
export const shareOperations = {
  'share.exportCase': op<{ path: string; encrypted: boolean }>()(exportCaseInput, false, { paths: [{ field: 'path', mode: 'save' }] }),
};
