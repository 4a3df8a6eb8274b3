import { z } from 'zod';
import { caseFilterInput } from './case-filters';
import { CITATION_STANCES } from './confidence';
import { columnFilter } from './grid-query';
import { country, ENTITY_TYPES } from './model';
import { id, requiredText } from './schemas';

/** The grids whose rows bulk actions work on. */
export const BULK_KINDS = ['entity', 'link', 'source'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

/** The grids whose rows cite excerpts (a source is where excerpts come from, not a claim that cites them). */
export const CITING_BULK_KINDS = ['entity', 'link'] as const;

/** Most rows a selection may name one by one; beyond that the grid sends its filters instead. */
export const MAX_SELECTED_IDS = 5000;

const NOTHING_SELECTED = 'Select at least one row first: tick its box, or Ctrl-click or Shift-click rows.';

/**
 * The rows a bulk action works on: the rows ticked in the grid, by id, or every
 * row that the grid's filters match (column filters, quick filter, shared
 * filters), found again in the database when the action runs, less the rows
 * unticked since. A million rows never cross to the page as ids.
 */
export const bulkSelection = z.union([
  z.object({ ids: z.array(id).min(1, NOTHING_SELECTED).max(MAX_SELECTED_IDS, `Select at most ${MAX_SELECTED_IDS} rows one by one, or select all rows matching the filters.`) }).strict(),
  z
    .object({
      matching: z
        .object({
          filter: z.record(z.string().max(64), columnFilter).default({}),
          quick: z.string().max(200).default(''),
          filters: caseFilterInput.optional(),
        })
        .strict(),
      /** Rows unticked after "select all". */
      except: z.array(id).max(MAX_SELECTED_IDS).default([]),
    })
    .strict(),
]);
export type BulkSelectionInput = z.input<typeof bulkSelection>;
export type BulkSelection = z.output<typeof bulkSelection>;

const target = { kind: z.enum(BULK_KINDS), selection: bulkSelection };

export const bulkTagInput = z.object({ ...target, areaId: id }).strict();
export const bulkCiteInput = z
  .object({
    kind: z.enum(CITING_BULK_KINDS, { error: 'Only entities and links cite excerpts; a source is where excerpts are cut from.' }),
    selection: bulkSelection,
    excerptIds: z.array(id).min(1, 'Choose at least one excerpt to cite.').max(50),
    stance: z.enum(CITATION_STANCES).default('supports'),
  })
  .strict();
export const bulkDeleteInput = z.object({ ...target, withLinks: z.boolean().default(false) }).strict();
export const bulkPreviewInput = z.object(target).strict();

/** Fields set on every selected entity; a field left out is left as it is. */
export const bulkSetEntitiesInput = z
  .object({
    selection: bulkSelection,
    type: z.enum(ENTITY_TYPES, { error: 'Choose what type of entity these are.' }).optional(),
    country: country.optional(),
  })
  .strict()
  .refine((input) => input.type !== undefined || input.country !== undefined, { message: 'Choose a type or a country to set.', path: ['type'] });

/** Fields set on every selected link. */
export const bulkSetLinksInput = z.object({ selection: bulkSelection, type: requiredText(100, 'The link type') }).strict();

/** What a bulk action will touch, for the question before a delete. */
export interface BulkPreview {
  kind: BulkKind;
  /** Rows selected that are still in the case. */
  items: number;
  /** A few of their names, to show what is meant. */
  names: string[];
  /** Links that go with the selected entities (0 for links and sources). */
  links: number;
  /** Citations made by the selected items and by the links that go with them; for sources, the citations of their excerpts. */
  citations: number;
  /** Attached files that go with the selected sources (0 for entities and links). */
  attachments: number;
  /** Excerpts that go with the selected sources (0 for entities and links). */
  excerpts: number;
  /** Area tags on them (for sources, on their excerpts too). */
  tags: number;
}

/** What a bulk action did. */
export interface BulkResult {
  /** Rows the action worked on. */
  items: number;
  /** Rows it changed (tagging an item already tagged changes nothing). */
  changed: number;
  /** Links deleted with entities. */
  deletedLinks?: number;
}
