import type { GridApi, GridReadyEvent, IDatasource, IGetRowsParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GridPage } from '../../shared/grid-query';
import type { ModelGridQueryInput } from '../../shared/model';
import { api, errorMessage } from './api';
import { useModelChanged } from './model-events';

type PagedOperation = 'entities.page' | 'links.page';

/**
 * The Infinite row model for a model grid: blocks of rows come from SQL, with
 * the grid's sort and filters, a quick filter and a technology area.
 */
export function useModelGrid<Row extends { id: string }>(operation: PagedOperation) {
  const gridApi = useRef<GridApi<Row> | null>(null);
  const quick = useRef('');
  const area = useRef<string | null>(null);
  const [quickText, setQuickText] = useState('');
  const [areaId, setAreaIdState] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params: IGetRowsParams) => {
        const query: ModelGridQueryInput = {
          startRow: params.startRow,
          endRow: params.endRow,
          sort: params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort })),
          filter: params.filterModel as ModelGridQueryInput['filter'],
          quick: quick.current,
          areaId: area.current,
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
  useModelChanged(refresh);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (quick.current !== quickText) {
        quick.current = quickText;
        reload();
      }
    }, 200);
    return () => window.clearTimeout(timer);
  }, [quickText, reload]);

  const setAreaId = useCallback(
    (id: string | null) => {
      area.current = id;
      setAreaIdState(id);
      reload();
    },
    [reload],
  );

  const onGridReady = useCallback((event: GridReadyEvent<Row>) => {
    gridApi.current = event.api;
  }, []);

  return { datasource, onGridReady, quickText, setQuickText, areaId, setAreaId, total, loadError, refresh: reload };
}
