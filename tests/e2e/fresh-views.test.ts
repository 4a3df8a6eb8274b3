import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput } from '../../shared/contract';
import { callApi, openPage, serveCase, type ServedCase } from '../helpers/browser';
import { cliPath, repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');
const run = promisify(execFile);

/** A change made in the page shows in every view within this long. */
const IN_PAGE_MS = 1000;
/** A change made outside the page (another process) shows within this long. */
const OUTSIDE_MS = 2000;

async function openView(page: Page, view: string): Promise<void> {
  await page.locator('.app-nav a', { hasText: new RegExp(`^${view}$`, 'i') }).click();
}

/** The entity names the graph holds now: the path bar offers exactly these. */
async function graphNames(page: Page): Promise<string[]> {
  const names = await page.locator('#graph-entity-names option').evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? ''));
  return names.sort();
}

async function graphStatus(page: Page): Promise<string> {
  return page.locator('.graph-status').innerText();
}

async function addEntity(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add entity' }).first().click();
  await page.fill('#entity-name', name);
  await page.locator('.side-panel').getByRole('button', { name: 'Add entity' }).click();
  await expect.poll(() => page.locator('.form-status').innerText()).toBe('Entity added.');
  await page.getByRole('button', { name: 'Close panel' }).click();
}

async function pick(page: Page, pickerId: string, name: string): Promise<void> {
  await page.fill(`#${pickerId}`, name);
  await page.locator('.picker-list [role="option"]', { hasText: name }).first().click();
}

async function addLink(page: Page, from: string, to: string, type: string, start: string): Promise<void> {
  await page.getByRole('button', { name: 'Add link' }).first().click();
  await pick(page, 'link-from', from);
  await pick(page, 'link-to', to);
  await page.fill('#link-type', type);
  await page.fill('#link-startDate', start);
  await page.locator('.side-panel').getByRole('button', { name: 'Add link' }).click();
  await expect.poll(() => page.locator('.form-status').innerText()).toBe('Link added.');
  await page.getByRole('button', { name: 'Close panel' }).click();
}

async function deleteEntityInGrid(page: Page, name: string): Promise<void> {
  await page.locator('.ag-row [col-id="name"]', { hasText: name }).first().click();
  await page.locator('.side-panel').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('.side-panel').getByRole('button', { name: 'Yes, delete' }).click();
  await expect.poll(() => page.locator('.side-panel').count()).toBe(0);
}

/** Exports the graph as PNG and returns how many entities the picture draws, from the view's notice. */
async function exportPngEntities(page: Page): Promise<number> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PNG' }).click();
  const file = await download;
  const saved = path.join(tempDir('caseboard-fresh-png-'), 'graph.png');
  await file.saveAs(saved);
  expect(readFileSync(saved).subarray(1, 4).toString()).toBe('PNG');
  const notice = await page.locator('.graph-hint', { hasText: 'Exported the picture' }).innerText();
  const match = /(\d+) entit(?:y|ies)\./.exec(notice);
  if (!match?.[1]) throw new Error(`The export notice names no entity count: ${notice}`);
  return Number(match[1]);
}

interface Session {
  served: ServedCase;
  browser: Browser;
  page: Page;
  errors: string[];
  caseFile: string;
  home: string;
}

/** A new case served and open in a page. Not in tempDir: that folder goes after each test, and the case must outlive them all. */
async function openNewCase(): Promise<Session> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-e2e-fresh-'));
  const caseFile = path.join(home, 'fresh-views.caseboard');
  const served = await serveCase([caseFile], { CASEBOARD_HOME: home });
  const { browser, page, errors } = await openPage({ width: 1440, height: 900, timeout: 10_000 });
  await page.goto(served.url);
  await page.locator('.app-nav').waitFor();
  return { served, browser, page, errors, caseFile, home };
}

