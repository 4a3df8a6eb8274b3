import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { privateFolder } from '../../db/core/private-files';
import { printReportInWindow, withElectronPdf, type PdfWindow } from '../../electron/report-pdf';
import type { PrintableReport } from '../../shared/report';
import { tempDir } from '../helpers/temp';

const PRINTABLE: PrintableReport = {
  html: '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"></head><body><h1>Briefing</h1></body></html>',
  header: '<div>SENSITIVE</div>',
  footer: '<div>SENSITIVE <span class="pageNumber"></span></div>',
  fileName: 'Briefing.pdf',
};

function fakeWindow(fail = false) {
  const seen: { options?: BrowserWindowConstructorOptions; url?: string; loaded?: string; html?: string; print?: PrintToPDFOptions } = {};
  const destroy = vi.fn();
  const factory = (options: BrowserWindowConstructorOptions, url: string): PdfWindow => {
    seen.options = options;
    seen.url = url;
    return {
      loadFile: async (file) => {
        seen.loaded = file;
        seen.html = readFileSync(file, 'utf8');
      },
      webContents: {
        printToPDF: async (options) => {
          seen.print = options;
          if (fail) throw new Error('printing failed');
          return Buffer.from('%PDF-1.7\n1 0 obj << /Type /Page >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type /Pages >>');
        },
      },
      destroy,
    };
  };
  return { seen, destroy, factory };
}

describe('PDF printing in the Electron window', () => {
  it('prints in a hidden, sandboxed window with JavaScript off, in its own session, with the marking in header and footer', async () => {
    const { seen, destroy, factory } = fakeWindow();
    const pdf = await printReportInWindow(PRINTABLE, factory);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(seen.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'caseboard-report-pdf' } });
    expect(seen.options?.webPreferences?.preload).toBeUndefined();
    expect(seen.html).toBe(PRINTABLE.html);
    expect(seen.url && fileURLToPath(seen.url)).toBe(seen.loaded);
    // Waiting for the printer in the private folder, not in the system's temporary folder.
    expect(path.dirname(path.dirname(seen.loaded as string))).toBe(privateFolder());
    expect(seen.print).toMatchObject({ pageSize: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: PRINTABLE.header, footerTemplate: PRINTABLE.footer });
    expect(seen.print?.margins?.top).toBeCloseTo(22 / 25.4);
    // The window and the temporary copy of the report are gone afterwards.
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(existsSync(seen.loaded as string)).toBe(false);
  });

  it('closes the window and removes the temporary file when printing fails', async () => {
    const { seen, destroy, factory } = fakeWindow(true);
    await expect(printReportInWindow(PRINTABLE, factory)).rejects.toThrow('printing failed');
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(existsSync(seen.loaded as string)).toBe(false);
  });

  it('runs a PDF export through the worker for the HTML and prints it in the main process; other operations pass through', async () => {
    const calls: [string, unknown][] = [];
    const runner = { call: vi.fn(async (name: string, input: unknown) => (calls.push([name, input]), name === 'reports.render' ? PRINTABLE : { passed: name })) };
    const print = vi.fn(async () => Buffer.from('%PDF-1.7 /Type /Page'));
    const door = withElectronPdf(runner, print);
    const progress: string[] = [];
    const downloaded = (await door.call('reports.export', { id: '01900000-0000-7000-8000-000000000000', format: 'pdf' }, { onProgress: (p) => progress.push(p.message ?? '') })) as { base64: string; fileName: string; pages: number };
    expect(calls[0]).toEqual(['reports.render', { id: '01900000-0000-7000-8000-000000000000' }]);
    expect(print).toHaveBeenCalledWith(PRINTABLE);
    expect(Buffer.from(downloaded.base64, 'base64').toString()).toBe('%PDF-1.7 /Type /Page');
    expect(downloaded).toMatchObject({ fileName: 'Briefing.pdf', pages: 1 });
    expect(progress).toEqual(['Collecting the report data', 'Printing the PDF', 'Done']);

    const target = `${tempDir()}/out.pdf`;
    const written = (await door.call('reports.export', { id: '01900000-0000-7000-8000-000000000000', format: 'pdf', path: target }, {})) as { path: string; base64: null };
    expect(written).toMatchObject({ path: target, base64: null });
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7 /Type /Page');

    expect(await door.call('reports.export', { id: '01900000-0000-7000-8000-000000000000', format: 'html' }, {})).toEqual({ passed: 'reports.export' });
    expect(await door.call('reports.list', {}, {})).toEqual({ passed: 'reports.list' });
    expect(print).toHaveBeenCalledTimes(2);
  });
});
