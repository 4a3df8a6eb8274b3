import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { GRAPH_NODE_LIMIT } from '../../shared/graph';
import { fillCase, saveSpiralPositions } from '../helpers/bulk';
import { launchBrowser, serveCase } from '../helpers/browser';
import { repoRoot, tempDir } from '../helpers/temp';

/**
 * Graph load time and the renderer's JavaScript time per frame while panning,
 * in Chromium with software WebGL, for cases of 1k, 10k and 50k entities with
 * twice as many links. Above the graph's limit (GRAPH_NODE_LIMIT) the view asks
 * for a filter instead of drawing: for such a size the time to that request is
 * measured, and nothing is panned. Positions are saved beforehand, as in a case that has
 * been opened before. Figures go to test-results/graph-bench.json.
 *
 * Every frame sigma draws is recorded inside the page (the canvas's
 * `data-frames`, `data-frame-last-ms` and `data-links-held` attributes,
 * watched by a MutationObserver), so no frame is missed between two polls. With software
 * WebGL each pan step waits for the rasteriser (the compositor copies every
 * WebGL frame back, and sigma reads its picking buffer on every mouse move),
 * so the pan is bounded by steps and by time, and the number of frames
 * measured is part of the result.
 */
const SIZES = (process.env.GRAPH_BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const PAN_STEPS = Number(process.env.GRAPH_BENCH_PAN_STEPS ?? 40);
const PAN_MS = Number(process.env.GRAPH_BENCH_PAN_SECONDS ?? 40) * 1000;
const SIZE_LIMIT_MS = 270_000;

interface Result {
  entities: number;
  links: number;
  /** From asking the database for the graph to having it in memory (`data-load-ms`). */
  dataMs: number;
  /** From the click on Graph to the end of the first frame that shows the case (its JavaScript done). */
  firstFrameMs: number;
  /** From the click on Graph to that frame's picture on the screen (software rasterising included). */
  paintedMs: number;
  /** From the click on Graph to the whole picture on the screen: an overview draws its links a frame after the entities. */
  wholeMs: number;
  /** JavaScript time of that first frame (sigma indexes and uploads everything). */
  firstFrameJsMs: number;
  /** JavaScript time per frame while panning. */
  frameMedianMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
  frames: number;
  /** Wall time of one pan step (input handled and frame rasterised): software rendering sets it. */
  panStepMedianMs: number;
  /** The machine's one-minute load average when the size started and ended: the figures scale with it. */
  loadAverage: string;
}

interface FrameRecord {
  at: number;
  jsMs: number;
  ready: boolean;
  /** Drawn without its links (the first frame of an overview). */
  linksHeld: boolean;
}

interface Recorder {
  clickAt: number | null;
  frames: FrameRecord[];
  /**
   * The first task after the animation frame that follows the first frame of the case: that animation frame's
   * commit waits for the software rasteriser, so by then the picture has reached the screen.
   */
  paintedAt: number | null;
  /** The same for the first frame of the case drawn with its links. */
  wholeAt: number | null;
}

/** A case above the graph's limit: the view asks for a filter instead of drawing. */
interface PromptResult {
  entities: number;
  links: number;
  /** From the click on Graph to the request to filter first being on the page. */
  promptMs: number;
  loadAverage: string;
}

const results: Record<string, Result | PromptResult> = {};

function caseOf(folder: string, entities: number): string {
  const file = path.join(folder, `graph-${entities}.caseboard`);
  const db = createCaseFile(file, { title: `Bench ${entities}` });
  fillCase(db, entities, entities * 2);
  saveSpiralPositions(db);
  db.close();
  return file;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Starts recording, in the page, the moment Graph is clicked and every frame the graph canvas draws. */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const recorder: Recorder = { clickAt: null, frames: [], paintedAt: null, wholeAt: null };
    (window as unknown as { graphBench: Recorder }).graphBench = recorder;
    document.addEventListener(
      'click',
      (event) => {
        if (event.target instanceof Element && event.target.closest('.app-nav a')?.textContent?.trim() === 'Graph') recorder.clickAt = performance.now();
      },
      true,
    );
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        const canvas = m.target as HTMLElement;
        const host = canvas.closest<HTMLElement>('.graph-host');
        const ready = host?.dataset.status === 'ready';
        const linksHeld = canvas.dataset.linksHeld === 'true';
        const onScreen = (then: (at: number) => void) => requestAnimationFrame(() => setTimeout(() => then(performance.now()), 0));
        if (ready && !recorder.frames.some((f) => f.ready)) onScreen((at) => (recorder.paintedAt = at));
        if (ready && !linksHeld && !recorder.frames.some((f) => f.ready && !f.linksHeld)) onScreen((at) => (recorder.wholeAt = at));
        recorder.frames.push({ at: performance.now(), jsMs: Number(canvas.dataset.frameLastMs), ready, linksHeld });
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
  });
}

function recorded(page: Page): Promise<Recorder> {
  return page.evaluate(() => (window as unknown as { graphBench: Recorder }).graphBench);
}

