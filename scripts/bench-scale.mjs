// `npm run bench:scale`: builds Caseboard (the command-line rows run bin/caseboard.cjs), then runs the scale
// benchmark at a low priority. CASEBOARD_SCALE=100000 for a quick run; the case is cached in ~/.cache/caseboard-bench.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

if (process.env.CASEBOARD_SCALE_NO_BUILD !== '1') {
  const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const run = spawnSync(npx, ['vitest', 'bench', '--run', '--config', 'tests/bench/scale/vitest.config.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`.trim() },
});
process.exit(run.status ?? 1);
