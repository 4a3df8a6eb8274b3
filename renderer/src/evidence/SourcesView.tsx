import type { ColDef, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SOURCE_KIND_LABELS, type Source } from '../../../shared/schemas';
import { EvidencePanel, useFileDrop } from './EvidencePanel';
import { FilteredEmpty, GridFilters } from '../ui/GridFilters';
import { ImportProgress, useFileImport } from './ImportFiles';
import { SourceForm } from './SourceForm';
import { placeFromHash, type Place } from '../ui/place';
import { onToolRequest } from '../ui/view-requests';
import type { FilterKind } from '../ui/filters';
import { styleNonce, TEXT_FILTER, useGridTheme } from '../ui/grid';
import { countLabel, useModelGrid } from '../ui/case-grid';
import { BulkActions, rowMenuItems, useRowMenu, type BulkAction } from '../ui/BulkActions';
import { ContextMenu } from '../ui/ContextMenu';
import { useCommands } from '../ui/shortcuts';
import { useLeaveGuard } from '../ui/use-draft';

type Editing = { mode: 'new' } | { mode: 'edit'; id: string; notice?: string; place?: Place } | null;

/** Sources have no entity type, link type or country; areas, grade and period apply to them. */
const NOT_FOR_SOURCES: ReadonlySet<FilterKind> = new Set(['entityType', 'linkType', 'country']);

function formatDateTime(value: string | null | undefined): string {
  return value ? value.replace('T', ' ').slice(0, 16) : '';
}

