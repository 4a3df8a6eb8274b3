import { useMemo } from 'react';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type Area, type EntityType } from '../../../shared/model';
import { RELIABILITY_GRADES, type ReliabilityGrade } from '../../../shared/schemas';
import type { FilterOptions } from '../../../shared/case-filters';
import { caseFilters, filterChips, NO_FILTERS, type CaseFilters, type FilterKind } from './filters';
import { PeriodPicker } from './PeriodPicker';
import './filter-bar.css';

function add<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? [...list] : [...list, value];
}

interface FilterBarProps {
  filters: CaseFilters;
  areas: Area[];
  /** The link types and countries to offer. */
  options: FilterOptions;
  /** Kinds of filter this view does not apply: no picker, and their chips say so. */
  inapplicable?: ReadonlySet<FilterKind> | undefined;
  /** Who the inapplicable filters do not apply to, e.g. "sources". */
  viewNoun?: string;
}

/** The shared filters as removable chips, with pickers to add more. */
export function FilterBar({ filters, areas, options, inapplicable, viewNoun = 'this view' }: FilterBarProps) {
  const areaNames = useMemo(() => new Map(areas.map((a) => [a.id, a.name])), [areas]);
  const chips = filterChips(filters, (id) => areaNames.get(id) ?? 'unknown area');
  const offered = (kind: FilterKind) => !inapplicable?.has(kind);
  const { linkTypes, countries } = options;
  const set = (next: CaseFilters) => caseFilters.set(next);

  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <select aria-label="Filter by technology area" value="" onChange={(e) => e.target.value && set({ ...filters, areaIds: add(filters.areaIds, e.target.value) })}>
        <option value="">Area…</option>
        {areas.map((a) => (
          <option key={a.id} value={a.id}>
            {a.parentId ? `  ${a.name}` : a.name}
          </option>
        ))}
      </select>
      {offered('entityType') ? (
        <select aria-label="Filter by entity type" value="" onChange={(e) => e.target.value && set({ ...filters, entityTypes: add(filters.entityTypes, e.target.value as EntityType) })}>
          <option value="">Entity type…</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {ENTITY_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      ) : null}
      {offered('linkType') ? (
        <select aria-label="Filter by link type" value="" onChange={(e) => e.target.value && set({ ...filters, linkTypes: add(filters.linkTypes, e.target.value) })}>
          <option value="">Link type…</option>
          {linkTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      ) : null}
      {offered('country') ? (
        <select aria-label="Filter by country" value="" onChange={(e) => e.target.value && set({ ...filters, countries: add(filters.countries, e.target.value) })}>
          <option value="">Country…</option>
          {countries.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : null}
      <select aria-label="Filter by source grade" value="" onChange={(e) => e.target.value && set({ ...filters, minReliability: e.target.value as ReliabilityGrade })}>
        <option value="">Source grade…</option>
        {RELIABILITY_GRADES.map((g) => (
          <option key={g} value={g}>
            {g} or better
          </option>
        ))}
      </select>
      {offered('period') ? <PeriodPicker period={filters.period} onChange={(period) => set({ ...filters, period })} /> : null}
      <ul className="filter-chips" aria-label="Active filters">
        {chips.map((chip) => {
          const applies = offered(chip.kind);
          return (
            <li key={chip.key} className={applies ? 'filter-chip' : 'filter-chip inapplicable'} title={applies ? undefined : `Does not apply to ${viewNoun}`}>
              <span>{chip.label}</span>
              <button type="button" aria-label={`Remove filter ${chip.label}`} onClick={() => set(chip.without(filters))}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {chips.length > 1 ? (
        <button type="button" className="link-button" onClick={() => set(NO_FILTERS)}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}
