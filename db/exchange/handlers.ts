import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { exchangeOperations } from '../../shared/ops/exchange';
import { exportCsv, importCsv, previewCsv } from './csv';
import { exportFtm, importFtm } from './ftm';
import type { FtmSource } from './ftm-lines';
import { exportGexf, exportGraphml } from './graph-formats';
import type { CaseDb } from '../core/case-file';
import { exportCaseModel } from '../model/export';
import { withLeftOut } from '../share/share';
import type { CaseExportFormat, CsvKind, ExchangeExport } from '../../shared/ops/exchange';
import { changesOf, type Handlers, type OperationContext } from '../core/handler';
import { describeChangeSet } from '../core/journal';

function readImportFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read.`);
  }
}

/** The file an import form sent (its bytes, read in their encoding, or text), or the file a command named. */
function csvInput(input: { text?: string | undefined; base64?: string | undefined; path?: string | undefined }): string | Buffer {
  if (input.base64 !== undefined) return Buffer.from(input.base64, 'base64');
  if (input.text !== undefined) return input.text;
  if (input.path !== undefined) return readImportFile(input.path);
  throw new CaseboardError('invalid_input', 'Choose a file to import.');
}

/** FtM lines as text, or the file a command named (read a piece at a time as UTF-8, as FtM files are written). */
function ftmInput(input: { text?: string | undefined; path?: string | undefined }): FtmSource {
  if (input.text !== undefined) return { text: input.text };
  if (input.path !== undefined) return { path: input.path };
  throw new CaseboardError('invalid_input', 'Choose a file to import.');
}

/** An import of a named file is the step History calls by the file's name. */
function nameImport(db: CaseDb, ctx: OperationContext, input: { path?: string | undefined }): void {
  if (input.path !== undefined) describeChangeSet(db, changesOf(ctx), `Imported ${path.basename(input.path)}`);
}

function exportAs(db: CaseDb, format: CaseExportFormat, kind: CsvKind): ExchangeExport {
  if (format === 'json') return { text: `${JSON.stringify(exportCaseModel(db, new Date().toISOString()), null, 2)}\n`, mediaType: 'application/json', extension: 'json', leftOut: 0 };
  if (format === 'csv') return { text: exportCsv(db, kind), mediaType: 'text/csv', extension: `${kind}.csv`, leftOut: 0 };
  if (format === 'ftm') {
    const { text, leftOut } = exportFtm(db);
    return { text, mediaType: 'application/x-ndjson', extension: 'ftm.json', leftOut };
  }
  if (format === 'gexf') return { text: exportGexf(db), mediaType: 'application/gexf+xml', extension: 'gexf', leftOut: 0 };
  return { text: exportGraphml(db), mediaType: 'application/graphml+xml', extension: 'graphml', leftOut: 0 };
}

export const exchangeHandlers: Handlers<keyof typeof exchangeOperations> = {
  'exchange.previewCsv': (db, input) => previewCsv(db, csvInput(input), input.kind, input.rows, input.map, input),
  'exchange.importCsv': (db, input, ctx) => {
    nameImport(db, ctx, input);
    return importCsv(db, csvInput(input), input.kind, input.map, {
      ...input,
      changes: changesOf(ctx),
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    });
  },
  'exchange.importFtm': (db, input, ctx) => {
    nameImport(db, ctx, input);
    return importFtm(db, ftmInput(input), {
      onMatch: input.onMatch,
      listName: input.listName,
      changes: changesOf(ctx),
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    });
  },
  // What is left out is left out of a copy held in memory, as a shared case file leaves it out.
  'exchange.export': (db, input) => withLeftOut(db, input, (source) => exportAs(source, input.format, input.kind)),
};
