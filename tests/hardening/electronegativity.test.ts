import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/temp';
import { runToEnd } from './support/child-bundle';
import { recordFigures } from './support/figures';

interface Finding {
  id: string;
  file: string;
  line: number | null;
  severity: string;
  confidence: string;
  description: string;
}

interface BaselineEntry {
  id: string;
  file: string;
  reason: string;
}

const GATED = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);
const RUNNER = path.join(__dirname, 'support', 'electronegativity.cjs');
const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

async function scan(dir: string): Promise<{ atomicChecks: number; globalChecks: number; errors: number; issues: Finding[] }> {
  const run = await runToEnd(process.execPath, [RUNNER, dir, ELECTRON_VERSION], 240_000);
  if (run.code !== 0 || run.timedOut) throw new Error(`electronegativity failed (${run.code ?? run.signal}): ${run.stderr.slice(-1000)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

/** The Electron side of the app as one project: main process, renderer, and the CSP they share. */
function appUnderScan(): string {
  const dir = tempDir('caseboard-electronegativity-');
  cpSync(path.join(repoRoot, 'electron'), path.join(dir, 'electron'), { recursive: true });
  cpSync(path.join(repoRoot, 'renderer'), path.join(dir, 'renderer'), { recursive: true });
  mkdirSync(path.join(dir, 'shared'));
  cpSync(path.join(repoRoot, 'shared', 'csp.ts'), path.join(dir, 'shared', 'csp.ts'));
  return dir;
}

const key = (finding: { id: string; file: string }) => `${finding.id} in ${finding.file}`;

describe('electronegativity', () => {
  it('finds nothing of medium severity or above in electron/ and renderer/ beyond the reviewed baseline', async () => {
    const baseline = (JSON.parse(readFileSync(path.join(repoRoot, '.electronegativity-baseline.json'), 'utf8')) as { findings: BaselineEntry[] }).findings;
    for (const entry of baseline) expect(entry.reason.length, `${key(entry)} needs a reason`).toBeGreaterThan(40);
    const started = Date.now();
    const result = await scan(appUnderScan());
    const gated = result.issues.filter((issue) => GATED.has(issue.severity));
    const reviewed = new Set(baseline.map(key));
    recordFigures('electronegativity', {
      electron: ELECTRON_VERSION,
      atomicChecks: result.atomicChecks,
      globalChecks: result.globalChecks,
      parseErrors: result.errors,
      findings: result.issues.length,
      mediumOrAbove: gated.length,
      baselined: gated.filter((issue) => reviewed.has(key(issue))).length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    expect(result.atomicChecks).toBeGreaterThan(30);
    expect(result.errors).toBe(0);
    expect(gated.filter((issue) => !reviewed.has(key(issue))).map((issue) => `${key(issue)}:${issue.line} ${issue.severity} ${issue.description}`)).toEqual([]);
    // A baseline entry that no longer occurs is removed, so the baseline never hides a future finding.
    const found = new Set(gated.map(key));
    expect(baseline.filter((entry) => !found.has(key(entry))).map(key)).toEqual([]);
  }, 300_000);

  it('does report a window that turns the protections off (the gate can fail)', async () => {
    const dir = tempDir('caseboard-electronegativity-planted-');
    mkdirSync(path.join(dir, 'electron'));
    writeFileSync(
      path.join(dir, 'electron', 'window.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'export function unsafeWindow(): BrowserWindow {',
        "  const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });",
        "  void window.loadURL('http://example.com/');",
        '  return window;',
        '}',
      ].join('\n'),
    );
    const result = await scan(dir);
    const ids = new Set(result.issues.filter((issue) => GATED.has(issue.severity)).map((issue) => issue.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']) expect(ids).toContain(id);
  }, 300_000);
});
