import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { radicalsAsIdeographs } from '../../shared/cjk-text';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { htmlToPdf, REPORT_PAGES } from '../helpers/evidence-files';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

const NOTES = [
  'Field notes, Harbin, May 2024',
  'The visit was a hit with the students. HIT signed a memorandum with the Moscow Aviation Institute.',
  '哈尔滨工业大学的代表团随后访问了莫斯科。',
].join('\n');

describe('mentions in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let home: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    home = tempDir('caseboard-e2e-mentions-');
    served = await serveCase([path.join(home, 'mentions.caseboard')], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 }));
    page.on('pageerror', (e) => console.log('STACK', e.stack));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('lists an entity’s mentions in its panel, opens the file at one with the names marked, and turns a mention into an excerpt', async () => {
    await callApi(served, 'entities.create', {
      fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN', aliases: [{ name: 'HIT' }, { name: '哈尔滨工业大学', language: 'zh' }] },
    });
    await callApi(served, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute', country: 'RU', aliases: [{ name: 'MAI' }] } });
    const notes = await callApi(served, 'attachments.add', { file: { name: 'field-notes.txt', base64: Buffer.from(NOTES).toString('base64') } });
    const pdf = await htmlToPdf(
      browser,
      Object.values(REPORT_PAGES)
        .map((text) => `<section style="break-after: page"><p style="font-size:16px">${text}</p></section>`)
        .join(''),
      path.join(home, 'defence-universities.pdf'),
    );
    await callApi(served, 'attachments.add', { file: { name: 'defence-universities.pdf', base64: readFileSync(pdf).toString('base64') } });

    await page.goto(`${served.url}#/entities`);
    await page.locator('.ag-row [col-id="name"]', { hasText: 'Harbin Institute of Technology' }).first().click();
    const section = page.locator('.side-panel section.entity-mentions');
    await expect.poll(() => section.locator('.field-label').innerText()).toBe('Mentioned in 2 sources, 3 places');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'entity-mentions.png') });

    // The place in the text file opens the viewer with every mention marked and "hit" in running text left alone.
    await section.locator('a', { hasText: /^characters / }).first().click();
    const viewer = page.locator('dialog.viewer-dialog');
    await expect.poll(() => viewer.locator('#viewer-title').innerText()).toBe('field-notes.txt');
    const marks = viewer.locator('.attachment-text mark');
    await expect.poll(() => marks.allInnerTexts()).toEqual(['HIT', 'Moscow Aviation Institute', '哈尔滨工业大学']);
    await expect.poll(() => viewer.locator('.attachment-text mark:not(.mention)').innerText()).toBe('HIT');
    await page.screenshot({ path: path.join(screenshots, 'attachment-mentions.png') });

    await viewer.getByRole('button', { name: /Excerpt the sentence mentioning Moscow Aviation Institute/ }).click();
    await expect.poll(() => viewer.locator('.form-status').innerText()).toContain('Excerpt added: “HIT signed a memorandum with the Moscow Aviation Institute.”');
    await expect.poll(() => viewer.locator('.excerpt-list q').allInnerTexts()).toEqual(['HIT signed a memorandum with the Moscow Aviation Institute.']);
    const [excerpt] = await callApi(served, 'excerpts.list', { sourceId: notes.sourceId });
    expect(excerpt).toMatchObject({ quote: 'HIT signed a memorandum with the Moscow Aviation Institute.', attachmentId: notes.attachment.id, page: null });
    expect(NOTES.slice(excerpt?.charStart ?? 0, excerpt?.charEnd ?? 0)).toBe(excerpt?.quote);
    await viewer.getByRole('button', { name: 'Close viewer' }).click();

    // The PDF's page with the Chinese name: the name is marked in the page's text layer.
    await page.goto(`${served.url}#/entities`);
    await page.locator('.ag-row [col-id="name"]', { hasText: 'Harbin Institute of Technology' }).first().click();
    await section.locator('a', { hasText: 'page 1' }).click();
    await expect.poll(() => viewer.locator('#viewer-title').innerText()).toBe('defence-universities.pdf');
    // pdf.js gives the name in five runs, two of them radicals standing for ideographs; each piece is marked.
    await expect.poll(async () => radicalsAsIdeographs((await viewer.locator('.textLayer mark.mention').allTextContents()).join(''))).toBe('哈尔滨工业大学');
    await expect.poll(() => viewer.locator('.mention-list li').count()).toBe(2);
    await page.screenshot({ path: path.join(screenshots, 'pdf-mentions.png') });
    expect(errors).toEqual([]);
  }, 60_000);
});
