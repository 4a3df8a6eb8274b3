import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

describe('sharing a case in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let dir: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    dir = tempDir('caseboard-share-');
    served = await serveCase([path.join(dir, 'original.caseboard')], { CASEBOARD_HOME: path.join(dir, 'home') });
    ({ browser, page, errors } = await openPage());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('exports an encrypted copy and opens it again with the passphrase', async () => {
    await callApi(served, 'sources.create', { kind: 'article', title: 'Harbin Institute of Technology and Bauman University', reliability: 'B', notes: 'shared note' });
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Share…' }).click();
    await page.fill('#share-passphrase', 'a long shared passphrase');
    await page.fill('#share-repeat', 'a different passphrase');
    await page.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => page.locator('#share-repeat-error').innerText()).toContain('differ');
    await page.fill('#share-repeat', 'a long shared passphrase');
    const target = path.join(dir, 'for-colleague.caseboard.enc');
    await page.fill('#share-path', target);
    await page.screenshot({ path: path.join(screenshots, 'share-dialog.png') });
    await page.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => page.locator('.dialog .form-status').innerText()).toContain('encrypted');
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target).includes(Buffer.from('Harbin'))).toBe(false);
    await page.getByRole('button', { name: 'Close' }).last().click();

    // Receive it: opening asks for the passphrase, a wrong one is refused, the right one opens a decrypted copy.
    await page.getByRole('button', { name: 'Switch case' }).click();
    await page.fill('#open-path', target);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.form-failure').innerText()).toContain('encrypted');
    await page.fill('#open-passphrase', 'not the passphrase');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.form-failure').innerText()).toContain('passphrase is wrong');
    await page.fill('#open-passphrase', 'a long shared passphrase');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.case-file').innerText()).toBe('for-colleague.caseboard');
    await page.locator('.app-nav a[href="#/sources"]').click();
    await expect.poll(() => page.locator('.ag-grid-scrolling-container .ag-row [col-id="title"]').allInnerTexts()).toEqual(['Harbin Institute of Technology and Bauman University']);
    expect(errors).toEqual([]);
  }, 120_000);
});
