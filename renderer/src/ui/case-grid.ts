import type { FilterChangedEvent, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, IRowNode, RowClickedEvent, SelectionChangedEvent } from 'ag-grid-community';
import type { BulkSelectionInput } from '../../../shared/bulk';
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

/**
 * The rows a grid has selected: rows ticked one by one, or every row matching
 * the filters (less the rows unticked since), which the database finds again
 * when an action runs, so a million ids never reach the page.
 */
export type GridSelection = { mode: 'rows'; ids: string[] } | { mode: 'all'; except: string[] };

const NONE: GridSelection = { mode: 'rows', ids: [] };

/** How many rows a selection holds, given the number of rows matching the filters. */
export function selectedCount(selection: GridSelection, total: number | null): number {
  return selection.mode === 'rows' ? selection.ids.length : Math.max(0, (total ?? 0) - selection.except.length);
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
  const [selection, setSelectionState] = useState<GridSelection>(NONE);
  const selecting = useRef<GridSelection>(NONE);
  const setSelection = useCallback((next: GridSelection) => {
    selecting.current = next;
    setSelectionState(next);
  }, []);
  // Whether the last click in the grid held Ctrl, ⌘ or Shift: a plain click picks one row, also out of "all".
  const extending = useRef(false);
  const tickLoaded = useCallback(() => {
    const grid = gridApi.current;
    const current = selecting.current;
    if (!grid || current.mode !== 'all') return;
    const except = new Set(current.except);
    const nodes: IRowNode<Row>[] = [];
    grid.forEachNode((node) => {
      if (node.data && !except.has(node.data.id) && !node.isSelected()) nodes.push(node);
    });
    if (nodes.length) grid.setNodesSelected({ nodes, newValue: true, source: 'api' });
  }, []);

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
            // Rows that come into view while every matching row is selected show as selected too.
            if (selecting.current.mode === 'all') window.setTimeout(tickLoaded, 0);
          })
          .catch((error: unknown) => {
            setLoadError(errorMessage(error));
            params.failCallback();
          });
      },
    }),
    [operation, tickLoaded],
  );

  const clearSelection = useCallback(() => {
    setSelection(NONE);
    gridApi.current?.deselectAll();
  }, [setSelection]);
  const refresh = useCallback(() => gridApi.current?.refreshInfiniteCache(), []);
  // Other filters choose other rows: what was selected under the old ones is let go.
  const reload = useCallback(() => {
    clearSelection();
    gridApi.current?.purgeInfiniteCache();
  }, [clearSelection]);
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

  const onSelectionChanged = useCallback(
    (event: SelectionChangedEvent<Row>) => {
      const current = selecting.current;
      const selected = event.api.getSelectedRows().map((r) => r.id);
      if (current.mode === 'all') {
        if (event.source === 'api') return;
        if (event.source === 'rowClicked' && !extending.current) {
          setSelection({ mode: 'rows', ids: selected });
          return;
        }
        const chosen = new Set(selected);
        const except = new Set(current.except);
        event.api.forEachNode((node) => {
          if (!node.data) return;
          if (chosen.has(node.data.id)) except.delete(node.data.id);
          else except.add(node.data.id);
        });
        setSelection({ mode: 'all', except: [...except] });
        return;
      }
      setSelection({ mode: 'rows', ids: selected });
    },
    [setSelection],
  );

  const onFilterChanged = useCallback((_event: FilterChangedEvent<Row>) => clearSelection(), [clearSelection]);

  /** Selects every row matching the filters, loaded or not. */
  const selectAllMatching = useCallback(() => {
    setSelection({ mode: 'all', except: [] });
    tickLoaded();
  }, [setSelection, tickLoaded]);

  /** Selects just this row (a right click on a row outside the selection acts on that row alone). */
  const selectOnly = useCallback(
    (id: string) => {
      const grid = gridApi.current;
      setSelection({ mode: 'rows', ids: [id] });
      grid?.deselectAll();
      grid?.getRowNode(id)?.setSelected(true, false, 'api');
    },
    [setSelection],
  );

  /** Whether a row is part of the selection. */
  const isSelected = useCallback((id: string) => {
    const current = selecting.current;
    return current.mode === 'rows' ? current.ids.includes(id) : !current.except.includes(id);
  }, []);

  /** The selection as a bulk operation takes it: ids, or the grid's filters as they are now. */
  const bulkSelection = useCallback((): BulkSelectionInput => {
    const current = selecting.current;
    if (current.mode === 'rows') return { ids: current.ids };
    return {
      matching: {
        filter: (gridApi.current?.getFilterModel() ?? {}) as NonNullable<Extract<BulkSelectionInput, { matching: unknown }>['matching']['filter']>,
        quick: quick.current,
        filters: { ...shared.current, asOf: today() },
      },
      except: current.except,
    };
  }, []);

  // The highlighted row is the one the side panel shows, never merely the one last clicked: a click
  // that the panel holds back (unsaved typing) leaves the highlight where the panel is. Opening a row
  // selects it alone; rows ticked for a bulk action stay ticked when the panel closes.
  const showSelected = useCallback((id: string | null) => {
    const grid = gridApi.current;
    if (!grid) return;
    const current = selecting.current;
    if (id === null) {
      if (current.mode === 'rows' && current.ids.length <= 1) grid.deselectAll();
      if (current.mode === 'rows' && current.ids.length <= 1) setSelection(NONE);
      return;
    }
    grid.getRowNode(id)?.setSelected(true, true, 'api');
    setSelection({ mode: 'rows', ids: [id] });
  }, [setSelection]);

  // Ctrl-click (⌘ on macOS) ticks or unticks one row; Shift-click ticks the rows from the last one clicked.
  // A plain click is the view's: it opens the row, and the highlight follows the panel (see showSelected).
  const anchor = useRef<string | null>(null);
  const selectByClick = useCallback((event: RowClickedEvent<Row>): boolean => {
    const mouse = event.event as MouseEvent | null | undefined;
    const node = event.node;
    const target = mouse?.target;
    // The tick box selects by itself.
    if (target instanceof Element && target.closest('.ag-selection-checkbox')) {
      if (node.data) anchor.current = node.data.id;
      return true;
    }
    if (!mouse || !node.data || !(mouse.ctrlKey || mouse.metaKey || mouse.shiftKey)) {
      if (node.data) anchor.current = node.data.id;
      return false;
    }
    const grid = event.api;
    const from = anchor.current ? grid.getRowNode(anchor.current) : undefined;
    if (mouse.shiftKey && from?.rowIndex != null && node.rowIndex != null) {
      const [low, high] = from.rowIndex < node.rowIndex ? [from.rowIndex, node.rowIndex] : [node.rowIndex, from.rowIndex];
      const nodes: IRowNode<Row>[] = [];
      grid.forEachNode((n) => {
        if (n.data && n.rowIndex != null && n.rowIndex >= low && n.rowIndex <= high) nodes.push(n);
      });
      grid.setNodesSelected({ nodes, newValue: true, source: 'rowClicked' });
    } else {
      node.setSelected(!node.isSelected(), false, 'rowClicked');
      anchor.current = node.data.id;
    }
    return true;
  }, []);

  /** On the element around the grid: notes whether a click extends the selection. */
  const hostProps = useMemo(
    () => ({
      onMouseDownCapture: (event: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }) => {
        extending.current = event.ctrlKey || event.metaKey || event.shiftKey;
      },
    }),
    [],
  );

  return {
    datasource,
    onGridReady,
    onSelectionChanged,
    onFilterChanged,
    showSelected,
    selectByClick,
    selection,
    selectedCount: selectedCount(selection, total),
    selectAllMatching,
    selectOnly,
    isSelected,
    clearSelection,
    bulkSelection,
    hostProps,
    extending,
    quickText,
    setQuickText,
    filters,
    filtered: isFiltered(filters),
    total,
    loadError,
    refresh: reload,
  };
}
