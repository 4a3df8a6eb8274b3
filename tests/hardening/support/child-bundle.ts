import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../helpers/temp';

// Inside node_modules so the bundle finds better-sqlite3 and pdf.js the way dist/ does, by require and by import().
const outDir = path.join(repoRoot, 'node_modules', '.cache', 'caseboard-hardening');
const built = new Map<string, Promise<string>>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One bundle per test process; those of processes that have ended are removed, so runs do not pile files up. */
function removeStaleBundles(): void {
  for (const name of readdirSync(outDir)) {
    const pid = Number(/-(\d+)\.cjs$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isRunning(pid)) rmSync(path.join(outDir, name), { force: true });
  }
}

/**
 * Bundles one of the child-process entry points in this folder into a
 * CommonJS file that plain `node` runs: the same database code the doors run,
 * in a process the tests may kill.
 */
export function childScript(entry: 'crash-writer' | 'open-probe'): Promise<string> {
  let script = built.get(entry);
  if (!script) {
    const outfile = path.join(outDir, `${entry}-${process.pid}.cjs`);
    mkdirSync(outDir, { recursive: true });
    script = build({
      entryPoints: [path.join(__dirname, `${entry}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      external: ['better-sqlite3', 'playwright-core', 'electron', 'pdfjs-dist'],
    }).then(() => outfile);
    removeStaleBundles();
    built.set(entry, script);
  }
  return script;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command to completion (or kills it after `timeoutMs`) and collects its output. */
export function runToEnd(command: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Whether the long (soak) versions of the hardening tests were asked for. */
export const SOAK = process.env.CASEBOARD_SOAK === '1';

/** Time allowed to a fuzzing test: minutes in CI, an hour for the soak run. */
export const LONG_TIMEOUT = SOAK ? 3_600_000 : 600_000;
