import type { CaseDb } from '../../db/core/case-file';
import type { OperationContext } from '../../db/host/operations';
import { queryPlan } from './query-plans';

/** The indexes and triggers a large import of entities leaves out while it writes its rows, by name, sorted. */
export const ENTITIES_LEFT_OUT = [
  'entities_country',
  'entities_mentions_ai',
  'entities_name',
  'entities_search_ai',
  'entities_type',
  'entities_updated',
  'entity_aliases_mentions_ai',
  'entity_aliases_name',
  'entity_aliases_search_ai',
];

/** The same for a large import of links. */
export const LINKS_LEFT_OUT = ['entity_degrees_by_degree', 'links_degree_ai', 'links_end', 'links_search_ai', 'links_start', 'links_to', 'links_type', 'links_updated'];

/** What a large import says while it builds the indexes it left out. */
export const BUILDING = 'Building the indexes';

/** What the progress of an import said, and a cancel that comes once it has been asked `cancelAt` times (after calling `beforeCancel`). */
export function watched(cancelAt = Infinity, beforeCancel: () => void = () => undefined): { ctx: OperationContext; messages: string[]; totals: number[] } {
  const messages: string[] = [];
  const totals: number[] = [];
  let asked = 0;
  return {
    messages,
    totals,
    ctx: {
      actor: 'Importer',
      progress: (p) => {
        messages.push(p.message ?? '');
        totals.push(p.total);
      },
      throwIfCancelled: () => {
        asked += 1;
        if (asked < cancelAt) return;
        beforeCancel();
        throw new Error('Cancelled by the test');
      },
    },
  };
}

/** Every table, index and trigger of the case with its SQL. */
export function schema(db: CaseDb): string[] {
  return (db.prepare("SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS o FROM sqlite_schema ORDER BY name").pluck().all() as string[]).filter(Boolean);
}

/** The plan SQLite makes for a query, as one text. */
export function plan(db: CaseDb, sql: string): string {
  return queryPlan(db, { sql, params: [] }).join('\n');
}
