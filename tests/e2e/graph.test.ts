import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { unpackGraph } from '../../shared/graph';
import { callApi, launchBrowser, openPage, serveCase, watchPageErrors, type ServedCase } from '../helpers/browser';
import { seedSampleCase } from '../helpers/graph-sample';
import { insideShape, SHAPE_BY_TYPE, SHAPE_GEOMETRY, shapeArea, type NodeShape } from '../../renderer/src/graph/shapes';
import { repoRoot, tempDir } from '../helpers/temp';
import { fillCase, saveSpiralPositions } from '../helpers/bulk';
import { createCaseFile } from '../../db/core/case-file';
import { TYPE_COLOURS } from '../../renderer/src/graph/appearance';
import { OVERVIEW_ENTITIES } from '../../renderer/src/graph/overview';

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
  let callServed: <N extends OperationName>(name: N, input: OpInput<N>) => Promise<OpOutput<N>>;
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
    callServed = call;
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
    // Every link type the legend names has a colour of its own.
    const linkColours = await page.locator('.graph-legend .swatch.line').evaluateAll((swatches) => swatches.map((s) => getComputedStyle(s).backgroundColor));
    expect(linkColours.length).toBeGreaterThan(5);
    expect(new Set(linkColours).size).toBe(linkColours.length);

    // The ranking by degree starts with the entity that has the most links; a row opens its entity.
    const data = unpackGraph(await callServed('graph.load', {}));
    const degree = new Map<string, number>();
    for (const e of data.edges) for (const end of [e.from, e.to]) degree.set(end, (degree.get(end) ?? 0) + 1);
    const most = Math.max(...degree.values());
    await page.locator('.graph-ranking summary').click();
    const first = page.locator('.ranking-list li').first();
    await expect.poll(() => first.locator('.ranking-value').innerText()).toBe(String(most));
    const top = await first.locator('.ranking-name').innerText();
    expect(degree.get(data.nodes.find((n) => n.name === top)?.id ?? '')).toBe(most);
    await page.locator('.graph-ranking select').selectOption('betweenness');
    await expect.poll(() => page.locator('.ranking-list li').count()).toBe(15);
    await page.screenshot({ path: path.join(screenshots, 'graph-ranking.png') });
    await page.locator('.graph-ranking select').selectOption('degree');
    await first.locator('button').click();
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe(top);
    await page.locator('.graph-ranking summary').click();
    await page.getByRole('button', { name: 'Close panel' }).click();
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

  it('highlights the shortest path between two entities, and Clear path brings back the view from before', async () => {
    await page.mouse.move(5, 5);
    const cameraNow = () => page.locator('.graph-canvas').getAttribute('data-camera');
    // The camera is still from the search above; take it once it has settled.
    let before = await cameraNow();
    for (let settled = false; !settled; ) {
      await page.waitForTimeout(200);
      const now = await cameraNow();
      settled = now === before;
      before = now;
    }
    expect(before).toMatch(/^[\d.-]+,[\d.-]+,[\d.]+$/);
    const lookBefore = await page.locator('.graph-host').screenshot();
    await page.fill('input[aria-label="Path from"]', 'Orlan-10');
    await page.fill('input[aria-label="Path to"]', 'HIT');
    await page.getByRole('button', { name: 'Show path' }).click();
    await expect.poll(() => page.locator('.path-note').first().innerText()).toBe(
      'Path (3 steps): Orlan-10 → Special Technology Center → United States government → Harbin Institute of Technology',
    );
    // The camera glides to the path; wait for the picture to settle rather than for a set time.
    await expect
      .poll(async () => {
        const shot = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-path.png') });
        return (await countColours(context, shot, ['#f08c00']))[0];
      })
      .toBeGreaterThan(150);
    expect(await cameraNow()).not.toBe(before);
    // The path may be told to keep out of the "sanctioned" hub.
    await page.locator('.path-leave-out summary').click();
    await page.getByRole('checkbox', { name: 'sanctioned', exact: true }).check();
    await expect.poll(() => page.locator('.path-leave-out summary').innerText()).toBe('Leaving out 1 link type');
    await page.getByRole('button', { name: 'Show path' }).click();
    await expect.poll(() => page.locator('.path-note').first().innerText()).toContain('without “sanctioned” links');
    expect(await page.locator('.path-note').first().innerText()).not.toContain('United States government');
    await page.screenshot({ path: path.join(screenshots, 'graph-path-leave-out.png') });
    await page.getByRole('checkbox', { name: 'sanctioned', exact: true }).uncheck();
    await page.locator('.path-leave-out summary').click();
    await page.getByRole('button', { name: 'Clear path' }).click();
    await expect.poll(cameraNow).toBe(before);
    // Nothing is dimmed any more: the picture is the one from before the path.
    const [inkBefore] = await countColours(context, lookBefore, ['#2458b3']);
    await expect.poll(async () => (await countColours(context, await page.locator('.graph-host').screenshot(), ['#2458b3']))[0]).toBeGreaterThan((inkBefore ?? 0) * 0.9);
  });

  it('filters the graph by a period brushed on the timeline', async () => {
    await openView(page, 'Timeline');
    await expect.poll(() => page.locator('.timeline-view .count').innerText()).toContain('8 dated links, 9 without dates');
    await page.screenshot({ path: path.join(screenshots, 'timeline.png') });
    // The chart above counts each link once in its start year, however many technology areas it carries.
    const edges = unpackGraph(await callServed('graph.load', {})).edges.filter((e) => e.startDate);
    expect(edges.some((e) => e.areaIds.length > 1)).toBe(true);
    const perYear = new Map<string, number>();
    for (const e of edges) perYear.set((e.startDate as string).slice(0, 4), (perYear.get((e.startDate as string).slice(0, 4)) ?? 0) + 1);
    const totals = await page.locator('.timeline-svg .chart text[text-anchor="middle"]').evaluateAll((texts) =>
      texts.map((t) => ({ x: Number(t.getAttribute('x')), n: t.textContent })).sort((a, b) => a.x - b.x).map((t) => t.n),
    );
    expect(totals).toEqual([...perYear.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, n]) => String(n)));
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

