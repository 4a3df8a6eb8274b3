import type { CaseDb } from '../../db/core/case-file';
import type { OperationContext } from '../../db/host/operations';
import { queryPlan } from './query-plans';

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
