import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** The focused element, described well enough to tell fields and buttons apart. */
function focused(page: Page): Promise<{ id: string; role: string | null; name: string; visibleFocus: boolean }> {
  // Visible focus: the element matches :focus-visible and draws an outline.
  return page.evaluate(`(() => {
    const el = document.activeElement;
    const ring = el ? el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none' && parseFloat(getComputedStyle(el).outlineWidth) > 0 : false;
    return { id: el?.id ?? '', role: el?.getAttribute('role') ?? null, name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', visibleFocus: ring };
  })()`);
}

async function gridTitles(page: Page, column: string): Promise<string[]> {
  return page.locator(`.ag-row [col-id="${column}"]`).allInnerTexts();
}

describe('the keyboard alone', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const home = tempDir('caseboard-keyboard-');
    served = await serveCase([path.join(home, 'keyboard.caseboard')], { CASEBOARD_HOME: path.join(home, 'home') });
    ({ browser, page, errors } = await openPage());
    await page.goto(served.url);
    await page.locator('.overview-totals').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('opens the command palette with Ctrl+K as a combobox over a listbox, and Escape gives focus back', async () => {
    // Start from the header search box, reached with its own shortcut.
    await page.keyboard.press('Control+Shift+F');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Search everywhere' });

    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Find an action, entity or source' });
    await expect.poll(() => focused(page)).toMatchObject({ role: 'combobox' });
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    const list = page.locator(`#${await input.getAttribute('aria-controls')}`);
    expect(await list.getAttribute('role')).toBe('listbox');

    // Arrow keys move the active option; the combobox names it for screen readers.
    const first = await input.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${first}"]`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    const second = await input.getAttribute('aria-activedescendant');
    expect(second).not.toBe(first);
    expect(await page.locator(`[id="${second}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`[id="${first}"]`).getAttribute('aria-selected')).toBe('false');

    // Typing narrows the actions, each with its shortcut shown.
    await page.keyboard.type('add sour');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual([expect.stringMatching(/^Add source…\s*Ctrl\+Shift\+D$/), expect.stringContaining('Search the case for “add sour”')]);
    await page.screenshot({ path: path.join(screenshots, 'command-palette.png') });

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.palette[open]').count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Search everywhere' });
    expect(errors).toEqual([]);
  });

  it('adds a source with nothing but the keyboard, and the Sources grid lists it', async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('add source');
    await page.keyboard.press('Enter');

    // The new-source form opens with the title field focused.
    await expect.poll(() => focused(page)).toMatchObject({ id: 'source-title' });
    await page.keyboard.type('Harbin Institute of Technology annual report 2023');
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'source-url', visibleFocus: true });
    await page.keyboard.type('https://en.hit.edu.cn/report-2023');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Harbin Institute of Technology');
    // Back to the reliability grade, chosen by its letter.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'source-reliability', visibleFocus: true });
    await page.keyboard.press('b');
    await expect.poll(() => page.locator('#source-reliability').inputValue()).toBe('B');
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'source-title' });
    await page.screenshot({ path: path.join(screenshots, 'keyboard-new-source.png') });
    await page.keyboard.press('Enter');

    // Saved, and open in the Sources view where its files and excerpts go.
    await expect.poll(() => page.evaluate('location.hash')).toMatch(/^#\/sources\?source=/);
    await expect.poll(() => gridTitles(page, 'title')).toEqual(['Harbin Institute of Technology annual report 2023']);
    expect(await gridTitles(page, 'reliability')).toEqual(['B']);
    await expect.poll(() => page.locator('#source-publisher').inputValue()).toBe('Harbin Institute of Technology');
    expect(errors).toEqual([]);
  });

  it('adds an entity with its shortcut, goes to a view with Ctrl+digit, and finds the entity in the palette', async () => {
    await page.locator('body').press('Control+Shift+E');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'entity-name' });
    await page.keyboard.type('Harbin Institute of Technology');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.item-dialog .form-status').innerText()).toBe('Entity added.');
    // Nothing unsaved: Escape closes at once.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.item-dialog[open]').count()).toBe(0);

    await page.keyboard.press('Control+3');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/entities');
    await expect.poll(() => gridTitles(page, 'name')).toEqual(['Harbin Institute of Technology']);
    await page.keyboard.press('Control+1');
    await expect.poll(() => page.locator('.app-nav a[aria-current="page"]').innerText()).toBe('Overview');
    await expect.poll(() => page.locator('.overview-totals .total', { hasText: /entity$/ }).locator('.total-number').innerText()).toBe('1');

    // Items are found by name and open with Enter.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('harbin');
    const entityOption = page.getByRole('option', { name: /^Harbin Institute of Technology\s*Organisation/ });
    await entityOption.waitFor();
    await expect.poll(() => page.getByRole('option', { name: /annual report 2023/ }).count()).toBe(1);
    for (let i = 0; i < 10 && (await entityOption.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.item-dialog #entity-name').inputValue()).toBe('Harbin Institute of Technology');
    expect(errors).toEqual([]);
  });

  it('asks before Escape throws away typing in the item dialog', async () => {
    await expect.poll(() => focused(page)).toMatchObject({ id: 'entity-name' });
    await page.keyboard.type(' (HIT)');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.discard-bar').innerText()).toContain('Discard what you typed');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Keep editing' });
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ id: 'entity-name' });
    expect(await page.locator('#entity-name').inputValue()).toBe('Harbin Institute of Technology (HIT)');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Keep editing', visibleFocus: true });
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Discard', visibleFocus: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('dialog.item-dialog[open]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('finds every kind of action in the palette: path, centrality, import, help, switching case', async () => {
    const input = page.getByRole('combobox', { name: 'Find an action, entity or source' });
    const options = () => page.locator('dialog.palette[open] [role="option"]').allInnerTexts();
    const run = async (typed: string, label: string) => {
      await page.keyboard.press('Control+k');
      await input.fill(typed);
      await expect.poll(options).toContainEqual(expect.stringContaining(label));
      await page.locator('dialog.palette[open] [role="option"]', { hasText: label }).first().click();
      await expect.poll(() => page.locator('dialog.palette[open]').count()).toBe(0);
    };

    await run('path', 'Find the path between two entities…');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/graph');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Path from' });

    await run('centrality', 'Rank entities by centrality…');
    await expect.poll(() => page.locator('.graph-ranking').getAttribute('open')).not.toBeNull();

    await run('csv', 'Import a spreadsheet (CSV) or FollowTheMoney file…');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/exchange');

    await run('import documents', 'Import documents as sources…');
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/sources');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Import files…' });

    await run('help', 'Help and keyboard shortcuts');
    const help = page.getByRole('dialog', { name: 'Help' });
    await expect.poll(() => help.innerText()).toContain('Find any action, entity or source');
    await page.screenshot({ path: path.join(screenshots, 'help.png') });
    await help.getByRole('button', { name: 'Close' }).click();

    await run('switch case', 'Switch case…');
    await expect.poll(() => page.locator('.welcome h1').innerText()).toBe('Caseboard');
    expect(errors).toEqual([]);
  });
});
