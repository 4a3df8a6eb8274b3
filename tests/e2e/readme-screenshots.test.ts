import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/temp';

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("the README's pictures", () => {
  it('are made from the sample case by scripts/screenshots.mjs', () => {
    const out = path.join(repoRoot, 'test-results', 'readme-images');
    rmSync(out, { recursive: true, force: true });
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'screenshots.mjs'), out], { encoding: 'utf8', timeout: 170_000 });
    expect(run.status, run.stderr).toBe(0);
    for (const view of ['graph', 'entities', 'links', 'timeline', 'sources']) expect(pngSize(path.join(out, `${view}.png`))).toEqual({ width: 1440, height: 900 });
    const page = pngSize(path.join(out, 'briefing-page-01.png'));
    expect(page.height).toBeGreaterThan(page.width);
  }, 180_000);
});
