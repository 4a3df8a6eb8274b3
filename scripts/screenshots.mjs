// Makes the README's pictures from the sample case: the overview, the graph, the entities
// grid, the timeline and the first pages of the sample briefing as PDF.
// Usage: node scripts/screenshots.mjs [output folder]   (default: docs/images)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'images'));
const cli = path.join(root, 'bin', 'caseboard.cjs');
const chromiumPath = [process.env.CASEBOARD_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));
if (!chromiumPath) {
  console.error('No Chromium found; install it or set CASEBOARD_CHROMIUM.');
  process.exit(3);
}

mkdirSync(out, { recursive: true });
const work = mkdtempSync(path.join(os.tmpdir(), 'caseboard-screenshots-'));
const sample = path.join(work, 'sample.caseboard');
execFileSync(process.execPath, [cli, 'sample', sample], { stdio: 'inherit' });

// The sample briefing as PDF, first pages as PNG.
const pdf = path.join(work, 'briefing.pdf');
execFileSync(process.execPath, [cli, 'report', sample, pdf, '--report', 'Sample briefing', '--chromium', chromiumPath], { stdio: 'inherit' });
execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '4', pdf, path.join(out, 'briefing-page')]);

const server = spawn(process.execPath, [cli, 'serve', sample, '--port', '0'], { env: { ...process.env, CASEBOARD_HOME: path.join(work, 'home') } });
const url = await new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error(`caseboard serve did not start:\n${text}`)), 20_000);
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(text);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  });
  server.on('exit', (code) => reject(new Error(`caseboard serve exited with ${code}:\n${text}`)));
});

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  // Answer the one-time name prompt so it is not in the pictures.
  await page.getByRole('button', { name: 'Not now' }).click({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Not now' }).waitFor({ state: 'detached' });
  for (const [view, wait] of [
    ['overview', 1500],
    ['graph', 6000],
    ['entities', 1500],
    ['links', 1500],
    ['timeline', 1500],
    ['sources', 1500],
  ]) {
    await page.goto(`${new URL(url).origin}/#/${view}`);
    await page.waitForTimeout(wait);
    await page.screenshot({ path: path.join(out, `${view}.png`) });
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(`Screenshots written to ${out}`);
