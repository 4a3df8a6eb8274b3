import { CaseboardError } from '../../shared/errors';
import type { CaseFilterSet } from '../../shared/case-filters';
import type { GridQuery } from '../../shared/grid-query';
import type { CaseDb } from '../core/case-file';
import { gridToSql, type ColumnMap } from '../core/grid-sql';

/**
 * ORDER BY for a model grid. Columns that can hold no NULL are sorted without
 * NULLS LAST and the tie-breaker follows the first column's direction, so an
 * index on (column COLLATE NOCASE, id) serves the sort and a page is read
 * straight off the index instead of sorting the whole table. Numeric columns
 * are compared as numbers, without a collation.
 */
export function gridOrder(sort: GridQuery['sort'], columns: ColumnMap, notNull: ReadonlySet<string>, idExpr: string, numeric: ReadonlySet<string> = new Set()): string {
  const parts = sort.map((s) => {
    const expr = Object.hasOwn(columns, s.colId) ? columns[s.colId] : undefined;
    if (!expr) throw new CaseboardError('invalid_input', `The grid has no column called "${s.colId.slice(0, 64)}".`);
    const dir = s.sort === 'desc' ? 'DESC' : 'ASC';
    const collated = numeric.has(s.colId) ? expr : `${expr} COLLATE NOCASE`;
    return notNull.has(s.colId) ? `${collated} ${dir}` : `${collated} ${dir} NULLS LAST`;
  });
  parts.push(`${idExpr} ${sort[0]?.sort === 'desc' ? 'DESC' : 'ASC'}`);
  return `ORDER BY ${parts.join(', ')}`;
}

/** Appends an extra condition to a WHERE clause built by gridToSql. */
export function andWhere(where: string, clause: string): string {
  if (!clause) return where;
  return where ? `${where} AND ${clause}` : `WHERE ${clause}`;
}

/** A condition for a WHERE clause and its parameters, in order; an empty clause keeps every row. */
export interface FilterSql {
  clause: string;
  params: unknown[];
}

const KEEP_ALL: FilterSql = { clause: '', params: [] };

function all(parts: readonly FilterSql[]): FilterSql {
  const kept = parts.filter((p) => p.clause !== '');
  return { clause: kept.map((p) => `(${p.clause})`).join(' AND '), params: kept.flatMap((p) => p.params) };
}

/** The chosen areas and every area below them; areas no longer in the case match nothing. */
function expandAreas(db: CaseDb, areaIds: readonly string[]): string[] {
  return db
    .prepare(
      `WITH RECURSIVE below(id) AS (
         SELECT a.id FROM technology_areas a WHERE a.id IN (SELECT value FROM json_each(?))
         UNION SELECT a.id FROM technology_areas a JOIN below b ON a.parent_id = b.id
       )
       SELECT id FROM below`,
    )
    .pluck()
    .all(JSON.stringify(areaIds)) as string[];
}

/** Today as an ISO day in UTC, the same day the views use for links that have not ended. */
function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The shared filters made ready for SQL once per query: areas expanded to
 * their sub-areas and the lists as JSON parameters.
 */
export interface PreparedFilters {
  entityTypes: string | null;
  countries: string | null;
  linkTypes: string | null;
  /** null when no area is chosen; an empty list when the chosen areas are gone (nothing matches). */
  areas: string | null;
  minReliability: string | null;
  period: { from: string; to: string } | null;
  asOf: string;
}

export function prepareFilters(db: CaseDb, filters: CaseFilterSet | undefined): PreparedFilters | null {
  if (!filters) return null;
  const list = (values: readonly string[]) => (values.length ? JSON.stringify(values) : null);
  const prepared: PreparedFilters = {
    entityTypes: list(filters.entityTypes),
    countries: list(filters.countries),
    linkTypes: list(filters.linkTypes),
    areas: filters.areaIds.length ? JSON.stringify(expandAreas(db, filters.areaIds)) : null,
    minReliability: filters.minReliability,
    period: filters.period,
    asOf: filters.asOf ?? todayIso(),
  };
  const active = Object.entries(prepared).some(([key, value]) => key !== 'asOf' && value !== null);
  return active ? prepared : null;
}

