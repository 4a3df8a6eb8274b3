import type { exchangeOperations } from '../shared/ops/exchange';
import { exportCsv, importCsv, previewCsv } from './exchange/csv';
import { exportFtm, importFtm } from './exchange/ftm';
import { exportGexf, exportGraphml } from './exchange/graph-formats';
import type { Handlers } from './handler';

export const exchangeHandlers: Handlers<keyof typeof exchangeOperations> = {
  'exchange.previewCsv': (_db, input) => previewCsv(input.text, input.kind, input.rows),
  'exchange.importCsv': (db, input, ctx) =>
    importCsv(db, input.text, input.kind, input.map, {
      actor: ctx.actor,
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    }),
  'exchange.importFtm': (db, input, ctx) =>
    importFtm(db, input.text, {
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
