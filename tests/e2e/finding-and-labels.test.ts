import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

describe('the sample case in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const folder = tempDir('caseboard-finding-');
    const file = path.join(folder, 'sample.caseboard');
    createSampleCase(file).close();
    served = await serveCase([file], { CASEBOARD_HOME: path.join(folder, 'home') });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900 }));
    await page.goto(served.url);
    await page.locator('.overview-totals').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('finds an entity in the command palette from part of its name typed in another script, and lists no entity when none answers', async () => {
    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Find an action, entity or source' });
    const list = page.locator(`#${await input.getAttribute('aria-controls')}`);
    for (const typed of ['Moskovskiy aviatsionnyy', 'Moskovskij aviacionnyj inst']) {
      await input.fill(typed);
      await expect.poll(() => list.getByRole('option').allInnerTexts(), { message: typed }).toEqual(expect.arrayContaining([expect.stringContaining('Moscow Aviation Institute')]));
    }
    await page.screenshot({ path: path.join(screenshots, 'palette-transliterated.png') });
    // A name no entity has: the palette offers only to search the case for it, and lists no entity.
    await input.fill('Moskovskiy aviatsionnyy zavod');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual(['Search the case for “Moskovskiy aviatsionnyy zavod”']);
    await input.fill('Moskovskiy aviatsionnyy');
    await list.getByRole('option', { name: /Moscow Aviation Institute/ }).click();
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe('Moscow Aviation Institute');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#entity-name').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('writes each link’s type along it when Label links is on, and only under the pointer when it is off', async () => {
    await page.locator('.app-nav a', { hasText: /^Graph$/ }).click();
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-status')).toBe('ready');
    await page.waitForTimeout(800);
    const toggle = page.getByRole('button', { name: 'Label links' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const plain = await page.locator('.graph-canvas').screenshot();
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(800);
    const labelled = await page.locator('.graph-canvas').screenshot({ path: path.join(screenshots, 'graph-link-labels.png') });
    // The picture changed: the labels are drawn on the links.
    expect(labelled.equals(plain)).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
  });
});
