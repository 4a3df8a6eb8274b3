import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/temp';

const script = path.join(repoRoot, 'scripts', 'audit-deps.mjs');
const advisory = 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc';

/** Runs the dependency gate on a saved `npm audit --json` report. */
function gate(report: unknown, exceptions: unknown[] = []): { status: number | null; out: string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  writeFileSync(path.join(dir, 'exceptions.json'), JSON.stringify(exceptions));
  const run = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...process.env, CASEBOARD_AUDIT_REPORT: path.join(dir, 'report.json'), CASEBOARD_AUDIT_EXCEPTIONS: path.join(dir, 'exceptions.json') },
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

function reportWith(severity: string): unknown {
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      leftpad: { name: 'leftpad', severity, isDirect: false, via: [{ source: 1, name: 'leftpad', title: 'Prototype pollution', url: advisory, severity, range: '<1.2.0' }], effects: ['wrapper'], range: '<1.2.0', nodes: ['node_modules/leftpad'], fixAvailable: true },
      wrapper: { name: 'wrapper', severity, isDirect: true, via: ['leftpad'], effects: [], range: '*', nodes: ['node_modules/wrapper'], fixAvailable: true },
    },
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: severity === 'high' ? 2 : 0, critical: severity === 'critical' ? 2 : 0, total: 2 } },
  };
}

describe('the dependency audit gate', () => {
  it('passes a clean report', () => {
    const result = gate({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } } });
    expect(result.status).toBe(0);
    expect(result.out).toContain('0 critical, 0 high');
  });

  it('fails on a high or critical advisory nobody explained, naming it', () => {
    for (const severity of ['high', 'critical']) {
      const result = gate(reportWith(severity));
      expect(result.status).toBe(1);
      expect(result.out).toContain(`UNEXPLAINED ${severity} leftpad <1.2.0: Prototype pollution ${advisory}`);
    }
  });

  it('lets a moderate advisory through, and a high one once it is explained', () => {
    expect(gate(reportWith('moderate')).status).toBe(0);
    const explained = gate(reportWith('high'), [{ advisory, package: 'leftpad', reason: 'Only reached through a code path the app never calls.', reviewed: '2026-11-28' }]);
    expect(explained.status).toBe(0);
    expect(explained.out).toContain('explained');
  });

  it('refuses an exception without a reason', () => {
    expect(gate(reportWith('high'), [{ advisory }]).status).not.toBe(0);
  });

  it('says so, with its own exit code, when the advisory service cannot be reached', () => {
    const result = gate({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '', detail: '' } });
    expect(result.status).toBe(3);
    expect(result.out).toContain('could not be reached (HTTP 405)');
  });
});
