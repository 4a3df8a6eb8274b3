import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import { Parser } from 'htmlparser2';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { chromiumPath, launchBrowser, serveCase, watchPageErrors, watchRequests, type ServedCase } from '../helpers/browser';
import { cliPath, repoRoot } from '../helpers/temp';
import { SOAK } from './support/child-bundle';
import { recordFigures } from './support/figures';
import { buildXssCase, HOSTILE_REPORT, type XssCase } from './support/xss-case';
import { EFFECTS, FORMULA_TRIGGERS, XSS_GLOBAL, XSS_MARKER_SELECTOR, XSS_TITLE, xssPayloads } from './support/xss-payloads';

const payloads = xssPayloads();
const screenshots = path.join(repoRoot, 'test-results', 'screenshots');
/** Rows opened per grid: every row of the CI case; in the soak run, enough to reach past the first screens many times over. */
const ROWS_PER_GRID = SOAK ? 300 : 40;
const HISTORY_ROWS = SOAK ? 200 : 8;
/** Searches for payload fragments: highlighting a match is where markup most often slips in. */
const SEARCHES = ['script', 'onerror', 'javascript', 'alert', 'svg onload', '<img src=x onerror=alert(1)>', '"><script>', 'constructor', 'HYPERLINK', 'mglyph'];

// XML 1.0 cannot hold these even escaped, so the graph exports leave them out.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// Browsers drop these anywhere in a URL's scheme, so `java\tscript:` is still javascript:.
// eslint-disable-next-line no-control-regex
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f-\u009f]/g;
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcset', 'lowsrc', 'dynsrc', 'codebase', 'cite', 'ping']);
const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'button', 'input', 'textarea', 'select', 'math', 'template', 'noscript', 'xmp', 'listing', 'marquee', 'isindex', 'xss-marker']);

let home: string;
let fixture: XssCase;
let served: ServedCase;
let browser: Browser;
/** Text of the case as stored (trimmed by the contract), read from the file: what exports must give back. */
let stored: { entityNames: string[]; linkTypes: string[]; sourceTitles: string[]; csvCells: Map<string, Set<string>> };

async function call<N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const send = () => fetch(`${served.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  // A kept-alive connection the server closed while idle fails once; every call here may be sent again.
  const response = await send().catch(send);
  const body = (await response.json()) as { ok: boolean; value: OpOutput<N>; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message ?? response.status}`);
  return body.value;
}

function readStored(file: string): typeof stored {
  const db = new Database(file, { readonly: true });
  try {
    const column = (sql: string) => (db.prepare(sql).pluck().all() as (string | null)[]).filter((v): v is string => v !== null);
    const cells = new Map<string, Set<string>>([
      ['entities', new Set([...column('SELECT name FROM entities'), ...column('SELECT notes FROM entities'), ...column('SELECT description FROM entities'), ...column('SELECT subtype FROM entities')])],
      ['links', new Set([...column('SELECT type FROM links'), ...column('SELECT notes FROM links')])],
      ['sources', new Set([...column('SELECT title FROM sources'), ...column('SELECT publisher FROM sources'), ...column('SELECT notes FROM sources'), ...column('SELECT url FROM sources')])],
    ]);
    return { entityNames: column('SELECT name FROM entities ORDER BY rowid'), linkTypes: column('SELECT type FROM links ORDER BY rowid'), sourceTitles: column('SELECT title FROM sources ORDER BY rowid'), csvCells: cells };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // Not tempDir(): that folder goes after each test, and the served case must outlive them all.
  home = mkdtempSync(path.join(os.tmpdir(), 'caseboard-xss-'));
  mkdirSync(screenshots, { recursive: true });
  fixture = await buildXssCase(home, payloads, { everywhere: SOAK });
  stored = readStored(fixture.file);
  served = await serveCase([fixture.file], { CASEBOARD_HOME: home });
  // The investigator's own name, as the app records it for every change made from the UI.
  await call('app.setInvestigator', { name: (payloads.find((p) => p.includes('onerror')) ?? payloads[0] ?? '').slice(0, 200) });
  browser = await launchBrowser();
}, SOAK ? 1_800_000 : 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Everything a payload that ran would leave behind, in the page and its frames. */
async function traces(page: Page, errors: string[]): Promise<string[]> {
  const found = [...errors];
  for (const frame of page.frames()) {
    try {
      if ((await frame.title()) === XSS_TITLE) found.push(`document title set in ${frame.url()}`);
      if (await frame.evaluate(`typeof window.${XSS_GLOBAL} !== 'undefined'`)) found.push(`window.${XSS_GLOBAL} set in ${frame.url()}`);
      const markers = await frame.locator(XSS_MARKER_SELECTOR).count();
      if (markers > 0) found.push(`${markers} injected element(s) in ${frame.url()}`);
    } catch (error) {
      // A sandboxed frame without scripts cannot be evaluated in; its markers are still counted above where possible.
      if (!/sandbox|Execution context was destroyed|Frame was detached/i.test(String(error))) throw error;
    }
  }
  return found;
}

const inFlight = new WeakMap<Page, () => string[]>();

/** Watches the page's requests still running, so a step can wait for what it asked for without a fixed idle time. */
function trackRequests(page: Page): void {
  inFlight.set(page, watchRequests(page));
}

/** Waits until the page has loaded what the last action asked for and drawn it. */
async function settle(page: Page): Promise<void> {
  const pending = inFlight.get(page);
  if (!pending) return page.waitForLoadState('networkidle');
  do {
    await page.waitForTimeout(40);
    while (pending().length > 0) await page.waitForTimeout(20);
    // Two frames after the last response: React has rendered what it brought.
    await page.waitForTimeout(60);
  } while (pending().length > 0);
}

/** Clicks each row of the grid on screen, scrolling it as it goes, so every row's panel is opened and rendered. */
async function openEveryRow(page: Page, limit: number): Promise<number> {
  const grid = page.locator('.app-main .ag-root').first();
  if ((await grid.count()) === 0) return 0;
  const rowAt = (index: number) => grid.locator(`.ag-grid-scrolling-container .ag-row[row-index="${index}"]`).first();
  const scroll = async (pixels: number) => {
    const box = await grid.boundingBox();
    if (!box) return;
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height - 10, 120));
    await page.mouse.wheel(0, pixels);
    await settle(page);
  };
  let opened = 0;
  for (let index = 0; index < limit; index += 1) {
    const row = rowAt(index);
    for (let tries = 0; (await row.count()) === 0 && tries < 3; tries += 1) await scroll(200);
    if ((await row.count()) === 0) break;
    await row.locator('.ag-cell').first().click();
    await settle(page);
    opened += 1;
  }
  await scroll(-1_000_000);
  return opened;
}

