import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { CaseCounts, CaseDetails, CaseInfo } from '../../shared/schemas';
import { caseFilePath, type CaseDb } from './case-file';
import { now } from './clock';
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

/** Counts every kind of item and runs SQLite's full integrity check. */
export function getCaseInfo(db: CaseDb): CaseInfo {
  const counts = {} as CaseCounts;
  // A file of an older schema opened read-only lacks newer tables: it holds none of those items.
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  for (const [kind, table] of Object.entries(COUNTED_TABLES) as [keyof CaseCounts, string][]) {
    counts[kind] = exists.get(table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
  }
  const integrityRows = db.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = integrityRows.map((r) => r.integrity_check).join('; ');
  return { ...getCaseDetails(db), counts, integrity };
}
