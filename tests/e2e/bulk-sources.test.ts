import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** The title cell of a source's row. */
function titleCell(page: Page, title: string) {
  return page.locator('.ag-row [col-id="title"]', { hasText: title }).first();
}

const ADDED = [
  { kind: 'report', title: 'ASPI: Chinese defence universities and Russian partners', reliability: 'B' },
  { kind: 'article', title: 'Beihang signs a drone engineering agreement with MAI', reliability: 'C' },
  { kind: 'web_page', title: 'MAI exchange programme page', reliability: 'C' },
] as const;

describe('working on many sources at once in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const home = tempDir('caseboard-e2e-bulk-sources-');
    const file = path.join(home, 'sample.caseboard');
    createSampleCase(file).close();
    served = await serveCase([file], { CASEBOARD_HOME: home });
    for (const source of ADDED) await callApi(served, 'sources.create', { ...source, authors: [] });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('selects sources with Ctrl-click and Shift-click, tags them by typing an area and takes it off again', async () => {
    await page.goto(`${served.url}#/sources`);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('4 sources');
    const bar = page.getByRole('toolbar', { name: 'Work on several sources' });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('No sources selected');
    // Sources neither cite nor have a type: the bar offers what applies to them.
    await expect.poll(() => bar.getByRole('button').allInnerTexts()).toEqual(['Select all 4', 'Tag…', 'Untag…', 'Delete…']);
    await bar.getByRole('button', { name: 'Delete…' }).click();
    await expect.poll(() => bar.getByRole('alert').innerText()).toContain('Select at least one row first');

    await titleCell(page, 'Beihang signs').click({ modifiers: ['Control'] });
    await titleCell(page, 'MAI exchange').click({ modifiers: ['Control'] });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('2 sources selected');
    await expect.poll(() => page.locator('.side-panel').count()).toBe(0);

    await bar.getByRole('button', { name: 'Tag…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag 2 sources' });
    await dialog.getByRole('combobox', { name: 'Type an area…' }).fill('hydro');
    await expect.poll(() => dialog.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['hydro-aerodynamics']);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Tag', exact: true }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('Tagged 2 sources with hydro-aerodynamics.');
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo: Tagged 2 sources with hydro-aerodynamics (Ctrl+Z)');
    await page.screenshot({ path: path.join(screenshots, 'bulk-sources-tagged.png') });

    // Shift-click takes in the rows between; untagging says which had the area.
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    const titles = await page.locator('.ag-row [col-id="title"]').allInnerTexts();
    await titleCell(page, titles[0] as string).click({ modifiers: ['Control'] });
    await titleCell(page, titles[3] as string).click({ modifiers: ['Shift'] });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('4 sources selected');
    await bar.getByRole('button', { name: 'Untag…' }).click();
    const untag = page.getByRole('dialog', { name: 'Remove a technology area from 4 sources' });
    await untag.getByRole('combobox', { name: 'Type an area…' }).fill('hydro');
    // Enter picks the area the list offers: wait for it to be offered.
    await expect.poll(() => untag.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['hydro-aerodynamics']);
    await page.keyboard.press('Enter');
    await untag.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('Removed hydro-aerodynamics from 2 sources (2 sources did not have it).');
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('selects every source matching the filter, says what goes with them, deletes them, and Undo brings all back', async () => {
    await page.goto(`${served.url}#/sources`);
    const bar = page.getByRole('toolbar', { name: 'Work on several sources' });
    await page.getByLabel('Quick filter').fill('Russia');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 sources');
    await bar.getByRole('button', { name: 'Select all 2 matching the filters' }).click();
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('All 2 sources matching the filters selected');

    const citationsBefore = (await callApi(served, 'entities.page', { startRow: 0, endRow: 100, sort: [], filter: {}, quick: '', areaId: null })).rows.reduce((n, e) => n + e.citationCount, 0);
    expect(citationsBefore).toBeGreaterThan(0);
    await bar.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 sources?' });
    await expect.poll(() => dialog.innerText()).toContain("ASPI: Chinese defence universities and Russian partners; China's Defense Universities");
    await expect.poll(() => dialog.innerText()).toMatch(/Going with them: \d+ excerpts, \d+ citations of those excerpts by entities and links \(the entities and links stay\)/);
    await page.screenshot({ path: path.join(screenshots, 'bulk-sources-delete-dialog.png') });
    await dialog.getByRole('button', { name: 'Delete 2 sources' }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('Deleted 2 sources. Undo brings them back.');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('0 sources');
    const entities = await callApi(served, 'entities.page', { startRow: 0, endRow: 100, sort: [], filter: {}, quick: '', areaId: null });
    expect(entities.total).toBe(20);
    expect(entities.rows.reduce((n, e) => n + e.citationCount, 0)).toBe(0);

    // One step of Undo brings both sources, their excerpts and every citation back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 sources');
    const restored = await callApi(served, 'entities.page', { startRow: 0, endRow: 100, sort: [], filter: {}, quick: '', areaId: null });
    expect(restored.rows.reduce((n, e) => n + e.citationCount, 0)).toBe(citationsBefore);
    await page.getByLabel('Quick filter').fill('');
    expect(errors).toEqual([]);
  }, 90_000);

  it('opens a right-click menu on a source row with the mouse or Shift+F10', async () => {
    await page.goto(`${served.url}#/sources`);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('4 sources');
    const target = titleCell(page, 'MAI exchange');
    await target.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['Open', 'Tag with an area…', 'Remove an area…', 'Delete…']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Open');
    await page.screenshot({ path: path.join(screenshots, 'bulk-sources-menu.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.side-panel').count()).toBe(1);
    await page.getByRole('button', { name: 'Close panel' }).click();

    // From the keyboard on a selection of two: the menu acts on both.
    await titleCell(page, 'Beihang signs').click({ modifiers: ['Control'] });
    await target.click({ modifiers: ['Control'] });
    await target.focus();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['Tag 2 sources…', 'Remove an area from 2 sources…', 'Delete 2 sources…']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete 2 sources?' });
    await expect.poll(() => dialog.innerText()).toContain('Nothing else goes with them.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('4 sources');
    expect(errors).toEqual([]);
  }, 90_000);
});
