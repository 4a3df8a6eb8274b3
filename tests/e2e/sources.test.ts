import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

function rawRequest(origin: string, urlPath: string, method = 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${urlPath}`, { method }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function titlesInGrid(page: Page): Promise<string[]> {
  const cells = page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]');
  return cells.allInnerTexts();
}

async function rowIndexOf(page: Page, title: string): Promise<number> {
  const row = page.locator('.ag-grid-scrolling-container .ag-row', { has: page.locator(`[col-id="title"]`, { hasText: title }) });
  return Number(await row.getAttribute('row-index'));
}

async function sortedTitles(page: Page, expected: string[]): Promise<void> {
  // Rows are absolutely positioned; order on screen is the row-index attribute.
  await expect.poll(async () => {
    const titles = await titlesInGrid(page);
    if (titles.length !== expected.length) return titles;
    const withIndex = await Promise.all(titles.map(async (t) => ({ t, i: await rowIndexOf(page, t) })));
    return withIndex.sort((a, b) => a.i - b.i).map((x) => x.t);
  }).toEqual(expected);
}

async function fillSource(page: Page, fields: { kind?: string; title: string; url?: string; publisher?: string; authors?: string; published?: string; accessed?: string; language?: string; reliability?: string; notes?: string }) {
  if (fields.kind) await page.selectOption('#source-kind', fields.kind);
  if (fields.reliability) await page.selectOption('#source-reliability', fields.reliability);
  await page.fill('#source-title', fields.title);
  await page.fill('#source-url', fields.url ?? '');
  await page.fill('#source-publisher', fields.publisher ?? '');
  await page.fill('#source-authors', fields.authors ?? '');
  await page.fill('#source-publishedDate', fields.published ?? '');
  if (fields.accessed) await page.fill('#source-accessedAt', fields.accessed);
  await page.fill('#source-language', fields.language ?? '');
  await page.fill('#source-notes', fields.notes ?? '');
}

describe('sources log in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let home: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    home = tempDir('caseboard-e2e-');
    served = await serveCase([], { CASEBOARD_HOME: home });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    errors = watchPageErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('refuses operations and files without the token, and serves the app shell without it', async () => {
    expect(await rawRequest(served.origin, '/api/sources.page')).toBe(401);
    expect(await rawRequest(served.origin, '/files/attachments/0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d', 'GET')).toBe(401);
    expect(await rawRequest(served.origin, '/no/such/path', 'GET')).toBe(404);
    expect(await rawRequest(served.origin, '/', 'GET')).toBe(200);
  });

  it('creates a case, adds, finds, sorts, filters, edits and deletes sources', async () => {
    await page.goto(`${served.url}#/sources`);
    // First start opened a case in the user data folder; switch to a new one made through the UI.
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('My first case');
    await page.getByRole('button', { name: 'Switch case' }).click();
    await page.fill('#new-title', 'Defence universities and Russia');
    await page.fill('#new-marking', 'SENSITIVE');
    await page.screenshot({ path: path.join(screenshots, 'welcome.png') });
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('Defence universities and Russia');
    await expect.poll(() => page.locator('.case-header .marking').innerText()).toBe('SENSITIVE');
    await expect.poll(() => page.title()).toContain('Defence universities and Russia');
    // A new case opens on its Overview; the sources are one step away.
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/overview');
    await page.locator('.app-nav a[href="#/sources"]').click();
    await page.screenshot({ path: path.join(screenshots, 'sources-empty.png') });

    // Invalid input is refused next to the field, and nothing is stored.
    await page.getByRole('button', { name: 'Add source' }).first().click();
    await fillSource(page, { title: '   ', url: 'not a web address', published: '2023-02-30' });
    await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => page.locator('#source-title-error').innerText()).toContain('required');
    await expect.poll(() => page.locator('#source-url-error').innerText()).toContain('http');
    await expect.poll(() => page.locator('#source-publishedDate-error').innerText()).toContain('real date');
    await page.screenshot({ path: path.join(screenshots, 'source-form-errors.png') });
    await page.getByRole('button', { name: 'Close panel' }).click();

    const sources = [
      {
        kind: 'article',
        reliability: 'B',
        title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows",
        url: 'https://www.rferl.org/a/china-defense-universities-russia-sanctions/33000000.html',
        publisher: 'Radio Free Europe/Radio Liberty',
        authors: 'RFE/RL',
        language: 'en',
        accessed: '2026-11-20T09:30',
        notes: 'Reports preliminary ASPI findings, cross-checked by RFE/RL.',
      },
      {
        kind: 'report',
        reliability: 'B',
        title: 'Chinese defence universities and Russian partners (preliminary findings)',
        publisher: 'Australian Strategic Policy Institute',
        authors: 'Bethany Allen',
        published: '2024',
        language: 'en',
      },
      {
        kind: 'web_page',
        reliability: 'C',
        title: '哈尔滨工业大学 与 Санкт-Петербургский государственный университет',
        url: 'https://example.edu/hit-spbu',
        publisher: 'Harbin Institute of Technology',
        published: '2024-05',
        language: 'zh',
      },
    ];
    for (const source of sources) {
      await page.getByRole('button', { name: 'Add source' }).first().click();
      await fillSource(page, source);
      await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
      await expect.poll(() => page.locator('.form-status').innerText()).toBe('Source added.');
      await page.getByRole('button', { name: 'Close panel' }).click();
    }
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('3 sources');

    // Reload: the rows come back from the case file.
    await page.reload();
    await expect.poll(async () => (await titlesInGrid(page)).length).toBe(3);
    await page.screenshot({ path: path.join(screenshots, 'sources-grid.png') });

    // Sort by title, both ways.
    await page.locator('.ag-header-cell[col-id="title"] .ag-header-cell-label').click();
    await sortedTitles(page, [sources[0]!.title, sources[1]!.title, sources[2]!.title]);
    await page.locator('.ag-header-cell[col-id="title"] .ag-header-cell-label').click();
    await sortedTitles(page, [sources[2]!.title, sources[1]!.title, sources[0]!.title]);

    // Quick filter across title, publisher, authors, URL and notes.
    await page.fill('.quick-filter', 'Strategic Policy');
    await expect.poll(() => titlesInGrid(page)).toEqual([sources[1]!.title]);
    await page.fill('.quick-filter', 'Санкт-Петербургский');
    await expect.poll(() => titlesInGrid(page)).toEqual([sources[2]!.title]);
    await page.fill('.quick-filter', '');
    await expect.poll(async () => (await titlesInGrid(page)).length).toBe(3);

    // Column filter through the grid's own filter popup.
    await page.locator('.ag-header-cell[col-id="publisher"] .ag-header-cell-filter-button').click();
    await page.locator('.ag-filter-body input').first().fill('Radio Free');
    await expect.poll(() => titlesInGrid(page)).toEqual([sources[0]!.title]);
    await page.screenshot({ path: path.join(screenshots, 'sources-filtered.png') });
    await page.locator('.ag-filter-apply-panel button', { hasText: 'Reset' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await titlesInGrid(page)).length).toBe(3);

    // Edit one.
    await page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]', { hasText: 'preliminary findings' }).click();
    await expect.poll(() => page.inputValue('#source-title')).toBe(sources[1]!.title);
    await page.fill('#source-title', 'ASPI: Chinese defence universities and Russian partners');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.form-status').innerText()).toBe('Changes saved.');
    await expect.poll(() => titlesInGrid(page)).toContain('ASPI: Chinese defence universities and Russian partners');
    await page.screenshot({ path: path.join(screenshots, 'source-edit.png') });

    // Delete one.
    await page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]', { hasText: '哈尔滨工业大学' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 sources');
    await page.reload();
    await expect.poll(async () => (await titlesInGrid(page)).sort()).toEqual(['ASPI: Chinese defence universities and Russian partners', sources[0]!.title].sort());

    // Case details can be edited from the header.
    await page.getByRole('button', { name: 'Case details' }).click();
    await page.fill('#case-marking', 'SENSITIVE // TEAM ONLY');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('.case-header .marking').innerText()).toBe('SENSITIVE // TEAM ONLY');

    // Every view opens on this small case without a script error.
    for (const link of await page.locator('.app-nav a').all()) {
      await link.click();
      await expect.poll(() => link.getAttribute('aria-current')).toBe('page');
      await expect.poll(async () => (await page.locator('.app-main').innerText()).trim().length).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
