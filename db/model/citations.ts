import { admiraltyGrade, assessConfidence, type CitationStance, type ConfidenceBasis } from '../../shared/confidence';
import { CaseboardError } from '../../shared/errors';
import type { Citation, CitingKind, Confidence, ExcerptOption } from '../../shared/model';
import type { ReliabilityGrade } from '../../shared/schemas';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, deleteRow, insertRow, updateRow, type ChangeSet } from '../core/journal';

const CITING_COLUMN: Record<CitingKind, string> = { entity: 'entity_id', link: 'link_id' };

interface CitationDbRow {
  id: string;
  item_id: string;
  excerpt_id: string;
  quote: string;
  translation: string | null;
  translation_language: string | null;
  page: number | null;
  location: string | null;
  credibility: number;
  source_id: string;
  source_title: string;
  reliability: ReliabilityGrade;
  stance: CitationStance;
}

function toCitation(row: CitationDbRow): Citation {
  return {
    id: row.id,
    excerptId: row.excerpt_id,
    quote: row.quote,
    translation: row.translation,
    translationLanguage: row.translation_language,
    page: row.page,
    location: row.location,
    credibility: row.credibility,
    sourceId: row.source_id,
    sourceTitle: row.source_title,
    reliability: row.reliability,
    grade: admiraltyGrade(row.reliability, row.credibility),
    stance: row.stance,
  };
}

/** The citations of each of the given entities or links, in the order they were added. */
export function citationsFor(db: CaseDb, kind: CitingKind, ids: readonly string[]): Map<string, Citation[]> {
  const result = new Map<string, Citation[]>();
  if (ids.length === 0) return result;
  const column = CITING_COLUMN[kind];
  const rows = db
    .prepare(
      `SELECT c.id, c.${column} AS item_id, c.excerpt_id, c.stance, x.quote, x.translation, x.translation_language, x.page, x.location, x.credibility, s.id AS source_id, s.title AS source_title, s.reliability
       FROM citations c JOIN excerpts x ON x.id = c.excerpt_id JOIN sources s ON s.id = x.source_id
       WHERE c.${column} IN (SELECT value FROM json_each(?)) ORDER BY c.created_at, c.id`,
    )
    .all(JSON.stringify(ids)) as CitationDbRow[];
  for (const row of rows) {
    const list = result.get(row.item_id) ?? [];
    list.push(toCitation(row));
    result.set(row.item_id, list);
  }
  return result;
}

/** The derived confidence and its basis, as entities and links carry them. */
export function confidenceOf(basis: ConfidenceBasis | null): { derivedConfidence: Confidence | null; confidenceBasis: ConfidenceBasis | null } {
  return { derivedConfidence: basis?.level ?? null, confidenceBasis: basis };
}

/** The confidence the citations support and what it rests on, per item; items without citations are absent. */
export function confidenceBases(citations: Map<string, Citation[]>): Map<string, ConfidenceBasis | null> {
  const result = new Map<string, ConfidenceBasis | null>();
  for (const [id, list] of citations) result.set(id, assessConfidence(list));
  return result;
}

function excerptLabel(db: CaseDb, excerptId: string): string {
  const row = db.prepare('SELECT x.quote, s.reliability, x.credibility FROM excerpts x JOIN sources s ON s.id = x.source_id WHERE x.id = ?').get(excerptId) as
    | { quote: string; reliability: ReliabilityGrade; credibility: number }
    | undefined;
  if (!row) throw new CaseboardError('not_found', 'That excerpt is no longer in the case; its source may have been deleted.');
  const quote = row.quote.length > 60 ? `${row.quote.slice(0, 57)}…` : row.quote;
  return `“${quote}” (${admiraltyGrade(row.reliability, row.credibility)})`;
}

/**
 * Cites an excerpt from an entity or a link, as support or as contradicting it. Citing the same excerpt
 * twice changes nothing, unless the stance differs: then the citation's stance changes.
 */
export function addCitation(db: CaseDb, cs: ChangeSet, kind: CitingKind, itemId: string, itemLabel: string, excerptId: string, stance: CitationStance = 'supports'): string | null {
  const label = excerptLabel(db, excerptId);
  const column = CITING_COLUMN[kind];
  const existing = db.prepare(`SELECT id, stance FROM citations WHERE ${column} = ? AND excerpt_id = ?`).get(itemId, excerptId) as { id: string; stance: CitationStance } | undefined;
  if (existing) {
    if (existing.stance === stance) return null;
    setCitationStance(db, cs, existing.id, stance, () => itemLabel);
    return existing.id;
  }
  const id = newId();
  insertRow(db, cs, 'citations', { id, excerpt_id: excerptId, [column]: itemId, created_at: now(), stance });
  const says = stance === 'contradicts' ? 'is contradicted by' : 'now cites';
  audit(db, cs, 'create', 'citation', itemId, undefined, { excerptId, excerpt: label, stance }, `${itemLabel} ${says} ${label}`);
  return id;
}

