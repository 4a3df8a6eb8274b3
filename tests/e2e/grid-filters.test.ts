import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { seedSampleCase } from '../helpers/graph-sample';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

async function openView(page: Page, view: string): Promise<void> {
  await page.locator('.app-nav a', { hasText: new RegExp(`^${view}$`, 'i') }).click();
}

/** The text of one column's cells, top row first, as the grid shows them. */
async function column(page: Page, colId: string): Promise<string[]> {
  const cells = await page.locator(`.ag-row .ag-cell[col-id="${colId}"]`).evaluateAll((nodes) =>
    nodes.map((n) => ({ row: Number(n.closest('.ag-row')?.getAttribute('row-index') ?? -1), text: (n.textContent ?? '').trim() })),
  );
  return cells.sort((a, b) => a.row - b.row).map((c) => c.text);
}

/** Scrolls the grid to its last column with the mouse wheel, as a user would. */
async function scrollRight(page: Page): Promise<void> {
  const box = await page.locator('.ag-row .ag-cell[col-id="degree"]').first().boundingBox();
  if (!box) throw new Error('no grid body');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(3000, 0);
  await page.waitForTimeout(300);
}

const count = (page: Page) => page.locator('.toolbar .count').innerText();

describe('the shared filters and network measures in the grids', () => {
  let served: ServedCase;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let drones: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    served = await serveCase([], { CASEBOARD_HOME: tempDir('caseboard-grid-filters-e2e-') });
    await seedSampleCase((name, input) => callApi(served, name, input));
    drones = (await callApi(served, 'areas.list', {})).find((a) => a.name === 'drones')?.id ?? '';
    ({ browser, page, errors } = await openPage());
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows betweenness and PageRank blank before the graph has measured them, with a header that says how', async () => {
    await page.goto(served.url);
    await openView(page, 'Entities');
    await expect.poll(() => count(page)).toBe('20 entities');
    await expect.poll(async () => (await column(page, 'name')).length).toBe(20);
    expect(new Set(await column(page, 'pagerank'))).toEqual(new Set(['']));
    expect(new Set(await column(page, 'betweenness'))).toEqual(new Set(['']));
    // Degree is there from the start: Harbin Institute of Technology has six links.
    const names = await column(page, 'name');
    expect((await column(page, 'degree'))[names.indexOf('Harbin Institute of Technology')]).toBe('6');
    const pagerankHeader = page.locator('.ag-header-cell[col-id="pagerank"]');
    await pagerankHeader.hover();
    const tooltip = () => pagerankHeader.evaluate((n) => [n, ...n.querySelectorAll('[title]')].map((x) => x.getAttribute('title') ?? '').join(''));
    await expect.poll(tooltip).toMatch(/Blank until the graph has measured it: open the Graph view and choose Size › by PageRank/);
    await scrollRight(page);
    await page.screenshot({ path: path.join(screenshots, 'entities-unmeasured.png') });
    expect(errors).toEqual([]);
  });

  it('applies a filter set in the graph to the Entities grid, and removing its chip brings every row back', async () => {
    await openView(page, 'Graph');
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-status')).toBe('ready');
    await page.getByLabel('Filter by country').selectOption('CN');
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('6 of 20 entities');

    await openView(page, 'Entities');
    const chip = page.locator('.grid-filters .filter-chip', { hasText: 'Country: CN' });
    await expect.poll(() => chip.count()).toBe(1);
    await expect.poll(() => count(page)).toBe('6 entities match the filters');
    await expect.poll(async () => (await column(page, 'country')).join(' ')).toBe('CN CN CN CN CN CN');
    expect(await column(page, 'name')).toContain('Harbin Institute of Technology');
    await page.screenshot({ path: path.join(screenshots, 'entities-filtered.png') });

    await page.getByRole('button', { name: 'Remove filter Country: CN' }).click();
    await expect.poll(() => count(page)).toBe('20 entities');
    await expect.poll(async () => (await column(page, 'name')).length).toBe(20);
    expect(await page.locator('.grid-filters .filter-chip').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('sorts by PageRank from the header once the graph has measured the case', async () => {
    await expect.poll(async () => (await column(page, 'pagerank')).filter((v) => v !== '').length).toBe(20);
    const header = page.locator('.ag-header-cell[col-id="pagerank"] .ag-header-cell-label');
    await header.click();
    await header.click();
    await expect.poll(() => page.locator('.ag-header-cell[col-id="pagerank"]').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => {
      const values = (await column(page, 'pagerank')).map(Number);
      return values.length === 20 && values.every((v, i) => i === 0 || v <= (values[i - 1] as number));
    }).toBe(true);
    // The best-connected entity of the sample case comes first.
    expect((await column(page, 'name'))[0]).toBe('Harbin Institute of Technology');
    await scrollRight(page);
    await page.screenshot({ path: path.join(screenshots, 'entities-by-pagerank.png') });
    expect(errors).toEqual([]);
  });

  it('says when the filters hide every row, and clears them from there', async () => {
    await page.getByLabel('Filter by source grade').selectOption('A');
    await expect.poll(() => page.locator('.grid-empty').innerText()).toContain('The filters above hide every entity');
    await expect.poll(() => count(page)).toBe('0 entities match the filters');
    await page.screenshot({ path: path.join(screenshots, 'entities-all-hidden.png') });
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await expect.poll(() => count(page)).toBe('20 entities');
    expect(await page.locator('.grid-empty').count()).toBe(0);
  });

  it('applies the same filters to the Links and Sources grids', async () => {
    await openView(page, 'Links');
    await expect.poll(() => count(page)).toBe('17 links');
    await page.getByLabel('Filter by technology area').selectOption(drones);
    await expect.poll(() => count(page)).toBe('2 links match the filters');
    expect((await column(page, 'type')).sort()).toEqual(['developed', 'part of']);
    await page.getByLabel('Filter by entity type').selectOption('product');
    await expect.poll(() => count(page)).toBe('0 links match the filters');
    await expect.poll(() => page.locator('.grid-empty').innerText()).toContain('The filters above hide every link');
    await page.getByRole('button', { name: 'Remove filter Entity: Product or technology' }).click();
    await expect.poll(() => count(page)).toBe('2 links match the filters');
    await page.screenshot({ path: path.join(screenshots, 'links-filtered.png') });

    await openView(page, 'Sources');
    // The sample sources carry no area tags: the drones filter hides both.
    await expect.poll(() => count(page)).toBe('0 sources match the filters');
    await expect.poll(() => page.locator('.grid-empty').innerText()).toContain('The filters above hide every source');
    await page.getByRole('button', { name: 'Remove filter Area: drones' }).click();
    await expect.poll(() => count(page)).toBe('2 sources');
    await page.getByLabel('Filter by source grade').selectOption('B');
    await expect.poll(() => count(page)).toBe('1 source matches the filters');
    expect(await column(page, 'reliability')).toEqual(['B']);
    // Entity filters do not apply to sources: no picker, and the chip says so.
    expect(await page.getByLabel('Filter by entity type').count()).toBe(0);
    await openView(page, 'Entities');
    await page.getByLabel('Filter by entity type').selectOption('person');
    await openView(page, 'Sources');
    const inapplicable = page.locator('.grid-filters .filter-chip.inapplicable', { hasText: 'Entity: Person' });
    await expect.poll(() => inapplicable.getAttribute('title')).toBe('Does not apply to sources');
    await expect.poll(() => count(page)).toBe('1 source matches the filters');
    await page.screenshot({ path: path.join(screenshots, 'sources-filtered.png') });
    expect(errors).toEqual([]);
  });

  it('chooses a period by typing it, refuses one that ends before it starts, and counts the links that overlap it', async () => {
    await page.getByRole('button', { name: 'Clear all', exact: true }).click();
    await openView(page, 'Links');
    await expect.poll(() => count(page)).toBe('17 links');
    const expected = await callApi(served, 'links.page', { startRow: 0, endRow: 100, filters: { period: { from: '2019-01-01', to: '2020-12-31' } } });
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(17);

    const picker = page.locator('.grid-filters .period-picker');
    await picker.getByText('Period…').click();
    await picker.getByLabel('From').fill('2021');
    await picker.getByLabel('To').fill('2019-06');
    await picker.getByRole('button', { name: 'Apply period' }).click();
    await expect.poll(() => picker.getByRole('alert').innerText()).toBe('The period ends before it starts.');
    await page.screenshot({ path: path.join(screenshots, 'period-picker-refused.png') });
    await expect.poll(() => count(page)).toBe('17 links');

    // A year stands for the whole year: 2019 to 2020 is 1 January 2019 to 31 December 2020.
    await picker.getByLabel('From').fill('2019');
    await picker.getByLabel('To').fill('2020');
    await picker.getByLabel('To').press('Enter');
    await expect.poll(() => page.locator('.grid-filters .filter-chip').innerText()).toBe('Period: 2019-01-01 – 2020-12-31\n×');
    await expect.poll(() => count(page)).toBe(`${expected.total} link${expected.total === 1 ? '' : 's'} match${expected.total === 1 ? 'es' : ''} the filters`);
    expect(await picker.evaluate((n) => (n as HTMLDetailsElement).open)).toBe(false);
    await expect.poll(async () => (await column(page, 'type')).length).toBe(expected.total);
    await page.screenshot({ path: path.join(screenshots, 'links-period.png') });

    // The graph applies the same period, and the chip removes it everywhere.
    await openView(page, 'Graph');
    await expect.poll(() => page.locator('.graph-filters .filter-chip, .filter-bar .filter-chip').first().innerText()).toContain('Period: 2019-01-01 – 2020-12-31');
    await page.getByRole('button', { name: 'Remove filter Period: 2019-01-01 – 2020-12-31' }).first().click();
    await openView(page, 'Links');
    await expect.poll(() => count(page)).toBe('17 links');
    expect(await page.locator('.grid-filters .filter-chip').count()).toBe(0);
    await page.getByLabel('Filter by country').selectOption('CN');
    await expect.poll(() => page.locator('.grid-filters .filter-chip').innerText()).toContain('Country: CN');
    expect(errors).toEqual([]);
  });

  it('starts another case unfiltered: filters name one case\'s areas and types', async () => {
    expect(await page.locator('.grid-filters .filter-chip').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Switch case' }).click();
    await page.fill('#new-title', 'Second case');
    await page.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => page.locator('.case-file').innerText()).toBe('Second-case.caseboard');
    await openView(page, 'Sources');
    await expect.poll(() => count(page)).toBe('0 sources');
    expect(await page.locator('.grid-filters .filter-chip').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
