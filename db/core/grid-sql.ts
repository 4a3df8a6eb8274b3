import { CaseboardError } from '../../shared/errors';
import type { GridQuery, TextCondition } from '../../shared/grid-query';

/** Maps a grid column to the SQL expression behind it; only listed columns can be sorted or filtered. */
export type ColumnMap = Record<string, string>;

export interface GridSql {
  where: string;
  orderBy: string;
  params: unknown[];
}

/** Text for a LIKE pattern with ESCAPE '\\': its own %, _ and \\ match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function condition(expr: string, cond: TextCondition, params: unknown[]): string {
  const value = cond.filter ?? '';
  switch (cond.type) {
    case 'blank':
      return `(${expr} IS NULL OR ${expr} = '' OR ${expr} = '[]')`;
    case 'notBlank':
      return `(${expr} IS NOT NULL AND ${expr} <> '' AND ${expr} <> '[]')`;
    case 'equals':
      params.push(value);
      return `${expr} = ? COLLATE NOCASE`;
    case 'notEqual':
      params.push(value);
      return `(${expr} IS NULL OR ${expr} <> ? COLLATE NOCASE)`;
    case 'contains':
      params.push(`%${escapeLike(value)}%`);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'notContains':
      params.push(`%${escapeLike(value)}%`);
      return `(${expr} IS NULL OR ${expr} NOT LIKE ? ESCAPE '\\')`;
    case 'startsWith':
      params.push(`${escapeLike(value)}%`);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'endsWith':
      params.push(`%${escapeLike(value)}`);
      return `${expr} LIKE ? ESCAPE '\\'`;
  }
}

/**
 * Turns a grid's sort, column filters and quick filter into SQL. Column names
 * come only from the map, values only as parameters.
 */
export function gridToSql(query: GridQuery, columns: ColumnMap, quickColumns: string[], tieBreaker: string): GridSql {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const column = (colId: string): string => {
    const expr = Object.hasOwn(columns, colId) ? columns[colId] : undefined;
    if (!expr) throw new CaseboardError('invalid_input', `The grid has no column called "${colId.slice(0, 64)}".`);
    return expr;
  };
  for (const [colId, filter] of Object.entries(query.filter)) {
    const expr = column(colId);
    if ('conditions' in filter) {
      const joiner = filter.operator === 'AND' ? ' AND ' : ' OR ';
      clauses.push(`(${filter.conditions.map((c) => condition(expr, c, params)).join(joiner)})`);
    } else {
      clauses.push(condition(expr, filter, params));
    }
  }
  const words = query.quick.trim().split(/\s+/).filter((w) => w !== '');
  for (const word of words) {
    const like = `%${escapeLike(word)}%`;
    clauses.push(`(${quickColumns.map((colId) => `${column(colId)} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < quickColumns.length; i += 1) params.push(like);
  }
  const order = query.sort.map((s) => `${column(s.colId)} COLLATE NOCASE ${s.sort === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  order.push(tieBreaker);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', orderBy: `ORDER BY ${order.join(', ')}`, params };
}
