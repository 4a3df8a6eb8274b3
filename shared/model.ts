import { z } from 'zod';
import type { CitationStance, ConfidenceBasis } from './confidence';
import { gridQuery } from './grid-query';
import { partialDateRange } from './partial-date';
import { id, language, optionalText, partialDate, requiredText, type ReliabilityGrade } from './schemas';

// ---- Entities ----

export const ENTITY_TYPES = ['organisation', 'person', 'programme', 'event', 'product', 'place'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export const ENTITY_TYPE_LABELS: Record<EntityType, string> = {
  organisation: 'Organisation',
  person: 'Person',
  programme: 'Programme or agreement',
  event: 'Event',
  product: 'Product or technology',
  place: 'Place',
};

/** Subtypes offered for each type; the investigator may type any other. */
export const ENTITY_SUBTYPES: Record<EntityType, readonly string[]> = {
  organisation: ['university', 'research institute', 'company', 'lab', 'government agency', 'government', 'association', 'group', 'think tank', 'military unit'],
  person: ['researcher', 'official', 'executive', 'journalist'],
  programme: ['joint programme', 'agreement', 'project', 'funding scheme'],
  event: ['visit', 'conference', 'sanction', 'test', 'signing'],
  product: ['UAV', 'engine', 'aircraft', 'weapon system', 'component', 'software'],
  place: ['city', 'country', 'campus', 'facility'],
};

export const CONFIDENCE_LEVELS = ['high', 'moderate', 'low'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];
export const CONFIDENCE_LABELS: Record<Confidence, string> = { high: 'High', moderate: 'Moderate', low: 'Low' };

const tagList = z
  .array(z.string().max(100, 'A tag is longer than 100 characters.'))
  .max(50, 'An item has at most 50 tags.')
  .default([])
  .transform((tags) => [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))]);

export const country = z
  .string()
  .nullish()
  .transform((value) => {
    const trimmed = value?.trim().toUpperCase() ?? '';
    return trimmed === '' ? null : trimmed;
  })
  .refine((value) => value === null || /^[A-Z]{2,3}$/.test(value), { message: 'Use a country code such as CN, RU, US or EU.' });

export const aliasInput = z.object({
  id: id.optional(),
  name: requiredText(500, 'An alias'),
  language,
});
export type AliasInput = z.input<typeof aliasInput>;

export const identifierInput = z.object({
  id: id.optional(),
  key: requiredText(100, 'An identifier name'),
  value: requiredText(2000, 'An identifier value'),
});

export const entityFields = z.object({
  type: z.enum(ENTITY_TYPES, { error: 'Choose what type of entity this is.' }),
  subtype: optionalText(100, 'The subtype'),
  name: requiredText(500, 'The name'),
  aliases: z.array(aliasInput).max(200, 'An entity has at most 200 aliases.').default([]),
  country,
  identifiers: z.array(identifierInput).max(100, 'An entity has at most 100 identifiers.').default([]),
  description: optionalText(20000, 'The description'),
  notes: optionalText(100000, 'The notes'),
  tags: tagList,
  confidence: z.enum(CONFIDENCE_LEVELS).nullish().transform((v) => v ?? null),
});
export type EntityFieldsInput = z.input<typeof entityFields>;
export type EntityFields = z.output<typeof entityFields>;

export interface Alias {
  id: string;
  name: string;
  language: string | null;
}

export interface Identifier {
  id: string;
  key: string;
  value: string;
}

/**
 * A sanction record on an entity: who sanctioned it, under which programme,
 * from when to when and why, and the list or data set it came from.
 */
export interface SanctionRecord {
  id: string;
  entityId: string;
  authority: string | null;
  program: string | null;
  /** Partial dates: YYYY, YYYY-MM or YYYY-MM-DD. */
  startDate: string | null;
  endDate: string | null;
  reason: string | null;
  sourceUrl: string | null;
  list: string | null;
}

/** One row of the entities grid. */
export interface EntityRow {
  id: string;
  type: EntityType;
  subtype: string | null;
  name: string;
  country: string | null;
  /** Aliases joined for display. */
  aliases: string;
  /** The authorities that sanctioned the entity, joined for display; empty when it has no sanction record. */
  sanctions: string;
  tags: string[];
  confidence: Confidence | null;
  derivedConfidence: Confidence | null;
  /** What the derived confidence rests on: independent sources, their grades, contradicting sources. */
  confidenceBasis: ConfidenceBasis | null;
  citationCount: number;
  /** Links touching the entity: its degree, as the graph counts it. */
  linkCount: number;
  /** Network measures as the graph last computed them; null until it has. */
  betweenness: number | null;
  pagerank: number | null;
  metricsComputedAt: string | null;
  areas: AreaRef[];
  updatedAt: string;
}

export interface Entity {
  id: string;
  type: EntityType;
  subtype: string | null;
  name: string;
  aliases: Alias[];
  country: string | null;
  identifiers: Identifier[];
  description: string | null;
  notes: string | null;
  tags: string[];
  confidence: Confidence | null;
  derivedConfidence: Confidence | null;
  /** What the derived confidence rests on: independent sources, their grades, contradicting sources. */
  confidenceBasis: ConfidenceBasis | null;
  citations: Citation[];
  sanctions: SanctionRecord[];
  areas: AreaRef[];
  linkCount: number;
  createdAt: string;
  updatedAt: string;
}

// ---- Links ----

