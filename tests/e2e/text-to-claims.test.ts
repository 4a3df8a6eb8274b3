import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { htmlToPdf } from '../helpers/evidence-files';
import { cliPath, repoRoot } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** A three-page article as a reader saves it: names in English, Chinese and Russian, Beihang named on pages 1 and 3. */
const PAGES = [
  ['Beihang University signed a cooperation agreement with the Moscow Aviation Institute in 2017.', 'The agreement covers aircraft-engine research.'],
  ['北京航空航天大学与莫斯科航空学院合作开展航空发动机硕士项目。', 'Московский авиационный институт принимает китайских студентов.'],
  ['Students of Beihang spent a term in Moscow.', 'Beihang also hosts Russian lecturers every spring.'],
];

/**
 * Selects a passage of the drawn page's text layer, as a reader dragging the
 * mouse over it would, even where pdf.js split it over several runs; then lets
 * the viewer read the selection as it does on mouse up.
 */
async function selectPassage(page: Page, passage: string, quoted = passage): Promise<void> {
  const select = () => page.evaluate((wanted) => {
    const layer = document.querySelector('.textLayer');
    if (!layer) return false;
    const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    let text = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push(node as Text);
      text += node.textContent ?? '';
    }
    const start = text.indexOf(wanted);
    if (start < 0) return false;
    const end = start + wanted.length;
    const range = document.createRange();
    let at = 0;
    for (const node of nodes) {
      const length = node.textContent?.length ?? 0;
      if (start >= at && start <= at + length) range.setStart(node, start - at);
      if (end >= at && end <= at + length) {
        range.setEnd(node, end - at);
        break;
      }
      at += length;
    }
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return true;
  }, passage);
  // The page may still be drawing, or its marks being redrawn (which takes the selection away): select until the viewer holds it.
  await expect
    .poll(
      async () => {
        if (!(await select())) return `“${passage}” is not on the page`;
        await page.locator('.pdf-page').dispatchEvent('mouseup');
        const quote = page.locator('.selection-box .selected-quote');
        return (await quote.count()) > 0 ? quote.innerText() : 'nothing selected';
      },
      { timeout: 15_000, interval: 300 },
    )
    .toBe(quoted);
}