function hasEntityFilters(f: PreparedFilters): boolean {
  return f.entityTypes !== null || f.countries !== null;
}

function hasLinkFilters(f: PreparedFilters): boolean {
  return f.linkTypes !== null || f.areas !== null || f.minReliability !== null || f.period !== null;
}

/** Entity types and countries, on the entity row `alias`. */
export function entityCondition(f: PreparedFilters, alias: string): FilterSql {
  return all([
    f.entityTypes === null ? KEEP_ALL : { clause: `${alias}.type IN (SELECT value FROM json_each(?))`, params: [f.entityTypes] },
    f.countries === null ? KEEP_ALL : { clause: `${alias}.country IN (SELECT value FROM json_each(?))`, params: [f.countries] },
  ]);
}

/**
 * A link's dates overlap the period, read as the timeline draws them: a year
 * covers the whole year, a month the whole month, a link with a start and no
 * end runs on to `asOf` unless it ended, and an undated link never overlaps.
 * Partial dates compare as text against the period's days cut to their length.
 */
function linkPeriodCondition(period: { from: string; to: string }, asOf: string, alias: string): FilterSql {
  const l = alias;
  return {
    clause: `(${l}.start_date IS NOT NULL OR ${l}.end_date IS NOT NULL)
      AND coalesce(${l}.start_date, ${l}.end_date) <= substr(?, 1, length(coalesce(${l}.start_date, ${l}.end_date)))
      AND CASE
        WHEN ${l}.end_date IS NOT NULL THEN ${l}.end_date >= substr(?, 1, length(${l}.end_date))
        WHEN ${l}.status = 'ended' THEN ${l}.start_date >= substr(?, 1, length(${l}.start_date))
        ELSE ${l}.start_date >= substr(?, 1, length(${l}.start_date)) OR ?
      END`,
    params: [period.to, period.from, period.from, period.from, asOf >= period.from ? 1 : 0],
  };
}

/**
 * A link the filters keep: both its entities pass the entity filters (as in
 * the graph, where a hidden entity takes its links with it), and the link
 * passes the link type, area, source grade and period filters.
 */
export function linkCondition(f: PreparedFilters, alias: string): FilterSql {
  const l = alias;
  const ends = entityCondition(f, 'fe');
  // The entities passing the entity filters are listed once per statement and each link's ends looked up in that
  // list; the unary + keeps the planner from driving the query from the list, so a page still reads in sort order.
  const endsOk = hasEntityFilters(f)
    ? {
        clause: `+${l}.from_id IN (SELECT fe.id FROM entities fe WHERE ${ends.clause}) AND +${l}.to_id IN (SELECT fe.id FROM entities fe WHERE ${ends.clause})`,
        params: [...ends.params, ...ends.params],
      }
    : KEEP_ALL;
  return all([
    // Types match exactly, as in the graph; the case-blind test first lets the type index find the candidates.
    f.linkTypes === null
      ? KEEP_ALL
      : { clause: `${l}.type COLLATE NOCASE IN (SELECT value FROM json_each(?)) AND ${l}.type IN (SELECT value FROM json_each(?))`, params: [f.linkTypes, f.linkTypes] },
    f.areas === null ? KEEP_ALL : { clause: `${l}.id IN (SELECT lt.link_id FROM area_tags lt WHERE lt.area_id IN (SELECT value FROM json_each(?)))`, params: [f.areas] },
    f.minReliability === null
      ? KEEP_ALL
      : {
          clause: `${l}.id IN (SELECT lc.link_id FROM sources ls JOIN excerpts lx ON lx.source_id = ls.id JOIN citations lc ON lc.excerpt_id = lx.id WHERE ls.reliability <= ? AND lc.link_id IS NOT NULL)`,
          params: [f.minReliability],
        },
    f.period === null ? KEEP_ALL : linkPeriodCondition(f.period, f.asOf, l),
    endsOk,
  ]);
}

