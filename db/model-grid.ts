import type { GridQuery } from '../shared/grid-query';
import type { ColumnMap } from './grid-sql';

/**
 * ORDER BY for a model grid. Columns that can hold no NULL are sorted without
 * NULLS LAST and the tie-breaker follows the first column's direction, so an
 * index on (column COLLATE NOCASE, id) serves the sort and a page is read
 * straight off the index instead of sorting the whole table.
 */
export function gridOrder(sort: GridQuery['sort'], columns: ColumnMap, notNull: ReadonlySet<string>, idExpr: string): string {
  const parts = sort.map((s) => {
    const expr = columns[s.colId] as string;
    const dir = s.sort === 'desc' ? 'DESC' : 'ASC';
    return notNull.has(s.colId) ? `${expr} COLLATE NOCASE ${dir}` : `${expr} COLLATE NOCASE ${dir} NULLS LAST`;
  });
  parts.push(`${idExpr} ${sort[0]?.sort === 'desc' ? 'DESC' : 'ASC'}`);
  return `ORDER BY ${parts.join(', ')}`;
}

/** Appends an extra condition to a WHERE clause built by gridToSql. */
export function andWhere(where: string, clause: string): string {
  if (!clause) return where;
  return where ? `${where} AND ${clause}` : `WHERE ${clause}`;
}
