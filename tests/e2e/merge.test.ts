import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { context } from '../helpers/model';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** Sets Beihang's description in a closed case file, as the named investigator. */
function describeBeihang(file: string, description: string, actor: string): string {
  const db = openCaseFile(file);
  try {
    const id = db.prepare("SELECT id FROM entities WHERE name = 'Beihang University'").pluck().get() as string;
    const entity = runCaseOperation(db, 'entities.get', { id }, context(actor));
    runCaseOperation(db, 'entities.update', { id, fields: { ...entity, description } }, context(actor));
    db.pragma('journal_mode = DELETE');
    return id;
  } finally {
    db.close();
  }
}

describe("merging a colleague's copy in the browser mode", () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let colleague: string;
  let beihang: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const dir = tempDir('caseboard-merge-');
    const mine = path.join(dir, 'mine.caseboard');
    const base = createSampleCase(mine);
    base.pragma('journal_mode = DELETE');
    base.close();
    colleague = path.join(dir, 'colleague.caseboard');
    copyFileSync(mine, colleague);
    beihang = describeBeihang(mine, 'Mine: top aerospace university.', 'Alice');
    describeBeihang(colleague, 'Colleague: strong in drone swarming.', 'Boris');
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ investigator: 'Alice' }));
    served = await serveCase([mine], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ height: 900, timeout: 20_000 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows the conflict side by side, takes the chosen side, and undoes the merge', async () => {
    await page.goto(`${served.url}#/exchange`);
    const prompt = page.locator('#investigator-name');
    if (await prompt.isVisible().catch(() => false)) {
      await prompt.fill('Alice');
      await page.keyboard.press('Enter');
    }
    await page.fill('#merge-path', colleague);
    await page.getByRole('button', { name: 'Preview merge' }).click();
    const conflict = page.locator('.merge-conflict').first();
    await expect.poll(() => conflict.innerText()).toContain('Colleague: strong in drone swarming.');
    expect(await conflict.innerText()).toContain('Mine: top aerospace university.');
    await page.screenshot({ path: path.join(screenshots, 'merge-conflict.png'), fullPage: true });
    await conflict.getByLabel("Take the other file's version").check();
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => page.locator('.exchange-panel .form-status').first().innerText()).toContain('Merged');
    const merged = await callApi(served, 'entities.get', { id: beihang });
    expect(merged.description).toBe('Colleague: strong in drone swarming.');

    await page.getByRole('button', { name: 'Undo merge' }).click();
    await expect.poll(() => page.locator('.exchange-panel .form-status').first().innerText()).toContain('undone');
    const undone = await callApi(served, 'entities.get', { id: beihang });
    expect(undone.description).toBe('Mine: top aerospace university.');
    expect(errors).toEqual([]);
  }, 120_000);

  it('asks before merging a file that looks like another case altogether', async () => {
    const unrelated = path.join(tempDir('caseboard-merge-'), 'unrelated.caseboard');
    const other = createCaseFile(unrelated, { title: 'Shipping registry' });
    runCaseOperation(other, 'entities.create', { fields: { type: 'organisation', name: 'Unrelated Holding' } }, context('Carol'));
    other.pragma('journal_mode = DELETE');
    other.close();
    await page.goto(`${served.url}#/exchange`);
    await page.reload();
    await page.fill('#merge-path', unrelated);
    await page.getByRole('button', { name: 'Preview merge' }).click();
    const warning = page.locator('.merge-unrelated');
    await expect.poll(() => warning.innerText()).toContain('looks like another case');
    const merge = page.getByRole('button', { name: 'Merge', exact: true });
    expect(await merge.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'merge-unrelated.png'), fullPage: true });
    await warning.getByLabel('Merge it into this case anyway').check();
    expect(await merge.isDisabled()).toBe(false);
    await merge.click();
    await expect.poll(() => page.locator('.exchange-panel .form-status').first().innerText()).toContain('Merged');
    const found = await callApi(served, 'entities.search', { text: 'Unrelated Holding' });
    expect(found.map((match: { name: string }) => match.name)).toContain('Unrelated Holding');
    expect(errors).toEqual([]);
  }, 120_000);
});
