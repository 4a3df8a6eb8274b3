import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { session, type BrowserWindowConstructorOptions, type PrintToPDFOptions } from 'electron';
import { createPrintWindow } from './window';
import type { CallOptions } from '../db/host/workspace';
import { CaseboardError } from '../shared/errors';
import type { OperationName } from '../shared/operation-names';
import { countPdfPages, type PrintableReport, type ReportExport } from '../shared/report';
import { REPORT_MARGINS } from '../shared/report-html';
import { PrivateCopies, writeOutputBytes } from '../db/host/output-files';
import { printWithContentsPages } from '../db/host/report-printing';

/** What printing needs of a window; BrowserWindow fits, and tests pass a fake. */
export interface PdfWindow {
  loadFile(file: string): Promise<void>;
  webContents: { printToPDF(options: PrintToPDFOptions): Promise<Buffer> };
  destroy(): void;
}

const PARTITION = 'caseboard-report-pdf';
const inches = (mm: string) => Number.parseFloat(mm) / 25.4;

/** The print window: hidden, sandboxed, JavaScript off, in a session of its own that loads nothing but the report file. */
export function reportWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 794,
    height: 1123,
    webPreferences: {
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      images: true,
      spellcheck: false,
      partition: PARTITION,
    },
  };
}

function defaultWindow(options: BrowserWindowConstructorOptions, reportUrl: string): PdfWindow {
  const ses = session.fromPartition(PARTITION);
  // Only the report file itself and its inline data: images load; everything else is refused.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !(details.url === reportUrl || details.url.startsWith('data:')) }));
  return createPrintWindow(options);
}

/**
 * Prints a report with Electron's own Chromium (`webContents.printToPDF`) in a
 * hidden window, with the same HTML, header and footer the command line uses.
 */
export async function printReportInWindow(printable: PrintableReport, newWindow: (options: BrowserWindowConstructorOptions, reportUrl: string) => PdfWindow = defaultWindow): Promise<Buffer> {
  // The briefing is the case in plain text: it waits for the printer in the private folder, never in the system's temporary folder.
  const copies = PrivateCopies.make();
  const file = writeOutputBytes(copies.pathFor('report.html'), printable.html, { replace: false });
  const window = newWindow(reportWindowOptions(), pathToFileURL(file).href);
  try {
    await window.loadFile(file);
    return await window.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: printable.header,
      footerTemplate: printable.footer,
      margins: { top: inches(REPORT_MARGINS.top), bottom: inches(REPORT_MARGINS.bottom), left: inches(REPORT_MARGINS.left), right: inches(REPORT_MARGINS.right) },
      generateDocumentOutline: true,
      generateTaggedPDF: true,
    });
  } finally {
    window.destroy();
    copies.remove();
  }
}

export interface Runner {
  /** Runs an operation with input already parsed against the contract. */
  call(name: OperationName, input: unknown, options: CallOptions): Promise<unknown>;
}

/**
 * The Electron door's report export: PDF is printed here in the main process
 * (the database worker renders the HTML); every other operation passes through.
 */
export function withElectronPdf(runner: Runner, print: (printable: PrintableReport) => Promise<Buffer> = (p) => printWithContentsPages(p.html, (html) => printReportInWindow({ ...p, html }))): Runner {
  const call: Runner['call'] = async (name, input, options) => {
    const request = input as { format?: string; id?: string; fields?: unknown; areaIds?: string[]; path?: string } | null;
    if (name !== 'reports.export' || request?.format !== 'pdf') return runner.call(name, input, options);
    const started = Date.now();
    if (request.path !== undefined && !path.isAbsolute(request.path)) throw new CaseboardError('invalid_input', 'Give the full path of the file to write.');
    options.onProgress?.({ done: 0, total: 3, message: 'Collecting the report data' });
    // The same report source as the parsed export input, so already parsed for rendering too.
    const source = { ...(request.id !== undefined ? { id: request.id } : {}), ...(request.fields !== undefined ? { fields: request.fields } : {}), ...(request.areaIds !== undefined ? { areaIds: request.areaIds } : {}) };
    const printable = (await runner.call('reports.render', source, options)) as PrintableReport;
    options.onProgress?.({ done: 1, total: 3, message: 'Printing the PDF' });
    const pdf = await print(printable);
    if (request.path !== undefined) writeOutputBytes(request.path, pdf, { replace: true });
    options.onProgress?.({ done: 3, total: 3, message: 'Done' });
    const result: ReportExport = {
      format: 'pdf',
      fileName: printable.fileName,
      mediaType: 'application/pdf',
      bytes: pdf.length,
      path: request.path ?? null,
      base64: request.path === undefined ? pdf.toString('base64') : null,
      pages: countPdfPages(pdf),
      millis: Date.now() - started,
    };
    return result;
  };
  return { call };
}
