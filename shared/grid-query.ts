import { z } from 'zod';

/** The text filter model ag-grid sends, for one condition. */
export const textCondition = z.object({
  filterType: z.literal('text'),
  type: z.enum(['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank']),
  filter: z.string().max(500).nullish(),
});

export const columnFilter = z.union([
  textCondition,
  z.object({
    filterType: z.literal('text'),
    operator: z.enum(['AND', 'OR']),
    conditions: z.array(textCondition).min(1).max(5),
  }),
]);

/** One block of rows for a grid on the Infinite row model, paged in SQL. */
export const gridQuery = z
  .object({
    startRow: z.number().int().min(0),
    endRow: z.number().int().min(1),
    sort: z.array(z.object({ colId: z.string().max(64), sort: z.enum(['asc', 'desc']) })).max(5).default([]),
    filter: z.record(z.string().max(64), columnFilter).default({}),
    quick: z.string().max(200).default(''),
  })
  .refine((q) => q.endRow > q.startRow && q.endRow - q.startRow <= 1000, {
    message: 'A page holds between 1 and 1000 rows.',
    path: ['endRow'],
  });

export type GridQuery = z.infer<typeof gridQuery>;
export type GridQueryInput = z.input<typeof gridQuery>;
export type TextCondition = z.infer<typeof textCondition>;
export type ColumnFilter = z.infer<typeof columnFilter>;

export interface GridPage<Row> {
  rows: Row[];
  /** Number of rows matching the filters, over all pages. */
  total: number;
}
