import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { ENTITY_TYPE_LABELS, type EntityType } from '../../shared/model';
import { VIEWS } from '../../renderer/src/ui/routes';
import { openPage, serveCase, watchRequests, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** What the sample case holds, counted straight from its file rather than through the overview. */
function countsInFile(file: string) {
  const db = openCaseFile(file, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const byType = db.prepare('SELECT type, count(*) AS n FROM entities GROUP BY type').all() as { type: EntityType; n: number }[];
    return {
      sources: n('SELECT count(*) AS n FROM sources'),
      excerpts: n('SELECT count(*) AS n FROM excerpts'),
      entities: n('SELECT count(*) AS n FROM entities'),
      links: n('SELECT count(*) AS n FROM links'),
      byType: Object.fromEntries(byType.map((r) => [r.type, r.n])) as Partial<Record<EntityType, number>>,
      uncitedEntities: n('SELECT count(*) AS n FROM entities e WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.entity_id = e.id)'),
    };
  } finally {
    db.close();
  }
}

async function total(page: Page, label: RegExp): Promise<number> {
  return Number(await page.locator('.overview-totals .total', { hasText: label }).locator('.total-number').innerText());
}

describe('first run in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let pendingRequests: () => string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    served = await serveCase([], { CASEBOARD_HOME: tempDir('caseboard-first-run-') });
    ({ browser, page, errors } = await openPage());
    pendingRequests = watchRequests(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('starts on the overview of an empty first case that says what to do next', async () => {
    await page.goto(served.url);
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('My first case');
    await expect.poll(() => page.locator('.app-nav a[aria-current="page"]').innerText()).toBe('Overview');
    await expect.poll(() => page.locator('.overview-start').innerText()).toContain('This case is empty');
    expect(await page.locator('.overview-start').getByRole('button', { name: 'Add a source' }).isVisible()).toBe(true);
    expect(await total(page, /sources/)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('opens the sample case from the welcome screen, asks for a name, and lands on its overview', async () => {
    await page.getByRole('button', { name: 'Switch case' }).click();
    await expect.poll(() => page.locator('.welcome h1').innerText()).toBe('Caseboard');
    await page.getByRole('button', { name: 'Open the sample case' }).click();
    await expect.poll(() => page.locator('.case-title h1').innerText()).toMatch(/^Sample:/);

    // The one-time question about who is working; the overview is there behind it.
    await page.fill('#investigator-name', 'Analyst One');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.locator('#investigator-name').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.app-nav a[aria-current="page"]').innerText()).toBe('Overview');
    await expect.poll(() => page.locator('.overview-totals').isVisible()).toBe(true);
    await page.locator('.recent-changes li').first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'overview.png') });
    expect(await page.locator('.overview-start').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows the sample case's own figures, and a figure opens the grid filtered to what it counted", async () => {
    const file = await page.locator('.case-file').getAttribute('title');
    if (!file) throw new Error('the header names no case file');
    const expected = countsInFile(file);
    expect(expected.entities).toBeGreaterThan(0);

    expect(await total(page, /sources?$/)).toBe(expected.sources);
    expect(await total(page, /excerpts?$/)).toBe(expected.excerpts);
    expect(await total(page, /entit(y|ies)$/)).toBe(expected.entities);
    expect(await total(page, /links?$/)).toBe(expected.links);
    for (const [type, label] of Object.entries(ENTITY_TYPE_LABELS) as [EntityType, string][]) {
      const row = page.locator('.bar-chart .bar-row', { hasText: label });
      expect(Number(await row.locator('.bar-count').innerText()), label).toBe(expected.byType[type] ?? 0);
    }
    await expect.poll(() => page.locator('.unsourced-summary').innerText()).toContain(`${expected.uncitedEntities} entities`);

    // Organisations: the entities grid opens filtered to exactly that type.
    const organisations = expected.byType.organisation ?? 0;
    expect(organisations).toBeGreaterThan(0);
    expect(organisations).toBeLessThan(expected.entities);
    await page.locator('.bar-chart a.bar-row', { hasText: 'Organisation' }).click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/entities');
    await expect.poll(() => page.locator('.grid-view .toolbar .count').innerText()).toMatch(new RegExp(`^${organisations} entities\\b`));
    const types = await page.locator('.ag-row [col-id="type"]').allInnerTexts();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['Organisation']));
    await page.screenshot({ path: path.join(screenshots, 'overview-filtered-entities.png') });

    // A technology area's link count opens the links grid filtered to that area, and only that.
    await page.locator('.app-nav a[href="#/overview"]').click();
    const areaLinks = page.locator('a.area-count[aria-label$=" in aero-engines"]').nth(1);
    const linksInArea = Number(await areaLinks.innerText());
    expect(linksInArea).toBeGreaterThan(0);
    expect(linksInArea).toBeLessThan(expected.links);
    await areaLinks.click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/links');
    await expect.poll(() => page.locator('.grid-view .toolbar .count').innerText()).toMatch(new RegExp(`^${linksInArea} links?\\b`));
    await expect.poll(() => page.locator('.ag-row').count()).toBe(linksInArea);
    expect(errors).toEqual([]);
  });

  it('visits every view from the navigation without a script error', async () => {
    const visited: string[] = [];
    for (const view of VIEWS) {
      await page.locator(`.app-nav a[href="#/${view.id}"]`).click();
      await expect.poll(() => page.locator('.app-nav a[aria-current="page"]').innerText()).toBe(view.label);
      await expect.poll(async () => (await page.locator('.app-main').innerText()).trim().length, { message: view.id }).toBeGreaterThan(0);
      // Let each view load its data, so a late failure is caught here too.
      await expect.poll(pendingRequests, { message: `${view.id} still loading`, timeout: 30_000 }).toEqual([]);
      visited.push(view.id);
    }
    expect(visited).toEqual(VIEWS.map((v) => v.id));
    expect(errors).toEqual([]);
  }, 180_000);

  it('opens a new case on its Overview, whichever view was showing', async () => {
    await page.locator('.app-nav a[href="#/entities"]').click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/entities');
    await page.getByRole('button', { name: 'Switch case' }).click();
    await page.fill('#new-title', 'Second case');
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('Second case');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/overview');
    await expect.poll(() => page.locator('.app-nav a[aria-current="page"]').innerText()).toBe('Overview');
    await expect.poll(() => page.locator('.overview-start').innerText()).toContain('This case is empty');
    expect(errors).toEqual([]);
  });

  it('leaves a recent case whose file is gone out of the list', async () => {
    await page.getByRole('button', { name: 'Switch case' }).click();
    const recent = page.locator('.welcome ul.recent li');
    await expect.poll(() => recent.allInnerTexts()).toEqual([expect.stringContaining('Second case'), expect.stringMatching(/^Sample:/)]);
    const samplePath = await recent.nth(1).locator('.muted').innerText();
    rmSync(samplePath);
    await page.reload();
    await expect.poll(() => page.locator('.welcome h1').innerText()).toBe('Caseboard');
    await expect.poll(() => recent.allInnerTexts()).toEqual([expect.stringContaining('Second case')]);
    // The file that is there still opens from the list.
    await recent.nth(0).getByRole('button').click();
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('Second case');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/overview');
    expect(errors).toEqual([]);
  });
});
