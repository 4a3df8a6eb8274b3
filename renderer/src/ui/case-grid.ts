import type { GridApi, GridReadyEvent, IDatasource, IGetRowsParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { FilteredModelGridQueryInput } from '../../../shared/case-filters';
import type { GridPage } from '../../../shared/grid-query';
import { api, errorMessage } from './api';
import { useInvalidated } from './data';
import { caseFilters, isFiltered, today, type CaseFilters } from './filters';

type PagedOperation = 'entities.page' | 'links.page' | 'sources.page';

/** "6 entities", or "6 entities match the filters" while shared filters are set. */
export function countLabel(total: number | null, singular: string, plural: string, filtered: boolean): string {
  if (total === null) return '';
  const noun = `${total} ${total === 1 ? singular : plural}`;
  return filtered ? `${noun} ${total === 1 ? 'matches' : 'match'} the filters` : noun;
}

/** The filters the graph, the timeline and the grids share, as React state. */
export function useSharedFilters(): CaseFilters {
  return useSyncExternalStore(caseFilters.subscribe, caseFilters.get);
}

/**
 * The Infinite row model for a case grid: blocks of rows come from SQL, with
 * the grid's sort and column filters, a quick filter and the shared filters;
 * changing the shared filters (here, in the graph or in the timeline) reloads it.
 */
export function useModelGrid<Row extends { id: string }>(operation: PagedOperation) {
  const gridApi = useRef<GridApi<Row> | null>(null);
  const quick = useRef('');
  const filters = useSharedFilters();
  const shared = useRef(filters);
  const [quickText, setQuickText] = useState('');
  const [total, setTotal] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params: IGetRowsParams) => {
        const query: Omit<FilteredModelGridQueryInput, 'areaId'> = {
          startRow: params.startRow,
          endRow: params.endRow,
          sort: params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort })),
          filter: params.filterModel as FilteredModelGridQueryInput['filter'],
          quick: quick.current,
          filters: { ...shared.current, asOf: today() },
        };
        (api.call(operation, query) as Promise<unknown> as Promise<GridPage<Row>>)
          .then((page) => {
            setTotal(page.total);
            setLoadError(null);
            params.successCallback(page.rows, page.total);
          })
          .catch((error: unknown) => {
            setLoadError(errorMessage(error));
            params.failCallback();
          });
      },
    }),
    [operation],
  );

  const refresh = useCallback(() => gridApi.current?.refreshInfiniteCache(), []);
  const reload = useCallback(() => gridApi.current?.purgeInfiniteCache(), []);
  // Rows come again in place, so the scroll position and the selection stay.
  useInvalidated(operation === 'sources.page' ? ['evidence', 'areas'] : ['model', 'areas'], refresh);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (quick.current !== quickText) {
        quick.current = quickText;
        reload();
      }
    }, 200);
    return () => window.clearTimeout(timer);
  }, [quickText, reload]);

  useEffect(() => {
    if (shared.current === filters) return;
    shared.current = filters;
    reload();
  }, [filters, reload]);

  const onGridReady = useCallback((event: GridReadyEvent<Row>) => {
    gridApi.current = event.api;
  }, []);

  // The highlighted row is the one the side panel shows, never merely the one last clicked: a click
  // that the panel holds back (unsaved typing) leaves the highlight where the panel is.
  const showSelected = useCallback((id: string | null) => {
    const grid = gridApi.current;
    if (!grid) return;
    if (id === null) grid.deselectAll();
    else grid.getRowNode(id)?.setSelected(true, true);
  }, []);

  return { datasource, onGridReady, showSelected, quickText, setQuickText, filters, filtered: isFiltered(filters), total, loadError, refresh: reload };
}