/** Marks a citation as supporting its claim or as contradicting it. */
export function setCitationStance(db: CaseDb, cs: ChangeSet, citationId: string, stance: CitationStance, describe: (kind: CitingKind, id: string) => string): void {
  const row = db.prepare('SELECT excerpt_id, entity_id, link_id, stance FROM citations WHERE id = ?').get(citationId) as
    | { excerpt_id: string; entity_id: string | null; link_id: string | null; stance: CitationStance }
    | undefined;
  if (!row) throw new CaseboardError('not_found', 'That citation is no longer in the case.');
  if (row.stance === stance) return;
  const kind: CitingKind = row.entity_id ? 'entity' : 'link';
  const itemId = (row.entity_id ?? row.link_id) as string;
  const label = excerptLabel(db, row.excerpt_id);
  updateRow(db, cs, 'citations', citationId, { stance });
  const summary = stance === 'contradicts' ? `${describe(kind, itemId)}: ${label} now cited as contradicting it` : `${describe(kind, itemId)}: ${label} now cited in support`;
  audit(db, cs, 'update', 'citation', itemId, { excerptId: row.excerpt_id, stance: row.stance }, { excerptId: row.excerpt_id, stance }, summary);
}

/** Removes one citation. */
export function removeCitation(db: CaseDb, cs: ChangeSet, citationId: string, describe: (kind: CitingKind, id: string) => string): void {
  const row = db.prepare('SELECT excerpt_id, entity_id, link_id FROM citations WHERE id = ?').get(citationId) as
    | { excerpt_id: string; entity_id: string | null; link_id: string | null }
    | undefined;
  if (!row) throw new CaseboardError('not_found', 'That citation is no longer in the case.');
  const kind: CitingKind = row.entity_id ? 'entity' : 'link';
  const itemId = (row.entity_id ?? row.link_id) as string;
  const label = excerptLabel(db, row.excerpt_id);
  deleteRow(db, cs, 'citations', citationId);
  audit(db, cs, 'delete', 'citation', itemId, { excerptId: row.excerpt_id, excerpt: label }, undefined, `${describe(kind, itemId)} no longer cites ${label}`);
}

/** Removes every citation an entity or link makes (before it is deleted). */
export function removeAllCitations(db: CaseDb, cs: ChangeSet, kind: CitingKind, itemId: string): void {
  const rows = db.prepare(`SELECT id FROM citations WHERE ${CITING_COLUMN[kind]} = ?`).all(itemId) as { id: string }[];
  for (const row of rows) deleteRow(db, cs, 'citations', row.id);
}

interface ExcerptDbRow {
  id: string;
  quote: string;
  page: number | null;
  location: string | null;
  credibility: number;
  source_id: string;
  source_title: string;
  reliability: ReliabilityGrade;
  cited_by: number;
}

function toExcerptOption(row: ExcerptDbRow): ExcerptOption {
  return {
    id: row.id,
    quote: row.quote,
    page: row.page,
    location: row.location,
    credibility: row.credibility,
    sourceId: row.source_id,
    sourceTitle: row.source_title,
    reliability: row.reliability,
    grade: admiraltyGrade(row.reliability, row.credibility),
    citedBy: row.cited_by,
  };
}

const EXCERPT_SELECT = `SELECT x.id, x.quote, x.page, x.location, x.credibility, s.id AS source_id, s.title AS source_title, s.reliability,
  (SELECT count(*) FROM citations c WHERE c.excerpt_id = x.id) AS cited_by
  FROM excerpts x JOIN sources s ON s.id = x.source_id`;

/** Excerpts whose quote or source title contains every word given, newest first, for the citation picker. */
export function findExcerpts(db: CaseDb, text: string, limit: number): ExcerptOption[] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '').slice(0, 8);
  const clauses = words.map(() => "(x.quote LIKE ? ESCAPE '\\' OR s.title LIKE ? ESCAPE '\\' OR x.comment LIKE ? ESCAPE '\\')");
  const params = words.flatMap((w) => {
    const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return [like, like, like];
  });
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db.prepare(`${EXCERPT_SELECT} ${where} ORDER BY x.created_at DESC, x.id DESC LIMIT ?`).all(...params, limit) as ExcerptDbRow[];
  return rows.map(toExcerptOption);
}

export function getExcerptOption(db: CaseDb, id: string): ExcerptOption {
  const row = db.prepare(`${EXCERPT_SELECT} WHERE x.id = ?`).get(id) as ExcerptDbRow | undefined;
  if (!row) throw new CaseboardError('not_found', 'That excerpt is no longer in the case; its source may have been deleted.');
  return toExcerptOption(row);
}
