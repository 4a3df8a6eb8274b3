import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCaseFile } from '../../../db/core/case-file';
import { runCaseOperation, runCaseOperationAsync, type OperationContext } from '../../../db/host/operations';
import { fillCase } from '../../helpers/bulk';

const ctx: OperationContext = { actor: 'hardening', progress: () => undefined, throwIfCancelled: () => undefined };

/**
 * A small but complete case file made through the real operations: sources,
 * an attached file, an excerpt, entities, links, citations and area tags.
 * Returns its path and bytes.
 */
export async function buildBaseCase(dir: string, name = 'base.caseboard'): Promise<{ file: string; bytes: Buffer }> {
  const file = path.join(dir, name);
  const db = createCaseFile(file, { title: 'Aero-engine cooperation', marking: 'SENSITIVE' });
  try {
    const source = runCaseOperation(db, 'sources.create', { kind: 'report', title: 'Joint laboratory annual report', reliability: 'B', notes: 'Read twice.' }, ctx);
    runCaseOperation(db, 'sources.create', { kind: 'article', title: 'Московский авиационный институт: новости', reliability: 'C', url: 'https://example.org/mai' }, ctx);
    const text = Buffer.from('The joint laboratory develops turbofan blades. '.repeat(40));
    const attached = await runCaseOperationAsync(db, 'attachments.add', { sourceId: source.id, file: { name: 'report.txt', base64: text.toString('base64') } }, ctx);
    runCaseOperation(db, 'excerpts.create', { sourceId: source.id, fields: { attachmentId: attached.attachment.id, quote: 'develops turbofan blades', credibility: 2, comment: 'Key claim.' } }, ctx);
    fillCase(db, 24, 40);
  } finally {
    db.close();
  }
  return { file, bytes: readFileSync(file) };
}
