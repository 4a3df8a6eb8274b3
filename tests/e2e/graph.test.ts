import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { launchBrowser, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { seedSampleCase } from '../helpers/graph-sample';
import { repoRoot, tempDir } from '../helpers/temp';

const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

/** Counts the WebGL contexts the page makes and how many are still alive. */
const COUNT_WEBGL = `(() => {
  const made = [];
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const context = original.call(this, type, ...rest);
    if (context && /webgl/.test(String(type)) && !made.includes(context)) made.push(context);
    return context;
  };
  window.__webglContexts = () => ({ made: made.length, live: made.filter((c) => !c.isContextLost()).length });
})();`;

function hex(colour: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
}

/** How many pixels of a PNG are close to each colour, counted in a blank page. */
async function countColours(context: BrowserContext, png: Buffer, colours: string[]): Promise<number[]> {
  const blank = await context.newPage();
  try {
    // Runs in the blank page; written as text because this project's Node types have no DOM.
    const script = `(async ({ b64, targets }) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = targets.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        targets.forEach(([r, g, b], t) => {
          if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) counts[t] += 1;
        });
      }
      return counts;
    })(${JSON.stringify({ b64: png.toString('base64'), targets: colours.map(hex) })})`;
    return (await blank.evaluate(script)) as number[];
  } finally {
    await blank.close();
  }
}

async function openView(page: Page, view: string): Promise<void> {
  await page.locator('.app-nav a', { hasText: new RegExp(`^${view}$`, 'i') }).click();
}

async function graphReady(page: Page, nodes: number): Promise<void> {
  await expect.poll(() => page.locator('.graph-host').getAttribute('data-status')).toBe('ready');
  await expect.poll(() => page.locator('.graph-host').getAttribute('data-nodes')).toBe(String(nodes));
  await expect.poll(async () => Number(await page.locator('.graph-canvas').getAttribute('data-frames'))).toBeGreaterThan(0);
}

describe('graph and timeline in the browser mode', () => {
  let served: ServedCase;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const warnings: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    served = await serveCase([], { CASEBOARD_HOME: tempDir('caseboard-graph-e2e-') });
    const call = async <N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> => {
      const response = await fetch(`${served.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
      const body = (await response.json()) as { ok: boolean; value: OpOutput<N>; error?: unknown };
      if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body.error)}`);
      return body.value;
    };
    await seedSampleCase(call);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await context.addInitScript(COUNT_WEBGL);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    errors = watchPageErrors(page);
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws the sample case with coloured nodes and readable labels', async () => {
    await page.goto(served.url);
    await openView(page, 'Graph');
    await graphReady(page, 20);
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('20 of 20 entities, 17 links shown');
    await page.waitForTimeout(500);
    const shot = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph.png') });
    await page.screenshot({ path: path.join(screenshots, 'graph-view.png') });
    // Organisation blue, person orange, label ink.
    const [organisation, person, ink] = await countColours(context, shot, ['#2458b3', '#d9480f', '#1c2330']);
    expect(organisation).toBeGreaterThan(300);
    expect(person).toBeGreaterThan(30);
    expect(ink).toBeGreaterThan(500);
    await expect.poll(() => page.locator('.graph-legend').innerText()).toContain('Organisation');
    expect(errors).toEqual([]);
  });

  it('finds an entity by alias, and clicking it opens its panel', async () => {
    await page.fill('input[aria-label="Find an entity"]', 'BUAA');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.waitForTimeout(700);
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe('Beihang University');
    await page.screenshot({ path: path.join(screenshots, 'graph-entity-panel.png') });
    await page.getByRole('button', { name: 'Close panel' }).click();
  });

  it('highlights the shortest path between two entities', async () => {
    await page.mouse.move(5, 5);
    await page.fill('input[aria-label="Path from"]', 'Orlan-10');
    await page.fill('input[aria-label="Path to"]', 'HIT');
    await page.getByRole('button', { name: 'Show path' }).click();
    await expect.poll(() => page.locator('.path-note').first().innerText()).toBe(
      'Path (3 steps): Orlan-10 → Special Technology Center → United States government → Harbin Institute of Technology',
    );
    await page.waitForTimeout(300);
    const shot = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-path.png') });
    const [pathColour] = await countColours(context, shot, ['#f08c00']);
    expect(pathColour).toBeGreaterThan(150);
    await page.getByRole('button', { name: 'Clear path' }).click();
  });

  it('filters the graph by a period brushed on the timeline', async () => {
    await openView(page, 'Timeline');
    await expect.poll(() => page.locator('.timeline-view .count').innerText()).toContain('8 dated links, 9 without dates');
    await page.screenshot({ path: path.join(screenshots, 'timeline.png') });
    const y2023 = await page.locator('.timeline-svg .axis text', { hasText: /^2023$/ }).boundingBox();
    const y2025 = await page.locator('.timeline-svg .axis text', { hasText: /^2025$/ }).boundingBox();
    const brush = await page.getByTestId('timeline-brush').boundingBox();
    if (!y2023 || !y2025 || !brush) throw new Error('no axis');
    const mid = brush.y + brush.height / 2;
    // Year labels sit 3 px right of their year's first day.
    await page.mouse.move(y2023.x - 2, mid);
    await page.mouse.down();
    await page.mouse.move((y2023.x + y2025.x) / 2, mid, { steps: 4 });
    await page.mouse.move(y2025.x - 6, mid, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.filter-chip span').innerText()).toBe('Period: 2023-01-01 – 2024-12-31');
    await page.screenshot({ path: path.join(screenshots, 'timeline-brushed.png') });
    await openView(page, 'Graph');
    // Links overlapping 2023–2024: the ongoing programmes and ties since 2011, 2017 and 2020, and the 2023 and 2024 ones.
    await graphReady(page, 11);
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('11 of 20 entities, 8 links shown (filtered)');
    await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-filtered.png') });
    await page.getByRole('button', { name: /Remove filter Period/ }).click();
    await graphReady(page, 20);
  });

  it('exports the picture as a PNG at least 3000 pixels wide', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const file = await (await download).path();
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(3000);
    expect(png.readUInt32BE(20)).toBeGreaterThan(1000);
    const [organisation] = await countColours(context, png, ['#2458b3']);
    expect(organisation).toBeGreaterThan(2000);
  });

  it('keeps positions: a reload draws the same picture', async () => {
    const before = await page.locator('.graph-host').getAttribute('data-load-ms');
    expect(before).not.toBeNull();
    await page.reload();
    await graphReady(page, 20);
  });

  it('releases its WebGL contexts when switching views 50 times', async () => {
    const once = (await page.evaluate('window.__webglContexts()')) as { made: number; live: number };
    expect(once.live).toBeGreaterThan(0);
    for (let i = 0; i < 25; i += 1) {
      await openView(page, i % 5 === 4 ? 'Sources' : 'Timeline');
      await page.locator(i % 5 === 4 ? '.app-main' : '.timeline-view').waitFor();
      await openView(page, 'Graph');
      await expect.poll(async () => Number(await page.locator('.graph-canvas').getAttribute('data-frames'))).toBeGreaterThan(0);
    }
    const after = (await page.evaluate('window.__webglContexts()')) as { made: number; live: number };
    expect(after.made).toBeGreaterThan(once.made);
    expect(after.live).toBeLessThanOrEqual(once.live);
    expect(warnings.filter((w) => /too many active webgl/i.test(w))).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);
});
