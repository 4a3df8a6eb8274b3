import { z } from 'zod';
import { CaseboardError } from '../../shared/errors';
import { id } from '../../shared/schemas';
import { completeSections, EMPTY_SCOPE, reportScope, reportSection, type ReportDefinition, type ReportFields, type ReportFinding, type ReportScope, type ReportSection, type ReportSummary } from '../../shared/report';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, deleteRow, describeChangeSet, insertRow, updateRow, type ChangeSet } from '../core/journal';

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
  key_entities_json: string;
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

function parseIds(text: string): string[] {
  try {
    const parsed = z.array(id).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
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
    keyEntityIds: parseIds(row.key_entities_json),
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

function writeFindings(db: CaseDb, cs: ChangeSet, reportId: string, fields: ReportFields): void {
  const old = db.prepare('SELECT id FROM report_findings WHERE report_id = ? ORDER BY position').pluck().all(reportId) as string[];
  for (const findingId of old) deleteRow(db, cs, 'report_findings', findingId);
  fields.findings.forEach((f, position) => {
    const findingId = newId();
    insertRow(db, cs, 'report_findings', { id: findingId, report_id: reportId, position, text: f.text });
    // A finding cites an excerpt once, at its first place in the list.
    [...new Set(f.excerptIds)].forEach((excerptId) => insertRow(db, cs, 'report_finding_citations', { finding_id: findingId, excerpt_id: excerptId, position: f.excerptIds.indexOf(excerptId) }));
  });
}

function reportColumns(fields: ReportFields): Record<string, unknown> {
  return {
    name: fields.name,
    title: fields.title,
    author: fields.author,
    report_date: fields.date,
    marking: fields.marking,
    summary: fields.summary,
    scope_json: JSON.stringify(fields.scope),
    sections_json: JSON.stringify(fields.sections),
    key_entities_json: JSON.stringify(fields.keyEntityIds),
  };
}

function auditView(d: ReportDefinition): unknown {
  const { createdAt: _c, updatedAt: _u, ...rest } = d;
  return rest;
}

export function createReport(db: CaseDb, cs: ChangeSet, fields: ReportFields): ReportDefinition {
  requireFreeName(db, fields.name, null);
  requireExcerpts(db, fields);
  const id = newId();
  const at = now();
  insertRow(db, cs, 'reports', { id, ...reportColumns(fields), created_at: at, updated_at: at });
  writeFindings(db, cs, id, fields);
  const created = getReport(db, id);
  describeChangeSet(db, cs, `Created report ${fields.name}`);
  audit(db, cs, 'create', 'report', id, null, auditView(created));
  return created;
}

export function updateReport(db: CaseDb, cs: ChangeSet, id: string, fields: ReportFields): ReportDefinition {
  const before = getReport(db, id);
  requireFreeName(db, fields.name, id);
  requireExcerpts(db, fields);
  updateRow(db, cs, 'reports', id, { ...reportColumns(fields), updated_at: now() });
  writeFindings(db, cs, id, fields);
  const after = getReport(db, id);
  describeChangeSet(db, cs, `Edited report ${fields.name}`);
  audit(db, cs, 'update', 'report', id, auditView(before), auditView(after));
  return after;
}

/** Deletes a saved report with its key findings, in the one undo step. */
export function deleteReport(db: CaseDb, cs: ChangeSet, id: string): { id: string } {
  const before = getReport(db, id);
  describeChangeSet(db, cs, `Deleted report ${before.name}`);
  deleteRow(db, cs, 'reports', id);
  audit(db, cs, 'delete', 'report', id, auditView(before), null);
  return { id };
}
