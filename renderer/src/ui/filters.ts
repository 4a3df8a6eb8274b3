import { ENTITY_TYPE_LABELS, type EntityType } from '../../../shared/model';
import { partialDateRange } from '../../../shared/partial-date';
import type { ReliabilityGrade } from '../../../shared/schemas';

/**
 * The filters the graph, the timeline and the grids share. Pure data and
 * functions, so every view applies them the same way and tests need no browser.
 */
export interface CaseFilters {
  /** Technology areas; a sub-area counts as its parent. */
  areaIds: string[];
  entityTypes: EntityType[];
  linkTypes: string[];
  countries: string[];
  /** Keep links backed by a source graded this or better (A is best). */
  minReliability: ReliabilityGrade | null;
  /** Keep links whose dates overlap this period (ISO days, both ends included). */
  period: { from: string; to: string } | null;
}

export const NO_FILTERS: CaseFilters = { areaIds: [], entityTypes: [], linkTypes: [], countries: [], minReliability: null, period: null };

/** The six kinds of filter; not every view applies every kind (sources have no entity type). */
export type FilterKind = 'area' | 'entityType' | 'linkType' | 'country' | 'grade' | 'period';

export interface FilterChip {
  key: string;
  kind: FilterKind;
  label: string;
  /** The filters without this chip. */
  without: (filters: CaseFilters) => CaseFilters;
}

/** The filter state as removable chips, in a stable order. */
export function filterChips(filters: CaseFilters, areaName: (id: string) => string): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const id of filters.areaIds) chips.push({ key: `area:${id}`, kind: 'area', label: `Area: ${areaName(id)}`, without: (f) => ({ ...f, areaIds: f.areaIds.filter((a) => a !== id) }) });
  for (const t of filters.entityTypes) chips.push({ key: `type:${t}`, kind: 'entityType', label: `Entity: ${ENTITY_TYPE_LABELS[t]}`, without: (f) => ({ ...f, entityTypes: f.entityTypes.filter((x) => x !== t) }) });
  for (const t of filters.linkTypes) chips.push({ key: `link:${t}`, kind: 'linkType', label: `Link: ${t}`, without: (f) => ({ ...f, linkTypes: f.linkTypes.filter((x) => x !== t) }) });
  for (const c of filters.countries) chips.push({ key: `country:${c}`, kind: 'country', label: `Country: ${c}`, without: (f) => ({ ...f, countries: f.countries.filter((x) => x !== c) }) });
  if (filters.minReliability) chips.push({ key: 'grade', kind: 'grade', label: `Sources ${filters.minReliability} or better`, without: (f) => ({ ...f, minReliability: null }) });
  if (filters.period) chips.push({ key: 'period', kind: 'period', label: `Period: ${periodLabel(filters.period)}`, without: (f) => ({ ...f, period: null }) });
  return chips;
}

export function periodLabel(period: { from: string; to: string }): string {
  return `${period.from} – ${period.to}`;
}

export function isFiltered(filters: CaseFilters): boolean {
  return filterChips(filters, (id) => id).length > 0;
}

/** Filters that select links; when one is set, entities show only through the links that remain. */
export function hasLinkFilters(filters: CaseFilters): boolean {
  return filters.linkTypes.length > 0 || filters.minReliability !== null || filters.period !== null || filters.areaIds.length > 0;
}

/** The chosen areas and all their sub-areas. */
export function expandAreas(areaIds: readonly string[], areas: readonly { id: string; parentId: string | null }[]): Set<string> {
  const out = new Set(areaIds);
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of areas) {
      if (a.parentId && out.has(a.parentId) && !out.has(a.id)) {
        out.add(a.id);
        grew = true;
      }
    }
  }
  return out;
}

/** True when an item graded `grade` meets "this grade or better"; ungraded items never do. */
export function meetsGrade(grade: ReliabilityGrade | null, min: ReliabilityGrade | null): boolean {
  if (min === null) return true;
  return grade !== null && grade <= min;
}

const DAY = 86_400_000;

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY;
}

/** An ISO day from a day number. */
export function isoDay(day: number): string {
  return new Date(Math.round(day) * DAY).toISOString().slice(0, 10);
}

/** Today as an ISO day, in UTC. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The stretch of time a link covers, in days since 1970, drawn honestly:
 * a year-only date covers the whole year, a month the whole month. A link
 * with a start and no end runs on to `asOf` unless it ended; `openStart` and
 * `openEnd` say which ends are not known.
 */
export interface LinkSpan {
  start: number;
  end: number;
  openStart: boolean;
  openEnd: boolean;
  /** The precision of the start date, for drawing imprecise dates differently. */
  startPrecision: 'year' | 'month' | 'day';
}

function precisionOf(text: string): 'year' | 'month' | 'day' {
  return text.length === 4 ? 'year' : text.length === 7 ? 'month' : 'day';
}

export function linkSpan(link: { startDate: string | null; endDate: string | null; status: string }, asOf: string): LinkSpan | null {
  const start = link.startDate ? partialDateRange(link.startDate) : null;
  const end = link.endDate ? partialDateRange(link.endDate) : null;
  if (!start && !end) return null;
  if (start && end) return { start: dayNumber(start.start), end: dayNumber(end.end), openStart: false, openEnd: false, startPrecision: precisionOf(link.startDate ?? '') };
  if (start) {
    const finished = link.status === 'ended';
    const last = finished ? dayNumber(start.end) : Math.max(dayNumber(start.end), dayNumber(asOf));
    return { start: dayNumber(start.start), end: last, openStart: false, openEnd: !finished, startPrecision: precisionOf(link.startDate ?? '') };
  }
  const only = end as { start: string; end: string };
  return { start: dayNumber(only.start), end: dayNumber(only.end), openStart: true, openEnd: false, startPrecision: precisionOf(link.endDate ?? '') };
}

/** True when the link's dates overlap the period; undated links never do. */
export function linkInPeriod(link: { startDate: string | null; endDate: string | null; status: string }, period: { from: string; to: string } | null, asOf: string): boolean {
  if (!period) return true;
  const span = linkSpan(link, asOf);
  if (!span) return false;
  return span.start <= dayNumber(period.to) && span.end >= dayNumber(period.from);
}

/** The day number of an ISO day, for axes. */
export function dayOf(iso: string): number {
  return dayNumber(iso);
}

type Listener = () => void;

/** The one filter state of an open case; views subscribe to it. */
export interface FilterStore {
  get(): CaseFilters;
  set(next: CaseFilters): void;
  subscribe(listener: Listener): () => void;
}

export function createFilterStore(initial: CaseFilters = NO_FILTERS): FilterStore {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    set: (next) => {
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Shared by the graph, the timeline and the grids of the open case. */
export const caseFilters = createFilterStore();