/** Moves the mouse across the view, so hover cards and labels (graph, timeline) are drawn for what lies under it; counts the cards shown. */
async function sweepWithMouse(page: Page): Promise<number> {
  const box = await page.locator('.app-main').boundingBox();
  if (!box) return 0;
  const steps = SOAK ? 30 : 10;
  let cards = 0;
  for (let y = 0; y < steps; y += 1) {
    for (let x = 0; x < steps; x += 1) {
      await page.mouse.move(box.x + ((x + 0.5) * box.width) / steps, box.y + ((y + 0.5) * box.height) / steps);
      cards += await page.locator('[role="tooltip"]').count();
    }
  }
  await page.mouse.move(0, 0);
  return cards;
}

/** What a parsed HTML document holds that could run or navigate: elements, handlers, script URLs. */
function dangerousMarkup(text: string): { findings: string[]; elements: number; texts: string } {
  const findings: string[] = [];
  let elements = 0;
  let texts = '';
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        elements += 1;
        if (FORBIDDEN_ELEMENTS.has(name)) findings.push(`<${name}>`);
        if (name === 'meta' && (attributes['http-equiv'] ?? '').toLowerCase() === 'refresh') findings.push('<meta http-equiv=refresh>');
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith('on')) findings.push(`<${name} ${attribute}>`);
          if (attribute === 'id' && value.startsWith('xss-')) findings.push(`<${name} id=${value}>`);
          if (attribute === 'srcdoc') findings.push(`<${name} srcdoc>`);
          const scheme = value.replace(IGNORED_IN_SCHEME, '').toLowerCase();
          if (URL_ATTRIBUTES.has(attribute) && (/^(javascript|vbscript|livescript):/.test(scheme) || /^data:(text\/html|image\/svg|application\/xhtml|text\/xml)/.test(scheme))) {
            findings.push(`<${name} ${attribute}="${value.slice(0, 60)}">`);
          }
          if (attribute === 'style' && /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(value)) findings.push(`<${name} style="${value.slice(0, 60)}">`);
        }
      },
      ontext(data) {
        texts += data;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(text);
  parser.end();
  return { findings, elements, texts };
}

const squash = (text: string) => text.replace(/\s+/g, '');

