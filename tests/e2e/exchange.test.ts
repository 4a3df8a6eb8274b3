import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** The case's entities as the CSV export writes them: their content, for comparing before and after. */
async function entitiesCsv(served: ServedCase): Promise<string> {
  return (await callApi(served, 'exchange.export', { format: 'csv', kind: 'entities' })).text;
}

describe('importing CSV and FollowTheMoney files in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const dir = tempDir('caseboard-exchange-');
    const file = path.join(dir, 'case.caseboard');
    const db = createSampleCase(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ investigator: 'Alice' }));
    served = await serveCase([file], { CASEBOARD_HOME: home });
    ({ browser, page, errors } = await openPage({ timeout: 30_000 }));
    await page.goto(`${served.url}#/exchange`);
    const prompt = page.locator('#investigator-name');
    if (await prompt.isVisible().catch(() => false)) {
      await prompt.fill('Alice');
      await page.keyboard.press('Enter');
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('previews a CSV file, maps its columns, imports the good rows and lists the bad ones by line', async () => {
    const csv = [
      'Name,Kind,Country,Other names',
      'Shenyang Aircraft Design Institute,organisation,CN,601 Institute;沈阳飞机设计研究所',
      ',organisation,CN,',
      'Central Institute of Aviation Motors,organisation,RU,CIAM;ЦИАМ',
      'Harbin Engineering University,spaceship,CN,',
      'Tupolev Design Bureau,organisation,RU,',
    ].join('\n');
    await page.locator('#import-file').setInputFiles({ name: 'institutes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.locator('table.import-preview');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(5);
    expect(await preview.locator('tbody tr').first().innerText()).toContain('Shenyang Aircraft Design Institute');
    // Columns named like a field are mapped already; the others are mapped by hand.
    expect(await page.getByLabel('Field for column Name').inputValue()).toBe('name');
    expect(await page.getByLabel('Field for column Kind').inputValue()).toBe('');
    await page.getByLabel('Field for column Kind').selectOption('type');
    await page.getByLabel('Field for column Other names').selectOption('aliases');
    await page.screenshot({ path: path.join(screenshots, 'exchange-csv-mapping.png'), fullPage: true });

    await page.getByRole('button', { name: 'Import entities' }).click();
    const status = page.locator('#import-title ~ .form-status');
    await expect.poll(() => status.innerText()).toContain('Imported 3 of 5 rows.');
    const lines = await status.locator('.import-errors li').allInnerTexts();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Line 3: The name is missing/);
    expect(lines[1]).toMatch(/^Line 5: The type "spaceship" is not one of/);
    await page.screenshot({ path: path.join(screenshots, 'exchange-csv-report.png'), fullPage: true });

    const entities = await entitiesCsv(served);
    for (const name of ['Shenyang Aircraft Design Institute', 'Central Institute of Aviation Motors', 'Tupolev Design Bureau']) expect(entities).toContain(name);
    expect(entities).toContain('沈阳飞机设计研究所');
    expect(entities).not.toContain('Harbin Engineering University');
    expect(errors).toEqual([]);
  }, 120_000);

  it('checks a spreadsheet saved by Russian Excel before writing: how it was read, the values converted and every problem', async () => {
    const before = await entitiesCsv(served);
    const rows = [
      'Название;Страна;Сокращение;Профиль;Сайт',
      'Московский авиационный институт;Россия;МАИ;"aero-engines; drones";https://mai.ru',
      'Казанский авиационный институт;РФ;КАИ;aero-engines;https://kai.ru',
      'Харбинский политехнический университет;Китай;ХПИ;space;http://www.hit.edu.cn',
      'Нарнийский институт;Нарния;НИ;;',
      'Томский государственный университет;Russia;ТГУ;materials;https://www.tsu.ru;лишняя ячейка',
    ];
    const bytes = iconv.encode(`${rows.join('\r\n')}\r\n`, 'win1251');
    await page.locator('#import-file').setInputFiles({ name: 'вузы.csv', mimeType: 'text/csv', buffer: bytes });
    const preview = page.locator('table.import-preview');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(5);
    expect(await preview.locator('tbody tr').first().innerText()).toContain('Московский авиационный институт');
    expect(await page.locator('#import-encoding option:checked').innerText()).toBe('windows-1251 (detected)');
    expect(await page.locator('#import-delimiter option:checked').innerText()).toBe('semicolon ; (detected)');
    // Nothing maps to the name yet: the form says so and offers no import.
    const findings = page.getByRole('region', { name: 'Check before importing' });
    await expect.poll(() => findings.innerText()).toContain('No column is mapped to name');
    expect(await page.getByRole('button', { name: 'Import entities' }).isDisabled()).toBe(true);
    await page.getByLabel('Field for column Название').selectOption('name');
    await expect.poll(() => findings.innerText()).toContain('Columns not imported: Страна, Сокращение, Профиль, Сайт.');
    await page.getByLabel('Field for column Страна').selectOption('country');
    await expect.poll(() => findings.innerText()).toContain('Россия → RU');
    await page.getByLabel('Field for column Сокращение').selectOption('aliases');
    await page.getByLabel('Field for column Профиль').selectOption('areas');
    // The Moscow Aviation Institute is in the sample case already (its Russian name is an alias there): it matches and is left as it is.
    await expect.poll(() => findings.innerText()).toContain('5 rows: 2 entities would be added; 1 row matches an item already in the case; 2 rows have problems and would be skipped.');
    const text = await findings.innerText();
    for (const conversion of ['Россия → RU', 'РФ → RU', 'Китай → CN']) expect(text).toContain(conversion);
    expect(text).toMatch(/Line 5: The country "Нарния" is not a country Caseboard knows/);
    expect(text).toMatch(/Line 6: The row has 6 cells but the header has 5 columns/);
    expect(text).toContain('Columns not imported: Сайт.');
    await page.screenshot({ path: path.join(screenshots, 'exchange-csv-check.png'), fullPage: true });
    await findings.screenshot({ path: path.join(screenshots, 'exchange-csv-check-findings.png') });
    // Checked, not written.
    expect(await entitiesCsv(served)).toBe(before);

    await page.getByRole('button', { name: 'Import entities' }).click();
    const status = page.locator('#import-title ~ .form-status');
    await expect.poll(() => status.innerText()).toContain('Imported 2 of 5 rows (1 row matched the case and was skipped).');
    const after = await entitiesCsv(served);
    expect(after).toContain('Казанский авиационный институт');
    expect(after).toMatch(/Харбинский политехнический университет,organisation,,CN,ХПИ,space/);
    expect(after).not.toContain('Нарнийский');
    await page.screenshot({ path: path.join(screenshots, 'exchange-csv-imported.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('imports FollowTheMoney entities and links, and reports the lines it cannot take', async () => {
    const lines = [
      { id: 'ciam', schema: 'Organization', properties: { name: ['Baranov Central Institute of Aviation Motor Development'], country: ['ru'] } },
      { id: 'p1', schema: 'Person', properties: { name: ['Mikhail Gordin'], nationality: ['ru'] } },
      { id: 'e1', schema: 'Employment', properties: { employee: ['p1'], employer: ['ciam'], startDate: ['2015'] } },
      { id: 'v1', schema: 'Vessel', properties: { name: ['Akademik Lomonosov'] } },
    ].map((l) => JSON.stringify(l));
    await page.locator('#import-file').setInputFiles({ name: 'ciam.ftm.json', mimeType: 'application/json', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await page.getByRole('button', { name: 'Import FollowTheMoney entities' }).click();
    const status = page.locator('#import-title ~ .form-status');
    await expect.poll(() => status.innerText()).toContain('Imported 3 of 4 rows.');
    expect(await status.locator('.import-errors li').allInnerTexts()).toEqual([expect.stringMatching(/^Line 4: The schema Vessel is not one Caseboard imports/)]);
    expect(await entitiesCsv(served)).toContain('Mikhail Gordin');
    const links = (await callApi(served, 'exchange.export', { format: 'csv', kind: 'links' })).text;
    expect(links).toMatch(/works for,directed,2015/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('says when the window cannot read a FollowTheMoney file, and names the two ways that import it', async () => {
    // A page holds no string longer than about 512 MB: reading such a file fails as this one is made to.
    await page.evaluate(() => {
      const read = File.prototype.text;
      File.prototype.text = function (this: File) {
        return this.name === 'opensanctions-full.ftm.json' ? Promise.reject(new RangeError('Invalid string length')) : read.call(this);
      };
    });
    await page.locator('#import-file').setInputFiles({ name: 'opensanctions-full.ftm.json', mimeType: 'application/json', buffer: Buffer.from('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n') });
    const failure = page.locator('#import-title ~ .form-failure');
    await expect.poll(() => failure.innerText()).toBe('opensanctions-full.ftm.json could not be read in the window: type its path under “File on this machine” so that Caseboard reads it from the disk, or import it with: caseboard import <case> "opensanctions-full.ftm.json" --format ftm');
    expect(await page.getByRole('button', { name: 'Import FollowTheMoney entities' }).count()).toBe(0);
    expect(await page.locator('#import-file').inputValue()).toBe('');
    await page.screenshot({ path: path.join(screenshots, 'exchange-ftm-too-large.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('refuses to send a file over 50 MB and says how to import it by its path instead', async () => {
    const large = path.join(tempDir('caseboard-large-'), 'registry-extract.csv');
    const row = 'Generated company with a long name for padding the file,organisation,CN,A description that makes the row longer than most\n';
    writeFileSync(large, `name,type,country,description\n${row.repeat(Math.ceil((51 * 1024 * 1024) / row.length))}`);
    await page.locator('#import-file').setInputFiles(large);
    const failure = page.locator('#import-title ~ .form-failure');
    await expect.poll(() => failure.innerText(), { timeout: 30_000 }).toBe(
      'registry-extract.csv is 51 MB, more than the 50 MB the form can send: type its path under “File on this machine” so that Caseboard reads it from the disk, or import it with: caseboard import <case> "registry-extract.csv"',
    );
    expect(await page.locator('table.import-preview').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Import / }).count()).toBe(0);
    expect(await page.locator('#import-file').inputValue()).toBe('');
    expect(errors).toEqual([]);
  }, 60_000);

  it('imports a CSV file on this machine by its path: checks its start, imports every row, and History names the file', async () => {
    const before = await entitiesCsv(served);
    // Over the 4 MB a preview reads, with rows long enough that its last line is cut short there.
    const rows = ['name,type,country,description'];
    for (let i = 0; i < 40_000; i += 1) rows.push(`Path import works ${i},organisation,${i % 2 ? 'CN' : 'RU'},${'Row of a registry extract read from the disk. '.repeat(3)}${i}`);
    const file = path.join(tempDir('caseboard-path-'), 'registry extract.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await page.locator('#import-path').fill(file);
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await expect.poll(() => page.locator('table.import-preview tbody tr').count(), { timeout: 30_000 }).toBe(5);
    expect(await page.locator('.import-source').innerText()).toBe(`File chosen: ${file}`);
    const findings = page.getByRole('region', { name: 'Check before importing' });
    await expect.poll(() => findings.innerText()).toMatch(/^In the first \d{1,3}(,\d{3})+ rows: \d{1,3}(,\d{3})+ entities would be added\./);
    // The line cut short at the end of what the preview read is not reported as a row with cells missing.
    expect(await findings.locator('.import-problems').count()).toBe(0);
    expect(await findings.innerText()).toContain('Only the start of this large file was checked');
    await page.screenshot({ path: path.join(screenshots, 'exchange-import-by-path.png'), fullPage: true });
    await page.getByRole('button', { name: 'Import entities' }).click();
    const status = page.locator('#import-title ~ .form-status');
    await expect.poll(() => status.innerText(), { timeout: 120_000 }).toBe('Imported 40,000 of 40,000 rows.');
    const after = await entitiesCsv(served);
    expect(after.split('\n').length - before.split('\n').length).toBe(40_000);
    expect(after).toContain('Path import works 39999');
    const history = (await callApi(served, 'history.state', {})) as { undo: { summary: string } | null };
    expect(history.undo?.summary).toBe('Imported 40000 entities from registry extract.csv');
    await callApi(served, 'history.undo', {});
    expect(await entitiesCsv(served)).toBe(before);
    expect(errors).toEqual([]);
  }, 180_000);

  it('imports a FollowTheMoney file by its path, and says when a path names no file', async () => {
    await page.locator('#import-path').fill(path.join(tempDir('caseboard-path-'), 'missing.csv'));
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    const failure = page.locator('#import-title ~ .form-failure');
    await expect.poll(() => failure.innerText()).toBe('missing.csv cannot be read.');
    const lines = [
      { id: 'tsagi', schema: 'Organization', properties: { name: ['Central Aerohydrodynamic Institute'], country: ['ru'] } },
      { id: 's1', schema: 'Sanction', properties: { entity: ['tsagi'], authority: ['Office of Foreign Assets Control'], startDate: ['2022-06-28'] } },
    ].map((l) => JSON.stringify(l));
    const file = path.join(tempDir('caseboard-path-'), 'tsagi.ftm.json');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.locator('#import-path').fill(file);
    // Enter reads a typed path, as Read does.
    await page.locator('#import-path').press('Enter');
    await page.getByRole('button', { name: 'Import FollowTheMoney entities' }).click();
    const status = page.locator('#import-title ~ .form-status');
    await expect.poll(() => status.innerText()).toBe('Imported 2 of 2 rows.');
    expect(await failure.count()).toBe(0);
    expect(await entitiesCsv(served)).toContain('Central Aerohydrodynamic Institute');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the progress of a large import and cancels it, leaving the case as it was', async () => {
    const before = await entitiesCsv(served);
    const historyBefore = await callApi(served, 'history.state', {});
    const rows = ['name,type,country,description'];
    for (let i = 0; i < 250_000; i += 1) rows.push(`Generated institute ${i},organisation,${i % 2 ? 'CN' : 'RU'},Row ${i} of a large file`);
    // From a file on disk: Chromium reads it itself, as it would a file the investigator picked.
    const large = path.join(tempDir('caseboard-large-'), 'large.csv');
    writeFileSync(large, `${rows.join('\n')}\n`);
    await page.locator('#import-file').setInputFiles(large);
    await expect.poll(() => page.locator('table.import-preview tbody tr').count()).toBe(5);
    // The click hands 13 MB to the page's fetch; on a busy machine that takes a while to be acknowledged.
    await page.getByRole('button', { name: 'Import entities' }).click({ timeout: 90_000 });
    const task = page.getByRole('group', { name: 'Importing entities from CSV' });
    // Wait for a real progress report: rows counted and the bar partly filled.
    await expect.poll(() => task.innerText(), { timeout: 60_000 }).toMatch(/[\d,]+ rows read, [\d,]+ imported \(\d+%\)/);
    expect(Number(await task.locator('progress').getAttribute('value'))).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, 'exchange-import-progress.png'), fullPage: true });
    await task.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('#import-title ~ .form-status').innerText(), { timeout: 60_000 }).toContain('The import was cancelled');
    expect(await task.count()).toBe(0);
    expect(await entitiesCsv(served)).toBe(before);
    expect(await callApi(served, 'history.state', {})).toEqual(historyBefore);
    expect(errors).toEqual([]);
  }, 180_000);
});
