import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { childScript } from './child-bundle';
import type { ProbeLine, ProbeMode } from './open-probe';

export type ProbeOutcome = ProbeLine['outcome'] | 'crashed' | 'hung';

export interface ProbeResult {
  file: string;
  outcome: ProbeOutcome;
  detail: string;
}

interface BatchRun {
  lines: ProbeLine[];
  /** Why the child stopped before the end of its list, if it did. */
  stopped: 'died' | 'hung' | null;
  detail: string;
}

function runBatch(script: string, mode: ProbeMode, files: string[], listFile: string, timeoutMs: number, passphrase: string | undefined): Promise<BatchRun> {
  writeFileSync(listFile, `${files.join('\n')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, mode, listFile, ...(passphrase === undefined ? [] : [passphrase])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: ProbeLine[] = [];
    let stderr = '';
    let hung = false;
    let timer: NodeJS.Timeout | undefined;
    // Starting node is not the file's fault: the clock for each file starts once the child is ready.
    const startupGuard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (text) => {
      const parsed = JSON.parse(text) as ProbeLine | { ready: true };
      if ('ready' in parsed) clearTimeout(startupGuard);
      else lines.push(parsed);
      arm();
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(startupGuard);
      const complete = lines.length === files.length && code === 0;
      resolve({ lines, stopped: complete ? null : hung ? 'hung' : 'died', detail: `exit ${code ?? signal}: ${stderr.slice(-300)}` });
    });
  });
}

/**
 * Runs files through the probe child, many per process. When a child dies or
 * hangs, the file it was on is run again alone to confirm, and the rest of
 * the batch goes on in a new child.
 */
export async function probeFiles(mode: ProbeMode, files: string[], listFile: string, options: { timeoutMs?: number; batch?: number; passphrase?: string } = {}): Promise<ProbeResult[]> {
  const script = await childScript('open-probe');
  const timeoutMs = options.timeoutMs ?? 5000;
  const batch = options.batch ?? 100;
  const results: ProbeResult[] = [];
  let queue = [...files];
  while (queue.length > 0) {
    const chunk = queue.slice(0, batch);
    const run = await runBatch(script, mode, chunk, listFile, timeoutMs, options.passphrase);
    for (const line of run.lines) results.push({ file: chunk[line.index] as string, outcome: line.outcome, detail: line.detail });
    queue = queue.slice(run.lines.length);
    if (run.stopped) {
      const culprit = queue.shift() as string;
      const alone = await runBatch(script, mode, [culprit], listFile, timeoutMs, options.passphrase);
      const line = alone.lines[0];
      if (alone.stopped) results.push({ file: culprit, outcome: alone.stopped === 'hung' ? 'hung' : 'crashed', detail: alone.detail });
      else if (line) results.push({ file: culprit, outcome: line.outcome, detail: `${line.detail} (the batch child stopped here once: ${run.detail})` });
    }
  }
  return results;
}