describe('views that follow the case as it is now', () => {
  let session: Session | undefined;
  let served: ServedCase;
  let page: Page;
  let errors: string[];
  let caseFile: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    session = await openNewCase();
    ({ served, page, errors, caseFile } = session);
  }, 60_000);

  afterAll(async () => {
    await session?.browser.close();
    await session?.served.stop();
    if (session) rmSync(session.home, { recursive: true, force: true });
  });

  it('shows in the graph and the timeline exactly the entities and links made and deleted in the grids, without a reload', async () => {
    // The graph is loaded (empty) before anything is added: it must not keep showing that.
    await openView(page, 'Graph');
    await expect.poll(() => graphStatus(page)).toContain('0 of 0 entities');

    await openView(page, 'Entities');
    for (const name of ['Beihang University', 'Moscow Aviation Institute', 'Harbin Institute of Technology', 'Bauman Moscow State Technical University']) await addEntity(page, name);
    await openView(page, 'Links');
    await addLink(page, 'Beihang University', 'Moscow Aviation Institute', 'joint programme', '2017');
    await addLink(page, 'Harbin Institute of Technology', 'Bauman Moscow State Technical University', 'agreement', '2019');
    await addLink(page, 'Beihang University', 'Harbin Institute of Technology', 'member of', '2021');

    await openView(page, 'Graph');
    await expect.poll(() => graphStatus(page), { timeout: IN_PAGE_MS }).toContain('4 of 4 entities, 3 links shown');
    expect(await graphNames(page)).toEqual(['Bauman Moscow State Technical University', 'Beihang University', 'Harbin Institute of Technology', 'Moscow Aviation Institute']);
    await openView(page, 'Timeline');
    await expect.poll(() => page.locator('.timeline-view .count').innerText(), { timeout: IN_PAGE_MS }).toBe('3 dated links');

    await openView(page, 'Entities');
    await deleteEntityInGrid(page, 'Bauman Moscow State Technical University');
    await openView(page, 'Timeline');
    await expect.poll(() => page.locator('.timeline-view .count').innerText(), { timeout: IN_PAGE_MS }).toBe('2 dated links');
    await openView(page, 'Graph');
    await expect.poll(() => graphStatus(page), { timeout: IN_PAGE_MS }).toContain('3 of 3 entities, 2 links shown');
    expect(await graphNames(page)).toEqual(['Beihang University', 'Harbin Institute of Technology', 'Moscow Aviation Institute']);
    expect(await exportPngEntities(page)).toBe(3);
    await page.screenshot({ path: path.join(screenshots, 'fresh-graph.png') });
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a command line import made while the page is open in the Entities grid and the graph within two seconds', async () => {
    const csv = path.join(tempDir('caseboard-fresh-csv-'), 'universities.csv');
    writeFileSync(csv, 'Name,Country\nNorthwestern Polytechnical University,CN\nNanjing University of Aeronautics and Astronautics,CN\n');
    const importCsv = (file: string) => run(process.execPath, [cliPath, 'import', caseFile, file, '--format', 'csv', '--kind', 'entities', '--map', 'Name=name', '--map', 'Country=country'], { env: { ...process.env, CASEBOARD_HOME: session?.home } });

    await openView(page, 'Entities');
    await expect.poll(() => page.locator('.ag-row [col-id="name"]').count()).toBe(3);
    await importCsv(csv);
    await expect.poll(() => page.locator('.ag-row [col-id="name"]').allInnerTexts().then((names) => names.sort()), { timeout: OUTSIDE_MS }).toEqual([
      'Beihang University',
      'Harbin Institute of Technology',
      'Moscow Aviation Institute',
      'Nanjing University of Aeronautics and Astronautics',
      'Northwestern Polytechnical University',
    ]);
    await page.screenshot({ path: path.join(screenshots, 'fresh-entities-grid.png') });

    await openView(page, 'Graph');
    await expect.poll(() => graphStatus(page), { timeout: IN_PAGE_MS }).toContain('5 of 5 entities, 2 links shown');
    const more = path.join(path.dirname(csv), 'more.csv');
    writeFileSync(more, 'Name,Country\nTsinghua University,CN\n');
    await importCsv(more);
    await expect.poll(() => graphStatus(page), { timeout: OUTSIDE_MS }).toContain('6 of 6 entities, 2 links shown');
    expect(await graphNames(page)).toContain('Tsinghua University');
    expect(errors).toEqual([]);
  }, 120_000);

  it('never draws an entity deleted elsewhere into an exported picture, however soon the export comes', async () => {
    await openView(page, 'Graph');
    await expect.poll(() => graphStatus(page)).toContain('6 of 6 entities');
    const page1 = await callApi(served, 'entities.page', { startRow: 0, endRow: 100, sort: [], filter: {}, quick: 'Tsinghua', filters: {} });
    const tsinghua = page1.rows.find((r) => r.name === 'Tsinghua University');
    if (!tsinghua) throw new Error('Tsinghua University is not in the case');
    await callApi(served, 'entities.delete', { id: tsinghua.id });
    // At once, before the page can have looked: the picture must still leave it out.
    expect(await exportPngEntities(page)).toBe(5);
    await expect.poll(() => graphNames(page)).not.toContain('Tsinghua University');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows in an open entity panel an edit made elsewhere, and says so when the entity is deleted elsewhere, keeping what the user typed', async () => {
    const entity = await callApi(served, 'entities.create', { fields: { type: 'organisation', name: 'Xi’an Jiaotong University', country: 'CN' } } as OpInput<'entities.create'>);
    await page.reload();
    await openView(page, 'Entities');
    await page.locator('.ag-row [col-id="name"]', { hasText: 'Xi’an Jiaotong University' }).click();
    await expect.poll(() => page.inputValue('#entity-name')).toBe('Xi’an Jiaotong University');

    await callApi(served, 'entities.update', { id: entity.id, fields: { type: 'organisation', name: 'Xi’an Jiaotong University (XJTU)', country: 'CN' } } as OpInput<'entities.update'>);
    await expect.poll(() => page.inputValue('#entity-name'), { timeout: OUTSIDE_MS }).toBe('Xi’an Jiaotong University (XJTU)');

    await page.fill('#entity-notes', 'Runs the Xi’an drone research institute.');
    await callApi(served, 'entities.delete', { id: entity.id });
    await expect.poll(() => page.locator('.side-panel .form-failure').innerText(), { timeout: OUTSIDE_MS }).toContain('no longer in the case');
    expect(await page.locator('.side-panel .panel-header + .form-failure').isVisible()).toBe(true);
    expect(await page.inputValue('#entity-notes')).toBe('Runs the Xi’an drone research institute.');
    await page.screenshot({ path: path.join(screenshots, 'fresh-deleted-panel.png') });
    // Closing over typing asks first; the investigator lets it go.
    await page.getByRole('button', { name: 'Close panel' }).click();
    await page.locator('.side-panel').getByRole('button', { name: 'Discard', exact: true }).click();
    await expect.poll(() => page.locator('.side-panel').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a technology area added in its view at once, and one added elsewhere within two seconds', async () => {
    await openView(page, 'Technology areas');
    const count = () => page.locator('.areas-view .toolbar .count').innerText();
    // A new case comes with the default areas; wait until they are listed.
    await expect.poll(count).toMatch(/^[1-9]\d* areas$/);
    const before = Number.parseInt(await count(), 10);
    await page.getByRole('button', { name: 'Add area' }).click();
    await page.fill('#area-name', 'loitering munitions');
    await page.locator('.dialog form').getByRole('button', { name: /^(Add|Save|Create)/ }).click();
    await expect.poll(count, { timeout: IN_PAGE_MS }).toBe(`${before + 1} areas`);
    await callApi(served, 'areas.create', { name: 'quantum sensing', colour: '#884400', parentId: null } as OpInput<'areas.create'>);
    await expect.poll(count, { timeout: OUTSIDE_MS }).toBe(`${before + 2} areas`);
    expect(await page.locator('.areas-table').innerText()).toContain('quantum sensing');
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('the case change counter', () => {
  it('moves with every write from any door, undo and redo included, and names the domains that changed', async () => {
    const session = await openNewCase();
    try {
      const { served } = session;
      let seen = (await callApi(served, 'case.changes', { since: 0 })).version;
      /** What changed since the last look, as the page's watcher would see it. */
      const look = async () => {
        const answer = await callApi(served, 'case.changes', { since: seen });
        expect(answer.version).toBeGreaterThanOrEqual(seen);
        seen = answer.version;
        return answer.domains;
      };
      expect(await look()).toEqual([]);
      await callApi(served, 'sources.create', { kind: 'article', title: 'Joint programmes of defence universities', reliability: 'B' } as OpInput<'sources.create'>);
      expect(await look()).toEqual(['evidence']);
      await callApi(served, 'entities.create', { fields: { type: 'organisation', name: 'Beihang University' } } as OpInput<'entities.create'>);
      expect(await look()).toEqual(['model']);
      await callApi(served, 'history.undo', {});
      expect(await look()).toEqual(['model']);
      await callApi(served, 'history.redo', {});
      expect(await look()).toEqual(['model']);
      await callApi(served, 'case.update', { title: 'Defence universities' } as OpInput<'case.update'>);
      expect(await look()).toEqual(['case']);
      // Nothing written: nothing to refetch.
      await callApi(served, 'entities.page', { startRow: 0, endRow: 10, sort: [], filter: {}, quick: '', filters: {} } as OpInput<'entities.page'>);
      expect(await look()).toEqual([]);
      // Another process writing to the same case file.
      const csv = path.join(tempDir('caseboard-fresh-csv-'), 'more.csv');
      writeFileSync(csv, 'Name\nTsinghua University\n');
      await run(process.execPath, [cliPath, 'import', session.caseFile, csv, '--format', 'csv', '--kind', 'entities', '--map', 'Name=name'], { env: { ...process.env, CASEBOARD_HOME: session.home } });
      expect(await look()).toContain('model');
    } finally {
      await session.browser.close();
      await session.served.stop();
      rmSync(session.home, { recursive: true, force: true });
    }
  }, 60_000);
});
