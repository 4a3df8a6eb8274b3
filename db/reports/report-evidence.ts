import { admiraltyGrade, type ConfidenceBasis } from '../../shared/confidence';
import type { Citation } from '../../shared/model';
import type { ReportData, ReportEvidence, ReportSection, ReportSource } from '../../shared/report';
import type { ReliabilityGrade, SourceKind } from '../../shared/schemas';
import type { CaseDb } from '../core/case-file';
import { citationsFor, confidenceBases } from '../model/citations';
import { json } from './report-scope';

interface ExcerptDbRow {
  id: string;
  quote: string;
  page: number | null;
  location: string | null;
  comment: string | null;
  translation: string | null;
  translation_language: string | null;
  credibility: number;
  source_id: string;
  source_title: string;
  reliability: ReliabilityGrade;
}

interface SourceDbRow {
  id: string;
  kind: SourceKind;
  title: string;
  url: string | null;
  publisher: string | null;
  authors: string;
  published_date: string | null;
  accessed_at: string | null;
  reliability: ReliabilityGrade;
}

/** What each entity and link in the report cites, and the confidence those citations give it. */
export interface ItemCitations {
  entities: Map<string, Citation[]>;
  links: Map<string, Citation[]>;
  entityConfidence: Map<string, ConfidenceBasis | null>;
  linkConfidence: Map<string, ConfidenceBasis | null>;
}

export function gatherCitations(db: CaseDb, entityIds: readonly string[], linkIds: readonly string[]): ItemCitations {
  const entities = citationsFor(db, 'entity', entityIds);
  const links = citationsFor(db, 'link', linkIds);
  return { entities, links, entityConfidence: confidenceBases(entities), linkConfidence: confidenceBases(links) };
}

/** Evidence numbers by excerpt, and the numbers each finding, entity and link cites. */
export interface EvidenceNumbers {
  byExcerpt: Map<string, number>;
  findings: ReportData['findings'];
  /** The numbers each entity and link cites in support. */
  entities: Map<string, number[]>;
  links: Map<string, number[]>;
  /** The numbers each entity and link cites as contradicting it. */
  entityContradictions: Map<string, number[]>;
  linkContradictions: Map<string, number[]>;
}

/**
 * Numbers the cited excerpts in the order the enabled sections cite them, so
 * that a reader meets [1] before [2]. Findings cite excerpts by ID; an excerpt
 * deleted since goes uncited.
 */
export function numberEvidence(
  db: CaseDb,
  sections: readonly ReportSection[],
  findingInputs: readonly { text: string; excerptIds: readonly string[] }[],
  citations: ItemCitations,
  entityIds: readonly string[],
  linkIds: readonly string[],
): EvidenceNumbers {
  const byExcerpt = new Map<string, number>();
  const numberOf = (excerptId: string): number => {
    let n = byExcerpt.get(excerptId);
    if (n === undefined) {
      n = byExcerpt.size + 1;
      byExcerpt.set(excerptId, n);
    }
    return n;
  };
  const cite = (list: readonly Citation[] | undefined) => [...new Set((list ?? []).filter((c) => c.stance === 'supports').map((c) => numberOf(c.excerptId)))];
  const contradict = (list: readonly Citation[] | undefined) => [...new Set((list ?? []).filter((c) => c.stance === 'contradicts').map((c) => numberOf(c.excerptId)))];
  const findingExcerpts = new Set(findingInputs.flatMap((f) => f.excerptIds));
  const existingExcerpts = new Set(
    (db.prepare('SELECT id FROM excerpts WHERE id IN (SELECT value FROM json_each(?))').all(json(findingExcerpts)) as { id: string }[]).map((r) => r.id),
  );
  const numbers: EvidenceNumbers = { byExcerpt, findings: findingInputs.map((f) => ({ text: f.text, citations: [] })), entities: new Map(), links: new Map(), entityContradictions: new Map(), linkContradictions: new Map() };
  let linksNumbered = false;
  for (const section of sections) {
    if (!section.enabled) continue;
    if (section.kind === 'findings') {
      numbers.findings = findingInputs.map((f) => ({ text: f.text, citations: [...new Set(f.excerptIds.filter((id) => existingExcerpts.has(id)).map(numberOf))] }));
    }
    if (section.kind === 'entities') {
      numbers.entities = new Map(entityIds.map((id) => [id, cite(citations.entities.get(id))]));
      numbers.entityContradictions = new Map(entityIds.map((id) => [id, contradict(citations.entities.get(id))]));
    }
    // Entity profiles list their key links with the links' citations, so either section numbers the links once.
    if ((section.kind === 'relationships' || section.kind === 'entities') && !linksNumbered) {
      numbers.links = new Map(linkIds.map((id) => [id, cite(citations.links.get(id))]));
      numbers.linkContradictions = new Map(linkIds.map((id) => [id, contradict(citations.links.get(id))]));
      linksNumbered = true;
    }
  }
  return numbers;
}

