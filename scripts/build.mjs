// Builds every runtime: node bundles with esbuild, the renderer with Vite.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
// Built beside dist/ and swapped in at the end, so a running server or test never sees a half-built dist/.
const next = path.join(root, 'dist.next');
rmSync(next, { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native and browser-driving modules, and pdf.js (an ES module that loads its own worker file), load from node_modules at run time.
  external: ['better-sqlite3', 'playwright-core', 'electron', 'pdfjs-dist'],
};

const bundles = [
  { ...node, entryPoints: [path.join(root, 'cli/main.ts')], outfile: path.join(next, 'cli.cjs') },
  { ...node, entryPoints: [path.join(root, 'db/host/worker.ts')], outfile: path.join(next, 'db-worker.cjs') },
  { ...node, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(next, 'electron/main.cjs') },
  // Sandboxed preloads must be a single CommonJS file that requires only 'electron'.
  { ...node, platform: 'browser', entryPoints: [path.join(root, 'electron/preload.ts')], outfile: path.join(next, 'electron/preload.cjs') },
];
await Promise.all(bundles.map((b) => esbuild(b)));
await viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn', build: { outDir: path.join(next, 'renderer') } });
rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
chmodSync(path.join(root, 'bin/caseboard.cjs'), 0o755);
console.log('Built dist/ (cli, db worker, electron main and preload, renderer).');
