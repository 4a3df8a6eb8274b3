import { closeSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { exchangeOperations } from '../../shared/ops/exchange';
import { exportCsv, importCsv, previewCsv } from './csv';
import { exportFtm, importFtm } from './ftm';
import { openImportFile, type FtmSource } from './ftm-lines';
import { exportGexf, exportGraphml } from './graph-formats';
import type { CaseDb } from '../core/case-file';
import { exportCaseModel } from '../model/export';
import { withLeftOut } from '../share/share';
import { CSV_PREVIEW_BYTES, type CaseExportFormat, type CsvKind, type ExchangeExport } from '../../shared/ops/exchange';
import { changesOf, type Handlers } from '../core/handler';

function readImportFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_FS_FILE_TOO_LARGE') throw new CaseboardError('invalid_input', `${path.basename(file)} is larger than 2 GB, more than a CSV import reads at once; split it into smaller files and import each.`);
    throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read.`);
  }
}

/** The start of a file named for a preview, and whether there is more of it: a preview reads no more than a form would send of it. */
function readImportHead(file: string): { data: Buffer; partial: boolean } {
  const fd = openImportFile(file);
  try {
    // One byte more than is kept tells whether the file goes on.
    const buffer = Buffer.alloc(CSV_PREVIEW_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { data: buffer.subarray(0, Math.min(length, CSV_PREVIEW_BYTES)), partial: length > CSV_PREVIEW_BYTES };
  } catch {
    throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read.`);
  } finally {
    closeSync(fd);
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

/** The name History gives the file of an import: the file a path names. */
function importedFile(input: { path?: string | undefined }): { fileName?: string } {
  return input.path !== undefined ? { fileName: path.basename(input.path) } : {};
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
  'exchange.previewCsv': (db, input) => {
    if (input.path === undefined || input.base64 !== undefined || input.text !== undefined) return previewCsv(db, csvInput(input), input.kind, input.rows, input.map, input);
    // A file named by its path is read only as far as a form would send of it.
    const head = readImportHead(input.path);
    return previewCsv(db, head.data, input.kind, input.rows, input.map, { ...input, head: head.partial });
  },
  'exchange.importCsv': (db, input, ctx) => {
    return importCsv(db, csvInput(input), input.kind, input.map, {
      ...input,
      ...importedFile(input),
      changes: changesOf(ctx),
      progress: (done, total, message) => ctx.progress({ done, total, message }),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    });
  },
  'exchange.importFtm': (db, input, ctx) => {
    return importFtm(db, ftmInput(input), {
      ...importedFile(input),
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
