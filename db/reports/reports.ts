import { CaseboardError } from '../../shared/errors';
import { completeSections, EMPTY_SCOPE, reportScope, reportSection, type ReportDefinition, type ReportFields, type ReportFinding, type ReportScope, type ReportSection, type ReportSummary } from '../../shared/report';
import { recordAudit } from '../core/audit';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';

interface ReportRow {
  id: string;
  name: string;
  title: string;
  author: string | null;
  report_date: string | null;
  marking: string | null;
  summary: string | null;
  scope_json: string;
  sections_json: string;
  created_at: string;
  updated_at: string;
}

const NOT_FOUND = 'That report is no longer in the case; it may have been deleted.';

function parseScope(text: string): ReportScope {
  try {
    const parsed = reportScope.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_SCOPE;
  } catch {
    return EMPTY_SCOPE;
  }
}

function parseSections(text: string): ReportSection[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = [];
  }
  const sections = Array.isArray(raw) ? raw.flatMap((item) => {
    const parsed = reportSection.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  }) : [];
  // A definition from a file someone else edited still prints every section once.
  const seen = new Set<string>();
  return completeSections(sections.filter((s) => (seen.has(s.kind) ? false : (seen.add(s.kind), true))));
}

function findingsOf(db: CaseDb, reportId: string): ReportFinding[] {
  const findings = db.prepare('SELECT id, text FROM report_findings WHERE report_id = ? ORDER BY position').all(reportId) as { id: string; text: string }[];
  const cited = db.prepare('SELECT excerpt_id FROM report_finding_citations WHERE finding_id = ? ORDER BY position');
  return findings.map((f) => ({ id: f.id, text: f.text, excerptIds: (cited.all(f.id) as { excerpt_id: string }[]).map((r) => r.excerpt_id) }));
}

function toDefinition(db: CaseDb, row: ReportRow): ReportDefinition {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    author: row.author,
    date: row.report_date,
    marking: row.marking,
    summary: row.summary,
    scope: parseScope(row.scope_json),
    sections: parseSections(row.sections_json),
    findings: findingsOf(db, row.id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listReports(db: CaseDb): ReportSummary[] {
  const rows = db.prepare('SELECT id, name, title, updated_at FROM reports ORDER BY name COLLATE NOCASE, id').all() as { id: string; name: string; title: string; updated_at: string }[];
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, updatedAt: r.updated_at }));
}

export function getReport(db: CaseDb, id: string): ReportDefinition {
  const row = db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined;
  if (!row) throw new CaseboardError('not_found', NOT_FOUND);
  return toDefinition(db, row);
}

/** A saved report by its name, ignoring case; the command line's --report. */
export function findReportByName(db: CaseDb, name: string): ReportDefinition | null {
  const row = db.prepare('SELECT * FROM reports WHERE name = ? COLLATE NOCASE').get(name.trim()) as ReportRow | undefined;
  return row ? toDefinition(db, row) : null;
}

function requireFreeName(db: CaseDb, name: string, exceptId: string | null): void {
  const other = db.prepare('SELECT id FROM reports WHERE name = ? COLLATE NOCASE AND id IS NOT ?').get(name, exceptId) as { id: string } | undefined;
  if (other) throw new CaseboardError('conflict', `There is already a report called "${name}"; choose another name.`, [{ path: 'name', message: 'Another report has this name.' }]);
}

function requireExcerpts(db: CaseDb, fields: ReportFields): void {
  const exists = db.prepare('SELECT 1 FROM excerpts WHERE id = ?');
  for (const [index, finding] of fields.findings.entries()) {
    for (const excerptId of finding.excerptIds) {
      if (!exists.get(excerptId)) throw new CaseboardError('not_found', `Key finding ${index + 1} cites an excerpt that is no longer in the case.`, [{ path: `findings.${index}.excerptIds`, message: 'This excerpt was deleted.' }]);
    }
  }
}

function writeFindings(db: CaseDb, reportId: string, fields: ReportFields): void {
  db.prepare('DELETE FROM report_findings WHERE report_id = ?').run(reportId);
  const finding = db.prepare('INSERT INTO report_findings (id, report_id, position, text) VALUES (?, ?, ?, ?)');
  const cite = db.prepare('INSERT OR IGNORE INTO report_finding_citations (finding_id, excerpt_id, position) VALUES (?, ?, ?)');
  fields.findings.forEach((f, position) => {
    const findingId = newId();
    finding.run(findingId, reportId, position, f.text);
    f.excerptIds.forEach((excerptId, i) => cite.run(findingId, excerptId, i));
  });
}

function auditView(d: ReportDefinition): unknown {
  const { createdAt: _c, updatedAt: _u, ...rest } = d;
  return rest;
}

export function createReport(db: CaseDb, actor: string, fields: ReportFields): ReportDefinition {
  requireFreeName(db, fields.name, null);
  requireExcerpts(db, fields);
  const id = newId();
  const at = now();
  db.prepare('INSERT INTO reports (id, name, title, author, report_date, marking, summary, scope_json, sections_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    fields.name,
    fields.title,
    fields.author,
    fields.date,
    fields.marking,
    fields.summary,
    JSON.stringify(fields.scope),
    JSON.stringify(fields.sections),
    at,
    at,
  );
  writeFindings(db, id, fields);
  const created = getReport(db, id);
  recordAudit(db, actor, 'create', 'report', id, null, auditView(created), { summary: `Created report ${fields.name}` });
  return created;
}

export function updateReport(db: CaseDb, actor: string, id: string, fields: ReportFields): ReportDefinition {
  const before = getReport(db, id);
  requireFreeName(db, fields.name, id);
  requireExcerpts(db, fields);
  db.prepare('UPDATE reports SET name = ?, title = ?, author = ?, report_date = ?, marking = ?, summary = ?, scope_json = ?, sections_json = ?, updated_at = ? WHERE id = ?').run(
    fields.name,
    fields.title,
    fields.author,
    fields.date,
    fields.marking,
    fields.summary,
    JSON.stringify(fields.scope),
    JSON.stringify(fields.sections),
    now(),
    id,
  );
  writeFindings(db, id, fields);
  const after = getReport(db, id);
  recordAudit(db, actor, 'update', 'report', id, auditView(before), auditView(after), { summary: `Edited report ${fields.name}` });
  return after;
}

export function deleteReport(db: CaseDb, actor: string, id: string): { id: string } {
  const before = getReport(db, id);
  db.prepare('DELETE FROM reports WHERE id = ?').run(id);
  recordAudit(db, actor, 'delete', 'report', id, auditView(before), null, { summary: `Deleted report ${before.name}` });
  return { id };
}
