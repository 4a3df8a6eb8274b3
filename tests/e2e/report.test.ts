import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, chromiumPath, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { seedReportSample, REPORT_MARKING, REPORT_TITLE } from '../helpers/report-sample';
import { cliPath, repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

function pdfText(file: string): string[] {
  // pdftotext separates pages with form feeds.
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim() !== '');
}

function pngPages(file: string, prefix: string): string[] {
  return [1, 2].map((n) => {
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(n), '-l', String(n), '-singlefile', file, path.join(screenshots, `${prefix}-${n}`)]);
    return path.join(screenshots, `${prefix}-${n}.png`);
  });
}

/** What every exported briefing must show a reader. */
function expectBriefing(file: string, excerptCount: number): void {
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const pages = pdfText(file);
  expect(pages.length).toBeGreaterThanOrEqual(8);
  const all = pages.join('\n');
  expect(all.replace(/\s+/g, ' ')).toContain(REPORT_TITLE);
  // The marking is in the header and footer of every page, the cover included.
  for (const [i, page] of pages.entries()) expect(page, `page ${i + 1}`).toContain(REPORT_MARKING);
  expect(all).toContain('北京航空航天大学');
  expect(all).toContain('Московский авиационный институт');
  expect(all).toMatch(/Page 1 of \d+/);
  // Numbered citations, and the evidence table they point to.
  expect(all).toMatch(/\[1\]/);
  expect(all).toMatch(/\[1, 2\]/);
  for (let n = 1; n <= excerptCount; n += 1) expect(all).toMatch(new RegExp(`\\n\\s*${n}\\s+“`));
  expect(all).toMatch(/SHA-256\s+[0-9a-f]{64}/);
  expect(all).toMatch(/Case file SHA-256\s+[0-9a-f]{64}/i);
}