describe('hostile text: a corpus of XSS payloads in every text field', () => {
  it('has detectors that see every effect a payload can have, in a bare page and in the app under its CSP', async () => {
    const page = await browser.newPage();
    try {
      const errors = watchPageErrors(page);
      for (const effect of EFFECTS) {
        await page.setContent(`<p>before</p><img src="x" onerror="${effect.replaceAll('"', '&quot;')}">`, { waitUntil: 'load' });
        await page.waitForTimeout(50);
        expect(await traces(page, errors.splice(0)), effect).not.toEqual([]);
      }
      expect(dangerousMarkup('<a href="java&#x09;script:alert(1)">x</a><svg><animate onbegin="x"></svg><div style="width:expression(1)">').findings).toHaveLength(3);
      // In the app, the CSP stops the handler from running, and saying so is a console error the test sees.
      await page.goto(served.url);
      await page.locator('nav.app-nav a').first().waitFor();
      errors.splice(0);
      await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="alert(1)">')`);
      await page.waitForTimeout(200);
      expect((await traces(page, errors.splice(0))).join('\n')).toMatch(/Content Security Policy/);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('has at least 200 distinct payloads, each in at least one field, and every field holds many', () => {
    expect(new Set(payloads).size).toBe(payloads.length);
    expect(payloads.length).toBeGreaterThanOrEqual(200);
    const placed = new Set<number>();
    for (const indexes of fixture.coverage.values()) for (const index of indexes) placed.add(index);
    const missing = payloads.filter((_, index) => !placed.has(index));
    expect(missing).toEqual([]);
    const fields = [...fixture.coverage.entries()].map(([field, indexes]) => [field, indexes.size] as const);
    // Each field took at least as many payloads as it has items, the notes-like ones the whole corpus.
    // (In the soak run every item carries one payload in every field, less those longer than a short field allows.)
    for (const [field, count] of fields) expect(count, field).toBeGreaterThanOrEqual(SOAK ? payloads.length / 2 : 3);
    expect(fields.length).toBeGreaterThanOrEqual(35);
    const placements = fields.reduce((sum, [, count]) => sum + count, 0);
    recordFigures('xss-corpus', { payloads: payloads.length, fields: fields.length, placements, items: fixture.counts, perField: Object.fromEntries(fields) });
  });

  it('runs nothing and injects no markup in any view, panel, hover card or search result', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(SOAK ? 120_000 : 20_000);
    trackRequests(page);
    const errors = watchPageErrors(page);
    // A payload's console.error('XSS') or CSP report is an error already; any console line naming XSS counts too.
    page.on('console', (message) => {
      if (/XSS/.test(message.text()) && message.type() !== 'error') errors.push(`console ${message.type()}: ${message.text()}`);
    });
    const problems: string[] = [];
    const check = async (where: string) => {
      for (const trace of await traces(page, errors.splice(0))) problems.push(`${where}: ${trace}`);
    };
    await page.goto(served.url);
    await page.locator('nav.app-nav a').first().waitFor();
    await settle(page);
    await check('start');

    // The case details dialog shows the case title, marking and description.
    await page.getByRole('button', { name: 'Case details' }).click();
    await settle(page);
    await check('case details');
    await page.keyboard.press('Escape');

    const hrefs: string[] = [];
    for (const link of await page.locator('nav.app-nav a').all()) hrefs.push((await link.getAttribute('href')) ?? '');
    const visited: string[] = [];
    const rowsOpened: Record<string, number> = {};
    const seconds: Record<string, number> = {};
    const hoverCards: Record<string, number> = {};
    for (const href of hrefs) {
      const view = href.replace(/^#\/?/, '');
      const started = Date.now();
      await page.locator(`nav.app-nav a[href="${href}"]`).click();
      await settle(page);
      await check(view);
      if (view === 'history') rowsOpened[view] = await openEveryRow(page, HISTORY_ROWS);
      else rowsOpened[view] = await openEveryRow(page, ROWS_PER_GRID);
      if (view === 'graph' || view === 'timeline') hoverCards[view] = await sweepWithMouse(page);
      if (view === 'reports') {
        const reports = page.locator('.report-item');
        const count = await reports.count();
        for (let i = 0; i < count; i += 1) {
          await reports.nth(i).click();
          await settle(page);
        }
        rowsOpened[view] = count;
      }
      if (view === 'areas') {
        // The edit dialog puts the name into a field and the dialog title.
        await page.locator('.app-main button', { hasText: /^Edit$/ }).last().click();
        await settle(page);
        await check('areas: edit dialog');
        await page.keyboard.press('Escape');
      }
      await check(`${view} after opening items`);
      if (view === 'sources' || view === 'entities' || view === 'graph') await page.screenshot({ path: path.join(screenshots, `xss-${view}.png`) });
      visited.push(view);
      seconds[view] = Math.round((Date.now() - started) / 100) / 10;
    }

    let hits = 0;
    for (const term of SEARCHES) {
      await page.getByRole('searchbox', { name: 'Search everywhere' }).fill(term);
      await page.getByRole('searchbox', { name: 'Search everywhere' }).press('Enter');
      await settle(page);
      const found = await page.locator('.hit-snippet').count();
      hits += found;
      // Opening a hit shows the passage in its source.
      if (found > 0) {
        await page.locator('.hit-link').first().click();
        await settle(page);
      }
      await check(`search "${term}"`);
    }
    await page.screenshot({ path: path.join(screenshots, 'xss-search.png') });
    await context.close();

    recordFigures('xss-ui', { payloads: payloads.length, views: visited, itemsOpened: rowsOpened, searches: SEARCHES.length, searchHits: hits, executions: problems.length, hoverCards, secondsPerView: seconds });
    expect(problems).toEqual([]);
    // The run must have reached the views and their items, or finding nothing proves nothing.
    for (const view of ['sources', 'entities', 'links', 'graph', 'timeline', 'reports', 'search', 'history', 'areas']) expect(visited).toContain(view);
    expect(rowsOpened.sources).toBe(fixture.counts.sources);
    expect(rowsOpened.entities).toBe(fixture.counts.entities);
    expect(rowsOpened.links).toBe(fixture.counts.links);
    expect(rowsOpened.reports).toBe(fixture.counts.reports);
    expect(hits).toBeGreaterThan(SEARCHES.length);
  }, SOAK ? 3_600_000 : 180_000);

  it('exports HTML briefings with no script, frame, object, handler or script URL, and they run nothing in Chromium', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'caseboard-xss-html-'));
    try {
      // The saved report through the command line, the whole case through the export operation the UI calls.
      const files = { saved: path.join(out, 'saved.html'), whole: path.join(out, 'whole.html') };
      const result = spawnSync(process.execPath, [cliPath, 'report', fixture.file, files.saved, '--report', HOSTILE_REPORT], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const whole = await call('reports.export', { fields: { name: 'Whole case', title: 'Whole case' }, format: 'html' });
      writeFileSync(files.whole, Buffer.from(whole.base64 ?? '', 'base64'));
      const context = await browser.newContext({ javaScriptEnabled: true });
      try {
        let elements = 0;
        for (const [which, file] of Object.entries(files)) {
          const text = readFileSync(file, 'utf8');
          const parsed = dangerousMarkup(text);
          elements += parsed.elements;
          expect(parsed.findings, which).toEqual([]);
          // The only <meta> allowed is the charset and the report's own CSP; no <script> at all, not even ours.
          expect(text).not.toMatch(/<script/i);
          // The payloads are there, as text.
          const shown = squash(parsed.texts);
          const present = payloads.filter((p) => p.length < 300 && shown.includes(squash(p)));
          expect(present.length, which).toBeGreaterThan(which === 'whole' ? 50 : SOAK ? 3 : 20);

          const page = await context.newPage();
          const errors = watchPageErrors(page);
          await page.goto(`file://${file}`);
          await page.waitForLoadState('load');
          expect(await traces(page, errors), which).toEqual([]);
          await page.close();
        }
        recordFigures('xss-html-report', { files: Object.keys(files).length, elements, executions: 0 });
      } finally {
        await context.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, SOAK ? 1_200_000 : 120_000);

  it('prints the PDF briefing with the payloads as text, and its printable page runs nothing even with JavaScript on', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'caseboard-xss-pdf-'));
    try {
      const pdf = path.join(out, 'saved.pdf');
      const result = spawnSync(process.execPath, [cliPath, 'report', fixture.file, pdf, '--report', HOSTILE_REPORT, '--chromium', chromiumPath()], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const text = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
      // The saved report's own fields: title, marking, author and findings, each one payload.
      const report = (await call('reports.list', {})).find((r) => r.name === HOSTILE_REPORT);
      expect(report).toBeDefined();
      const definition = await call('reports.get', { id: report?.id as string });
      const sample = [definition.title, definition.marking, definition.author, ...definition.findings.map((f) => f.text)].filter((t): t is string => typeof t === 'string' && /^[\x20-\x7e]+$/.test(t));
      expect(sample.length).toBeGreaterThanOrEqual(3);
      for (const expected of sample) expect(text, expected).toContain(squash(expected));

      // What the printer is given: the page, its running header and its footer (the printer runs it with JavaScript off).
      const printable = await call('reports.render', { id: report?.id as string });
      const page = await browser.newPage();
      try {
        const errors = watchPageErrors(page);
        for (const [part, markup] of [
          ['page', printable.html],
          ['header', printable.header],
          ['footer', printable.footer],
        ] as const) {
          expect(dangerousMarkup(markup).findings, part).toEqual([]);
          await page.setContent(markup, { waitUntil: 'load' });
          expect(await traces(page, errors), part).toEqual([]);
        }
      } finally {
        await page.close();
      }
      recordFigures('xss-pdf-report', { pdfBytes: readFileSync(pdf).length, samplesFound: sample.length, executions: 0 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, SOAK ? 1_200_000 : 120_000);

  it('exports CSV with no cell starting a formula, and each neutralised cell gives back its text without the added apostrophe', async () => {
    let cells = 0;
    let neutralised = 0;
    for (const kind of ['entities', 'links', 'sources'] as const) {
      const { text } = await call('exchange.export', { format: 'csv', kind });
      const rows = parseCsv(text, { bom: true, relax_column_count: false }) as string[][];
      expect(rows.length, kind).toBeGreaterThan(1);
      const recovered = new Set<string>();
      for (const row of rows.slice(1)) {
        for (const cell of row) {
          cells += 1;
          expect(FORMULA_TRIGGERS.some((t) => cell.startsWith(t)), `${kind}: ${JSON.stringify(cell.slice(0, 60))}`).toBe(false);
          // The documented rule: export puts one apostrophe before a cell that starts with a trigger or an apostrophe.
          if (cell.startsWith("'")) neutralised += 1;
          recovered.add(cell.startsWith("'") ? cell.slice(1) : cell);
        }
      }
      const lost = [...(stored.csvCells.get(kind) ?? [])].filter((value) => !recovered.has(value));
      expect(lost.map((v) => v.slice(0, 60)), kind).toEqual([]);
    }
    expect(neutralised).toBeGreaterThan(5);
    recordFigures('xss-csv', { cells, neutralised, formulaCells: 0 });
  }, 60_000);

  it('exports GEXF and GraphML that parse as XML, and FollowTheMoney lines that parse as JSON, with the payloads intact as text', async () => {
    const page = await browser.newPage();
    try {
      const asXml = (value: string) => value.replace(NOT_XML, '');
      for (const format of ['gexf', 'graphml'] as const) {
        const { text } = await call('exchange.export', { format, kind: 'entities' });
        const parsed = (await page.evaluate(
          ([xml, kind]) => {
            const doc = new DOMParser().parseFromString(xml, 'application/xml');
            const error = doc.getElementsByTagName('parsererror')[0]?.textContent ?? null;
            const names =
              kind === 'gexf'
                ? [...doc.getElementsByTagName('node')].map((n) => n.getAttribute('label') ?? '')
                : [...doc.getElementsByTagName('data')].filter((d) => d.getAttribute('key') === 'label').map((d) => d.textContent ?? '');
            const types = kind === 'gexf' ? [...doc.getElementsByTagName('edge')].map((e) => e.getAttribute('label') ?? '') : [];
            return { error, names, types, scripts: doc.getElementsByTagName('script').length };
          },
          [text, format] as const,
        )) as { error: string | null; names: string[]; types: string[]; scripts: number };
        expect(parsed.error, format).toBeNull();
        expect(parsed.scripts, format).toBe(0);
        expect(parsed.names, format).toEqual(stored.entityNames.map(asXml));
        if (format === 'gexf') expect(parsed.types).toEqual(stored.linkTypes.map(asXml));
      }
      const { text } = await call('exchange.export', { format: 'ftm', kind: 'entities' });
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      const names = new Set<string>();
      for (const line of lines) {
        const record = JSON.parse(line) as { properties: Record<string, unknown[]> };
        for (const name of record.properties.name ?? []) names.add(String(name));
      }
      expect(lines.length).toBeGreaterThan(0);
      expect(names.size).toBeGreaterThan(0);
      // FollowTheMoney has no schema for some entity types; every name it does carry is one of ours, whole.
      for (const name of names) expect(stored.entityNames).toContain(name);
      recordFigures('xss-exchange', { gexfNodes: stored.entityNames.length, ftmLines: lines.length, ftmNames: names.size });
    } finally {
      await page.close();
    }
  }, 60_000);

  it('refuses javascript:, vbscript: and data: addresses for sources, so no stored URL can run', async () => {
    for (const url of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'java\tscript:alert(1)', 'file:///etc/passwd']) {
      await expect(call('sources.create', { kind: 'web_page', title: 'A hostile address', url, reliability: 'F' }), url).rejects.toThrow(/web address/);
    }
  });
});
