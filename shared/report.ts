import { z } from 'zod';
import type { Confidence, EntityType, LinkDirection, LinkStatus, SanctionRecord } from './model';
import { id, optionalText, partialDate, requiredText, type ReliabilityGrade, type SourceKind } from './schemas';

// ---- Saved briefing definitions ----

/** The sections a briefing can print, in their default order. Cover, contents and appendix always print. */
export const REPORT_SECTION_KINDS = ['summary', 'findings', 'entities', 'relationships', 'graph', 'timeline', 'evidence', 'bibliography'] as const;
export type ReportSectionKind = (typeof REPORT_SECTION_KINDS)[number];
export const REPORT_SECTION_LABELS: Record<ReportSectionKind, string> = {
  summary: 'Executive summary',
  findings: 'Key findings',
  entities: 'Entity profiles',
  relationships: 'Relationships',
  graph: 'Network graph',
  timeline: 'Timeline',
  evidence: 'Evidence',
  bibliography: 'Sources',
};

/**
 * Portion markings a section can carry, lowest first. The briefing's page marking is the highest of them
 * (see briefingMarking); a section without one carries no portion mark.
 */
export const PORTION_MARKINGS = ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] as const;
export type PortionMarking = (typeof PORTION_MARKINGS)[number];
/** The mark printed in brackets at the start of a marked section: (U), (R), (C), (S), (TS). */
export const PORTION_ABBREVIATIONS: Record<PortionMarking, string> = { UNCLASSIFIED: 'U', RESTRICTED: 'R', CONFIDENTIAL: 'C', SECRET: 'S', 'TOP SECRET': 'TS' };

export const reportSection = z.object({
  kind: z.enum(REPORT_SECTION_KINDS),
  enabled: z.boolean().default(true),
  /** Analyst notes printed as a callout at the top of the section. */
  notes: optionalText(20000, 'A section note'),
  /** The section's portion marking; null for none. */
  marking: z.enum(PORTION_MARKINGS).nullable().default(null),
});
export type ReportSection = z.output<typeof reportSection>;

export const DEFAULT_REPORT_SECTIONS: ReportSection[] = REPORT_SECTION_KINDS.map((kind) => ({ kind, enabled: true, notes: null, marking: null }));

const PORTION_MARK = /^\((U|R|C|S|TS)\)(?=\s|$)/;
const BY_ABBREVIATION = new Map(Object.entries(PORTION_ABBREVIATIONS).map(([level, abbreviation]) => [abbreviation, level as PortionMarking]));

