import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');
const fixture = readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'opensanctions-stc.ftm.json'), 'utf8');

describe('sanction records in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const home = tempDir('caseboard-e2e-sanctions-');
    served = await serveCase([path.join(home, 'stc.caseboard')], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows an imported OpenSanctions sanction in the Sanctions column and in the entity panel', async () => {
    const report = await callApi(served, 'exchange.importFtm', { text: fixture, listName: 'opensanctions-stc.ftm.json' });
    expect(report.errors).toEqual([]);
    await page.goto(`${served.url}#/entities`);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('4 entities');
    await expect.poll(() => page.locator('.ag-row [col-id="sanctions"]', { hasText: 'Office of Foreign Assets Control' }).count()).toBe(1);
    await page.locator('.ag-row [col-id="name"]', { hasText: 'Special Technology Center' }).first().click();
    const section = page.locator('.side-panel section.sanctions');
    await expect.poll(() => section.innerText()).toContain('Office of Foreign Assets Control');
    const text = await section.innerText();
    expect(text).toContain('RUSSIA-EO14024');
    expect(text).toContain('since 2022-06-28');
    expect(text).toContain('Council of the European Union');
    expect(text).toContain('List: us_ofac_sdn');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'entity-sanctions.png') });
    expect(errors).toEqual([]);
  });
});
