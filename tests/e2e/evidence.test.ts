import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { makeEvidenceFiles, type EvidenceFiles } from '../helpers/evidence-files';
import { cliPath, repoRoot } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** Drops a file from disk onto an element, as the desktop does when a user drags it in. */
async function dropFile(page: Page, selector: string, file: string, type: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, base64, mime }) => {
      // Runs in the page, where DataTransfer and File exist.
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
      };
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new page.DataTransfer();
      data.items.add(new page.File([bytes], name, { type: mime }));
      return data;
    },
    { name: path.basename(file), base64: readFileSync(file).toString('base64'), mime: type },
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}

/** Selects a passage of the PDF's text layer with the mouse, as a reader would. */
async function selectWithMouse(page: Page, text: string): Promise<void> {
  const span = page.locator('.textLayer span', { hasText: text }).first();
  await span.waitFor();
  const box = await span.boundingBox();
  if (!box) throw new Error('the passage is not on screen');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 1, y, { steps: 8 });
  await page.mouse.up();
}

describe('evidence in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let files: EvidenceFiles;
  let home: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    // Kept for the whole file (tempDir folders go after each test): the server and fixtures live here.
    home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-e2e-evidence-'));
    browser = await launchBrowser();
    const fixtures = path.join(home, 'files');
    mkdirSync(fixtures);
    files = await makeEvidenceFiles(browser, fixtures);
    const caseFile = path.join(home, 'defence-universities.caseboard');
    execFileSync(process.execPath, [cliPath, 'new', caseFile, '--title', 'Defence universities and Russia', '--marking', 'SENSITIVE'], { env: { ...process.env, CASEBOARD_HOME: home } });
    served = await serveCase([caseFile], { CASEBOARD_HOME: home });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    errors = watchPageErrors(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('attaches a PDF, quotes a passage on page 2 with grade 2, finds it and lands on page 2', async () => {
    await page.goto(`${served.url}#/sources`);
    await expect.poll(() => page.locator('.case-title h1').innerText()).toBe('Defence universities and Russia');

    // A source, then its PDF dropped onto it and a web page picked from disk.
    await page.getByRole('button', { name: 'Add source' }).first().click();
    await page.selectOption('#source-kind', 'article');
    await page.selectOption('#source-reliability', 'B');
    await page.fill('#source-title', "China's Defense Universities Help Russia Offset Sanctions And Export Controls");
    await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => page.locator('.form-status').innerText()).toBe('Source added.');
    await dropFile(page, '[data-testid="attachment-drop"]', files.report, 'application/pdf');
    const pdfRow = page.locator('.attachment-list li', { hasText: 'defence-universities.pdf' });
    await expect.poll(() => pdfRow.innerText()).toContain('3 pages');
    expect(await pdfRow.innerText()).toContain('text searchable');
    await page.locator('input[aria-label="Attach files"]').setInputFiles(files.corruptPdf);
    const corruptRow = page.locator('.attachment-list li', { hasText: 'corrupt.pdf' });
    await expect.poll(() => corruptRow.innerText()).toContain('No text could be extracted');
    await page.locator('.evidence').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'evidence-source-panel.png') });

    // The file comes back byte for byte, as a download the browser will not render.
    const expectedSha = createHash('sha256').update(readFileSync(files.report)).digest('hex');
    expect(await pdfRow.locator('.attachment-sha').innerText()).toBe(expectedSha);
    const [download, fetched] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((response) => response.url().startsWith(`${served.origin}/files/attachments/`)),
      pdfRow.getByRole('button', { name: 'Save: defence-universities.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('defence-universities.pdf');
    expect(createHash('sha256').update(readFileSync(await download.path())).digest('hex')).toBe(expectedSha);
    expect(fetched.status()).toBe(200);
    expect(fetched.headers()['content-disposition']).toMatch(/^attachment; filename="defence-universities.pdf"/);
    expect(fetched.headers()['x-content-type-options']).toBe('nosniff');
    expect(fetched.headers()['content-security-policy']).toMatch(/^sandbox/);
    expect(fetched.headers()['content-type']).toBe('application/octet-stream');

    // Open it, go to page 2, select a passage, quote it with credibility 2.
    await pdfRow.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 1 of 3');
    // Turning pages faster than they draw (a slowed-down processor): each drawing gives way to the next, none fails.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    await page.evaluate(async () => {
      const button = (name: string) => [...document.querySelectorAll<HTMLButtonElement>('.pdf-toolbar button')].find((b) => b.textContent === name);
      for (let i = 0; i < 12; i += 1) {
        button(i % 2 === 0 ? 'Next page' : 'Previous page')?.click();
        await new Promise((resolve) => setTimeout(resolve, 2 + 4 * i));
      }
      button('Next page')?.click();
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 2 of 3');
    await expect.poll(() => page.locator('.pdf-viewer .muted', { hasText: 'Drawing' }).count()).toBe(0);
    expect(await page.locator('.pdf-viewer [role="alert"]').count()).toBe(0);
    await selectWithMouse(page, 'Beihang University');
    await expect.poll(() => page.locator('.selected-quote').innerText()).toContain('Beihang University and the Moscow Aviation Institute');
    await page.screenshot({ path: path.join(screenshots, 'evidence-pdf-selection.png') });
    await page.getByRole('button', { name: 'Excerpt this passage' }).click();
    expect(await page.inputValue('#excerpt-page')).toBe('2');
    await page.selectOption('#excerpt-credibility', '2');
    await page.fill('#excerpt-comment', 'ASPI finding, cross-checked by RFE/RL.');
    await page.locator('.viewer-side').getByRole('button', { name: 'Add excerpt' }).click();
    await expect.poll(() => page.locator('.viewer-side .form-status').innerText()).toBe('Excerpt added.');
    await page.screenshot({ path: path.join(screenshots, 'evidence-viewer.png') });
    await page.getByRole('button', { name: 'Close viewer' }).click();
    const excerpt = page.locator('.excerpt-list .excerpt').first();
    await expect.poll(() => excerpt.innerText()).toContain('defence-universities.pdf, page 2');
    expect(await excerpt.locator('.grade').innerText()).toBe('2');
    expect(await excerpt.innerText()).toContain('Not cited by any entity or link yet.');

    // Search from the header for a word of the passage; the hit opens page 2.
    await page.getByRole('searchbox', { name: 'Search everywhere' }).fill('Aviation');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.result-count').innerText()).toMatch(/match/);
    const excerptHit = page.locator('.hit.excerpt').first();
    await expect.poll(() => excerptHit.locator('mark').first().innerText()).toBe('Aviation');
    expect(await excerptHit.locator('.hit-where').innerText()).toBe('Excerpt, defence-universities.pdf, page 2');
    await page.screenshot({ path: path.join(screenshots, 'evidence-search.png') });
    await excerptHit.locator('.hit-link').click();
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 2 of 3');
    await expect.poll(() => page.locator('.pdf-page').getAttribute('data-page')).toBe('2');
    await page.locator('.textLayer span', { hasText: 'Beihang University' }).first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'evidence-landed-on-page.png') });
    await page.getByRole('button', { name: 'Close viewer' }).click();

    // Chinese and Russian queries land on their pages too, from the Search view's own box and filters.
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Search the case' }).fill('哈尔滨工业大学');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.hit .hit-where').allInnerTexts()).toContain('defence-universities.pdf, page 1');
    await page.getByRole('searchbox', { name: 'Search the case' }).fill('авиационный');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.hit .hit-where').allInnerTexts()).toContain('defence-universities.pdf, page 3');
    await page.getByLabel('Excerpts').check();
    await page.getByRole('searchbox', { name: 'Search the case' }).fill('Beihang');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.hit').count()).toBe(1);
    await page.screenshot({ path: path.join(screenshots, 'evidence-search-filtered.png') });

    expect(errors).toEqual([]);
  }, 120_000);

  it('imports many files as sources with a progress bar, noting the ones without text', async () => {
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.locator('input[aria-label="Import files"]').setInputFiles([files.html, files.mhtml, files.text, files.scan, files.png, files.wrongEncoding]);
    await expect.poll(() => page.locator('.import-progress').innerText()).toContain('Import finished: 6 of 6 files imported.');
    expect(await page.locator('.import-problems').innerText()).toMatch(/no text layer/);
    await expect.poll(() => page.locator('.toolbar .count').innerText()).toBe('7 sources');
    await page.screenshot({ path: path.join(screenshots, 'evidence-import.png') });
    // The same file again is caught and the user told where it already is.
    await page.locator('input[aria-label="Import files"]').setInputFiles([files.text]);
    await expect.poll(() => page.locator('.import-problems').innerText()).toContain('notes.txt is already in the case: it is "notes.txt" on the source "notes".');
    // The refused duplicate is an HTTP 409, which Chromium logs as a failed resource; nothing else may appear.
    expect(errors.filter((e) => !e.includes('status of 409 (Conflict)'))).toEqual([]);
  }, 60_000);
});
