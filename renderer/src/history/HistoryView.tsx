import type { ColDef, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { HistoryRow } from '../../../shared/model';
import { api, errorMessage } from '../ui/api';
import { styleNonce, TEXT_FILTER, useGridTheme } from '../ui/grid';
import { CASE_DOMAINS, useInvalidated } from '../ui/data';

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Edited',
  delete: 'Deleted',
  merge: 'Merged',
  tag: 'Tagged',
  untag: 'Untagged',
  undo: 'Undo',
  redo: 'Redo',
};

function formatAt(value: string | null | undefined): string {
  return value ? value.replace('T', ' ').slice(0, 19) : '';
}

/** Fields whose value differs between before and after, for the detail panel. */
function changedFields(before: unknown, after: unknown): { field: string; before: string; after: string }[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((field) => ({ field, before: show(b[field]), after: show(a[field]) }));
}

/** The audit log: every change with who made it and when, newest first, filterable by item. */
export function HistoryView() {
  const theme = useGridTheme();
  const gridApi = useRef<GridApi<HistoryRow> | null>(null);
  const itemRef = useRef<{ id: string; label: string } | null>(null);
  const [item, setItem] = useState<{ id: string; label: string } | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<HistoryRow | null>(null);

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params: IGetRowsParams) => {
        api
          .call('history.page', {
            startRow: params.startRow,
            endRow: params.endRow,
            sort: params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort })),
            filter: params.filterModel as Record<string, never>,
            itemId: itemRef.current?.id ?? null,
          })
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
    [],
  );

  const refresh = useCallback(() => gridApi.current?.purgeInfiniteCache(), []);
  useInvalidated(CASE_DOMAINS, refresh);

  const filterItem = (next: { id: string; label: string } | null) => {
    itemRef.current = next;
    setItem(next);
    refresh();
  };

  const columnDefs = useMemo<ColDef<HistoryRow>[]>(
    () => [
      { field: 'at', headerName: 'When (UTC)', width: 180, valueFormatter: (p) => formatAt(p.value as string), sort: 'desc' },
      { field: 'actor', headerName: 'Who', width: 150, ...TEXT_FILTER },
      { field: 'action', headerName: 'Change', width: 120, valueFormatter: (p) => ACTION_LABELS[p.value as string] ?? String(p.value ?? ''), ...TEXT_FILTER },
      { field: 'itemType', headerName: 'Item', width: 110, ...TEXT_FILTER },
      { field: 'summary', headerName: 'What', flex: 1, minWidth: 300, ...TEXT_FILTER },
    ],
    [],
  );

  return (
    <div className="grid-view">
      <div className="toolbar">
        <h2>History</h2>
        <span className="count" aria-live="polite">
          {total === null ? '' : `${total} ${total === 1 ? 'change' : 'changes'}`}
        </span>
        {item ? (
          <span className="filter-pill">
            Only “{item.label}”
            <button type="button" className="chip-remove" aria-label="Show every item" onClick={() => filterItem(null)}>
              ×
            </button>
          </span>
        ) : null}
      </div>
      {loadError ? (
        <p className="form-failure" role="alert">
          {loadError}
        </p>
      ) : null}
      <div className="grid-and-panel">
        <div className="grid-host">
          <AgGridReact<HistoryRow>
            theme={theme}
            styleNonce={styleNonce}
            rowModelType="infinite"
            datasource={datasource}
            cacheBlockSize={100}
            getRowId={(p) => p.data.id}
            columnDefs={columnDefs}
            defaultColDef={{ sortable: true, resizable: true }}
            onGridReady={(e: GridReadyEvent<HistoryRow>) => {
              gridApi.current = e.api;
            }}
            onRowClicked={(e: RowClickedEvent<HistoryRow>) => setSelected(e.data ?? null)}
            rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          />
        </div>
        {selected ? (
          <aside className="side-panel" aria-labelledby="history-detail-title">
            <div className="panel-header">
              <h2 id="history-detail-title">{ACTION_LABELS[selected.action] ?? selected.action}</h2>
              <button type="button" className="icon" onClick={() => setSelected(null)} aria-label="Close panel">
                ×
              </button>
            </div>
            <p>{selected.summary}</p>
            <p className="muted">
              {selected.actor}, {formatAt(selected.at)} UTC
            </p>
            <table className="changes">
              <thead>
                <tr>
                  <th>Field</th>
                  <th>Before</th>
                  <th>After</th>
                </tr>
              </thead>
              <tbody>
                {changedFields(selected.before, selected.after).map((c) => (
                  <tr key={c.field}>
                    <th>{c.field}</th>
                    <td>{c.before}</td>
                    <td>{c.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="form-actions">
              <button type="button" onClick={() => filterItem({ id: selected.itemId, label: selected.summary ?? selected.itemType })}>
                Only this item’s history
              </button>
            </div>
          </aside>
        ) : null}
      </div>
    </div>
  );
}