/** The evidence table: every numbered excerpt, with its source numbered in the order first cited. */
export function evidenceTable(db: CaseDb, byExcerpt: ReadonlyMap<string, number>): { evidence: ReportEvidence[]; sourceNumbers: Map<string, number> } {
  const excerptRows = db
    .prepare(
      `SELECT x.id, x.quote, x.page, x.location, x.comment, x.translation, x.translation_language, x.credibility, s.id AS source_id, s.title AS source_title, s.reliability
       FROM excerpts x JOIN sources s ON s.id = x.source_id WHERE x.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json(byExcerpt.keys())) as ExcerptDbRow[];
  const excerptById = new Map(excerptRows.map((x) => [x.id, x]));
  const sourceNumbers = new Map<string, number>();
  const evidence: ReportEvidence[] = [];
  for (const [excerptId, number] of [...byExcerpt].sort((a, b) => a[1] - b[1])) {
    const x = excerptById.get(excerptId);
    if (!x) continue;
    if (!sourceNumbers.has(x.source_id)) sourceNumbers.set(x.source_id, sourceNumbers.size + 1);
    evidence.push({
      number,
      excerptId,
      quote: x.quote,
      page: x.page,
      location: x.location,
      comment: x.comment,
      translation: x.translation,
      translationLanguage: x.translation_language,
      grade: admiraltyGrade(x.reliability, x.credibility),
      sourceNumber: sourceNumbers.get(x.source_id) ?? 0,
      sourceTitle: x.source_title,
    });
  }
  return { evidence, sourceNumbers };
}

function authorsOf(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
  } catch {
    return [];
  }
}

/** The numbered bibliography: each cited source with its attached files and their SHA-256. */
export function bibliography(db: CaseDb, sourceNumbers: ReadonlyMap<string, number>): ReportSource[] {
  const sourceRows = db
    .prepare('SELECT id, kind, title, url, publisher, authors, published_date, accessed_at, reliability FROM sources WHERE id IN (SELECT value FROM json_each(?))')
    .all(json(sourceNumbers.keys())) as SourceDbRow[];
  const attachmentRows = db
    .prepare('SELECT source_id, name, media_type, size, sha256 FROM attachments WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id')
    .all(json(sourceNumbers.keys())) as { source_id: string; name: string; media_type: string; size: number; sha256: string }[];
  return sourceRows
    .map((s) => ({
      number: sourceNumbers.get(s.id) ?? 0,
      id: s.id,
      kind: s.kind,
      title: s.title,
      url: s.url,
      publisher: s.publisher,
      authors: authorsOf(s.authors),
      publishedDate: s.published_date,
      accessedAt: s.accessed_at,
      reliability: s.reliability,
      attachments: attachmentRows.filter((a) => a.source_id === s.id).map((a) => ({ name: a.name, mediaType: a.media_type, size: a.size, sha256: a.sha256 })),
    }))
    .sort((a, b) => a.number - b.number);
}
