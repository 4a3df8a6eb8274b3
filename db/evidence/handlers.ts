import { CaseboardError } from '../../shared/errors';
import { MAX_INLINE_BYTES, formatBytes } from '../../shared/evidence';
import type { OpParsedInput } from '../../shared/contract';
import path from 'node:path';
import { attachmentBytes, attachmentText, checkAttachmentSize, deleteAttachment, duplicateMessage, exportAttachment, findBySha256, getAttachment, listAttachments, readAttachmentFile, sha256Hex, storeAttachment, type PreparedFile } from './attachments';
import type { CaseDb } from '../core/case-file';
import { createExcerptClaim } from './excerpt-claims';
import { createExcerpt, deleteExcerpt, getExcerpt, listExcerpts, updateExcerpt } from './excerpts';
import { extractText } from './extract';
import { changesOf, type Handlers, type OperationContext } from '../core/handler';
import { excerptFromMention, listMentions } from './mentions';
import { sniffMediaType } from './media-type';
import { search } from './search';
import { getSource } from './sources';
import type { evidenceOperations } from '../../shared/ops/evidence';

type AddInput = OpParsedInput<'attachments.add'>;

function fileBytes(input: AddInput): { name: string; bytes: Uint8Array } {
  const file = input.file;
  if ('base64' in file) {
    const bytes = Buffer.from(file.base64, 'base64');
    checkAttachmentSize(file.name, bytes.length);
    return { name: file.name, bytes };
  }
  const bytes = readAttachmentFile(file.path);
  return { name: file.name ?? path.basename(file.path), bytes };
}

/**
 * Reads, sniffs, hashes and extracts a file before the write transaction,
 * so the transaction itself is short. Duplicates are refused here already,
 * before the slow text extraction, and checked again inside the transaction.
 */
async function prepareFile(db: CaseDb, input: AddInput, ctx: OperationContext): Promise<PreparedFile> {
  if (input.sourceId) getSource(db, input.sourceId);
  const { name, bytes } = fileBytes(input);
  ctx.progress({ done: 0, total: 1, message: `Reading ${name}` });
  const sha256 = sha256Hex(bytes);
  if (!input.allowDuplicate) {
    const existing = findBySha256(db, sha256);
    if (existing) throw new CaseboardError('conflict', duplicateMessage(name, existing), [{ path: 'file', message: duplicateMessage(name, existing) }]);
  }
  const mediaType = sniffMediaType(bytes, name);
  ctx.throwIfCancelled();
  const text = await extractText(bytes, mediaType, {
    checkpoint: () => ctx.throwIfCancelled(),
    onPage: (done, total) => ctx.progress({ done, total, message: `Reading the text of ${name}: page ${done} of ${total}` }),
  });
  return { name, bytes, mediaType, sha256, text };
}

export const evidenceHandlers: Handlers<keyof typeof evidenceOperations & string> = {
  'attachments.add': {
    prepare: prepareFile,
    commit: (db, input, prepared: PreparedFile, ctx) => storeAttachment(db, changesOf(ctx), prepared, input.sourceId, input.allowDuplicate),
  },
  'attachments.list': (db, input) => listAttachments(db, input.sourceId),
  'attachments.get': (db, input) => getAttachment(db, input.id),
  'attachments.text': (db, input) => attachmentText(db, input.id),
  'attachments.content': (db, input) => {
    const attachment = getAttachment(db, input.id);
    if (attachment.size > MAX_INLINE_BYTES) {
      throw new CaseboardError('invalid_input', `${attachment.name} is ${formatBytes(attachment.size)}, too large to show here (at most ${formatBytes(MAX_INLINE_BYTES)}); save it and open it with another program.`);
    }
    const { bytes } = attachmentBytes(db, input.id);
    return { name: attachment.name, mediaType: attachment.mediaType, sha256: attachment.sha256, base64: bytes.toString('base64') };
  },
  'attachments.export': (db, input) => exportAttachment(db, input.id, input.path),
  'attachments.delete': (db, input, ctx) => deleteAttachment(db, changesOf(ctx), input.id),
  'excerpts.list': (db, input) => listExcerpts(db, input.sourceId),
  'excerpts.get': (db, input) => getExcerpt(db, input.id),
  'excerpts.create': (db, input, ctx) => createExcerpt(db, changesOf(ctx), input.sourceId, input.fields),
  'excerpts.update': (db, input, ctx) => updateExcerpt(db, changesOf(ctx), input.id, input.fields),
  'excerpts.delete': (db, input, ctx) => deleteExcerpt(db, changesOf(ctx), input.id),
  'excerpts.claim': (db, input, ctx) => createExcerptClaim(db, changesOf(ctx), input),
  'search.query': (db, input) => search(db, input),
  'mentions.list': (db, input) => listMentions(db, input),
  'mentions.excerpt': (db, input, ctx) => excerptFromMention(db, changesOf(ctx), input),
};