export function SourcesView() {
  const theme = useGridTheme();
  const grid = useModelGrid<Source>('sources.page');
  const { quickText, setQuickText, total, loadError, refresh } = grid;
  const [editing, setEditingNow] = useState<Editing>(() => {
    const place = placeFromHash(window.location.hash);
    return place ? { mode: 'edit', id: place.source, place } : null;
  });
  // Another row, another item or a new one waits until unsaved typing in the panel is saved or discarded.
  const guard = useLeaveGuard();
  const setEditing = useCallback((next: Editing) => guard.leave(() => setEditingNow(next)), [guard]);
  const { showSelected } = grid;
  const shownId = editing?.mode === 'edit' ? editing.id : null;
  useEffect(() => showSelected(shownId), [showSelected, shownId]);
  // On this view the add shortcut opens the view's own form, not a second one in a dialog.
  useCommands({ 'add-source': () => setEditing({ mode: 'new' }) });
  const picker = useRef<HTMLInputElement>(null);
  const importButton = useRef<HTMLButtonElement>(null);
  // The command palette's "Import documents…" lands here, on the button that opens the file picker.
  useEffect(() => onToolRequest(['sources-import'], () => importButton.current?.focus()), []);

  const columnDefs = useMemo<ColDef<Source>[]>(
    () => [
      { field: 'title', headerName: 'Title', flex: 3, minWidth: 220, ...TEXT_FILTER },
      { field: 'kind', headerName: 'Kind', width: 150, valueFormatter: (p) => (p.value ? SOURCE_KIND_LABELS[p.value as Source['kind']] : ''), ...TEXT_FILTER },
      { field: 'reliability', headerName: 'Reliability', width: 120, ...TEXT_FILTER },
      { field: 'publisher', headerName: 'Publisher', flex: 1.5, minWidth: 140, ...TEXT_FILTER },
      { field: 'authors', headerName: 'Authors', flex: 1.5, minWidth: 140, valueFormatter: (p) => (Array.isArray(p.value) ? (p.value as string[]).join('; ') : ''), ...TEXT_FILTER },
      { field: 'publishedDate', headerName: 'Published', width: 125, ...TEXT_FILTER },
      { field: 'accessedAt', headerName: 'Accessed', width: 150, valueFormatter: (p) => formatDateTime(p.value as string | null), ...TEXT_FILTER },
      { field: 'language', headerName: 'Language', width: 115, ...TEXT_FILTER },
      { field: 'url', headerName: 'URL', flex: 1.5, minWidth: 160, ...TEXT_FILTER },
      { field: 'notes', headerName: 'Notes', flex: 1.5, minWidth: 140, hide: true, ...TEXT_FILTER },
      { field: 'updatedAt', headerName: 'Updated', width: 150, valueFormatter: (p) => formatDateTime(p.value as string | null), ...TEXT_FILTER },
    ],
    [],
  );

  const fileImport = useFileImport(refresh);
  const drop = useFileDrop((files) => void fileImport.start(files));

  // A search hit or a link names a place: open its source, attachment and page.
  useEffect(() => {
    const onHash = () => {
      const place = placeFromHash(window.location.hash);
      if (place) setEditing({ mode: 'edit', id: place.source, place });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [setEditing]);

  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const { selectByClick, isSelected, selectOnly } = grid;

  // A plain click opens the row; Ctrl, ⌘ or Shift only change the selection, and so does the tick box.
  const onRowClicked = useCallback((event: RowClickedEvent<Source>) => {
    if (selectByClick(event)) return;
    if (event.data) setEditing({ mode: 'edit', id: event.data.id });
  }, [setEditing, selectByClick]);

  const { menu, setMenu, onCellContextMenu, onCellKeyDown } = useRowMenu<Source>(isSelected, selectOnly);

  return (
    <div className="grid-view">
      <div className="toolbar">
        <h2>Sources</h2>
        <span className="count" aria-live="polite">
          {countLabel(total, 'source', 'sources', grid.filtered)}
        </span>
        <input
          type="search"
          className="quick-filter"
          placeholder="Filter sources…"
          aria-label="Quick filter"
          value={quickText}
          onChange={(e) => setQuickText(e.target.value)}
        />
        <button ref={importButton} type="button" onClick={() => picker.current?.click()} disabled={fileImport.batch !== null && !fileImport.batch.finished}>
          Import files…
        </button>
        <input ref={picker} type="file" multiple hidden aria-label="Import files" onChange={(e) => void fileImport.start([...(e.target.files ?? [])]).then(() => (e.target.value = ''))} />
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
          Add source
        </button>
      </div>
      <GridFilters filters={grid.filters} inapplicable={NOT_FOR_SOURCES} viewNoun="sources" />
      <BulkActions kind="source" grid={grid} action={bulkAction} onAction={setBulkAction} />
      {fileImport.batch ? <ImportProgress batch={fileImport.batch} onCancel={fileImport.cancel} onDismiss={fileImport.dismiss} /> : null}
      {loadError ? (
        <p className="form-failure" role="alert">
          {loadError}
        </p>
      ) : null}
      <div className="grid-and-panel">
        <div className={drop.over ? 'grid-host drop-over' : 'grid-host'} {...drop.handlers} {...grid.hostProps}>
          {total === 0 && (grid.filtered || quickText) ? <FilteredEmpty noun="source" sharedFiltered={grid.filtered} quickText={quickText} onClearQuick={() => setQuickText('')} /> : null}
          {total === 0 && !quickText && !grid.filtered ? (
            <div className="grid-empty">
              <p>No sources yet. Log every source you read: its kind, title, where it came from and how reliable it is. Or drop files here to import each as a source.</p>
              <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
                Add the first source
              </button>
            </div>
          ) : null}
          <AgGridReact<Source>
            theme={theme}
            styleNonce={styleNonce}
            rowModelType="infinite"
            datasource={grid.datasource}
            cacheBlockSize={100}
            maxBlocksInCache={50}
            getRowId={(p) => p.data.id}
            columnDefs={columnDefs}
            defaultColDef={{ sortable: true, resizable: true }}
            onGridReady={grid.onGridReady}
            onRowClicked={onRowClicked}
            onSelectionChanged={grid.onSelectionChanged}
            onFilterChanged={grid.onFilterChanged}
            onCellContextMenu={onCellContextMenu}
            onCellKeyDown={onCellKeyDown}
            preventDefaultOnContextMenu
            rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false }}
            selectionColumnDef={{ pinned: 'left', width: 44, headerTooltip: 'Tick rows to work on several at once; Ctrl-click and Shift-click select too.' }}
            suppressNoRowsOverlay
          />
        </div>
        {editing ? (
          <SourceForm
            guard={guard}
            key={editing.mode === 'edit' ? editing.id : 'new'}
            sourceId={editing.mode === 'edit' ? editing.id : null}
            onClose={() => setEditing(null)}
            notice={editing.mode === 'edit' ? editing.notice : undefined}
            onSaved={(source, notice) => {
              refresh();
              setEditing({ mode: 'edit', id: source.id, notice });
            }}
            onDeleted={() => {
              refresh();
              setEditing(null);
            }}
          >
            {editing.mode === 'edit' ? <EvidencePanel key={editing.id} sourceId={editing.id} place={editing.place} /> : null}
          </SourceForm>
        ) : null}
      </div>
      {menu ? (
        <ContextMenu
          place={menu.place}
          label={grid.selectedCount > 1 ? `${grid.selectedCount} sources` : `Source ${menu.row.title}`}
          onClose={() => setMenu(null)}
          items={rowMenuItems('source', grid.selectedCount, grid.selectedCount > 1 ? null : () => setEditing({ mode: 'edit', id: menu.row.id }), setBulkAction)}
        />
      ) : null}
    </div>
  );
}