/** Analyst text's paragraphs, as the briefing prints them: blank lines separate them. */
export function textParagraphs(text: string | null): string[] {
  return (text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A paragraph's own portion mark, when it starts with one written as in print: "(S) The institute…". */
export function paragraphMarking(paragraph: string): { marking: PortionMarking; rest: string } | null {
  const found = PORTION_MARK.exec(paragraph);
  const marking = found ? BY_ABBREVIATION.get(found[1] ?? '') : undefined;
  return found && marking ? { marking, rest: paragraph.slice(found[0].length).trimStart() } : null;
}

/** The highest of these markings; null when there is none. */
export function highestMarking(levels: readonly (PortionMarking | null | undefined)[]): PortionMarking | null {
  const found = levels.filter((l): l is PortionMarking => Boolean(l)).map((l) => PORTION_MARKINGS.indexOf(l));
  return found.length ? (PORTION_MARKINGS[Math.max(...found)] ?? null) : null;
}

/** The marks of the paragraphs of these texts that carry one. */
export function paragraphMarkings(texts: readonly (string | null)[]): PortionMarking[] {
  return texts.flatMap((t) => textParagraphs(t).map((p) => paragraphMarking(p)?.marking ?? null)).filter((m): m is PortionMarking => m !== null);
}

/**
 * A section's portion mark: the one chosen for it, raised to the highest mark of a paragraph printed in it
 * (its note, and the analyst text it prints: the summary, the findings, entity notes).
 */
export function sectionMarking(section: ReportSection, printedTexts: readonly (string | null)[] = []): PortionMarking | null {
  return highestMarking([section.marking, ...paragraphMarkings([section.notes, ...printedTexts])]);
}

/**
 * The marking every page of a briefing carries: the highest portion marking of its printed sections and
 * paragraphs, then the report's own handling marking after "//"; the handling marking alone when nothing is
 * marked. Chromium prints one header for every page, so the page marking is the document's highest, not each page's.
 * `printedTexts` holds, per section, the analyst text it prints beyond its note.
 */
export function briefingMarking(marking: string | null, sections: readonly ReportSection[], printedTexts: Partial<Record<ReportSectionKind, readonly (string | null)[]>> = {}, otherTexts: readonly (string | null)[] = []): string | null {
  const highest = highestMarking([...sections.filter((s) => s.enabled).map((s) => sectionMarking(s, printedTexts[s.kind])), ...paragraphMarkings(otherTexts)]);
  if (!highest) return marking;
  return marking ? `${highest} // ${marking}` : highest;
}

/** The analyst text each section prints beyond its note, and what the key entity pages print, for the markings above. */
export function printedTexts(data: Pick<ReportData, 'summary' | 'findings' | 'entities' | 'links' | 'keyEntityIds'>): { bySection: Partial<Record<ReportSectionKind, (string | null)[]>>; keyPages: (string | null)[] } {
  const keys = new Set(data.keyEntityIds);
  return {
    bySection: {
      summary: [data.summary],
      findings: data.findings.map((f) => f.text),
      entities: data.entities.flatMap((e) => [e.description, e.notes]),
      relationships: data.links.map((l) => l.notes),
    },
    keyPages: data.entities.filter((e) => keys.has(e.id)).flatMap((e) => [e.description, e.notes]),
  };
}

export const reportScope = z.object({
  /** Technology areas (their sub-areas included); empty means every area. */
  areaIds: z.array(id).max(100).default([]),
  /** Entities to cover; empty means every entity the other limits allow. */
  entityIds: z.array(id).max(2000).default([]),
  /** Time window for links: those that overlap it (undated links are kept). */
  from: partialDate,
  to: partialDate,
});
export type ReportScope = z.output<typeof reportScope>;
export const EMPTY_SCOPE: ReportScope = { areaIds: [], entityIds: [], from: null, to: null };

export const reportFinding = z.object({
  text: requiredText(5000, 'A key finding'),
  excerptIds: z.array(id).max(50).default([]),
});
export type ReportFindingInput = z.output<typeof reportFinding>;

export const reportFields = z.object({
  name: requiredText(200, 'The report name'),
  title: requiredText(300, 'The report title'),
  author: optionalText(200, 'The author'),
  date: partialDate,
  marking: optionalText(200, 'The handling marking'),
  summary: optionalText(50000, 'The executive summary'),
  scope: reportScope.default(EMPTY_SCOPE),
  sections: z
    .array(reportSection)
    .max(REPORT_SECTION_KINDS.length)
    .default(DEFAULT_REPORT_SECTIONS)
    .refine((sections) => new Set(sections.map((s) => s.kind)).size === sections.length, { message: 'Each section appears once.' }),
  findings: z.array(reportFinding).max(100, 'A report has at most 100 key findings.').default([]),
  /** Entities in scope that get a page each: names in every script, links with dates and confidence, citations. */
  keyEntityIds: z.array(id).max(50, 'A report has at most 50 key entities.').default([]),
});
export type ReportFieldsInput = z.input<typeof reportFields>;
export type ReportFields = z.output<typeof reportFields>;

export interface ReportFinding {
  id: string;
  text: string;
  excerptIds: string[];
}

export interface ReportDefinition extends Omit<ReportFields, 'findings'> {
  id: string;
  findings: ReportFinding[];
  createdAt: string;
  updatedAt: string;
}

export interface ReportSummary {
  id: string;
  name: string;
  title: string;
  updatedAt: string;
}

/** Every kind of section in the stored order, with any kind missing from an old definition added switched off. */
export function completeSections(sections: readonly ReportSection[]): ReportSection[] {
  const known = sections.filter((s) => (REPORT_SECTION_KINDS as readonly string[]).includes(s.kind));
  const missing = REPORT_SECTION_KINDS.filter((kind) => !known.some((s) => s.kind === kind)).map((kind) => ({ kind, enabled: false, notes: null, marking: null }));
  return [...known, ...missing];
}

// ---- Export ----

export const REPORT_FORMATS = ['pdf', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What an export produced: written to a path, or handed back as bytes for a download. */
export interface ReportExport {
  format: ReportFormat;
  fileName: string;
  mediaType: string;
  bytes: number;
  /** Set when the file was written on this machine. */
  path: string | null;
  /** The file as base64 when no path was given. */
  base64: string | null;
  /** Pages of a PDF; null for HTML. */
  pages: number | null;
  /** Rendering time in milliseconds, for the progress line. */
  millis: number;
}

/** A report ready for a PDF printer: the document, its running header and footer, and a file name. */
export interface PrintableReport {
  html: string;
  header: string;
  footer: string;
  fileName: string;
}

/** Counts the pages of a PDF Chromium wrote (its page objects). */
export function countPdfPages(pdf: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(pdf);
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

// ---- The report model: everything the HTML needs, assembled from the case ----

export interface ReportAlias {
  name: string;
  language: string | null;
}

export interface ReportEntity {
  id: string;
  name: string;
  type: EntityType;
  subtype: string | null;
  country: string | null;
  aliases: ReportAlias[];
  identifiers: { key: string; value: string }[];
  description: string | null;
  notes: string | null;
  areas: string[];
  confidence: Confidence | null;
  /** What the level rests on, in words ("1 source, B2"); null when unsourced. */
  confidenceBasis: string | null;
  /** Whether the analyst set the level rather than the citations deriving it. */
  confidenceSet: boolean;
  /** Evidence numbers this entity's citations resolve to. */
  citations: number[];
  /** Evidence numbers cited as contradicting the entity's description. */
  contradictions: number[];
  /** The entity's links in scope, described from its side. */
  keyLinks: { label: string; dates: string; citations: number[] }[];
  /** Sanction records on the entity, earliest first. */
  sanctions: ReportSanction[];
}

/** A sanction record as a briefing prints it. */
export type ReportSanction = Omit<SanctionRecord, 'id' | 'entityId'>;

export interface ReportLink {
  id: string;
  fromId: string;
  toId: string;
  from: string;
  to: string;
  type: string;
  direction: LinkDirection;
  startDate: string | null;
  endDate: string | null;
  status: LinkStatus;
  confidence: Confidence | null;
  /** What the level rests on, in words ("1 source, B2"); null when unsourced. */
  confidenceBasis: string | null;
  confidenceSet: boolean;
  areas: { name: string; colour: string }[];
  notes: string | null;
  citations: number[];
  /** Evidence numbers cited as contradicting the link. */
  contradictions: number[];
}

export interface ReportEvidence {
  /** The footnote number every citation of this excerpt prints. */
  number: number;
  excerptId: string;
  quote: string;
  page: number | null;
  location: string | null;
  comment: string | null;
  /** The quote translated, printed beside it, and the translation's language code. */
  translation: string | null;
  translationLanguage: string | null;
  /** Admiralty grade: source reliability and excerpt credibility, e.g. "B2". */
  grade: string;
  sourceNumber: number;
  sourceTitle: string;
}

export interface ReportAttachment {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface ReportSource {
  /** Printed as S1, S2, ... */
  number: number;
  id: string;
  kind: SourceKind;
  title: string;
  url: string | null;
  publisher: string | null;
  authors: string[];
  publishedDate: string | null;
  accessedAt: string | null;
  reliability: ReliabilityGrade;
  attachments: ReportAttachment[];
}

export interface ReportGraphNode {
  id: string;
  label: string;
  type: EntityType;
  x: number;
  y: number;
  degree: number;
}

export interface ReportFindingData {
  text: string;
  citations: number[];
}

/** Everything one briefing prints, resolved from the case at one moment. */
export interface ReportData {
  title: string;
  author: string | null;
  date: string | null;
  marking: string | null;
  summary: string | null;
  caseTitle: string;
  caseDescription: string | null;
  sections: ReportSection[];
  /** Entities given a page each, in the order chosen; only those among the profiled entities print. */
  keyEntityIds: string[];
  /** Human-readable lines describing the scope, e.g. "Technology areas: drones". */
  scope: string[];
  findings: ReportFindingData[];
  entities: ReportEntity[];
  links: ReportLink[];
  evidence: ReportEvidence[];
  sources: ReportSource[];
  graph: { nodes: ReportGraphNode[]; edges: { from: string; to: string; type: string; directed: boolean }[]; positioned: boolean };
  provenance: {
    caseFile: string;
    caseId: string;
    /** SHA-256 of the case file as it was on disk at export; null in a preview. */
    caseSha256: string | null;
    exportedAt: string;
    schemaVersion: number;
    generator: string;
  };
}

/** A safe file name for an exported report, from its title. */
export function reportFileName(title: string, format: ReportFormat): string {
  const base = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return `${cutAtWord(base, 80, '-') || 'briefing'}.${format}`;
}

/** The longest start of the text, at most max characters, that ends at a word break; a first word longer than max is kept whole. */
function cutAtWord(text: string, max: number, breaks: string): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const isBreak = (c: string | undefined) => c !== undefined && breaks.includes(c);
  let cut = max;
  while (cut > 0 && !isBreak(chars[cut])) cut -= 1;
  if (cut === 0) {
    cut = chars.findIndex((c, i) => i > 0 && isBreak(c));
    if (cut < 0) return text;
  }
  while (cut > 0 && isBreak(chars[cut - 1])) cut -= 1;
  return chars.slice(0, cut).join('');
}

/** Text shortened for a running footer: cut after a whole word, with an ellipsis, never mid-word. */
export function shortenAtWord(text: string, max: number): string {
  if ([...text].length <= max) return text;
  const cut = cutAtWord(text, max - 1, ' \t\n');
  return cut === text ? text : `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}
