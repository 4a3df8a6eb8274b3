import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase, SAMPLE_TITLE } from '../../db/host/sample-case';
import { launchBrowser, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { makePng } from '../helpers/evidence-files';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

interface LoggedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

interface LoggingServer {
  origin: string;
  log: LoggedRequest[];
  close(): Promise<void>;
}

/** A page of another local web app: an image, and a script that fetches with every credential the browser will send. */
const OTHER_APP_PAGE = `<!doctype html><title>other app</title><img id="pixel" src="/pixel.png" alt="">
<script>fetch('/fetched', { credentials: 'include' }).then((r) => r.text()).then((t) => { document.title = t; });</script>`;

/** Another web server on 127.0.0.1, on a port of its own, that writes down every request it is sent. */
function startLoggingServer(png: Buffer): Promise<LoggingServer> {
  const log: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    log.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const [type, body] = req.url === '/' ? ['text/html', OTHER_APP_PAGE] : req.url?.startsWith('/pixel.png') ? ['image/png', png] : ['text/plain', 'fetched'];
    res.writeHead(200, { 'Content-Type': type });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        log,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** A case file served as a user would, with the investigator already named so no prompt covers the page. */
async function serveFile(file: string): Promise<ServedCase> {
  const home = path.join(path.dirname(file), `home-${path.basename(file)}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ investigator: 'Alice' }));
  return serveCase([file], { CASEBOARD_HOME: home });
}

async function caseTitle(page: Page): Promise<string> {
  return page.locator('.case-title h1').innerText();
}

async function addSource(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Add source' }).first().click();
  await page.fill('#source-title', title);
  await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
  await expect.poll(() => page.locator('.form-status').innerText()).toBe('Source added.');
  await page.getByRole('button', { name: 'Close panel' }).click();
}

async function sourceTitles(page: Page): Promise<string[]> {
  return page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]').allInnerTexts();
}

/** Every request the page sends to a server, with its headers as sent on the wire. */
function recordRequests(page: Page): { url: string; headers: Record<string, string> }[] {
  const sent: { url: string; headers: Record<string, string> }[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith('http')) void request.allHeaders().then((headers) => sent.push({ url: request.url(), headers }));
  });
  return sent;
}

describe('the browser-mode token stays with its own server', () => {
  let browser: Browser;
  let dir: string;
  let png: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    dir = tempDir('caseboard-token-');
    browser = await launchBrowser();
    png = await makePng(browser, path.join(dir, 'diagram.png'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('another server on 127.0.0.1 never receives the token, in a header or a cookie, after the app was used', async () => {
    const file = path.join(dir, 'sample.caseboard');
    createSampleCase(file).close();
    const served = await serveFile(file);
    const other = await startLoggingServer(readFileSync(png));
    let context: BrowserContext | undefined;
    try {
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors = watchPageErrors(page);
      const sent = recordRequests(page);

      await page.goto(`${served.url}#/sources`);
      await expect.poll(() => caseTitle(page)).toBe(SAMPLE_TITLE);
      // The token is out of the address bar at once, the view's address kept.
      expect(page.url()).toBe(`${served.origin}/#/sources`);
      await expect.poll(async () => (await sourceTitles(page)).length).toBeGreaterThan(0);

      // Attach an image to a source, view it, save a copy.
      await addSource(page, 'Satellite picture of the Harbin campus');
      await page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]', { hasText: 'Satellite picture of the Harbin campus' }).click();
      await page.locator('input[aria-label="Attach files"]').setInputFiles(png);
      const row = page.locator('.attachment-list li', { hasText: 'diagram.png' });
      await row.getByRole('button', { name: 'Open' }).click();
      const image = page.locator('img.attachment-image');
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
      expect(await image.getAttribute('src')).toMatch(/^blob:/);
      await page.screenshot({ path: path.join(screenshots, 'token-attachment-image.png') });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save a copy: diagram.png' }).click()]);
      const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
      expect(digest(readFileSync(await download.path()))).toBe(digest(readFileSync(png)));
      await page.getByRole('button', { name: 'Close viewer' }).click();

      // Other views, and a reload, which keeps working without the token in the address.
      await page.getByRole('link', { name: 'Entities' }).click();
      await expect.poll(() => page.locator('.ag-grid-scrolling-container .ag-row').count()).toBeGreaterThan(0);
      await page.reload();
      await expect.poll(() => caseTitle(page)).toBe(SAMPLE_TITLE);
      await expect.poll(() => page.locator('.ag-grid-scrolling-container .ag-row').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(screenshots, 'token-after-reload.png') });
      expect(errors).toEqual([]);

      // Every request with case data carried the token in its header, and none a cookie.
      const caseData = sent.filter(({ url }) => /^\/(api|files)\//.test(new URL(url).pathname));
      expect(caseData.length).toBeGreaterThan(5);
      for (const { url, headers } of caseData) {
        expect(headers.authorization, url).toBe(`Bearer ${served.token}`);
        expect(headers.cookie, url).toBeUndefined();
      }
      // The token went out in an address once only: the page the user opened, on its own server.
      expect(sent.filter(({ url }) => url.includes(served.token)).map(({ url }) => url)).toEqual([served.url]);

      // The same browser goes to the other app: a page, its image, its credentialed fetch, then the image again.
      await page.goto(`${other.origin}/`);
      await expect.poll(() => page.title()).toBe('fetched');
      await expect.poll(() => page.locator('#pixel').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
      await page.evaluate(() => fetch('/pixel.png?again', { credentials: 'include' }).then((r) => r.arrayBuffer()));
      const secondTab = await context.newPage();
      await secondTab.goto(`${other.origin}/`);
      await expect.poll(() => secondTab.title()).toBe('fetched');

      // The check below is only worth something if the browser did send all of these.
      expect(other.log.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/pixel.png', '/fetched', '/pixel.png?again']));
      for (const logged of other.log) {
        expect(JSON.stringify(logged.headers), logged.url).not.toContain(served.token);
        expect(logged.headers.cookie ?? '', logged.url).not.toContain('caseboard_token');
        expect(logged.headers.authorization, logged.url).toBeUndefined();
      }
      expect((await context.cookies()).map((c) => `${c.name} for ${c.domain}`)).toEqual([]);
    } finally {
      await context?.close();
      await other.close();
      await served.stop();
    }
  }, 120_000);

  it('two servers on two ports in one browser: each page keeps working after the other opens, and after a reload', async () => {
    const first = await serveFile(path.join(dir, 'Harbin partners.caseboard'));
    const second = await serveFile(path.join(dir, 'Moscow partners.caseboard'));
    let context: BrowserContext | undefined;
    try {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const pageOne = await context.newPage();
      const pageTwo = await context.newPage();
      const errors = [pageOne, pageTwo].map((p) => {
        p.setDefaultTimeout(15_000);
        return watchPageErrors(p);
      });

      await pageOne.goto(`${first.url}#/sources`);
      await expect.poll(() => caseTitle(pageOne)).toBe('Harbin partners');
      await pageTwo.goto(`${second.url}#/sources`);
      await expect.poll(() => caseTitle(pageTwo)).toBe('Moscow partners');

      // Each writes to its own case, the other one having been opened in between.
      await addSource(pageOne, 'Harbin Institute of Technology annual report');
      await addSource(pageTwo, 'Bauman Moscow State Technical University news');
      await expect.poll(() => sourceTitles(pageOne)).toEqual(['Harbin Institute of Technology annual report']);
      await expect.poll(() => sourceTitles(pageTwo)).toEqual(['Bauman Moscow State Technical University news']);

      // A reload of either keeps its own server and case.
      await pageOne.reload();
      await pageTwo.reload();
      await pageOne.reload();
      await expect.poll(() => caseTitle(pageOne)).toBe('Harbin partners');
      await expect.poll(() => caseTitle(pageTwo)).toBe('Moscow partners');
      await expect.poll(() => sourceTitles(pageOne)).toEqual(['Harbin Institute of Technology annual report']);
      await expect.poll(() => sourceTitles(pageTwo)).toEqual(['Bauman Moscow State Technical University news']);
      await addSource(pageOne, 'Harbin Engineering University press release');
      await expect.poll(async () => (await sourceTitles(pageOne)).sort()).toEqual(['Harbin Engineering University press release', 'Harbin Institute of Technology annual report']);
      expect(pageOne.url()).toBe(`${first.origin}/#/sources`);
      expect(pageTwo.url()).toBe(`${second.origin}/#/sources`);
      expect(await context.cookies()).toEqual([]);
      expect(errors.flat()).toEqual([]);
    } finally {
      await context?.close();
      await first.stop();
      await second.stop();
    }
  }, 120_000);
});