/**
 * An entity the filters keep, on the entity row `alias`: it passes the entity
 * filters and, when a link filter is set, it is tagged with a chosen area
 * itself or it is an end of a link the filters keep, as the graph shows it.
 */
export function entityFilterCondition(f: PreparedFilters | null, alias: string): FilterSql {
  if (!f) return KEEP_ALL;
  const e = alias;
  const own = entityCondition(f, e);
  if (!hasLinkFilters(f)) return own;
  const link = linkCondition(f, 'kl');
  const where = link.clause ? `WHERE ${link.clause}` : '';
  const through: FilterSql = {
    clause: `(${e}.id IN (SELECT kl.from_id FROM links kl ${where}) OR ${e}.id IN (SELECT kl.to_id FROM links kl ${where})${
      f.areas === null ? '' : ` OR ${e}.id IN (SELECT et.entity_id FROM area_tags et WHERE et.area_id IN (SELECT value FROM json_each(?)))`
    })`,
    params: [...link.params, ...link.params, ...(f.areas === null ? [] : [f.areas])],
  };
  return all([own, through]);
}

/** A link the filters keep, on the link row `alias`. */
export function linkFilterCondition(f: PreparedFilters | null, alias: string): FilterSql {
  return f ? linkCondition(f, alias) : KEEP_ALL;
}

/**
 * A source the filters keep: tagged with a chosen area (itself or through one
 * of its excerpts), graded this or better, published within the period (an
 * undated source never is). Entity and link filters do not apply to sources.
 */
export function sourceFilterCondition(f: PreparedFilters | null, alias: string): FilterSql {
  if (!f) return KEEP_ALL;
  const s = alias;
  return all([
    f.areas === null
      ? KEEP_ALL
      : {
          clause: `(${s}.id IN (SELECT st.source_id FROM area_tags st WHERE st.area_id IN (SELECT value FROM json_each(?)))
            OR ${s}.id IN (SELECT sx.source_id FROM area_tags st JOIN excerpts sx ON sx.id = st.excerpt_id WHERE st.area_id IN (SELECT value FROM json_each(?))))`,
          params: [f.areas, f.areas],
        },
    f.minReliability === null ? KEEP_ALL : { clause: `${s}.reliability <= ?`, params: [f.minReliability] },
    f.period === null
      ? KEEP_ALL
      : {
          clause: `(${s}.published_date IS NOT NULL AND ${s}.published_date <= substr(?, 1, length(${s}.published_date)) AND ${s}.published_date >= substr(?, 1, length(${s}.published_date)))`,
          params: [f.period.to, f.period.from],
        },
  ]);
}

/** The columns of the sources grid and the SQL each one filters and sorts by. */
export const SOURCE_COLUMNS: ColumnMap = {
  kind: 'kind',
  title: 'title',
  url: 'url',
  publisher: 'publisher',
  authors: 'authors',
  publishedDate: 'published_date',
  accessedAt: 'accessed_at',
  language: 'language',
  reliability: 'reliability',
  notes: 'notes',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const SOURCE_QUICK = ['title', 'publisher', 'authors', 'url', 'notes'];

/**
 * The condition of the sources grid: column filters, quick text and the
 * shared filters, over `FROM sources`. The grid pages with it and a bulk
 * action finds "every source matching the filters" again with it.
 */
export function sourceGridWhere(
  db: CaseDb,
  query: Pick<GridQuery, 'filter' | 'quick'> & { sort?: GridQuery['sort'] | undefined; filters?: CaseFilterSet | undefined },
): { where: string; params: unknown[]; from: string; orderBy: string } {
  const sql = gridToSql({ filter: query.filter, quick: query.quick, sort: query.sort ?? [], startRow: 0, endRow: 1 }, SOURCE_COLUMNS, SOURCE_QUICK, 'id ASC');
  const shared = sourceFilterCondition(prepareFilters(db, query.filters), 'sources');
  return { where: andWhere(sql.where, shared.clause), params: [...sql.params, ...shared.params], from: 'FROM sources', orderBy: sql.orderBy };
}
