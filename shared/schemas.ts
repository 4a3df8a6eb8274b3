import { z } from 'zod';
import { isPartialDate } from './partial-date';

/** Stable identifiers are UUIDv7 text. */
export const id = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'Not a valid Caseboard ID.');

/** Text where nothing entered (missing, empty or only spaces) is stored one way: null. */
function blankAsNull() {
  return z
    .string()
    .nullish()
    .transform((value) => {
      const trimmed = value?.trim() ?? '';
      return trimmed === '' ? null : trimmed;
    });
}

// SQLite measures and compares text only up to a NUL character, so text holding one would be stored
// cut short or refused by a table's checks with no useful message; it is refused here instead.
const NO_NUL = (label: string) => [(value: string) => !value.includes('\0'), `${label} contains a NUL character (\\0), which a case file cannot store; remove it.`] as const;

/** Optional free text: blank becomes null so "nothing entered" is stored one way. */
export function optionalText(max: number, label: string) {
  return z
    .string()
    .max(max, `${label} is longer than ${max} characters.`)
    .refine(...NO_NUL(label))
    .nullish()
    .transform((value) => {
      const trimmed = value?.trim() ?? '';
      return trimmed === '' ? null : trimmed;
    });
}

export function requiredText(max: number, label: string) {
  return z
    .string({ error: `${label} is required.` })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, `${label} is required.`).max(max, `${label} is longer than ${max} characters.`).refine(...NO_NUL(label)));
}

export const partialDate = blankAsNull()
  .refine((value) => value === null || isPartialDate(value), {
    message: 'Use a real date as YYYY, YYYY-MM or YYYY-MM-DD.',
  });

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$/;

/** A moment given as a full date, optionally with a local time (YYYY-MM-DD or YYYY-MM-DDTHH:MM). */
export const dateTime = blankAsNull()
  .refine(
    (value) => {
      if (value === null) return true;
      if (!LOCAL_DATE_TIME.test(value)) return false;
      const [datePart, timePart] = value.split('T');
      if (!datePart || !isPartialDate(datePart) || datePart.length !== 10) return false;
      if (!timePart) return true;
      const [h, m, s] = timePart.split(':').map(Number);
      return (h ?? 99) < 24 && (m ?? 99) < 60 && (s ?? 0) < 60;
    },
    { message: 'Use a real date as YYYY-MM-DD, optionally with a time as YYYY-MM-DDTHH:MM.' },
  );

export const webUrl = blankAsNull()
  .refine(
    (value) => {
      if (value === null) return true;
      if (value.length > 2048) return false;
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ftp:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'Enter a full web address starting with http:// or https://.' },
  );

export const language = blankAsNull()
  .refine((value) => value === null || /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(value), {
    message: 'Use a language code such as en, zh, ru or zh-Hans.',
  });

// ---- Case ----

export const caseUpdate = z.object({
  title: requiredText(300, 'The case title').optional(),
  marking: optionalText(200, 'The handling marking').optional(),
  description: optionalText(10000, 'The description').optional(),
});
export type CaseUpdate = z.input<typeof caseUpdate>;

export interface CaseDetails {
  caseId: string;
  title: string;
  marking: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  schemaVersion: number;
  /** Absolute path of the case file. */
  path: string;
  fileName: string;
}

/** How many items of each kind a case holds (labels for display live in COUNT_LABELS). */
export interface CaseCounts {
  sources: number;
  attachments: number;
  excerpts: number;
  entities: number;
  aliases: number;
  identifiers: number;
  links: number;
  citations: number;
  areas: number;
  areaTags: number;
  auditEvents: number;
}

export const COUNT_LABELS: Record<keyof CaseCounts, string> = {
  sources: 'Sources',
  attachments: 'Attachments',
  excerpts: 'Excerpts',
  entities: 'Entities',
  aliases: 'Aliases',
  identifiers: 'Identifiers',
  links: 'Links',
  citations: 'Citations',
  areas: 'Technology areas',
  areaTags: 'Area tags',
  auditEvents: 'Audit events',
};

export interface CaseInfo extends CaseDetails {
  counts: CaseCounts;
  /** SQLite's full integrity check, "ok" or its findings; null when it was not asked for (it reads the whole file). */
  integrity: string | null;
}

/** What Verify case file found: every table with its indexes, then the links between rows. */
export interface CaseVerifyReport {
  /** "ok", or what SQLite found, joined. */
  integrity: string;
  /** Tables checked, each with its indexes. */
  tables: number;
  /** Rows whose reference points at no row. */
  foreignKeyProblems: number;
}

// ---- Sources ----

export const SOURCE_KINDS = ['article', 'report', 'official_document', 'web_page', 'dataset', 'social_post', 'interview', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  article: 'Article',
  report: 'Report',
  official_document: 'Official document',
  web_page: 'Web page',
  dataset: 'Dataset',
  social_post: 'Social post',
  interview: 'Interview',
  other: 'Other',
};

export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type ReliabilityGrade = (typeof RELIABILITY_GRADES)[number];
export const RELIABILITY_LABELS: Record<ReliabilityGrade, string> = {
  A: 'A: completely reliable',
  B: 'B: usually reliable',
  C: 'C: fairly reliable',
  D: 'D: not usually reliable',
  E: 'E: unreliable',
  F: 'F: cannot be judged',
};

export const sourceFields = z.object({
  kind: z.enum(SOURCE_KINDS, { error: 'Choose what kind of source this is.' }),
  title: requiredText(1000, 'The title'),
  url: webUrl,
  publisher: optionalText(500, 'The publisher'),
  authors: z
    .array(z.string().max(300, 'An author name is longer than 300 characters.'))
    .max(100, 'A source lists at most 100 authors.')
    .default([])
    .transform((names) => names.map((n) => n.trim()).filter((n) => n !== '')),
  publishedDate: partialDate,
  accessedAt: dateTime,
  language,
  reliability: z.enum(RELIABILITY_GRADES, { error: 'Choose a reliability grade from A to F.' }),
  notes: optionalText(100000, 'The notes'),
});
export type SourceFieldsInput = z.input<typeof sourceFields>;
export type SourceFields = z.output<typeof sourceFields>;

export const sourceCreate = sourceFields;
export const sourceUpdate = z.object({ id, fields: sourceFields });
export const byId = z.object({ id });

export interface Source extends SourceFields {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** Columns of the sources grid that can be sorted and filtered. */
export const SOURCE_COLUMNS = ['kind', 'title', 'url', 'publisher', 'authors', 'publishedDate', 'accessedAt', 'language', 'reliability', 'notes', 'createdAt', 'updatedAt'] as const;
export type SourceColumn = (typeof SOURCE_COLUMNS)[number];
