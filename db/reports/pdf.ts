import { existsSync } from 'node:fs';
import { CaseboardError } from '../../shared/errors';
import { REPORT_MARGINS } from '../../shared/report-html';
import { printWithContentsPages } from './page-numbers';

/** Where Chromium usually lives, in the order we try them. */
export const CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/** Thrown when no Chromium can be found; the message says how to point Caseboard at one. */
export class NoChromiumError extends CaseboardError {
  constructor(detail: string) {
    super('internal', `${detail} PDF export needs Chromium or Google Chrome: install it, or give its path with --chromium or the CASEBOARD_CHROMIUM environment variable.`);
  }
}

/** The Chromium to print with: an explicit path, then CASEBOARD_CHROMIUM, then the usual system paths. */
export function findChromium(explicit?: string | null, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): string {
  if (explicit) {
    if (!exists(explicit)) throw new NoChromiumError(`There is no Chromium at ${explicit}.`);
    return explicit;
  }
  const fromEnv = env.CASEBOARD_CHROMIUM?.trim();
  if (fromEnv) {
    if (!exists(fromEnv)) throw new NoChromiumError(`CASEBOARD_CHROMIUM names ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found = CHROMIUM_PATHS.find((p) => exists(p));
  if (!found) throw new NoChromiumError('No Chromium was found.');
  return found;
}

export interface PrintOptions {
  chromium: string;
  header: string;
  footer: string;
}

/** Whether this process runs as root, where Chromium refuses to start its sandbox. */
function runsAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * How Chromium is started to print: inside its sandbox wherever it will run
 * one. Chromium refuses the sandbox only to root; playwright-core adds
 * --no-sandbox unless the sandbox is asked for.
 */
export function chromiumLaunchOptions(executablePath: string, asRoot: boolean = runsAsRoot()): { executablePath: string; chromiumSandbox: boolean; args: string[] } {
  return {
    executablePath,
    chromiumSandbox: !asRoot,
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'],
  };
}

/**
 * Prints report HTML to PDF bytes with Chromium driven by playwright-core.
 * The page runs with JavaScript off and every request refused, so nothing in
 * the report can run or reach out; fonts come from the system. It prints
 * twice so that the contents can list page numbers (printWithContentsPages).
 */
export async function printReportPdf(html: string, options: PrintOptions): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const launch = chromiumLaunchOptions(options.chromium);
  const browser = await chromium.launch(launch).catch(async (error: unknown) => {
    // Some systems forbid the namespaces Chromium's sandbox is built on; the page still runs with JavaScript off and no network.
    if (!launch.chromiumSandbox || !/sandbox/i.test(error instanceof Error ? error.message : String(error))) throw error;
    process.stderr.write('caseboard: this system does not let Chromium start its sandbox; printing without it.\n');
    return chromium.launch({ ...launch, chromiumSandbox: false });
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    return await printWithContentsPages(html, async (document) => {
      await page.setContent(document, { waitUntil: 'load' });
      return page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: options.header,
        footerTemplate: options.footer,
        margin: { ...REPORT_MARGINS },
        // Tagged output and an outline triple Chromium's time on a 100-page briefing; links inside the PDF still work.
        outline: false,
        tagged: false,
      });
    });
  } finally {
    await browser.close();
  }
}
