import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { reportOperations } from '../../shared/ops/reports';
import { countPdfPages, reportFileName, type ReportExport, type ReportFields, type ReportFormat, type PrintableReport } from '../../shared/report';
import { renderReportHtml, reportHeaderFooter } from '../../shared/report-html';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { changesOf, type Handlers, type OperationContext } from '../core/handler';
import { writeOutputBytes } from '../core/output-file';
import { assembleReport, type ReportDefinitionInput } from './report-data';
import { findChromium, printReportPdf } from './pdf';
import { createReport, deleteReport, getReport, listReports, updateReport } from './reports';

type ReportOperationName = keyof typeof reportOperations;

/** The definition to print: a saved report, or the one being edited, limited to other areas where the input names them. */
export function definitionOf(db: CaseDb, input: { id?: string | undefined; fields?: ReportFields | undefined; areaIds?: string[] | undefined }): ReportDefinitionInput {
  const definition = input.id !== undefined ? getReport(db, input.id) : input.fields;
  if (!definition) throw new CaseboardError('invalid_input', 'Choose a saved report or give its definition.');
  return input.areaIds !== undefined ? { ...definition, scope: { ...definition.scope, areaIds: input.areaIds } } : definition;
}

/** Renders a definition to the HTML a printer takes, with the case file hashed for the appendix. */
export function printableReport(db: CaseDb, definition: ReportDefinitionInput, exportedAt = new Date().toISOString()): PrintableReport {
  const data = assembleReport(db, definition, { exportedAt, hashCaseFile: true });
  const { header, footer } = reportHeaderFooter(data);
  return { html: renderReportHtml(data, { pageChrome: 'printer' }), header, footer, fileName: reportFileName(data.title, 'pdf') };
}

/** Writes the report as every output is written (see output-file): whole or not at all, an ordinary file replaced, never a case file or a link. */
export function writeAtomically(target: string, bytes: Buffer): void {
  writeOutputBytes(target, bytes, { replace: true });
}

/**
 * Renders a report to PDF or self-contained HTML. PDF printing runs
 * Chromium as a separate process; this waits for it without blocking.
 */
export async function exportReport(
  db: CaseDb,
  definition: ReportDefinitionInput,
  format: ReportFormat,
  target: string | undefined,
  ctx: Pick<OperationContext, 'progress' | 'throwIfCancelled'>,
  chromium?: string | null,
): Promise<ReportExport> {
  const started = Date.now();
  if (target !== undefined && !path.isAbsolute(target)) throw new CaseboardError('invalid_input', 'Give the full path of the file to write.');
  if (target !== undefined && path.resolve(target) === caseFilePath(db)) throw new CaseboardError('invalid_input', 'Choose an output file other than the case file.');
  const total = format === 'pdf' ? 3 : 2;
  ctx.progress({ done: 0, total, message: 'Collecting the report data' });
  const exportedAt = new Date().toISOString();
  let bytes: Buffer;
  let fileName: string;
  let pages: number | null = null;
  if (format === 'pdf') {
    const executable = findChromium(chromium);
    const printable = printableReport(db, definition, exportedAt);
    ctx.throwIfCancelled();
    ctx.progress({ done: 1, total, message: 'Printing the PDF' });
    bytes = await printReportPdf(printable.html, { chromium: executable, header: printable.header, footer: printable.footer });
    pages = countPdfPages(bytes);
    fileName = printable.fileName;
  } else {
    const data = assembleReport(db, definition, { exportedAt, hashCaseFile: true });
    bytes = Buffer.from(renderReportHtml(data, { pageChrome: 'css' }), 'utf8');
    fileName = reportFileName(data.title, 'html');
  }
  ctx.throwIfCancelled();
  ctx.progress({ done: total - 1, total, message: 'Writing the file' });
  if (target !== undefined) writeAtomically(target, bytes);
  ctx.progress({ done: total, total, message: 'Done' });
  return {
    format,
    fileName,
    mediaType: format === 'pdf' ? 'application/pdf' : 'text/html',
    bytes: bytes.length,
    path: target ?? null,
    base64: target === undefined ? bytes.toString('base64') : null,
    pages,
    millis: Date.now() - started,
  };
}

/** Handlers of the briefing operations. */
export const reportHandlers: Handlers<ReportOperationName> = {
  'reports.list': (db) => listReports(db),
  'reports.get': (db, input) => getReport(db, input.id),
  'reports.create': (db, input, ctx) => createReport(db, changesOf(ctx), input.fields),
  'reports.update': (db, input, ctx) => updateReport(db, changesOf(ctx), input.id, input.fields),
  'reports.delete': (db, input, ctx) => deleteReport(db, changesOf(ctx), input.id),
  'reports.preview': (db, input) => {
    const data = assembleReport(db, definitionOf(db, input), { exportedAt: new Date().toISOString(), hashCaseFile: false });
    return { html: renderReportHtml(data, { pageChrome: 'css', ...(input.styleNonce ? { styleNonce: input.styleNonce } : {}) }) };
  },
  'reports.render': (db, input) => printableReport(db, definitionOf(db, input)),
  'reports.export': {
    prepare: (db, input, ctx) => exportReport(db, definitionOf(db, input), input.format, input.path, ctx),
    commit: (_db, _input, prepared: ReportExport) => prepared,
  },
};
