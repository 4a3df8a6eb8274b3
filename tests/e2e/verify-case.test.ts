import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, serveCase, type ServedCase } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

describe('Verify case file', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const home = tempDir('caseboard-verify-');
    served = await serveCase([path.join(home, 'verify.caseboard')], { CASEBOARD_HOME: path.join(home, 'home') });
    ({ browser, page, errors } = await openPage());
    await page.goto(served.url);
    await page.locator('.overview-totals').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('runs from the command palette, shows its progress, says the case file is healthy and runs again', async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('verify');
    const option = page.getByRole('option', { name: /Verify case file/ });
    await option.waitFor();
    await option.click();
    const dialog = page.locator('dialog[open]', { hasText: 'Verify case file' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 }).toMatch(/^The case file is healthy: all \d+ tables and their indexes read back whole/);
    await dialog.getByRole('button', { name: 'Verify again' }).click();
    await expect.poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 }).toMatch(/^The case file is healthy/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
