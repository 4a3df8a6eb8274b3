import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** The name cell of an entity's row. */
function nameCell(page: Page, name: string) {
  return page.locator('.ag-row [col-id="name"]', { hasText: name }).first();
}

async function names(page: Page): Promise<string[]> {
  return page.locator('.ag-row [col-id="name"]').allInnerTexts();
}

describe('working on many rows at once in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const home = tempDir('caseboard-e2e-bulk-');
    const file = path.join(home, 'sample.caseboard');
    createSampleCase(file).close();
    served = await serveCase([file], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('selects rows with Ctrl-click, tags them by typing an area, and says so when nothing is selected', async () => {
    await page.goto(`${served.url}#/entities`);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('20 entities');
    const bar = page.getByRole('toolbar', { name: 'Work on several entities' });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('No entities selected');

    // An action with nothing selected says what to do, and changes nothing.
    await bar.getByRole('button', { name: 'Tag…', exact: true }).click();
    await expect.poll(() => bar.getByRole('alert').innerText()).toContain('Select at least one row first');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // Ctrl-click picks rows without opening them.
    await nameCell(page, 'Beihang University').click({ modifiers: ['Control'] });
    await nameCell(page, 'Moscow Aviation Institute').click({ modifiers: ['Control'] });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('2 entities selected');
    await expect.poll(() => page.locator('.side-panel').count()).toBe(0);
    await expect.poll(() => bar.getByRole('alert').count()).toBe(0);

    await bar.getByRole('button', { name: 'Tag…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag 2 entities' });
    await dialog.getByRole('combobox', { name: 'Type an area…' }).fill('hydro');
    await expect.poll(() => dialog.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['hydro-aerodynamics']);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('.bulk-chosen').innerText()).toContain('hydro-aerodynamics');
    await page.screenshot({ path: path.join(screenshots, 'bulk-tag-dialog.png') });
    await dialog.getByRole('button', { name: 'Tag', exact: true }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('Tagged 2 entities with hydro-aerodynamics.');
    const [mai] = await callApi(served, 'entities.search', { text: 'Moscow Aviation Institute', limit: 1 });
    await expect.poll(() => page.locator(`.ag-row[row-id="${mai?.id}"] .area-chip`).allInnerTexts()).toContain('hydro-aerodynamics');
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo: Tagged 2 entities with hydro-aerodynamics (Ctrl+Z)');
    await page.screenshot({ path: path.join(screenshots, 'bulk-tagged.png') });

    // Shift-click takes in the rows between.
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    const first = (await names(page))[0] as string;
    const fourth = (await names(page))[3] as string;
    await nameCell(page, first).click({ modifiers: ['Control'] });
    await nameCell(page, fourth).click({ modifiers: ['Shift'] });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('4 entities selected');
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('selects every entity matching the filter, deletes them with their links after saying what goes, and Undo brings all back', async () => {
    await page.goto(`${served.url}#/entities`);
    const bar = page.getByRole('toolbar', { name: 'Work on several entities' });
    await page.getByLabel('Quick filter').fill('Moscow');
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 entities');
    await bar.getByRole('button', { name: 'Select all 2 matching the filters' }).click();
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('All 2 entities matching the filters selected');
    await expect.poll(() => page.locator('.ag-row-selected').count()).toBeGreaterThanOrEqual(2);

    const links = (await callApi(served, 'links.page', { startRow: 0, endRow: 100 })).total;
    await bar.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 entities?' });
    await expect.poll(() => dialog.innerText()).toContain('Bauman Moscow State Technical University; Moscow Aviation Institute');
    await expect.poll(() => dialog.innerText()).toMatch(/Going with them: \d+ links? that joins? them to other entities, \d+ citations \(the excerpts stay\)/);
    await page.screenshot({ path: path.join(screenshots, 'bulk-delete-dialog.png') });
    await dialog.getByRole('button', { name: 'Delete 2 entities' }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toMatch(/^Deleted 2 entities and \d+ links?\. Undo brings them back\.$/);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('0 entities');
    const left = (await callApi(served, 'links.page', { startRow: 0, endRow: 100 })).total;
    expect(left).toBeLessThan(links);

    // One step of Undo brings both entities and every link back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('2 entities');
    expect((await callApi(served, 'links.page', { startRow: 0, endRow: 100 })).total).toBe(links);
    await page.getByLabel('Quick filter').fill('');
    expect(errors).toEqual([]);
  }, 90_000);

  it('opens a right-click menu on a row with the mouse or with Shift+F10, and closes it with Escape or a click outside', async () => {
    await page.goto(`${served.url}#/links`);
    await expect.poll(() => page.locator('.ag-row').count()).toBeGreaterThan(3);
    const target = page.locator('.ag-row [col-id="type"]', { hasText: 'joint programme' }).first();
    await target.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['Open', 'Cite an excerpt…', 'Tag with an area…', 'Remove an area…', 'Set type…', 'Delete…']);
    // Focus is in the menu, on its first item.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Open');
    await page.screenshot({ path: path.join(screenshots, 'grid-context-menu.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);

    // Again from the keyboard: the focused cell, Shift+F10, the arrows and Enter.
    await target.click({ button: 'right' });
    await page.locator('.toolbar h2').click();
    await expect.poll(() => menu.count()).toBe(0);
    await target.click();
    await expect.poll(() => page.locator('.side-panel').count()).toBe(1);
    await page.getByRole('button', { name: 'Close panel' }).click();
    await target.click({ modifiers: ['Control'] });
    await target.click({ modifiers: ['Control'] });
    await target.focus();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => menu.count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Tag with an area…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Tag 1 link' });
    await expect.poll(() => dialog.count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
  }, 90_000);

  it('sets the country of the selected entities and cites two excerpts from them at once', async () => {
    await page.goto(`${served.url}#/entities`);
    const bar = page.getByRole('toolbar', { name: 'Work on several entities' });
    await nameCell(page, 'European Union').click({ modifiers: ['Control'] });
    await nameCell(page, 'Bethany Allen').click({ modifiers: ['Control'] });
    await expect.poll(() => bar.locator('.bulk-count').innerText()).toBe('2 entities selected');

    await bar.getByRole('button', { name: 'Set type or country…' }).click();
    const set = page.getByRole('dialog', { name: 'Set type or country of 2 entities' });
    await set.getByLabel('Country').fill('Belgium');
    await set.getByRole('button', { name: 'Set', exact: true }).click();
    // A country name is refused with the reason, and nothing changes.
    await expect.poll(() => set.locator('#bulk-country-error').innerText()).toBe('Use a country code such as CN, RU, US or EU.');
    await set.getByLabel('Country').fill('be');
    await page.screenshot({ path: path.join(screenshots, 'bulk-set-dialog.png') });
    await set.getByRole('button', { name: 'Set', exact: true }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('Changed 2 entities.');
    await expect.poll(() => page.locator('.ag-row [col-id="country"]').allInnerTexts()).toContain('BE');

    await bar.getByRole('button', { name: 'Cite…' }).click();
    const picker = page.getByRole('dialog', { name: 'Cite excerpts from 2 entities' });
    const boxes = picker.locator('.excerpt-option input[type="checkbox"]');
    await expect.poll(() => boxes.count()).toBeGreaterThan(1);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await picker.getByRole('button', { name: 'Cite 2 excerpts' }).click();
    await expect.poll(() => bar.getByRole('status').innerText()).toBe('2 entities now cite 2 excerpts.');
    // Neither is unsourced any more.
    for (const name of ['European Union', 'Bethany Allen']) {
      const [found] = await callApi(served, 'entities.search', { text: name, limit: 1 });
      await expect.poll(() => page.locator(`.ag-row[row-id="${found?.id}"] [col-id="citations"]`).innerText()).toBe('2');
    }
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo: 2 entities: cited 2 excerpts (Ctrl+Z)');
    expect(errors).toEqual([]);
  }, 90_000);

  it('opens the menu of an entity in the graph with Shift+F10 or a right click, and deletes it from there; Undo brings it back', async () => {
    await page.goto(`${served.url}#/graph`);
    const host = page.locator('.graph-host');
    await expect.poll(() => host.getAttribute('data-status')).toBe('ready');
    await expect.poll(() => host.getAttribute('data-nodes')).toBe('20');
    // Nothing selected: the key says what to do first.
    await host.focus();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => page.locator('.graph-hint').innerText()).toContain('Select an entity first');

    await page.fill('input[aria-label="Find an entity"]', 'Orlan-10');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => host.getAttribute('data-selected')).toBe('1');
    await host.focus();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Entity Orlan-10' });
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['Open', 'Focus', 'Path from here…', 'Path to here…', 'Hide', 'Pin here', 'Expand neighbours', 'Link to…', 'Delete…']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Open');
    await page.screenshot({ path: path.join(screenshots, 'graph-context-menu.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);

    // The entity found sits in the middle of the stage: a right click there opens the same menu.
    await page.waitForTimeout(700);
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await expect.poll(() => menu.count()).toBe(1);
    await menu.getByRole('menuitem', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete entity Orlan-10?' });
    await expect.poll(() => dialog.innerText()).toContain('Going with it: 1 link');
    await dialog.getByRole('button', { name: 'Delete entity' }).click();
    await expect.poll(() => host.getAttribute('data-nodes')).toBe('19');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => host.getAttribute('data-nodes')).toBe('20');
    expect(errors).toEqual([]);
  }, 90_000);

  it('tags an entity in its panel by typing part of an area and choosing it with the arrows', async () => {
    await page.goto(`${served.url}#/entities`);
    await nameCell(page, 'Orlan-10').click();
    await expect.poll(() => page.inputValue('#entity-name')).toBe('Orlan-10');
    const input = page.locator('.side-panel').getByRole('combobox', { name: 'Type an area to add' });
    await input.fill('aer');
    const options = page.locator('.side-panel [role="option"]');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    // Names that start with the text come first.
    expect((await options.allInnerTexts())[0]).toMatch(/^aero/);
    await page.keyboard.press('ArrowDown');
    const chosen = await page.locator('.side-panel [role="option"][aria-selected="true"]').innerText();
    await page.screenshot({ path: path.join(screenshots, 'area-autocomplete.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.side-panel .area-chip').allInnerTexts()).toContainEqual(expect.stringContaining(chosen));
    await expect.poll(() => input.inputValue()).toBe('');
    await input.fill('zzz');
    await expect.poll(() => page.locator('.side-panel .area-input-none').innerText()).toContain('No area is called anything like “zzz”');
    expect(errors).toEqual([]);
  }, 90_000);
});