describe('from text to claims in the attachment viewer', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let home: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-e2e-claims-'));
    browser = await launchBrowser();
    const pdf = await htmlToPdf(
      browser,
      PAGES.map((lines, i) => `<section style="break-after: page"><h1 style="font-size:20px">Page ${i + 1}</h1>${lines.map((l) => `<p style="font-size:16px">${l}</p>`).join('')}</section>`).join(''),
      path.join(home, 'beihang-mai.pdf'),
    );
    const caseFile = path.join(home, 'claims.caseboard');
    execFileSync(process.execPath, [cliPath, 'new', caseFile, '--title', 'Beihang and MAI'], { env: { ...process.env, CASEBOARD_HOME: home } });
    served = await serveCase([caseFile], { CASEBOARD_HOME: home });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    errors = watchPageErrors(page);

    await page.goto(`${served.url}#/sources`);
    await page.getByRole('button', { name: 'Add source' }).first().click();
    await page.selectOption('#source-kind', 'article');
    await page.selectOption('#source-reliability', 'B');
    await page.fill('#source-title', 'Beihang and MAI deepen their engine cooperation');
    await page.locator('.side-panel').getByRole('button', { name: 'Add source' }).click();
    await page.locator('.form-status', { hasText: 'Source added.' }).waitFor();
    await page.locator('input[aria-label="Attach files"]').setInputFiles(pdf);
    await page.locator('.attachment-list li', { hasText: 'beihang-mai.pdf' }).filter({ hasText: '3 pages' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const openViewer = async () => {
    await page.locator('.attachment-list li', { hasText: 'beihang-mai.pdf' }).getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 1 of 3');
  };
  const closeViewer = () => page.getByRole('button', { name: 'Close viewer' }).click();

  it('zooms, fits the width, goes to a page by number and finds words across the document', async () => {
    await openViewer();
    const zoom = page.locator('.pdf-zoom');
    await expect.poll(() => zoom.innerText()).toMatch(/^\d+%$/);
    const fitted = await zoom.innerText();
    const fittedWidth = (await page.locator('.pdf-page canvas').boundingBox())?.width ?? 0;
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => zoom.innerText()).not.toBe(fitted);
    await expect.poll(async () => (await page.locator('.pdf-page canvas').boundingBox())?.width ?? 0).toBeGreaterThan(fittedWidth);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(async () => (await page.locator('.pdf-page canvas').boundingBox())?.width ?? 0).toBeLessThan(fittedWidth);
    await page.getByRole('button', { name: 'Fit width' }).click();
    await expect.poll(() => zoom.innerText()).toBe(fitted);
    // Fit width follows the window: narrower, the page is drawn narrower; back, as it was.
    const size = page.viewportSize();
    if (!size) throw new Error('no viewport size');
    await page.setViewportSize({ width: size.width - 300, height: size.height });
    await expect.poll(async () => (await page.locator('.pdf-page canvas').boundingBox())?.width ?? 0).toBeLessThan(fittedWidth - 100);
    await page.setViewportSize(size);
    await expect.poll(() => zoom.innerText()).toBe(fitted);

    // A page number out of range is refused where it was typed; a good one is shown.
    const goTo = page.getByRole('textbox', { name: 'Go to page' });
    await goTo.fill('7');
    await goTo.press('Enter');
    await expect.poll(() => page.locator('.pdf-viewer [role="alert"]').innerText()).toBe('Give a page from 1 to 3.');
    await goTo.fill('3');
    await goTo.press('Enter');
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 3 of 3');
    expect(await page.locator('.pdf-viewer [role="alert"]').count()).toBe(0);

    // Find, in any case: three hits on two pages, the current one marked apart and stepped through both ways.
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('button', { name: 'Previous page' }).click();
    const find = page.getByRole('searchbox', { name: 'Find in the document' });
    // Ctrl+F reaches the viewer's find box, not the browser's.
    await page.getByRole('button', { name: 'Fit width' }).focus();
    await page.keyboard.press('Control+f');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Find in the document');
    await find.fill('BEIHANG');
    await find.press('Enter');
    const count = page.locator('.pdf-find-count');
    await expect.poll(() => count.innerText()).toBe('1 of 3');
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 1 of 3');
    await expect.poll(() => page.locator('.textLayer mark.current').allInnerTexts().then((t) => t.join(''))).toBe('Beihang');
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => count.innerText()).toBe('2 of 3');
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 3 of 3');
    await expect.poll(() => page.locator('.textLayer mark.find').allInnerTexts().then((t) => t.join('|'))).toBe('Beihang|Beihang');
    await page.screenshot({ path: path.join(screenshots, 'pdf-find.png') });
    await find.press('Enter');
    await expect.poll(() => count.innerText()).toBe('3 of 3');
    await find.press('Enter');
    await expect.poll(() => count.innerText()).toBe('1 of 3');
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 1 of 3');
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => count.innerText()).toBe('3 of 3');
    // Chinese is found too; what is not there is said so.
    await find.fill('航空学院');
    await find.press('Enter');
    await expect.poll(() => count.innerText()).toBe('1 of 1');
    await expect.poll(() => page.locator('.pdf-page-number').innerText()).toBe('Page 2 of 3');
    await find.fill('Harbin');
    await find.press('Enter');
    await expect.poll(() => count.innerText()).toBe('Not found');
    expect(await page.locator('.textLayer mark.find').count()).toBe(0);
    await closeViewer();
    expect(errors).toEqual([]);
  }, 90_000);

  it('keeps excerpts marked on their pages, also after turning pages and opening the file again', async () => {
    await openViewer();
    await selectPassage(page, 'The agreement covers aircraft-engine research.');
    await page.getByRole('button', { name: 'Excerpt this passage' }).click();
    await page.locator('.viewer-side').getByRole('button', { name: 'Add excerpt' }).click();
    await expect.poll(() => page.locator('.viewer-side .form-status').innerText()).toBe('Excerpt added.');
    const marked = () => page.locator('.textLayer mark.excerpt').allInnerTexts().then((t) => t.join(''));
    await expect.poll(marked).toBe('The agreement covers aircraft-engine research.');
    await page.screenshot({ path: path.join(screenshots, 'pdf-excerpt-marked.png') });
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.locator('.pdf-page').getAttribute('data-page')).toBe('2');
    await expect.poll(() => page.locator('.textLayer').innerText()).toContain('Московский');
    expect(await page.locator('.textLayer mark.excerpt').count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(marked).toBe('The agreement covers aircraft-engine research.');
    await closeViewer();
    await openViewer();
    await expect.poll(marked).toBe('The agreement covers aircraft-engine research.');
    await closeViewer();
    expect(errors).toEqual([]);
  }, 90_000);

  it('makes a selected name a new entity citing the excerpt, and an alias of that entity, each one undo step', async () => {
    await openViewer();
    await selectPassage(page, 'Beihang University');
    await page.getByRole('button', { name: 'New entity…' }).click();
    const form = page.getByRole('form', { name: 'New entity from the passage' });
    expect(await form.locator('#claim-name').inputValue()).toBe('Beihang University');
    await form.locator('#claim-country').fill('cn');
    await page.screenshot({ path: path.join(screenshots, 'claim-new-entity.png') });
    await form.getByRole('button', { name: 'Create entity' }).click();
    await expect.poll(() => page.locator('.viewer-side .form-status').innerText()).toBe('Created Beihang University; it cites the new excerpt.');

    // The same name again: the form says who already has it and offers to make the passage that entity's alias instead.
    await selectPassage(page, 'Beihang University');
    await page.getByRole('button', { name: 'New entity…' }).click();
    await expect.poll(() => page.locator('.claim-existing').innerText()).toContain('Beihang University (Organisation, CN)');
    await page.screenshot({ path: path.join(screenshots, 'claim-already-in-case.png') });
    await page.locator('.claim-existing').getByRole('button', { name: 'Add as its alias instead' }).click();
    await expect.poll(() => page.locator('.viewer-side h3').first().innerText()).toBe('Alias of an entity');
    expect(await page.getByRole('combobox', { name: 'Entity' }).inputValue()).toBe('Beihang University');
    await page.getByRole('form', { name: 'Alias of an entity from the passage' }).getByRole('button', { name: 'Cancel' }).click();

    // Page 2: the Chinese name becomes an alias of the entity just made, chosen in the picker.
    await page.getByRole('textbox', { name: 'Go to page' }).fill('2');
    await page.getByRole('textbox', { name: 'Go to page' }).press('Enter');
    await expect.poll(() => page.locator('.pdf-page').getAttribute('data-page')).toBe('2');
    // The PDF's font draws 大 as the Kangxi radical ⼤ (U+2F24); the passage is quoted and named with the ideograph.
    await selectPassage(page, '北京航空航天\u2F24学', '北京航空航天大学');
    await page.getByRole('button', { name: 'Alias of an entity…' }).click();
    const aliasForm = page.getByRole('form', { name: 'Alias of an entity from the passage' });
    // Without an entity chosen, the form says so beside the picker and sends nothing.
    await aliasForm.getByRole('button', { name: 'Add alias and cite' }).click();
    await expect.poll(() => aliasForm.locator('.field-error').innerText()).toBe('Choose the entity this passage names.');
    await aliasForm.getByRole('combobox', { name: 'Entity' }).fill('Beihang');
    await page.getByRole('option', { name: /Beihang University/ }).click();
    expect(await aliasForm.locator('#claim-alias').inputValue()).toBe('北京航空航天大学');
    await aliasForm.locator('#claim-alias-language').fill('zh-Hans');
    await page.screenshot({ path: path.join(screenshots, 'claim-alias.png') });
    await aliasForm.getByRole('button', { name: 'Add alias and cite' }).click();
    await expect.poll(() => page.locator('.viewer-side .form-status').innerText()).toBe('Beihang University now has the alias “北京航空航天大学” and cites the new excerpt.');
    await closeViewer();

    const excerpts = page.locator('.excerpt-list .excerpt');
    await expect.poll(() => excerpts.count()).toBe(3);
    await expect.poll(() => page.locator('.excerpt', { hasText: '北京航空航天大学' }).innerText()).toContain('Cited by Beihang University');

    // The Entities view has the entity with both names; one Undo takes back the alias and its excerpt, the next the entity.
    await page.getByRole('link', { name: 'Entities' }).click();
    await expect.poll(() => page.locator('.ag-row', { hasText: 'Beihang University' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toContain('Entity Beihang University: added alias “北京航空航天大学” and cited excerpt “北京航空航天大学”');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toContain('Created entity Beihang University from excerpt “Beihang University”');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.ag-row', { hasText: 'Beihang University' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.locator('.ag-row', { hasText: 'Beihang and MAI deepen' }).click();
    await expect.poll(() => page.locator('.excerpt-list .excerpt').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 90_000);

  it('keeps a translation with an excerpt, refuses a language without one, and shows it under the quote', async () => {
    const excerpt = page.locator('.excerpt-list .excerpt').first();
    await excerpt.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit excerpt' });
    await form.locator('#excerpt-translation-language').fill('ru');
    await form.getByRole('button', { name: 'Save excerpt' }).click();
    await expect.poll(() => form.locator('.field-error').innerText()).toBe('Give the translation whose language this is, or leave the language empty.');
    await form.locator('#excerpt-translation').fill('Соглашение охватывает исследования авиационных двигателей.');
    await page.screenshot({ path: path.join(screenshots, 'excerpt-translation-form.png') });
    await form.getByRole('button', { name: 'Save excerpt' }).click();
    const shown = page.locator('.excerpt-list .excerpt').first();
    await expect.poll(() => shown.locator('.excerpt-translation').innerText()).toBe('Translation (ru)\nСоглашение охватывает исследования авиационных двигателей.');
    await shown.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'excerpt-translation.png') });
    // Search finds the excerpt by its translation.
    await page.getByRole('searchbox', { name: 'Search everywhere' }).fill('двигателей');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.hit.excerpt').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);
});
