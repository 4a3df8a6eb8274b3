import { z } from 'zod';
import { op } from '../operation';
import { countOf } from './exchange';

/** Which version of an item a merge keeps: the open case's or the other file's. */
export const MERGE_SIDES = ['ours', 'theirs'] as const;
export type MergeSide = (typeof MERGE_SIDES)[number];

/** The kinds of item a merge compares, in the order it adds them. */
export const MERGE_TABLES = [
  'technology_areas',
  'link_types',
  'sources',
  'attachments',
  'excerpts',
  'entities',
  'entity_aliases',
  'entity_identifiers',
  'sanctions',
  'links',
  'citations',
  'area_tags',
] as const;
export type MergeTable = (typeof MERGE_TABLES)[number];

export interface MergeConflict {
  /** `table:id`; the key of the choice that resolves it. */
  key: string;
  table: MergeTable;
  id: string;
  /** The item in the investigator's words, e.g. `entity "Beihang University"`. */
  label: string;
  /** Both sides edited it; or one side deleted it and the other edited it. */
  kind: 'edited-both' | 'deleted-here' | 'deleted-there';
  /** This case's version (null: deleted here). */
  ours: Record<string, unknown> | null;
  /** The other file's version (null: deleted there). */
  theirs: Record<string, unknown> | null;
  /** Investigators who changed it on each side since the copies parted. */
  ourInvestigators: string[];
  theirInvestigators: string[];
}

export interface MergeDuplicate {
  /** An entity the merge brings in. */
  incomingId: string;
  incomingName: string;
  /** Entities of this case that look like the same one. */
  candidates: { id: string; name: string; matched: string }[];
}

export interface MergeCounts {
  added: number;
  updated: number;
  deleted: number;
}

export interface MergePlan {
  file: string;
  otherTitle: string;
  otherCaseId: string;
  /** Investigators who worked on the other file. */
  investigators: string[];
  counts: Record<MergeTable, MergeCounts>;
  conflicts: MergeConflict[];
  duplicates: MergeDuplicate[];
  /**
   * Whether the other file looks like another case altogether: it shares no
   * item and no history with this one and has another title (a case with
   * nothing in it yet is never called unrelated).
   */
  unrelated: boolean;
  /** Items left out or kept against the plan, with the reason (e.g. a citation of a deleted link). */
  notes: { table: MergeTable; id: string; reason: string }[];
  /** Whether the case was changed (false for a dry run). */
  applied: boolean;
  changeSetId: string | null;
}

/** Each kind of merged item in the singular and plural, for labels and counts. */
export const COUNT_WORDS: Record<MergeTable, [string, string]> = {
  technology_areas: ['technology area', 'technology areas'],
  link_types: ['link type', 'link types'],
  sources: ['source', 'sources'],
  attachments: ['attached file', 'attached files'],
  excerpts: ['excerpt', 'excerpts'],
  entities: ['entity', 'entities'],
  entity_aliases: ['alias', 'aliases'],
  entity_identifiers: ['identifier', 'identifiers'],
  sanctions: ['sanction record', 'sanction records'],
  links: ['link', 'links'],
  citations: ['citation', 'citations'],
  area_tags: ['technology-area tag', 'technology-area tags'],
};

/** "3 entities added, 1 link deleted", for the History view. */
export function describeCounts(counts: Record<MergeTable, MergeCounts>): string {
  const parts: string[] = [];
  for (const table of MERGE_TABLES) {
    const c = counts[table];
    const [one, many] = COUNT_WORDS[table];
    if (c.added) parts.push(`${countOf(c.added, one, many)} added`);
    if (c.updated) parts.push(`${countOf(c.updated, one, many)} updated`);
    if (c.deleted) parts.push(`${countOf(c.deleted, one, many)} deleted`);
  }
  return parts.length ? parts.join(', ') : 'nothing to change';
}

const mergePath = z.string().trim().min(1, 'Choose the case file to merge in.').max(4096);

export const mergeInput = z.object({
  path: mergePath,
  passphrase: z.string().max(1024).optional(),
  /** Conflict key to the side to keep; conflicts not named keep this case's version. */
  choices: z.record(z.string().max(200), z.enum(MERGE_SIDES)).default({}),
  /** Incoming entities to fold into an entity of this case after the merge. */
  mergeDuplicates: z
    .array(z.object({ incomingId: z.string().min(1).max(100), intoId: z.string().min(1).max(100) }))
    .max(10_000)
    .default([]),
});

const otherCasePath = [{ field: 'path', mode: 'open' }] as const;

/** Merging another investigator's copy of a case into the open one. */
export const mergeOperations = {
  'merge.plan': op<MergePlan>()(mergeInput, false, { paths: otherCasePath }),
  'merge.apply': op<MergePlan>()(mergeInput, true, { paths: otherCasePath }),
};
