import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { cliPath } from './temp';

/** Debian's Chromium; override with CASEBOARD_CHROMIUM. */
export function chromiumPath(): string {
  const candidates = [process.env.CASEBOARD_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('No Chromium found; install Debian package chromium or set CASEBOARD_CHROMIUM.');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

export interface ServedCase {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `caseboard serve` as a user would and waits for the URL it prints. */
export function serveCase(args: string[], env: Record<string, string>): Promise<ServedCase> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`caseboard serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(output);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({
          url: `${match[1]}/?token=${match[2]}`,
          origin: match[1],
          token: match[2],
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`caseboard serve exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Calls one operation over HTTP on a served case, as the page would, and
 * returns its value. A refused operation throws an Error that names the
 * operation, the HTTP status and the error the server sent back.
 */
export async function callApi<N extends OperationName>(served: ServedCase, name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const response = await fetch(`${served.origin}/api/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  let body: { ok?: unknown; value?: unknown; error?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${name} failed (HTTP ${response.status}): the reply is not JSON: ${text.slice(0, 200)}`);
  }
  if (body.ok !== true) throw new Error(`${name} failed (HTTP ${response.status}): ${JSON.stringify(body.error ?? null)}`);
  return body.value as OpOutput<N>;
}

/** A fresh browser with one page at the given size, watched for script errors. Close the browser when done. */
export async function openPage(options: { width?: number; height?: number; timeout?: number } = {}): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeout ?? 15_000);
    const errors = watchPageErrors(page);
    return { browser, page, errors };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Fails the test on any script error or dialog in the page. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Operations the door refuses (bad input, wrong passphrase) answer 4xx by design; Chromium logs each one.
    const refusedOperation = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
    if (message.type() === 'error' && !refusedOperation) errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return errors;
}

/**
 * The page's requests that have started and not yet ended, so a test can wait
 * until a view has loaded its data (and name the request that never ends).
 */
export function watchRequests(page: Page): () => string[] {
  const pending = new Map<Request, string>();
  page.on('request', (request) => pending.set(request, `${request.method()} ${request.url()}`));
  page.on('requestfinished', (request) => pending.delete(request));
  page.on('requestfailed', (request) => pending.delete(request));
  return () => [...pending.values()];
}
