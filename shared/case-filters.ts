import { z } from 'zod';
import { gridQuery } from './grid-query';
import { ENTITY_TYPES, modelGridQuery } from './model';
import { parsePartialDate } from './partial-date';
import { id, RELIABILITY_GRADES } from './schemas';

const isoDay = z.string().refine((value) => parsePartialDate(value)?.precision === 'day', { message: 'Use a real day as YYYY-MM-DD.' });

/**
 * The filters the graph, the timeline and the grids share, as the grids send
 * them to SQL. Entity filters (types, countries) choose entities; link filters
 * (areas, link types, grade, period) choose links, and an entity then shows
 * only through a link that remains, unless it is tagged with a chosen area itself.
 */
export const caseFilterInput = z.object({
  /** Technology areas; a sub-area counts as its parent. */
  areaIds: z.array(id).max(200).default([]),
  entityTypes: z.array(z.enum(ENTITY_TYPES)).max(ENTITY_TYPES.length).default([]),
  linkTypes: z.array(z.string().max(100)).max(200).default([]),
  countries: z.array(z.string().trim().toUpperCase().regex(/^[A-Z]{2,3}$/, 'Use a country code such as CN, RU, US or EU.')).max(300).default([]),
  /** Keep links backed by a source graded this or better (A is best), and sources graded so. */
  minReliability: z
    .enum(RELIABILITY_GRADES)
    .nullish()
    .transform((v) => v ?? null),
  /** Keep links whose dates overlap this period, and sources published in it (ISO days, both ends included). */
  period: z
    .object({ from: isoDay, to: isoDay })
    .refine((p) => p.from <= p.to, { message: 'The period ends before it starts.', path: ['to'] })
    .nullish()
    .transform((v) => v ?? null),
  /** The day a link with a start and no end runs on to (today, in the investigator's view). */
  asOf: isoDay.optional(),
});
export type CaseFilterInput = z.input<typeof caseFilterInput>;
export type CaseFilterSet = z.output<typeof caseFilterInput>;

/** The entities or links grid query with the shared filters. */
export const filteredModelGridQuery = modelGridQuery.safeExtend({ filters: caseFilterInput.optional() });
export type FilteredModelGridQueryInput = z.input<typeof filteredModelGridQuery>;

/** The sources grid query with the shared filters (areas, grade and period apply to sources). */
export const sourceGridQuery = gridQuery.safeExtend({ filters: caseFilterInput.optional() });
export type SourceGridQueryInput = z.input<typeof sourceGridQuery>;

/** Values in use that the filter pickers offer. */
export interface FilterOptions {
  linkTypes: string[];
  countries: string[];
}