/** Where each colour's largest patch of pixels is in a PNG: its pixels, counted in a blank page. */
async function colourPatches(context: BrowserContext, png: Buffer, colours: string[]): Promise<{ x: number; y: number; pixels: [number, number][] }[]> {
  const blank = await context.newPage();
  try {
    const script = `(async ({ b64, targets }) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return targets.map(([r, g, b]) => {
        const hit = new Uint8Array(width * height);
        for (let i = 0; i < width * height; i += 1) {
          if (Math.abs(data[i * 4] - r) + Math.abs(data[i * 4 + 1] - g) + Math.abs(data[i * 4 + 2] - b) < 40) hit[i] = 1;
        }
        let best = [];
        const seen = new Uint8Array(width * height);
        for (let start = 0; start < hit.length; start += 1) {
          if (!hit[start] || seen[start]) continue;
          const patch = [];
          const stack = [start];
          seen[start] = 1;
          while (stack.length) {
            const i = stack.pop();
            const x = i % width;
            const y = (i - x) / width;
            patch.push([x, y]);
            for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
              const nx = x + dx;
              const ny = y + dy;
              const j = ny * width + nx;
              if (nx >= 0 && ny >= 0 && nx < width && ny < height && hit[j] && !seen[j]) {
                seen[j] = 1;
                stack.push(j);
              }
            }
          }
          if (patch.length > best.length) best = patch;
        }
        const x = best.reduce((s, p) => s + p[0] + 0.5, 0) / Math.max(1, best.length);
        const y = best.reduce((s, p) => s + p[1] + 0.5, 0) / Math.max(1, best.length);
        return { x, y, pixels: best };
      });
    })(${JSON.stringify({ b64: png.toString('base64'), targets: colours.map(hex) })})`;
    return (await blank.evaluate(script)) as { x: number; y: number; pixels: [number, number][] }[];
  } finally {
    await blank.close();
  }
}

/** How well a patch of pixels matches a shape of the same area centred on the patch (intersection over union). */
function shapeFit(patch: { x: number; y: number; pixels: [number, number][] }, shape: NodeShape): number {
  const scale = Math.sqrt(patch.pixels.length / shapeArea(shape));
  const inPatch = new Set(patch.pixels.map(([x, y]) => `${x},${y}`));
  let both = 0;
  let either = 0;
  const reach = Math.ceil(scale * 1.6);
  for (let y = Math.floor(patch.y - reach); y <= patch.y + reach; y += 1) {
    for (let x = Math.floor(patch.x - reach); x <= patch.x + reach; x += 1) {
      const a = inPatch.has(`${x},${y}`);
      const b = insideShape(shape, (x + 0.5 - patch.x) / scale, (y + 0.5 - patch.y) / scale);
      if (a && b) both += 1;
      if (a || b) either += 1;
    }
  }
  return both / Math.max(1, either);
}

const TYPE_INK: Record<string, string> = { organisation: '#2458b3', person: '#d9480f', programme: '#1f8a70', event: '#9333ea', product: '#c2255c', place: '#a16207' };

