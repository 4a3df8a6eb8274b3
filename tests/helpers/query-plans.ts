import type { CaseDb } from '../../db/core/case-file';

export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

/** Records every statement a piece of code runs, with its parameters, so the test can ask SQLite how it plans them. */
export function recordStatements<T>(db: CaseDb, work: () => T): { result: T; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const original = db.prepare.bind(db);
  const patched = ((sql: string) => {
    const statement = original(sql);
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const run = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        statements.push({ sql, params });
        return run(...params);
      };
    }
    return statement;
  }) as CaseDb['prepare'];
  db.prepare = patched;
  try {
    return { result: work(), statements };
  } finally {
    db.prepare = original;
  }
}

/** SQLite's plan for a statement, one line per step. */
export function queryPlan(db: CaseDb, statement: RecordedStatement): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as { detail: string }[];
  return rows.map((r) => r.detail);
}
