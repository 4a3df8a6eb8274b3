#!/usr/bin/env node
// Dependency gate: `npm audit --omit=dev` must show no high or critical advisory
// in the packages the app ships, unless docs/audit-exceptions.json explains it.
//
//   npm run audit:deps            exit 0 clean, 1 unexplained high/critical advisory,
//                                 3 when the advisory service cannot be reached
//   CASEBOARD_AUDIT_REPORT=file   judge a saved `npm audit --json` report instead
//   CASEBOARD_AUDIT_EXCEPTIONS=file   read the exceptions from another file
//
// The exceptions file lists advisories by URL with the reason they do not reach
// users, and the date they were reviewed:
//   [{ "advisory": "https://github.com/advisories/GHSA-...", "package": "x", "reason": "...", "reviewed": "YYYY-MM-DD" }]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GATED = new Set(['high', 'critical']);

function auditReport() {
  const saved = process.env.CASEBOARD_AUDIT_REPORT;
  if (saved) return readFileSync(saved, 'utf8');
  try {
    return execFileSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    // npm audit exits non-zero both when it finds advisories and when it fails; its JSON tells which.
    if (typeof error.stdout === 'string' && error.stdout.trim()) return error.stdout;
    throw error;
  }
}

function exceptions() {
  const file = process.env.CASEBOARD_AUDIT_EXCEPTIONS ?? path.join(root, 'docs', 'audit-exceptions.json');
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, 'utf8'));
  for (const entry of list) {
    if (!entry.advisory || !entry.reason || !entry.reviewed) throw new Error(`docs/audit-exceptions.json: every entry needs advisory, reason and reviewed (${JSON.stringify(entry)})`);
  }
  return list;
}

let report;
try {
  report = JSON.parse(auditReport());
} catch (error) {
  console.error(`npm audit gave no report: ${error.message}`);
  process.exit(3);
}

if (!report.vulnerabilities) {
  const status = report.statusCode ? ` (HTTP ${report.statusCode})` : '';
  console.error(`The advisory service could not be reached${status}: ${report.message ?? report.error?.summary ?? 'no reason given'}.`);
  console.error('No advisory data: run `npm run audit:deps` where the npm registry allows audits, and record the result in docs/security.md.');
  process.exit(3);
}

const explained = new Set(exceptions().map((entry) => entry.advisory));
const findings = [];
for (const vulnerability of Object.values(report.vulnerabilities)) {
  for (const via of vulnerability.via) {
    // A string names another vulnerable package; its own entry carries the advisory.
    if (typeof via === 'string' || !GATED.has(via.severity)) continue;
    findings.push({ package: via.name, severity: via.severity, title: via.title, advisory: via.url, range: via.range, explained: explained.has(via.url) });
  }
}
const unexplained = findings.filter((finding) => !finding.explained);
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit --omit=dev: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low.`);
for (const finding of findings) {
  console.log(`${finding.explained ? 'explained  ' : 'UNEXPLAINED'} ${finding.severity} ${finding.package} ${finding.range}: ${finding.title} ${finding.advisory}`);
}
if (unexplained.length > 0) {
  console.error(`${unexplained.length} high or critical advisories are neither fixed nor explained in docs/audit-exceptions.json.`);
  process.exit(1);
}