/** One entity of each type on a ring (clear of the stage's corners, where the status and the legend sit), linked round so every entity is drawn at the same size. */
const RING = [
  { name: 'Northwind Aero Institute', type: 'organisation', angle: 150 },
  { name: 'Ilya Petrov', type: 'person', angle: 90 },
  { name: 'Joint Propulsion Programme', type: 'programme', angle: 30 },
  { name: 'Kazan', type: 'place', angle: -30 },
  { name: 'Kestrel-4 UAV', type: 'product', angle: -90 },
  { name: 'Zhuhai Airshow 2024', type: 'event', angle: -150 },
] as const;

describe('graph interactions: shapes, lasso, drawing links', { timeout: 60_000 }, () => {
  let served: ServedCase;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const ids = new Map<string, string>();
  let call: <N extends OperationName>(name: N, input: OpInput<N>) => Promise<OpOutput<N>>;

  /** Where each entity is on the page, found by its type's colour. */
  async function locate(): Promise<Map<string, { x: number; y: number; patch: { x: number; y: number; pixels: [number, number][] } }>> {
    await page.mouse.move(2, 2);
    await page.waitForTimeout(300);
    const host = await page.locator('.graph-host').boundingBox();
    if (!host) throw new Error('no graph');
    const shot = await page.locator('.graph-host').screenshot();
    const patches = await colourPatches(context, shot, RING.map((e) => TYPE_INK[e.type] as string));
    return new Map(RING.map((e, i) => {
      const patch = patches[i] as { x: number; y: number; pixels: [number, number][] };
      return [e.name, { x: host.x + patch.x, y: host.y + patch.y, patch }];
    }));
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    served = await serveCase([], { CASEBOARD_HOME: tempDir('caseboard-graph-tools-e2e-') });
    call = async <N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> => {
      const response = await fetch(`${served.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
      const body = (await response.json()) as { ok: boolean; value: OpOutput<N>; error?: unknown };
      if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body.error)}`);
      return body.value;
    };
    for (const e of RING) {
      const created = await call('entities.create', { fields: { type: e.type, name: e.name } } as OpInput<'entities.create'>);
      ids.set(e.name, created.id);
    }
    for (let i = 0; i < RING.length; i += 1) {
      const from = ids.get(RING[i]?.name ?? '') as string;
      const to = ids.get(RING[(i + 1) % RING.length]?.name ?? '') as string;
      await call('links.create', { fields: { fromId: from, toId: to, type: 'associated with', direction: 'mutual' } } as OpInput<'links.create'>);
    }
    await call('graph.savePositions', { positions: RING.map((e) => ({ id: ids.get(e.name) as string, x: 100 * Math.cos((e.angle * Math.PI) / 180), y: 100 * Math.sin((e.angle * Math.PI) / 180), pinned: false })) });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    errors = watchPageErrors(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws each entity type in its own shape, and the legend shows them', async () => {
    await page.goto(served.url);
    await openView(page, 'Graph');
    await graphReady(page, 6);
    // Grey links, so that only entities carry the type colours.
    await page.locator('label.inline-field', { hasText: 'Links' }).locator('select').selectOption('area');
    const at = await locate();
    await page.screenshot({ path: path.join(screenshots, 'graph-shapes.png') });
    for (const e of RING) {
      const patch = at.get(e.name)?.patch;
      if (!patch) throw new Error(`no ${e.name}`);
      expect(patch.pixels.length, e.name).toBeGreaterThan(200);
      const fits = (Object.keys(SHAPE_GEOMETRY) as NodeShape[]).map((shape) => ({ shape, fit: shapeFit(patch, shape) })).sort((a, b) => b.fit - a.fit);
      expect(fits[0]?.shape, `${e.name}: ${JSON.stringify(fits)}`).toBe(SHAPE_BY_TYPE[e.type]);
      expect(fits[0]?.fit ?? 0).toBeGreaterThan(0.8);
    }
    const legendShapes = await page.locator('.graph-legend .shape-icon').evaluateAll((icons) => icons.map((i) => i.getAttribute('data-shape')));
    expect(legendShapes).toEqual(['square', 'circle', 'diamond', 'triangle', 'hexagon', 'star']);
    expect(errors).toEqual([]);
  });

  it('exports SVG and PNG pictures with each entity in its type’s shape', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export SVG' }).click();
    const svg = readFileSync(await (await download).path(), 'utf8');
    for (const shape of ['square', 'circle', 'diamond', 'triangle', 'hexagon', 'star']) expect(svg.match(new RegExp(`class="entity ${shape}"`, 'g'))?.length, shape).toBe(1);
    const pngDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const png = readFileSync(await (await pngDownload).path());
    writeFileSync(path.join(screenshots, 'graph-shapes-export.png'), png);
    // Every type's colour is in the picture, drawn as an entity and in the legend.
    const counts = await countColours(context, png, RING.map((e) => TYPE_INK[e.type] as string));
    for (const [i, n] of counts.entries()) expect(n, RING[i]?.name).toBeGreaterThan(1500);
  });

  it('selects the entities inside a lasso drawn with Shift, and hides them', async () => {
    const at = await locate();
    const p = (name: string) => at.get(name) as { x: number; y: number };
    // The left half of the ring: the organisation, the event, and the person and product at top and bottom.
    const left = p('Northwind Aero Institute').x - 45;
    const right = (p('Ilya Petrov').x + p('Joint Propulsion Programme').x) / 2;
    const top = p('Ilya Petrov').y - 30;
    const bottom = p('Kestrel-4 UAV').y + 30;
    await page.keyboard.down('Shift');
    await page.mouse.move(left, top);
    await page.mouse.down();
    await page.mouse.move(right, top, { steps: 8 });
    await page.mouse.move(right, bottom, { steps: 8 });
    await page.screenshot({ path: path.join(screenshots, 'graph-lasso-drawing.png') });
    await page.mouse.move(left, bottom, { steps: 8 });
    await page.mouse.move(left, top + 10, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('4');
    await expect.poll(() => page.locator('.graph-selection').innerText()).toContain('4 selected');
    await page.screenshot({ path: path.join(screenshots, 'graph-lasso-selected.png') });
    await page.locator('.graph-selection').getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('2 of 6 entities');
    await expect.poll(() => page.locator('.graph-selection').count()).toBe(0);
    await page.getByRole('button', { name: 'Show 4 hidden' }).click();
    await graphReady(page, 6);
  });

  it('selects with the Lasso mode, adds with Shift, and pins the selection', async () => {
    await page.getByRole('button', { name: 'Lasso', exact: true }).click();
    const at = await locate();
    const ring = async (name: string, shift: boolean) => {
      const { x, y } = at.get(name) as { x: number; y: number };
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.move(x - 35, y - 35);
      await page.mouse.down();
      await page.mouse.move(x + 35, y - 35, { steps: 5 });
      await page.mouse.move(x + 35, y + 35, { steps: 5 });
      await page.mouse.move(x - 35, y + 35, { steps: 5 });
      await page.mouse.move(x - 35, y - 30, { steps: 5 });
      await page.mouse.up();
      if (shift) await page.keyboard.up('Shift');
    };
    await ring('Kazan', false);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('1');
    await ring('Joint Propulsion Programme', true);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('2');
    // A plain lasso starts afresh.
    await ring('Kestrel-4 UAV', false);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('1');
    await ring('Kazan', true);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('2');
    await page.locator('.graph-selection').getByRole('button', { name: 'Pin' }).click();
    await expect.poll(() => page.locator('.graph-selection').getByRole('button', { name: 'Unpin' }).count()).toBe(1);
    await expect
      .poll(async () => unpackGraph(await call('graph.load', {})).nodes.filter((n) => n.pinned).map((n) => n.name).sort())
      .toEqual(['Kazan', 'Kestrel-4 UAV']);
    await page.locator('.graph-selection').getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-selected')).toBe('0');
    await page.getByRole('button', { name: 'Lasso', exact: true }).click();
  });

  it('moves an entity with a plain drag, and pins it there', async () => {
    const before = (await locate()).get('Ilya Petrov') as { x: number; y: number };
    await page.mouse.move(before.x, before.y);
    await page.mouse.down();
    await page.mouse.move(before.x + 20, before.y + 30, { steps: 5 });
    await page.mouse.move(before.x + 40, before.y + 60, { steps: 5 });
    await page.mouse.up();
    const after = (await locate()).get('Ilya Petrov') as { x: number; y: number };
    expect(Math.abs(after.x - before.x - 40)).toBeLessThan(4);
    expect(Math.abs(after.y - before.y - 60)).toBeLessThan(4);
    await expect.poll(async () => unpackGraph(await call('graph.load', {})).nodes.find((n) => n.name === 'Ilya Petrov')?.pinned).toBe(true);
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('6 links shown');
  });

  it('opens the link form with both ends filled when a link is dragged from one entity to another, and saves it', async () => {
    const at = await locate();
    const from = at.get('Northwind Aero Institute') as { x: number; y: number };
    const to = at.get('Kazan') as { x: number; y: number };
    await page.keyboard.down('Alt');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2 + 20, { steps: 6 });
    await page.screenshot({ path: path.join(screenshots, 'graph-drawing-link.png') });
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await expect.poll(() => page.locator('#link-panel-title').innerText()).toBe('New link');
    await expect.poll(() => page.locator('#link-from').inputValue()).toBe('Northwind Aero Institute');
    await expect.poll(() => page.locator('#link-to').inputValue()).toBe('Kazan');
    // The entity stayed where it was: a link drag moves nothing.
    expect(unpackGraph(await call('graph.load', {})).nodes.find((n) => n.name === 'Northwind Aero Institute')?.pinned).toBe(false);
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('link-type');
    await page.keyboard.type('based in');
    await page.screenshot({ path: path.join(screenshots, 'graph-new-link-form.png') });
    await page.getByRole('button', { name: 'Add link' }).click();
    await expect.poll(() => page.locator('#link-panel-title').innerText()).toBe('Edit link');
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('7 links shown');
    const data = unpackGraph(await call('graph.load', {}));
    const made = data.edges.filter((e) => e.type === 'based in');
    expect(made.map((e) => [e.from, e.to])).toEqual([[ids.get('Northwind Aero Institute'), ids.get('Kazan')]]);
    await page.getByRole('button', { name: 'Close panel' }).click();
  });

  it('draws a link with the Draw links mode, and from the right-click menu', async () => {
    await page.getByRole('button', { name: 'Draw links' }).click();
    let at = await locate();
    const a = at.get('Kestrel-4 UAV') as { x: number; y: number };
    const b = at.get('Ilya Petrov') as { x: number; y: number };
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('#link-from').inputValue()).toBe('Kestrel-4 UAV');
    await expect.poll(() => page.locator('#link-to').inputValue()).toBe('Ilya Petrov');
    await page.getByRole('button', { name: 'Close panel' }).click();
    await page.getByRole('button', { name: 'Draw links' }).click();
    // Closing the form created nothing.
    expect(unpackGraph(await call('graph.load', {})).edges).toHaveLength(7);

    at = await locate();
    const event = at.get('Zhuhai Airshow 2024') as { x: number; y: number };
    const programme = at.get('Joint Propulsion Programme') as { x: number; y: number };
    await page.mouse.click(event.x, event.y, { button: 'right' });
    const menu = page.getByRole('menu');
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['Open', 'Focus', 'Path from here…', 'Path to here…', 'Hide', 'Pin here', 'Expand neighbours', 'Link to…', 'Delete…']);
    await menu.getByRole('menuitem', { name: 'Link to…' }).click();
    await page.mouse.click(programme.x, programme.y);
    await expect.poll(() => page.locator('#link-from').inputValue()).toBe('Zhuhai Airshow 2024');
    await expect.poll(() => page.locator('#link-to').inputValue()).toBe('Joint Propulsion Programme');
    await page.getByRole('button', { name: 'Close panel' }).click();
  });

  it('brings back a filtered-out neighbourhood on double-click', async () => {
    await page.getByRole('combobox', { name: 'Filter by entity type' }).selectOption('event');
    await graphReady(page, 1);
    // Centred, the entity stays clear of the legend when the panel narrows the stage.
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(500);
    const { x, y } = (await locate()).get('Zhuhai Airshow 2024') as { x: number; y: number };
    // The first click opens the entity's panel, which narrows the stage and moves the entity from under the pointer.
    await page.mouse.dblclick(x, y);
    // The event and the two entities it is linked to.
    await graphReady(page, 3);
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('3 of 6 entities');
    await page.screenshot({ path: path.join(screenshots, 'graph-expanded.png') });
    await page.getByRole('button', { name: 'Collapse expanded' }).click();
    await graphReady(page, 1);
    await page.getByRole('button', { name: /Remove filter/ }).click();
    await graphReady(page, 6);
    expect(errors).toEqual([]);
  });

  /** Whether every entity of the ring is drawn inside the stage (the legend may cover part of one), and how far apart they spread. */
  async function allInside(): Promise<{ inside: boolean; spread: number; stage: { width: number; height: number } }> {
    const at = await locate();
    const host = await page.locator('.graph-host').boundingBox();
    if (!host) throw new Error('no graph');
    const points = [...at.values()];
    const inside = points.every((p) => p.patch.pixels.length > 60 && p.x > host.x + 20 && p.x < host.x + host.width - 20 && p.y > host.y + 20 && p.y < host.y + host.height - 20);
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    return { inside, spread: Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)), stage: host };
  }

  /**
   * Entities whose shape or label (as wide as the page measures it) lies under the open legend or past the
   * stage's right edge. Only the entities shown: a hidden one's colour is found in the legend's swatches.
   */
  async function coveredOrCut(shown: readonly string[] = RING.map((e) => e.name)): Promise<string[]> {
    const all = await locate();
    const at = new Map([...all].filter(([name]) => shown.includes(name)));
    const host = await page.locator('.graph-host').boundingBox();
    const legend = await page.locator('.graph-legend[open]').boundingBox();
    if (!host) throw new Error('no graph');
    const widths = await page.evaluate((names) => {
      const context = document.createElement('canvas').getContext('2d');
      if (!context) return names.map(() => 0);
      context.font = "600 13px system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
      return names.map((n) => context.measureText(n).width);
    }, [...at.keys()]);
    return [...at.entries()]
      .filter(([, p], i) => {
        const right = p.x + 14 + (widths[i] ?? 0);
        const underLegend = legend !== null && right > legend.x && p.x - 12 < legend.x + legend.width && p.y + 12 > legend.y && p.y - 12 < legend.y + legend.height;
        return underLegend || right > host.x + host.width;
      })
      .map(([name]) => name);
  }

  it('frames every entity shown with Zoom to fit, beside the side panel too, and when the graph first draws', async () => {
    // The double-click above left the entity's panel open.
    await page.getByRole('button', { name: 'Close panel' }).click();
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');
    // Zoomed in on one corner, most of the ring is off the stage.
    await page.mouse.move(box.x + 60, box.y + box.height - 60);
    for (let i = 0; i < 6; i += 1) await page.mouse.wheel(0, -300);
    await page.waitForTimeout(600);
    expect((await allInside()).inside).toBe(false);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(500);
    const fitted = await allInside();
    await page.screenshot({ path: path.join(screenshots, 'graph-zoom-to-fit.png') });
    expect(fitted.inside).toBe(true);
    // Framed, not merely shrunk: the ring fills most of the stage.
    expect(fitted.spread).toBeGreaterThan(Math.min(fitted.stage.width, fitted.stage.height) * 0.5);
    // Nothing under the legend, and every label ends inside the stage.
    expect(await page.locator('.graph-legend[open]').count()).toBe(1);
    expect(await coveredOrCut()).toEqual([]);

    // With an entity's panel open the stage is narrower; the fit uses what is left.
    const kazan = (await locate()).get('Kazan') as { x: number; y: number };
    await page.mouse.click(kazan.x, kazan.y);
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe('Kazan');
    await page.mouse.move(box.x + box.width / 2, box.y + 80);
    for (let i = 0; i < 6; i += 1) await page.mouse.wheel(0, -300);
    await page.waitForTimeout(600);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(500);
    const beside = await allInside();
    await page.screenshot({ path: path.join(screenshots, 'graph-zoom-to-fit-panel.png') });
    expect(beside.stage.width).toBeLessThan(fitted.stage.width - 100);
    expect(beside.inside).toBe(true);
    expect(await coveredOrCut()).toEqual([]);
    await page.getByRole('button', { name: 'Close panel' }).click();

    // Opened again with a filter, the first picture frames the one entity shown, not the whole ring.
    await page.getByRole('combobox', { name: 'Filter by entity type' }).selectOption('event');
    await graphReady(page, 1);
    await openView(page, 'Timeline');
    await page.locator('.timeline-view').waitFor();
    await openView(page, 'Graph');
    await graphReady(page, 1);
    const host = await page.locator('.graph-host').boundingBox();
    if (!host) throw new Error('no graph');
    const event = (await locate()).get('Zhuhai Airshow 2024') as { x: number; y: number };
    // Centred in the height, and in the width left of the legend, its label clear of it.
    expect(Math.abs(event.y - (host.y + host.height / 2))).toBeLessThan(20);
    expect(event.x).toBeLessThan(host.x + host.width / 2);
    expect(event.x).toBeGreaterThan(host.x + host.width / 4);
    expect(await coveredOrCut(['Zhuhai Airshow 2024'])).toEqual([]);
    await page.getByRole('button', { name: /Remove filter/ }).click();
    await graphReady(page, 6);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(500);
  });

  it('leaves no hover card behind: the pointer leaving, the camera moving, a menu or panel opening, the entity hidden', async () => {
    const card = page.locator('.graph-hover-card');
    const hoverOn = async (name: string) => {
      const p = (await locate()).get(name) as { x: number; y: number };
      await page.mouse.move(p.x - 3, p.y);
      await page.mouse.move(p.x, p.y);
      await expect.poll(() => card.count()).toBe(1);
      return p;
    };
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');

    await hoverOn('Kazan');
    await page.screenshot({ path: path.join(screenshots, 'graph-hover-card.png') });
    await page.mouse.move(box.x + box.width / 2, box.y - 30);
    await expect.poll(() => card.count()).toBe(0);

    // The wheel zooms the picture under a pointer that stays still. (Sigma greets only a new entity on re-entry, so each step hovers another.)
    await hoverOn('Joint Propulsion Programme');
    await page.mouse.wheel(0, 400);
    await expect.poll(() => card.count()).toBe(0);
    await page.waitForTimeout(400);
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(500);

    // A right click opens the menu; closing it does not bring back the card of a moment ago.
    const p = await hoverOn('Ilya Petrov');
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await expect.poll(() => page.getByRole('menu').count()).toBe(1);
    expect(await card.count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    expect(await card.count()).toBe(0);

    // A click opens the entity's panel.
    const q = await hoverOn('Kestrel-4 UAV');
    await page.mouse.click(q.x, q.y);
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe('Kestrel-4 UAV');
    await expect.poll(() => card.count()).toBe(0);
    await page.getByRole('button', { name: 'Close panel' }).click();

    // Hidden from its own menu, the entity takes its card with it, and showing it again does not bring the card back.
    const r = await hoverOn('Kazan');
    await page.mouse.click(r.x, r.y, { button: 'right' });
    await page.getByRole('menu').getByRole('menuitem', { name: 'Hide' }).click();
    await expect.poll(() => page.locator('.graph-status').innerText()).toContain('5 of 6 entities');
    expect(await card.count()).toBe(0);
    await page.getByRole('button', { name: 'Show 1 hidden' }).click();
    await graphReady(page, 6);
    expect(await card.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('a graph large enough to be taken in at once', () => {
  const ENTITIES = 800;
  let served: ServedCase;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let known: { name: string; alias: string };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const folder = tempDir('caseboard-graph-large-e2e-');
    const file = path.join(folder, 'large.caseboard');
    const db = createCaseFile(file, { title: 'Many institutes' });
    fillCase(db, ENTITIES, ENTITIES);
    saveSpiralPositions(db);
    known = db.prepare('SELECT e.name, a.name AS alias FROM entities e JOIN entity_aliases a ON a.entity_id = e.id ORDER BY e.id LIMIT 1').get() as { name: string; alias: string };
    db.close();
    served = await serveCase([file], { CASEBOARD_HOME: path.join(folder, 'home') });
    ({ browser, page, errors } = await openPage({ width: 1440, height: 900 }));
    context = page.context();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws every entity and link, styled, and an entity found by its alias opens its panel', async () => {
    await page.goto(served.url);
    await openView(page, 'Graph');
    await graphReady(page, ENTITIES);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-edges')).toBe(String(ENTITIES));
    await page.waitForTimeout(500);
    const shot = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-large.png') });
    // Entities of every type the case holds are drawn in their type's colour.
    const drawn = await countColours(context, shot, Object.values(TYPE_COLOURS));
    expect(drawn.reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
    expect(drawn.filter((n) => n > 50).length).toBeGreaterThanOrEqual(3);

    await page.fill('input[aria-label="Find an entity"]', known.alias);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.waitForTimeout(700);
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('#entity-name').inputValue()).toBe(known.name);
    expect(errors).toEqual([]);
  });
});

describe('a graph drawn as an overview', () => {
  // More entities than OVERVIEW_ENTITIES: drawn as dots, the links as hairlines, the links a frame after the entities.
  const ENTITIES = OVERVIEW_ENTITIES + 1;
  const LINKS = 12_000;
  let served: ServedCase;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let file: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const folder = tempDir('caseboard-graph-overview-e2e-');
    file = path.join(folder, 'overview.caseboard');
    const db = createCaseFile(file, { title: 'Very many institutes' });
    fillCase(db, ENTITIES, LINKS);
    saveSpiralPositions(db);
    db.close();
    served = await serveCase([file], { CASEBOARD_HOME: path.join(folder, 'home') });
    ({ browser, page, errors } = await openPage({ width: 1280, height: 800, timeout: 60_000 }));
    context = page.context();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws the entities first and the links once they are on the screen, then the whole picture', { timeout: 120_000 }, async () => {
    await page.goto(served.url);
    await page.locator('.app-nav').waitFor();
    // Every frame the canvas draws, with whether its links were held back, recorded in the page so that none is missed.
    await page.evaluate(() => {
      const frames: { ready: boolean; linksHeld: boolean }[] = [];
      (window as unknown as { overviewFrames: typeof frames }).overviewFrames = frames;
      new MutationObserver(() => {
        const canvas = document.querySelector<HTMLElement>('.graph-canvas');
        if (!canvas) return;
        frames.push({ ready: canvas.closest<HTMLElement>('.graph-host')?.dataset.status === 'ready', linksHeld: canvas.dataset.linksHeld === 'true' });
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
    });
    await openView(page, 'Graph');
    await graphReady(page, ENTITIES);
    await expect.poll(() => page.locator('.graph-canvas').getAttribute('data-links-held'), { timeout: 60_000 }).toBeNull();
    expect(await page.locator('.graph-canvas').getAttribute('data-entities-drawn-as')).toBe('dot');
    expect(await page.locator('.graph-canvas').getAttribute('data-links-drawn-as')).toBe('hairline');
    const frames = (await page.evaluate(() => (window as unknown as { overviewFrames: { ready: boolean; linksHeld: boolean }[] }).overviewFrames)).filter((f) => f.ready);
    // The first frame of the case holds its links back; a later one, asked for by nothing but the first, draws them.
    expect(frames[0]?.linksHeld).toBe(true);
    expect(frames.some((f) => !f.linksHeld)).toBe(true);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-edges')).toBe(String(await linksShown()));
    await page.waitForTimeout(500);
    const shot = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-overview.png') });
    expect((await countColourGroups(shot))[0]).toBeGreaterThan(2000);
    // The entities cover most of the links beneath them: look at the links' layer alone.
    const layers = (visibility: string) =>
      page.evaluate((v) => document.querySelectorAll<HTMLElement>('.sigma-nodes, .sigma-labels').forEach((layer) => (layer.style.visibility = v)), visibility);
    await layers('hidden');
    const links = await page.locator('.graph-host').screenshot({ path: path.join(screenshots, 'graph-overview-links.png') });
    const [entityInk, linkInk] = await countColourGroups(links);
    expect(linkInk).toBeGreaterThan(2000);
    expect(entityInk).toBeLessThan(linkInk);
    await layers('');
    expect(errors).toEqual([]);
  });

  it('leaves the links out while the camera moves, and draws them again once it stops', { timeout: 120_000 }, async () => {
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no graph canvas');
    const since = await page.evaluate(() => (window as unknown as { overviewFrames: unknown[] }).overviewFrames.length);
    // The background left of the picture, dragged: a pan.
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 6; i += 1) await page.mouse.move(box.x + 40 + 15 * i, box.y + box.height / 2 + 5 * i);
    // Held still before letting go: no glide follows, so nothing but the release itself can bring the links back.
    await page.waitForTimeout(500);
    await page.mouse.up();
    await page.waitForTimeout(500);
    await expect.poll(() => page.locator('.graph-canvas').getAttribute('data-links-held')).toBeNull();
    const drawn = (await page.evaluate(() => (window as unknown as { overviewFrames: { ready: boolean; linksHeld: boolean }[] }).overviewFrames)).slice(since);
    expect(drawn.some((f) => f.linksHeld)).toBe(true);
    expect(drawn.at(-1)?.linksHeld).toBe(false);
  });

  it('applies the filters to an overview, and draws the picture whole again once they leave few enough', { timeout: 120_000 }, async () => {
    await page.getByRole('combobox', { name: 'Filter by entity type' }).selectOption('person');
    const persons = Math.ceil((ENTITIES - 1) / 6);
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-nodes'), { timeout: 60_000 }).toBe(String(persons));
    // Few enough to be drawn whole: shapes and arrows again.
    await expect.poll(() => page.locator('.graph-canvas').getAttribute('data-entities-drawn-as')).toBe('shape');
    expect(await page.locator('.graph-canvas').getAttribute('data-links-drawn-as')).toMatch(/arrow/i);
    await page.getByRole('button', { name: /Remove filter/ }).click();
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-nodes'), { timeout: 60_000 }).toBe(String(ENTITIES));
    await expect.poll(() => page.locator('.graph-canvas').getAttribute('data-entities-drawn-as')).toBe('dot');
    expect(await page.locator('.graph-canvas').getAttribute('data-links-drawn-as')).toBe('hairline');
  });

  it('draws no entity deleted while the overview is open', { timeout: 120_000 }, async () => {
    // The last entity filled: no other name holds its number, so finding it by name can only find it.
    const gone = unpackGraph(await callApi(served, 'graph.load', {})).nodes.find((n) => n.name.endsWith(` ${ENTITIES - 1}`));
    if (!gone) throw new Error('no entity');
    await callApi(served, 'entities.delete', { id: gone.id, withLinks: true });
    // The view hears of the change when it next asks; moving to another view and back asks.
    await openView(page, 'Entities');
    await openView(page, 'Graph');
    await expect.poll(() => page.locator('.graph-host').getAttribute('data-nodes'), { timeout: 60_000 }).toBe(String(ENTITIES - 1));
    await page.fill('input[aria-label="Find an entity"]', gone.name);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => page.locator('.path-note').first().innerText()).toBe(`No entity is called “${gone.name}”.`);
  });

  /** Links whose both ends the case holds, as graph.load returns them. */
  async function linksShown(): Promise<number> {
    return unpackGraph(await callApi(served, 'graph.load', {})).edges.length;
  }

  /** Pixels in the entities' type colours, and in link colours no entity type uses. */
  async function countColourGroups(png: Buffer): Promise<[number, number]> {
    const counts = await countColours(context, png, [...Object.values(TYPE_COLOURS), '#88CCEE', '#DDCC77', '#44AA99']);
    const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
    return [sum(counts.slice(0, 6)), sum(counts.slice(6))];
  }
});
