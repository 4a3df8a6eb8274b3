import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { addReferenceList } from '../../db/screening/lists';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

describe('the Screening view in the browser mode', () => {
  let dir: string;
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-screening-'));
    const file = path.join(dir, 'sample.caseboard');
    const db = createSampleCase(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ investigator: 'Alice' }));
    await addReferenceList([path.join(repoRoot, 'tests', 'fixtures', 'screening', 'watchlist.ftm.json')], { name: 'US Entity List', version: '2026-11-30' }, path.join(home, 'lists'));
    served = await serveCase([file], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ height: 900, timeout: 30_000 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the lists, screens the case, and confirms a hit with a note into cited sanction records', { timeout: 120_000 }, async () => {
    await page.goto(`${served.url}#/screening`);
    const lists = page.locator('.screening-lists');
    await expect.poll(() => lists.innerText()).toContain('US Entity List');
    await expect.poll(() => lists.innerText()).toContain('2026-11-30');

    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const row = page.locator('.screening-hits tr', { hasText: 'Special Technology Center' }).first();
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => row.innerText()).toMatch(/US Office of Foreign Assets Control, RUSSIA-EO14024, since 2016-12-29/);
    await expect.poll(() => page.locator('.screening-summary').innerText()).toMatch(/against US Entity List 2026-11-30/);
    await page.screenshot({ path: path.join(screenshots, 'screening.png'), fullPage: true });

    await row.getByRole('textbox').fill('Same INN as the registry extract.');
    await row.getByRole('button', { name: 'Confirm' }).click();
    // A decided hit leaves the list of open ones.
    await expect.poll(() => page.locator('.screening-hits tr', { hasText: 'Special Technology Center' }).count()).toBe(0);

    const results = await callApi(served, 'screening.results', {});
    const confirmed = results.hits.find((h) => h.entity.name === 'Special Technology Center' && h.decision === 'confirmed');
    expect(confirmed).toMatchObject({ note: 'Same INN as the registry extract.', decidedBy: 'Alice' });
    const entity = await callApi(served, 'entities.get', { id: confirmed?.entity.id ?? '' });
    expect(entity.sanctions.map((s) => [s.authority, s.list])).toEqual([
      ['US Office of Foreign Assets Control', 'US Entity List'],
      ['European Union', 'US Entity List'],
    ]);
    expect(errors).toEqual([]);
  });
});
