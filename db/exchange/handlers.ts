import { CaseboardError } from '../../shared/errors';
import type { exchangeOperations } from '../../shared/ops/exchange';
import { exportCsv, importCsv, previewCsv } from './csv';
import { exportFtm, importFtm } from './ftm';
import { exportGexf, exportGraphml } from './graph-formats';
import type { Handlers } from '../core/handler';

/** The file an import form sent: its bytes (read in their encoding) or text. */
function csvInput(input: { text?: string | undefined; base64?: string | undefined }): string | Buffer {
  if (input.base64 !== undefined) return Buffer.from(input.base64, 'base64');
  if (input.text !== undefined) return input.text;
  throw new CaseboardError('invalid_input', 'Choose a file to import.');
}

export const exchangeHandlers: Handlers<keyof typeof exchangeOperations> = {
  'exchange.previewCsv': (db, input) => previewCsv(db, csvInput(input), input.kind, input.rows, input.map, input),
  'exchange.importCsv': (db, input, ctx) =>
    importCsv(db, csvInput(input), input.kind, input.map, {
      ...input,
      actor: ctx.actor,
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    }),
  'exchange.importFtm': (db, input, ctx) =>
    importFtm(db, input.text, {
      onMatch: input.onMatch,
      listName: input.listName,
      actor: ctx.actor,
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    }),
  'exchange.export': (db, input) => {
    if (input.format === 'csv') return { text: exportCsv(db, input.kind), mediaType: 'text/csv', extension: `${input.kind}.csv` };
    if (input.format === 'ftm') return { text: exportFtm(db).text, mediaType: 'application/x-ndjson', extension: 'ftm.json' };
    if (input.format === 'gexf') return { text: exportGexf(db), mediaType: 'application/gexf+xml', extension: 'gexf' };
    return { text: exportGraphml(db), mediaType: 'application/graphml+xml', extension: 'graphml' };
  },
};