describe('briefings', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let caseFile: string;
  let home: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    // Not tempDir(): that folder is removed after each test, and the served case must outlive them all.
    home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-e2e-report-'));
    caseFile = path.join(home, 'defence-universities.caseboard');
    served = await serveCase([caseFile], { CASEBOARD_HOME: home });
    await callApi(served, 'case.update', { title: 'Defence universities and Russia', marking: REPORT_MARKING });
    await seedReportSample((name, input) => callApi(served, name, input));
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900 }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('exports a saved briefing from the command line to PDF and HTML', () => {
    const out = tempDir('caseboard-report-cli-');
    const pdf = path.join(out, 'briefing.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', caseFile, pdf, '--report', 'Aerospace briefing', '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Exported defence-universities\.caseboard to .*briefing\.pdf \(PDF, \d+ pages/);
    expectBriefing(pdf, 5);
    const [cover, contents] = pngPages(pdf, 'report-cli-page');
    expect(readFileSync(cover as string).length).toBeGreaterThan(5000);
    expect(readFileSync(contents as string).length).toBeGreaterThan(5000);

    const htmlFile = path.join(out, 'briefing.html');
    const html = spawnSync(process.execPath, [cliPath, 'report', caseFile, htmlFile, '--tag', 'aerospace and aeronautics'], { encoding: 'utf8' });
    expect(html.status).toBe(0);
    const text = readFileSync(htmlFile, 'utf8');
    expect(text).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
    expect(text).not.toMatch(/<script|https?:\/\/[^"<\s]*\.(js|css|woff2?)/i);
    expect(text).toContain('Technology areas: aerospace and aeronautics');
    writeFileSync(path.join(screenshots, 'report-cli.html'), text);
  }, 120_000);

  it('says clearly when no Chromium is found, with exit code 3, and refuses bad arguments with 1 and a non-case file with 2', () => {
    const out = tempDir('caseboard-report-errors-');
    const missing = spawnSync(process.execPath, [cliPath, 'report', caseFile, path.join(out, 'x.pdf')], { encoding: 'utf8', env: { ...process.env, CASEBOARD_CHROMIUM: path.join(out, 'no-chromium') } });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/CASEBOARD_CHROMIUM names .*no-chromium, which does not exist\. PDF export needs Chromium/);
    const usage = spawnSync(process.execPath, [cliPath, 'report', caseFile, path.join(out, 'x.docx')], { encoding: 'utf8' });
    expect(usage.status).toBe(1);
    const unknown = spawnSync(process.execPath, [cliPath, 'report', caseFile, path.join(out, 'x.html'), '--report', 'No such report'], { encoding: 'utf8' });
    expect(unknown.stderr + unknown.status).toMatch(/no report called "No such report".*1$/s);
    expect(unknown.stderr).toMatch(/no report called "No such report"/);
    const notCase = path.join(out, 'notes.caseboard');
    writeFileSync(notCase, 'not a database');
    const bad = spawnSync(process.execPath, [cliPath, 'report', notCase, path.join(out, 'x.html')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  }, 60_000);

  it('previews a saved briefing in a sandboxed frame and exports it to PDF from the Reports view', async () => {
    await page.goto(served.url);
    await page.locator('.app-nav a', { hasText: 'Reports' }).click();
    await page.locator('.report-item', { hasText: 'Aerospace briefing' }).click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe(REPORT_TITLE);
    const frame = page.frameLocator('iframe[title="Briefing preview"]');
    await expect.poll(() => frame.locator('h1').innerText(), { timeout: 15_000 }).toBe(REPORT_TITLE);
    // Styled (the style nonce passed the window's CSP) and sandboxed with nothing allowed.
    await expect.poll(() => frame.locator('h1').evaluate((h) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(h).fontSize)).not.toBe('32px');
    expect(await page.locator('iframe[title="Briefing preview"]').getAttribute('sandbox')).toBe('');
    await expect.poll(() => frame.locator('.callout').count()).toBe(1);

    // Editing the definition updates the preview.
    await page.getByLabel('Note on Entity profiles').fill('Profiles list every name the entity goes by.');
    await expect.poll(() => frame.locator('.callout').count(), { timeout: 15_000 }).toBe(2);
    await frame.locator('#s-entities .callout').waitFor();
    // A portion marking per section: its mark heads the section, and the page marking is the highest of them.
    await page.getByLabel('Portion marking of Relationships').selectOption('SECRET');
    await page.getByLabel('Portion marking of Entity profiles').selectOption('CONFIDENTIAL');
    await expect.poll(() => frame.locator('#s-relationships h2 .portion').count(), { timeout: 15_000 }).toBe(1);
    expect(await frame.locator('#s-relationships h2 .portion').innerText()).toBe('(S)');
    expect(await frame.locator('#s-entities h2 .portion').innerText()).toBe('(C)');
    await expect.poll(() => frame.locator('.cover-marking').innerText()).toBe(`SECRET // ${REPORT_MARKING}`);
    // A key entity gets its own page.
    await page.locator('#report-key-entity').fill('Beihang');
    await page.locator('.picker-list [role="option"]', { hasText: 'Beihang University' }).first().click();
    await page.getByRole('button', { name: 'Add key entity' }).click();
    await expect.poll(() => frame.locator('#key-1 h2').count(), { timeout: 15_000 }).toBe(1);
    expect(await frame.locator('#key-1 h2').innerText()).toContain('Key entity: Beihang University');
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshots, 'report-view.png') });

    const downloaded = page.waitForEvent('download', { timeout: 90_000 });
    await page.getByRole('button', { name: 'Export PDF' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Exporting PDF…' }).count()).toBe(1);
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('Chinese-defence-universities-and-Russian-aerospace-institutes.pdf');
    const file = path.join(tempDir('caseboard-report-ui-'), 'briefing.pdf');
    await download.saveAs(file);
    await expect.poll(() => page.locator('.report-status').innerText()).toMatch(/Exported .*\.pdf \(\d+ pages, [\d.]+ s\)/);
    expectBriefing(file, 5);
    expect(pdfText(file).join('\n')).toContain('Profiles list every name the entity goes by.');
    const printed = pdfText(file);
    for (const [i, text] of printed.entries()) expect(text, `page ${i + 1}`).toContain(`SECRET // ${REPORT_MARKING}`);
    expect(printed.join('\n')).toMatch(/\d \(S\) Relationships/);
    expect(printed.join('\n')).toMatch(/K1 Key entity: Beihang University/);
    expect(printed.join('\n')).toContain('北京航空航天大学');
    pngPages(file, 'report-ui-page');
    expect(errors).toEqual([]);
  }, 180_000);
});
