import { useMemo } from 'react';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type Area, type EntityType } from '../../../shared/model';
import { RELIABILITY_GRADES, type ReliabilityGrade } from '../../../shared/schemas';
import { caseFilters, filterChips, NO_FILTERS, type CaseFilters } from '../filters';
import { caseGraph } from './store';

function add<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? [...list] : [...list, value];
}

/** The shared filters as removable chips, with pickers to add more. */
export function FilterBar({ filters, areas, version }: { filters: CaseFilters; areas: Area[]; version: number }) {
  const areaNames = useMemo(() => new Map(areas.map((a) => [a.id, a.name])), [areas]);
  const chips = filterChips(filters, (id) => areaNames.get(id) ?? 'unknown area');
  const { linkTypes, countries } = useMemo(() => {
    void version;
    const types = new Set<string>();
    const codes = new Set<string>();
    caseGraph.forEachEdge((_e, a) => types.add(a.linkType));
    caseGraph.forEachNode((_n, a) => {
      if (a.country) codes.add(a.country);
    });
    return { linkTypes: [...types].sort(), countries: [...codes].sort() };
  }, [version]);
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
      <select aria-label="Filter by entity type" value="" onChange={(e) => e.target.value && set({ ...filters, entityTypes: add(filters.entityTypes, e.target.value as EntityType) })}>
        <option value="">Entity type…</option>
        {ENTITY_TYPES.map((t) => (
          <option key={t} value={t}>
            {ENTITY_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <select aria-label="Filter by link type" value="" onChange={(e) => e.target.value && set({ ...filters, linkTypes: add(filters.linkTypes, e.target.value) })}>
        <option value="">Link type…</option>
        {linkTypes.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <select aria-label="Filter by country" value="" onChange={(e) => e.target.value && set({ ...filters, countries: add(filters.countries, e.target.value) })}>
        <option value="">Country…</option>
        {countries.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select aria-label="Filter by source grade" value="" onChange={(e) => e.target.value && set({ ...filters, minReliability: e.target.value as ReliabilityGrade })}>
        <option value="">Source grade…</option>
        {RELIABILITY_GRADES.map((g) => (
          <option key={g} value={g}>
            {g} or better
          </option>
        ))}
      </select>
      <ul className="filter-chips" aria-label="Active filters">
        {chips.map((chip) => (
          <li key={chip.key} className="filter-chip">
            <span>{chip.label}</span>
            <button type="button" aria-label={`Remove filter ${chip.label}`} onClick={() => set(chip.without(filters))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {chips.length > 1 ? (
        <button type="button" className="link-button" onClick={() => set(NO_FILTERS)}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}
