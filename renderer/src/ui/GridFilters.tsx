import { useEffect, useState } from 'react';
import type { FilterOptions } from '../../../shared/case-filters';
import { api } from './api';
import { caseFilters, NO_FILTERS, type CaseFilters, type FilterKind } from './filters';
import { FilterBar } from './FilterBar';
import { useInvalidated } from './data';
import { useAreas } from './AreaPicker';
import './grid-filters.css';

const NO_OPTIONS: FilterOptions = { linkTypes: [], countries: [] };

/** Link types and countries in use in the case, kept fresh when the model changes. */
function useFilterOptions(): FilterOptions {
  const [options, setOptions] = useState<FilterOptions>(NO_OPTIONS);
  const load = () => {
    api
      .call('entities.filterOptions', {})
      .then(setOptions)
      .catch(() => setOptions(NO_OPTIONS));
  };
  useEffect(load, []);
  useInvalidated(['model', 'areas'], load);
  return options;
}

/** The shared filters above a grid: the same chips and pickers as in the graph and the timeline. */
export function GridFilters({ filters, inapplicable, viewNoun }: { filters: CaseFilters; inapplicable?: ReadonlySet<FilterKind>; viewNoun: string }) {
  const areas = useAreas();
  const options = useFilterOptions();
  return (
    <div className="grid-filters">
      <FilterBar filters={filters} areas={areas} options={options} inapplicable={inapplicable} viewNoun={viewNoun} />
    </div>
  );
}

/**
 * What an empty grid says when filters hide everything, with a way out; the
 * grid's own "nothing yet" message is for a case that has no rows at all.
 */
export function FilteredEmpty({ noun, sharedFiltered, quickText, onClearQuick }: { noun: string; sharedFiltered: boolean; quickText: string; onClearQuick: () => void }) {
  if (sharedFiltered) {
    return (
      <div className="grid-empty" role="status">
        <p>
          The filters above hide every {noun}
          {quickText ? ` that matches “${quickText}”` : ''}. Remove a filter chip to see more.
        </p>
        <button
          type="button"
          onClick={() => {
            caseFilters.set(NO_FILTERS);
            onClearQuick();
          }}
        >
          Clear all filters
        </button>
      </div>
    );
  }
  return (
    <div className="grid-empty" role="status">
      <p>
        No {noun} matches “{quickText}”.
      </p>
      <button type="button" onClick={onClearQuick}>
        Clear the quick filter
      </button>
    </div>
  );
}
