import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OpInput } from '../../shared/contract';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');
/** A change made outside the page shows within this long (the watcher asks every second). */
const OUTSIDE_MS = 3000;

const BEIHANG = 'Beihang University';
const HARBIN = 'Harbin Institute of Technology';
const BEIHANG_ABOUT = 'Public research university in Beijing; aero-engines and drones.';
const TYPED = 'Runs the joint drone programme with the Moscow Aviation Institute since 2017.';

function row(page: Page, name: string) {
  return page.locator('.ag-row [col-id="name"]', { hasText: name }).first();
}

/** The grid row (its part holding the name) whose aria-selected says whether it is highlighted. */
function gridRow(page: Page, name: string) {
  return page.locator('.ag-row', { has: page.locator('[col-id="name"]', { hasText: name }) }).first();
}

function panel(page: Page) {
  return page.locator('.side-panel');
}

async function openView(page: Page, view: string): Promise<void> {
  await page.locator('.app-nav a', { hasText: new RegExp(`^${view}$`, 'i') }).click();
}

/** Opens an entity from the grid and waits for its fields. */
async function openEntity(page: Page, name: string): Promise<void> {
  await row(page, name).click();
  await expect.poll(() => page.inputValue('#entity-name')).toBe(name);
}

describe('typing in a side panel is never lost without a word', () => {
  let home: string;
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let beihangId: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-e2e-typing-'));
    served = await serveCase([path.join(home, 'typing.caseboard')], { CASEBOARD_HOME: home });
    const beihang = await callApi(served, 'entities.create', { fields: { type: 'organisation', name: BEIHANG, country: 'CN', description: BEIHANG_ABOUT } } as OpInput<'entities.create'>);
    beihangId = beihang.id;
    await callApi(served, 'entities.create', { fields: { type: 'organisation', name: HARBIN, country: 'CN' } } as OpInput<'entities.create'>);
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
    // A test that failed with typing left in a panel must not hold the next one at the browser's question.
    page.on('dialog', (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()));
    await page.goto(served.url);
    await page.locator('.app-nav').waitFor();
  }, 60_000);

  beforeEach(async () => {
    // Each test starts on a clean Entities view, whatever the last one left.
    await page.goto(`${served.url.split('#')[0]}#/entities`);
    await page.reload();
    await row(page, BEIHANG).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('asks before another row takes the typing away: Keep editing keeps it, Discard opens the other row', async () => {
    await openEntity(page, BEIHANG);
    await page.fill('#entity-description', TYPED);

    await row(page, HARBIN).click();
    await expect.poll(() => panel(page).locator('.discard-bar').innerText()).toContain('Discard what you typed?');
    expect(await page.inputValue('#entity-name')).toBe(BEIHANG);
    expect(await page.inputValue('#entity-description')).toBe(TYPED);
    // The grid highlights the row the panel shows, not the one the click was held back from.
    expect(await gridRow(page, BEIHANG).getAttribute('aria-selected')).toBe('true');
    expect(await gridRow(page, HARBIN).getAttribute('aria-selected')).not.toBe('true');
    await page.screenshot({ path: path.join(screenshots, 'unsaved-typing-asks.png') });

    await panel(page).getByRole('button', { name: 'Keep editing' }).click();
    expect(await panel(page).locator('.discard-bar').count()).toBe(0);
    expect(await page.inputValue('#entity-name')).toBe(BEIHANG);
    expect(await page.inputValue('#entity-description')).toBe(TYPED);

    await row(page, HARBIN).click();
    await panel(page).getByRole('button', { name: 'Discard', exact: true }).click();
    await expect.poll(() => page.inputValue('#entity-name')).toBe(HARBIN);
    expect(await panel(page).locator('.discard-bar').count()).toBe(0);
    await expect.poll(() => gridRow(page, HARBIN).getAttribute('aria-selected')).toBe('true');

    // Discarded means not written, and the entity opens as it is in the case.
    expect((await callApi(served, 'entities.get', { id: beihangId })).description).toBe(BEIHANG_ABOUT);
    await openEntity(page, BEIHANG);
    expect(await page.inputValue('#entity-description')).toBe(BEIHANG_ABOUT);
    expect(errors).toEqual([]);
  }, 60_000);

  it('asks before the close button, Escape, the navigation or the address take the typing away', async () => {
    await openEntity(page, BEIHANG);
    await page.fill('#entity-description', TYPED);
    const keep = async () => {
      await expect.poll(() => panel(page).locator('.discard-bar').innerText()).toContain('Discard what you typed?');
      await panel(page).getByRole('button', { name: 'Keep editing' }).click();
      expect(await page.inputValue('#entity-description')).toBe(TYPED);
    };

    await panel(page).getByRole('button', { name: 'Close panel' }).click();
    await keep();

    await page.focus('#entity-description');
    await page.keyboard.press('Escape');
    await keep();

    await openView(page, 'Links');
    await keep();
    expect(await page.locator('.grid-view > .toolbar h2').innerText()).toBe('Entities');

    await page.evaluate(() => {
      window.location.hash = '#/graph';
    });
    await keep();
    expect(await page.locator('.grid-view > .toolbar h2').innerText()).toBe('Entities');
    expect(await page.evaluate(() => window.location.hash)).toBe('#/entities');

    // Closing or reloading the page: the browser's own question.
    expect(await page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    })).toBe(true);

    await openView(page, 'Links');
    await panel(page).getByRole('button', { name: 'Discard', exact: true }).click();
    await expect.poll(() => page.locator('.grid-view > .toolbar h2').innerText()).toBe('Links');
    expect(await page.evaluate(() => window.location.hash)).toBe('#/links');
    expect(await page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    })).toBe(false);
    expect((await callApi(served, 'entities.get', { id: beihangId })).description).toBe(BEIHANG_ABOUT);
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps the typing when the entity changes elsewhere while the panel is open, says so, and saves the typing', async () => {
    await openEntity(page, BEIHANG);
    await page.fill('#entity-description', TYPED);

    await callApi(served, 'entities.update', { id: beihangId, fields: { type: 'organisation', name: `${BEIHANG} (BUAA)`, country: 'CN', description: 'Changed from the command line.' } } as OpInput<'entities.update'>);
    await expect.poll(() => panel(page).locator('.changed-elsewhere').count(), { timeout: OUTSIDE_MS }).toBe(1);
    expect(await panel(page).locator('.changed-elsewhere').innerText()).toContain('changed elsewhere while you typed');
    expect(await page.inputValue('#entity-description')).toBe(TYPED);
    await page.screenshot({ path: path.join(screenshots, 'unsaved-typing-changed-elsewhere.png') });

    await panel(page).getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => panel(page).locator('.form-status').innerText()).toBe('Changes saved.');
    expect((await callApi(served, 'entities.get', { id: beihangId })).description).toBe(TYPED);
    expect(await panel(page).locator('.changed-elsewhere').count()).toBe(0);
    expect(await page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    })).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);
});
