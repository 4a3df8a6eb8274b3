import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

async function linkRows(page: Page): Promise<string[]> {
  return page.locator('.ag-grid-scrolling-container .ag-row [col-id="type"]').allInnerTexts();
}

async function addEntity(page: Page, entity: { name: string; subtype: string; country: string; aliases: [string, string][] }): Promise<void> {
  await page.getByRole('button', { name: 'Add entity' }).first().click();
  await page.fill('#entity-subtype', entity.subtype);
  await page.fill('#entity-name', entity.name);
  await page.fill('#entity-country', entity.country);
  for (const [i, [name, language]] of entity.aliases.entries()) {
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByLabel(`Alias ${i + 1}`, { exact: true }).fill(name);
    await page.getByLabel(`Alias ${i + 1} language`).fill(language);
  }
  await page.locator('.side-panel').getByRole('button', { name: 'Add entity' }).click();
  await expect.poll(() => page.locator('.form-status').innerText()).toBe('Entity added.');
  await page.getByRole('button', { name: 'Close panel' }).click();
}

async function pick(page: Page, pickerId: string, text: string, option: string): Promise<void> {
  await page.fill(`#${pickerId}`, text);
  await page.locator('.picker-list [role="option"]', { hasText: option }).first().click();
}

describe('the case model in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const home = tempDir('caseboard-e2e-model-');
    served = await serveCase([path.join(home, 'defence-universities.caseboard')], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('creates two entities, links them from an excerpt, tags the link, filters by area, and undoes and redoes the tag', async () => {
    await page.goto(`${served.url}#/sources`);
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('defence-universities');

    // The source the excerpt quotes.
    await page.getByRole('button', { name: 'Add source' }).first().click();
    await page.selectOption('#source-reliability', 'B');
    await page.fill('#source-title', "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows");
    await page.fill('#source-publisher', 'Radio Free Europe/Radio Liberty');
    await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => page.locator('.form-status').innerText()).toBe('Source added.');

    // Two entities, with aliases in Chinese and Cyrillic.
    await page.getByRole('link', { name: 'Entities' }).click();
    await expect.poll(() => page.locator('.grid-empty').innerText()).toContain('No entities yet');
    await addEntity(page, { name: 'Beihang University', subtype: 'university', country: 'CN', aliases: [['BUAA', 'en'], ['北京航空航天大学', 'zh']] });
    await addEntity(page, { name: 'Moscow Aviation Institute', subtype: 'university', country: 'RU', aliases: [['MAI', 'en'], ['Московский авиационный институт', 'ru']] });
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 entities');

    // A third with the transliterated name is flagged as a duplicate before it is saved.
    await page.getByRole('button', { name: 'Add entity' }).first().click();
    await page.fill('#entity-name', 'Moskovskiy aviatsionnyy institut');
    await expect.poll(() => page.locator('.duplicate-warning').innerText()).toContain('Moscow Aviation Institute');
    await expect.poll(() => page.locator('.duplicate-warning').innerText()).toContain('matches “Московский авиационный институт”');
    await page.screenshot({ path: path.join(screenshots, 'entity-duplicate-warning.png') });
    // The name typed is not thrown away without a word: closing asks first.
    await page.getByRole('button', { name: 'Close panel' }).click();
    await expect.poll(() => page.locator('.side-panel .discard-bar').innerText()).toContain('Discard what you typed?');
    await page.locator('.side-panel').getByRole('button', { name: 'Discard', exact: true }).click();
    await expect.poll(() => page.locator('.side-panel').count()).toBe(0);

    // From an excerpt, create the link it supports.
    await page.getByRole('link', { name: 'Links' }).click();
    await page.getByRole('button', { name: 'Link from excerpt…' }).click();
    await page.getByRole('button', { name: 'Quote a new excerpt' }).click();
    await page.fill('#excerpt-quote', 'Beihang University and the Moscow Aviation Institute have run a joint Master’s programme since 2017, aimed at aircraft-engine development.');
    await page.fill('#excerpt-page', '2');
    await page.selectOption('#excerpt-credibility', '2');
    await page.getByRole('button', { name: 'Add excerpt' }).click();
    await expect.poll(() => page.locator('.excerpt-option').count()).toBe(1);
    await expect.poll(() => page.locator('.excerpt-option .grade').innerText()).toBe('B2');
    await page.screenshot({ path: path.join(screenshots, 'link-from-excerpt.png') });
    await page.locator('.excerpt-option').getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => page.locator('.citation-list .grade').innerText()).toBe('B2');
    await pick(page, 'link-from', 'BUAA', 'Beihang University');
    await page.fill('#link-type', 'joint programme');
    await pick(page, 'link-to', 'MAI', 'Moscow Aviation Institute');
    await page.fill('#link-startDate', '2017');
    await page.locator('.side-panel').getByRole('button', { name: 'Add link' }).click();
    await expect.poll(() => page.locator('.form-status').innerText()).toBe('Link added.');
    await expect.poll(() => linkRows(page)).toEqual(['joint programme']);
    // One source is not corroboration: the level says what it rests on.
    await expect.poll(() => page.locator('.claim-status').innerText()).toContain('Moderate (derived) · 1 source, B2');
    // Cited as contradicting the link, the same excerpt makes it low; cited in support again, moderate.
    await page.locator('.citation-list select').selectOption('contradicts');
    await expect.poll(() => page.locator('.claim-status').innerText()).toContain('Low (derived) · no supporting source; 1 contradicts, B2');
    await expect.poll(() => page.locator('.citation-list li.contradicts .stance-mark').innerText()).toBe('Contradicts');
    await page.screenshot({ path: path.join(screenshots, 'link-contradicted.png') });
    await page.locator('.citation-list select').selectOption('supports');
    await expect.poll(() => page.locator('.claim-status').innerText()).toContain('Moderate (derived) · 1 source, B2');
    // The cite picker marks the excerpt the link already cites and does not offer it again.
    await page.getByRole('button', { name: 'Cite an excerpt…' }).click();
    const cited = page.locator('.excerpt-option.cited-here');
    await expect.poll(() => cited.count()).toBe(1);
    expect(await cited.innerText()).toContain('already cited here');
    expect(await cited.getByRole('button', { name: 'Cite' }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'cite-picker-cited.png') });
    await page.getByRole('dialog', { name: 'Cite an excerpt' }).getByRole('button', { name: 'Close', exact: true }).click();

    // Tag the link with aero-engines.
    await page.selectOption('#link-areas', { label: '\u2003aero-engines' });
    await expect.poll(() => page.locator('.side-panel .area-chip').allInnerTexts()).toEqual([expect.stringContaining('aero-engines')]);
    await page.screenshot({ path: path.join(screenshots, 'link-panel.png') });
    await page.getByRole('button', { name: 'Close panel' }).click();

    // Filter the Links grid by that area with the shared filters.
    const areaFilter = page.getByLabel('Filter by technology area');
    await areaFilter.selectOption((await areaFilter.locator('option', { hasText: 'aero-engines' }).getAttribute('value')) ?? '');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('1 link matches the filters');
    await expect.poll(() => linkRows(page)).toEqual(['joint programme']);
    await page.screenshot({ path: path.join(screenshots, 'links-filtered-by-area.png') });

    // Undo the tag with Ctrl+Z: the filtered grid empties.
    await page.locator('.toolbar h2').click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('0 links match the filters');
    await expect.poll(() => linkRows(page)).toEqual([]);
    // Redo it with Ctrl+Shift+Z.
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('1 link matches the filters');
    await expect.poll(() => linkRows(page)).toEqual(['joint programme']);

    // The header buttons name what they would undo; the History view lists the change.
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toContain('Tagged link Beihang University — joint programme — Moscow Aviation Institute with aero-engines');
    await page.getByRole('link', { name: 'History' }).click();
    await expect.poll(() => page.locator('.ag-row [col-id="summary"]').first().innerText()).toContain('Redid: Tagged link');
    await page.screenshot({ path: path.join(screenshots, 'history.png') });

    // Entities grid shows the unsourced mark; Technology areas counts the tag.
    await page.getByRole('link', { name: 'Entities' }).click();
    await expect.poll(() => page.locator('.ag-row .unsourced').count()).toBe(2);
    await page.locator('.ag-grid-scrolling-container .ag-row [col-id="name"]', { hasText: 'Moscow Aviation Institute' }).click();
    await expect.poll(() => page.inputValue('#entity-name')).toBe('Moscow Aviation Institute');
    await page.screenshot({ path: path.join(screenshots, 'entities-grid.png') });
    await page.getByRole('link', { name: 'Technology areas' }).click();
    await expect.poll(() => page.locator('.areas-table tr', { hasText: 'aero-engines' }).locator('td').nth(4).innerText()).toBe('1');
    await page.screenshot({ path: path.join(screenshots, 'technology-areas.png') });

    expect(errors).toEqual([]);
  }, 120_000);
});