async function until<T>(what: string, deadline: number, probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(entities: number): Promise<void> {
  const started = Date.now();
  const deadline = started + SIZE_LIMIT_MS;
  const loadAtStart = os.loadavg()[0] ?? 0;
  // Progress on stderr, so that a run that stalls shows where.
  const note = (what: string) => process.stderr.write(`graph bench ${entities}: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  // Removed here: benchmarks run no afterEach hook, and a 50k case file is large.
  const folder = tempDir('caseboard-bench-');
  const home = path.join(folder, 'home');
  mkdirSync(home);
  const file = caseOf(folder, entities);
  note('case file written');
  const served = await serveCase([file], { CASEBOARD_HOME: home });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(served.url);
    await page.locator('.app-nav').waitFor();
    await record(page);
    if (entities > GRAPH_NODE_LIMIT) {
      await page.locator('.app-nav a', { hasText: /^Graph$/ }).click();
      const promptMs = await until(`the request to filter ${entities} entities`, deadline, () =>
        page.evaluate(() => {
          const r = (window as unknown as { graphBench: Recorder }).graphBench;
          const prompt = [...document.querySelectorAll('.graph-view .empty-view h2')].some((h) => h.textContent === 'Choose what to draw first');
          return prompt && r.clickAt !== null ? performance.now() - r.clickAt : null;
        }),
      );
      note('asked for a filter');
      mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-results', `graph-bench-${entities}.png`) });
      results[`${entities}`] = { entities, links: entities * 2, promptMs: Math.round(promptMs), loadAverage: `${loadAtStart.toFixed(1)} to ${(os.loadavg()[0] ?? 0).toFixed(1)}` };
      save();
      return;
    }
    await page.locator('.app-nav a', { hasText: /^Graph$/ }).click();
    const shown = await until(`the first frame of ${entities} entities`, deadline, async () => {
      const r = await recorded(page);
      const first = r.frames.find((f) => f.ready);
      return first && r.clickAt !== null && r.paintedAt !== null && r.wholeAt !== null
        ? { ms: first.at - r.clickAt, paintedMs: r.paintedAt - r.clickAt, wholeMs: r.wholeAt - r.clickAt, jsMs: first.jsMs }
        : null;
    });
    note('first frame drawn');
    const dataMs = Number(await page.locator('.graph-host').getAttribute('data-load-ms'));
    // Let what follows the first frame (styling, measures on small cases) finish: a second without a frame.
    await until('the graph to settle', deadline, async () => {
      const r = await recorded(page);
      const last = r.frames.at(-1);
      const now = await page.evaluate(() => performance.now());
      return last && now - last.at > 1000 ? true : null;
    });

    note('settled');
    const box = await page.locator('.graph-canvas').boundingBox();
    if (!box) throw new Error('The graph canvas has no size.');
    // Grab the background, not an entity (that would drag the entity): left of the middle, where
    // the picture, fitted to the stage's height, leaves the wide stage empty. No hover card may show there.
    const sx = box.x + Math.min(80, box.width / 10);
    const sy = box.y + box.height / 2;
    await page.mouse.move(sx, sy);
    await page.waitForTimeout(300);
    if (await page.locator('.graph-hover-card').count()) throw new Error(`The pan of ${entities} entities would start on an entity.`);
    const before = (await recorded(page)).frames.length;
    await page.mouse.down();
    const steps: number[] = [];
    const panUntil = Math.min(Date.now() + PAN_MS, deadline);
    // The point grabbed stays under the pointer, so no entity is hovered; each step is one camera change and, at most, one frame.
    for (let i = 1; i <= PAN_STEPS && Date.now() < panUntil; i += 1) {
      const t = Date.now();
      await page.mouse.move(sx + 120 * (1 - Math.cos(i / 5)), sy + 90 * Math.sin(i / 5));
      steps.push(Date.now() - t);
    }
    await page.mouse.up();
    note(`panned ${steps.length} steps`);
    const panned = (await recorded(page)).frames.slice(before);
    mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-results', `graph-bench-${entities}.png`) });
    if (!panned.length) throw new Error(`Panning ${entities} entities drew no frame.`);
    const times = panned.map((f) => f.jsMs).sort((a, b) => a - b);
    results[`${entities}`] = {
      entities,
      links: entities * 2,
      dataMs: Math.round(dataMs),
      firstFrameMs: Math.round(shown.ms),
      paintedMs: Math.round(shown.paintedMs),
      wholeMs: Math.round(shown.wholeMs),
      firstFrameJsMs: round(shown.jsMs),
      frameMedianMs: round(quantile(times, 0.5)),
      frameP95Ms: round(quantile(times, 0.95)),
      frameMaxMs: round(times.at(-1) as number),
      frames: times.length,
      panStepMedianMs: quantile([...steps].sort((a, b) => a - b), 0.5),
      loadAverage: `${loadAtStart.toFixed(1)} to ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
    };
    save();
  } finally {
    await browser.close();
    await served.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Written after every size (benchmarks run no afterAll hook), so a later failure keeps the earlier figures. */
function save(): void {
  mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'test-results', 'graph-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.table(results);
}

describe('graph view', () => {
  for (const size of SIZES) {
    // An async function: tinybench calls any other kind once more, untimed, to find out whether it returns a promise.
    // No `throws`: with it, vitest 4 waits forever on a benchmark that fails; without, the run fails and ends.
    const bounded = async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          measure(size),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`The graph benchmark at ${size} entities did not finish within ${(SIZE_LIMIT_MS + 30_000) / 1000} s.`)), SIZE_LIMIT_MS + 30_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    bench(`open and pan ${size.toLocaleString('en')} entities`, bounded, { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 });
  }
});
