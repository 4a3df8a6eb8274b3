import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { briefingMarking, printedTexts, type ReportData, type ReportFields } from '../../shared/report';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { getCaseDetails } from '../core/case-info';
import { graphPicture } from './layout';
import { bibliography, evidenceTable, gatherCitations, numberEvidence } from './report-evidence';
import { describeScope, selectItems } from './report-scope';
import { entityProfiles, reportLinks } from './report-sections';

/** What a report is built from: a saved definition or one being edited (findings as excerpt IDs). */
export type ReportDefinitionInput = Pick<ReportFields, 'title' | 'author' | 'date' | 'marking' | 'summary' | 'scope' | 'sections'> & {
  keyEntityIds?: readonly string[];
  findings: readonly { text: string; excerptIds: readonly string[] }[];
};

export interface AssembleOptions {
  exportedAt: string;
  /** Hash the case file for the appendix (exports); a preview skips it. */
  hashCaseFile: boolean;
}

/** SHA-256 of a file, read in chunks so a large case file never sits in memory whole. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function caseFileHash(db: CaseDb): string | null {
  if (db.memory) return null;
  try {
    // Fold the write-ahead log into the file first, so the hash is of the case as it is now.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A read-only connection cannot checkpoint; its file is what a reader would receive.
  }
  return sha256OfFile(caseFilePath(db));
}

/**
 * Assembles everything one briefing prints from the case: the entities,
 * links, citations and sources in its scope, with every citation resolved to
 * a numbered row of the evidence table (numbered in the order the report
 * cites them) and every source to a numbered bibliography entry.
 */
export function assembleReport(db: CaseDb, definition: ReportDefinitionInput, options: AssembleOptions): ReportData {
  const details = getCaseDetails(db);
  const items = selectItems(db, definition.scope);
  const entityIds = items.profiles.map((e) => e.id);
  const linkIds = items.links.map((l) => l.id);
  const citations = gatherCitations(db, entityIds, linkIds);
  const numbers = numberEvidence(db, definition.sections, definition.findings, citations, entityIds, linkIds);
  const links = reportLinks(db, items, citations, numbers);
  const entities = entityProfiles(db, items, citations, numbers, links);
  const { evidence, sourceNumbers } = evidenceTable(db, numbers.byExcerpt);
  const keyEntityIds = [...(definition.keyEntityIds ?? [])];
  const texts = printedTexts({ summary: definition.summary, findings: numbers.findings, entities, links, keyEntityIds });
  return {
    title: definition.title,
    author: definition.author,
    date: definition.date,
    marking: briefingMarking(definition.marking ?? details.marking, definition.sections, texts.bySection, texts.keyPages),
    summary: definition.summary,
    caseTitle: details.title,
    caseDescription: details.description,
    sections: definition.sections,
    keyEntityIds,
    scope: describeScope(db, definition.scope, items),
    findings: numbers.findings,
    entities,
    links,
    evidence,
    sources: bibliography(db, sourceNumbers),
    graph: graphPicture(db, items),
    provenance: {
      caseFile: path.basename(caseFilePath(db)),
      caseId: details.caseId,
      caseSha256: options.hashCaseFile ? caseFileHash(db) : null,
      exportedAt: options.exportedAt,
      schemaVersion: details.schemaVersion,
      generator: 'Caseboard',
    },
  };
}
