import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { runCaseOperation } from '../../db/host/operations';
import { VIEWS } from '../../renderer/src/ui/routes';
import { launchBrowser, serveCase, watchRequests, type ServedCase } from '../helpers/browser';
import { tempDir } from '../helpers/temp';
import { buildBaseCase } from './support/base-case';
import { recordFigures } from './support/figures';

// Text that would fetch from elsewhere if any view rendered it as HTML or CSS instead of text.
const BAIT = [
  '<img src="https://tracker.example/pixel.png">',
  '<link rel="stylesheet" href="https://fonts.example/css">',
  '<iframe src="https://evil.example/"></iframe>',
  'background: url(https://tracker.example/bg.png)',
  '![logo](https://tracker.example/logo.png)',
].join(' ');

describe('offline: every view in Chromium through the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let home: string;

  beforeAll(async () => {
    home = tempDir('caseboard-offline-');
    const { file } = await buildBaseCase(home, 'offline.caseboard');
    const db = openCaseFile(file);
    const ctx = { actor: 'hardening', progress: () => undefined, throwIfCancelled: () => undefined };
    runCaseOperation(db, 'sources.create', { kind: 'web_page', title: `Bait ${BAIT}`.slice(0, 900), url: 'https://tracker.example/page', reliability: 'D', notes: BAIT, publisher: BAIT.slice(0, 200) }, ctx);
    db.close();
    served = await serveCase([file], { CASEBOARD_HOME: home });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('makes no request beyond its own loopback origin, data: and blob:', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const requests: string[] = [];
    const record = (request: Request) => requests.push(request.url());
    context.on('request', record);
    const sockets: string[] = [];
    const page = await context.newPage();
    page.on('websocket', (socket) => sockets.push(socket.url()));
    page.setDefaultTimeout(15_000);
    const pending = watchRequests(page);
    const settled = (what: string) => expect.poll(pending, { message: `${what} still loading`, timeout: 30_000 }).toEqual([]);
    await page.goto(served.url);
    await settled('the first view');
    const visited: string[] = [];
    for (const view of VIEWS) {
      await page.evaluate(`location.hash = '#/${view.id}'`);
      await settled(view.id);
      // Grids, the graph and the timeline load their data after the first paint.
      await page.waitForTimeout(700);
      visited.push(view.id);
    }
    // Open the bait source, so its notes and publisher are on screen.
    await page.evaluate("location.hash = '#/sources'");
    await page.locator('.ag-row [col-id="title"]', { hasText: 'Bait' }).first().click();
    await settled('the bait source');
    await page.waitForTimeout(700);
    await context.close();

    const own = `${served.origin}/`;
    const foreign = requests.filter((url) => !url.startsWith(own) && !url.startsWith('data:') && !url.startsWith('blob:'));
    recordFigures('offline', { views: visited.length, requests: requests.length, ownOrigin: requests.filter((url) => url.startsWith(own)).length, foreign: foreign.length, webSockets: sockets.length });
    expect(visited).toEqual(VIEWS.map((view) => view.id));
    expect(foreign).toEqual([]);
    expect(sockets).toEqual([]);
    // The run must have exercised the app, or an empty list proves nothing.
    expect(requests.filter((url) => url.startsWith(`${own}api/`)).length).toBeGreaterThan(VIEWS.length);
  }, 180_000);
});

