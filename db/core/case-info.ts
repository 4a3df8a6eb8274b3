import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { CaseCounts, CaseDetails, CaseInfo, CaseVerifyReport } from '../../shared/schemas';
import { asCaseFileError, caseFilePath, type CaseDb } from './case-file';
import { now } from './clock';
import { hasSchemaObject } from './schema-objects';
import { audit, describeChangeSet, updateRow, type ChangeSet } from './journal';

interface CaseInfoRow {
  case_id: string;
  title: string;
  marking: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export function getCaseDetails(db: CaseDb): CaseDetails {
  const row = db.prepare('SELECT case_id, title, marking, description, created_at, updated_at FROM case_info WHERE singleton = 1').get() as CaseInfoRow | undefined;
  if (!row) throw new CaseboardError('not_a_case_file', 'The case details are missing from this case file.');
  const file = caseFilePath(db);
  return {
    caseId: row.case_id,
    title: row.title,
    marking: row.marking,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    path: file,
    fileName: path.basename(file),
  };
}

export interface CaseChanges {
  title?: string | undefined;
  marking?: string | null | undefined;
  description?: string | null | undefined;
}

export function updateCaseDetails(db: CaseDb, cs: ChangeSet, changes: CaseChanges): CaseDetails {
  const before = getCaseDetails(db);
  const next = {
    title: changes.title ?? before.title,
    marking: changes.marking === undefined ? before.marking : changes.marking,
    description: changes.description === undefined ? before.description : changes.description,
  };
  updateRow(db, cs, 'case_info', '1', { ...next, updated_at: now() });
  const pick = (d: CaseDetails) => ({ title: d.title, marking: d.marking, description: d.description });
  const after = getCaseDetails(db);
  describeChangeSet(db, cs, 'Edited the case details');
  audit(db, cs, 'update', 'case', before.caseId, pick(before), pick(after));
  return after;
}

/** Every kind of item a case holds, with the table that holds it. Add new kinds here. */
const COUNTED_TABLES: Record<keyof CaseCounts, string> = {
  sources: 'sources',
  attachments: 'attachments',
  excerpts: 'excerpts',
  entities: 'entities',
  aliases: 'entity_aliases',
  identifiers: 'entity_identifiers',
  links: 'links',
  citations: 'citations',
  areas: 'technology_areas',
  areaTags: 'area_tags',
  auditEvents: 'audit_events',
};

/**
 * Counts every kind of item. Reading the case details and counts takes no
 * copy and no whole-file scan; with `full`, SQLite's full integrity check runs
 * too (as long as the case is large), otherwise `integrity` is null.
 */
export function getCaseInfo(db: CaseDb, options: { full?: boolean | undefined } = {}): CaseInfo {
  const counts = {} as CaseCounts;
  // A file of an older schema opened read-only lacks newer tables: it holds none of those items.
  try {
    for (const [kind, table] of Object.entries(COUNTED_TABLES) as [keyof CaseCounts, string][]) {
      counts[kind] = hasSchemaObject(db, 'table', table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
    }
  } catch (error) {
    // Damage the open did not look for (it reads no whole table) can show here.
    throw asCaseFileError(caseFilePath(db), error);
  }
  return { ...getCaseDetails(db), counts, integrity: options.full ? integrityCheck(db) : null };
}

/** SQLite's full integrity check of the whole file: "ok", or its findings joined. */
export function integrityCheck(db: CaseDb): string {
  return findings(() => db.pragma('integrity_check') as { integrity_check: string }[]).join('; ');
}

/** What an integrity check found; a page so damaged that SQLite stops the check is a finding too. */
function findings(check: () => { integrity_check: string }[]): string[] {
  try {
    return check().map((r) => r.integrity_check);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return [`the check stopped at a damaged page (${(error as Error).message})`];
    throw error;
  }
}

export interface VerifySteps {
  progress(done: number, total: number, message: string): void;
  throwIfCancelled(): void;
}

/**
 * Verifies the open case file table by table: SQLite's integrity check of each
 * table with its indexes (every page, every row, every index entry), then the
 * foreign keys. Progress is reported and a cancel is honoured between tables;
 * nothing is written.
 */
export function verifyCaseFile(db: CaseDb, steps: VerifySteps): CaseVerifyReport {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql LIKE 'CREATE TABLE%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const problems: string[] = [];
  const total = tables.length + 1;
  for (const [index, table] of tables.entries()) {
    steps.throwIfCancelled();
    steps.progress(index, total, `Checking ${table} (${index + 1} of ${tables.length})`);
    const found = findings(() => db.prepare(`PRAGMA integrity_check("${table.replaceAll('"', '""')}")`).all() as { integrity_check: string }[]);
    problems.push(...found.filter((finding) => finding !== 'ok').map((finding) => `${table}: ${finding}`));
  }
  steps.throwIfCancelled();
  steps.progress(tables.length, total, 'Checking the links between items');
  // Links are only worth checking in tables that read back whole.
  const foreignKeyProblems = problems.length === 0 ? (db.pragma('foreign_key_check') as unknown[]).length : 0;
  steps.progress(total, total, 'Checked');
  return { integrity: problems.length === 0 ? 'ok' : problems.join('; '), tables: tables.length, foreignKeyProblems };
}
