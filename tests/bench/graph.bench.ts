import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createCaseFile } from '../../db/case-file';
import { fillCase } from '../helpers/bulk';
import { launchBrowser, serveCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

/**
 * Graph load time and the renderer's JavaScript time per frame while panning,
 * in Chromium with software WebGL, for cases of 1k, 10k and 50k entities with
 * twice as many links. Positions are saved beforehand, as in a case that has
 * been opened before. Figures go to test-results/graph-bench.json.
 */
const SIZES = (process.env.GRAPH_BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const results: Record<string, { entities: number; links: number; loadMs: number; firstFrameMs: number; frameJsMs: number; frames: number }> = {};

function caseOf(entities: number): string {
  const file = path.join(tempDir('caseboard-bench-'), `graph-${entities}.caseboard`);
  const db = createCaseFile(file, { title: `Bench ${entities}` });
  fillCase(db, entities, entities * 2);
  // Saved positions on a spiral, as a laid-out case has.
  db.exec(`INSERT INTO graph_positions (entity_id, x, y, pinned, updated_at)
    SELECT id, sqrt(rn) * cos(rn * 2.399963), sqrt(rn) * sin(rn * 2.399963), 0, '2026-01-01T00:00:00.000Z'
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM entities)`);
  db.close();
  return file;
}

async function measure(entities: number): Promise<void> {
  const file = caseOf(entities);
  const served = await serveCase([file], { CASEBOARD_HOME: tempDir('caseboard-bench-home-') });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.setDefaultTimeout(120_000);
    await page.goto(served.url);
    await page.locator('.app-nav').waitFor();
    const started = Date.now();
    await page.locator('.app-nav a', { hasText: /^Graph$/ }).click();
    await page.locator('.graph-host[data-status="ready"]').waitFor();
    // Polled from outside: the page's CSP forbids the eval that waitForFunction needs.
    const deadline = Date.now() + 60_000;
    while (!(Number(await page.locator('.graph-canvas').getAttribute('data-frames')) > 0)) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: path.join(repoRoot, 'test-results', `graph-bench-${entities}.png`) });
        throw new Error(`The graph of ${entities} entities drew no frame within a minute.`);
      }
      await page.waitForTimeout(20);
    }
    const firstFrameMs = Date.now() - started;
    const loadMs = Number(await page.locator('.graph-host').getAttribute('data-load-ms'));
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('no canvas');
    const before = Number(await page.locator('.graph-canvas').getAttribute('data-frames'));
    // Pan back and forth: each mouse move is one camera change and one frame.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i < 60; i += 1) await page.mouse.move(box.x + box.width / 2 + 200 * Math.sin(i / 6), box.y + box.height / 2 + 100 * Math.cos(i / 6));
    await page.mouse.up();
    await page.waitForTimeout(500);
    const frames = Number(await page.locator('.graph-canvas').getAttribute('data-frames')) - before;
    const frameJsMs = Number(await page.locator('.graph-canvas').getAttribute('data-frame-ms'));
    results[`${entities}`] = { entities, links: entities * 2, loadMs, firstFrameMs, frameJsMs, frames };
  } finally {
    await browser.close();
    await served.stop();
  }
}

describe('graph view', () => {
  afterAll(() => {
    mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
    writeFileSync(path.join(repoRoot, 'test-results', 'graph-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.table(results);
  });
  for (const size of SIZES) {
    // Bounded: a run that stalls fails with a message instead of holding `npm run bench` forever.
    const bounded = () =>
      Promise.race([
        measure(size),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`The graph benchmark at ${size} entities did not finish within 5 minutes.`)), 300_000).unref()),
      ]);
    bench(`open and pan ${size.toLocaleString('en')} entities`, bounded, { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0, throws: true });
  }
});