/** Link types offered from the start; the investigator's own are added to the list as they use them. */
export const DEFAULT_LINK_TYPES = [
  'joint programme',
  'part of',
  'member of',
  'co-founded',
  'developed',
  'sanctioned',
  'visited',
  'agreement',
  'cooperation agreement',
  'joint centre',
  'works for',
  'funded',
  'supplied',
  'owns',
] as const;

export const LINK_DIRECTIONS = ['directed', 'mutual'] as const;
export type LinkDirection = (typeof LINK_DIRECTIONS)[number];
export const LINK_DIRECTION_LABELS: Record<LinkDirection, string> = { directed: 'From → to', mutual: 'Both ways' };

export const LINK_STATUSES = ['active', 'ended', 'planned', 'contested', 'unknown'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
export const LINK_STATUS_LABELS: Record<LinkStatus, string> = { active: 'Active', ended: 'Ended', planned: 'Planned', contested: 'Contested', unknown: 'Unknown' };

/** True when the end is not before the start at the precision both dates share. */
export function datesInOrder(start: string | null, end: string | null): boolean {
  if (!start || !end) return true;
  const a = partialDateRange(start);
  const b = partialDateRange(end);
  if (!a || !b) return true;
  return b.end >= a.start;
}

export const linkFields = z
  .object({
    fromId: id,
    toId: id,
    type: requiredText(100, 'The link type'),
    direction: z.enum(LINK_DIRECTIONS).default('directed'),
    startDate: partialDate,
    endDate: partialDate,
    status: z.enum(LINK_STATUSES).default('active'),
    confidence: z.enum(CONFIDENCE_LEVELS).nullish().transform((v) => v ?? null),
    notes: optionalText(100000, 'The notes'),
    tags: tagList,
  })
  .refine((l) => l.fromId !== l.toId, { message: 'A link joins two different entities.', path: ['toId'] })
  .refine((l) => datesInOrder(l.startDate, l.endDate), { message: 'The end is before the start.', path: ['endDate'] });
export type LinkFieldsInput = z.input<typeof linkFields>;
export type LinkFields = z.output<typeof linkFields>;

export interface EntityRef {
  id: string;
  name: string;
  type: EntityType;
}

export interface LinkRow {
  id: string;
  from: EntityRef;
  to: EntityRef;
  fromName: string;
  toName: string;
  type: string;
  direction: LinkDirection;
  startDate: string | null;
  endDate: string | null;
  status: LinkStatus;
  confidence: Confidence | null;
  derivedConfidence: Confidence | null;
  /** What the derived confidence rests on: independent sources, their grades, contradicting sources. */
  confidenceBasis: ConfidenceBasis | null;
  citationCount: number;
  areas: AreaRef[];
  tags: string[];
  updatedAt: string;
}

export interface Link extends Omit<LinkRow, 'citationCount'> {
  notes: string | null;
  citations: Citation[];
  createdAt: string;
}

// ---- Citations ----

export const ITEM_KINDS = ['entity', 'link'] as const;
export type CitingKind = (typeof ITEM_KINDS)[number];

export interface Citation {
  id: string;
  excerptId: string;
  quote: string;
  /** The quote translated, and the translation's language code, when the excerpt has one (an excerpt just picked may not say yet). */
  translation?: string | null;
  translationLanguage?: string | null;
  page: number | null;
  location: string | null;
  credibility: number;
  sourceId: string;
  sourceTitle: string;
  reliability: ReliabilityGrade;
  /** Source reliability and excerpt credibility together, e.g. "B2". */
  grade: string;
  /** Whether the excerpt bears the claim out or is cited as contradicting it. */
  stance: CitationStance;
}

/** An excerpt offered in the citation picker. */
export interface ExcerptOption {
  id: string;
  quote: string;
  page: number | null;
  location: string | null;
  credibility: number;
  sourceId: string;
  sourceTitle: string;
  reliability: ReliabilityGrade;
  grade: string;
  citedBy: number;
}

export const citationTarget = z.object({ kind: z.enum(ITEM_KINDS), id });

// ---- Technology areas ----

export const TAGGABLE_KINDS = ['source', 'excerpt', 'entity', 'link'] as const;
export type TaggableKind = (typeof TAGGABLE_KINDS)[number];

export interface AreaRef {
  id: string;
  name: string;
  colour: string;
}

export interface Area extends AreaRef {
  parentId: string | null;
  /** Items tagged with this area itself (not its sub-areas). */
  counts: Record<TaggableKind, number>;
}

export const colour = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, 'Use a colour such as #2458b3.');

export const areaName = requiredText(100, 'The area name');

export const AREA_DELETE_MODES = ['untag', 'parent', 'area'] as const;
export type AreaDeleteMode = (typeof AREA_DELETE_MODES)[number];

// ---- Grids ----

/** A model grid's query: the usual grid query plus an optional technology area (its sub-areas included). */
export const modelGridQuery = gridQuery.safeExtend({ areaId: id.nullish().transform((v) => v ?? null) });
export type ModelGridQueryInput = z.input<typeof modelGridQuery>;

// ---- Duplicates and merge ----

export interface DuplicateCandidate {
  id: string;
  name: string;
  type: EntityType;
  country: string | null;
  /** The name or alias of the existing entity that matched. */
  matched: string;
  /** The name given that matched it. */
  given: string;
}

// ---- History ----

export interface HistoryRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  itemType: string;
  itemId: string;
  summary: string | null;
  changeSetId: string | null;
  before: unknown;
  after: unknown;
}

export interface UndoState {
  undo: { summary: string; at: string } | null;
  redo: { summary: string; at: string } | null;
}

export const historyQuery = gridQuery.safeExtend({ itemId: id.nullish().transform((v) => v ?? null) });
