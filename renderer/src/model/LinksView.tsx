import type { ColDef, ICellRendererParams, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { LINK_STATUS_LABELS, type Citation, type LinkRow, type LinkStatus } from '../../../shared/model';
import { AreaChip, ConfidenceBadge, UnsourcedMark } from '../ui/Badges';
import { ExcerptPicker } from '../ui/ExcerptPicker';
import { FilteredEmpty, GridFilters } from '../ui/GridFilters';
import { LinkPanel } from './LinkPanel';
import { styleNonce, TEXT_FILTER, useGridTheme } from '../ui/grid';
import { countLabel, useModelGrid } from '../ui/case-grid';
import { useCommands } from '../ui/shortcuts';
import { useLeaveGuard } from '../ui/use-draft';
import { ContextMenu } from '../ui/ContextMenu';
import { BulkActions, rowMenuItems, useRowMenu, type BulkAction } from '../ui/BulkActions';

type Editing = { mode: 'new'; citations: Citation[]; key: number } | { mode: 'edit'; id: string; notice?: string } | null;

function CitationsCell({ data }: ICellRendererParams<LinkRow>) {
  if (!data) return null;
  return data.citationCount === 0 ? <UnsourcedMark /> : <span>{data.citationCount}</span>;
}

function ConfidenceCell({ data }: ICellRendererParams<LinkRow>) {
  return data ? <ConfidenceBadge set={data.confidence} derived={data.derivedConfidence} basis={data.confidenceBasis} /> : null;
}

function AreasCell({ data }: ICellRendererParams<LinkRow>) {
  return data ? (
    <span className="chips">
      {data.areas.map((a) => (
        <AreaChip key={a.id} area={a} />
      ))}
    </span>
  ) : null;
}

export function LinksView() {
  const theme = useGridTheme();
  const grid = useModelGrid<LinkRow>('links.page');
  const [editing, setEditingNow] = useState<Editing>(null);
  // Another row, another item or a new one waits until unsaved typing in the panel is saved or discarded.
  const guard = useLeaveGuard();
  const setEditing = useCallback((next: Editing) => guard.leave(() => setEditingNow(next)), [guard]);
  const { showSelected } = grid;
  const shownId = editing?.mode === 'edit' ? editing.id : null;
  useEffect(() => showSelected(shownId), [showSelected, shownId]);
  // On this view the add shortcut opens the view's own form, not a second one in a dialog.
  useCommands({ 'add-link': () => setEditing({ mode: 'new', citations: [], key: Date.now() }) });
  const [pickingExcerpt, setPickingExcerpt] = useState(false);

  const columnDefs = useMemo<ColDef<LinkRow>[]>(
    () => [
      { field: 'fromName', headerName: 'From', flex: 2, minWidth: 180, ...TEXT_FILTER },
      { field: 'type', headerName: 'Link', flex: 1.3, minWidth: 150, ...TEXT_FILTER },
      { field: 'toName', headerName: 'To', flex: 2, minWidth: 180, ...TEXT_FILTER },
      { field: 'startDate', headerName: 'Start', width: 110, ...TEXT_FILTER },
      { field: 'endDate', headerName: 'End', width: 110, ...TEXT_FILTER },
      { field: 'status', headerName: 'Status', width: 115, valueFormatter: (p) => (p.value ? LINK_STATUS_LABELS[p.value as LinkStatus] : ''), ...TEXT_FILTER },
      { colId: 'areas', headerName: 'Technology areas', flex: 1.5, minWidth: 170, sortable: false, cellRenderer: AreasCell },
      { colId: 'citations', headerName: 'Citations', width: 115, sortable: false, cellRenderer: CitationsCell },
      { field: 'confidence', headerName: 'Confidence', width: 170, cellRenderer: ConfidenceCell, ...TEXT_FILTER },
    ],
    [],
  );

  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const { selectByClick, isSelected, selectOnly } = grid;

  // A plain click opens the row; Ctrl, ⌘ or Shift only change the selection, and so does the tick box.
  const onRowClicked = useCallback((event: RowClickedEvent<LinkRow>) => {
    if (selectByClick(event)) return;
    if (event.data) setEditing({ mode: 'edit', id: event.data.id });
  }, [setEditing, selectByClick]);

  const { menu, setMenu, onCellContextMenu, onCellKeyDown } = useRowMenu<LinkRow>(isSelected, selectOnly);

  return (
    <div className="grid-view">
      <div className="toolbar">
        <h2>Links</h2>
        <span className="count" aria-live="polite">
          {countLabel(grid.total, 'link', 'links', grid.filtered)}
        </span>
        <span className="toolbar-spacer" />
        <input type="search" className="quick-filter" placeholder="Filter links…" aria-label="Quick filter" value={grid.quickText} onChange={(e) => grid.setQuickText(e.target.value)} />
        <button type="button" onClick={() => setPickingExcerpt(true)}>
          Link from excerpt…
        </button>
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new', citations: [], key: Date.now() })}>
          Add link
        </button>
      </div>
      <GridFilters filters={grid.filters} viewNoun="links" />
      <BulkActions kind="link" grid={grid} action={bulkAction} onAction={setBulkAction} />
      {grid.loadError ? (
        <p className="form-failure" role="alert">
          {grid.loadError}
        </p>
      ) : null}
      <div className="grid-and-panel">
        <div className="grid-host" {...grid.hostProps}>
          {grid.total === 0 && !grid.quickText && !grid.filtered ? (
            <div className="grid-empty">
              <p>No links yet. A link joins two entities and cites the excerpts it rests on: start from an excerpt, or add a link and cite later.</p>
              <button type="button" className="primary" onClick={() => setPickingExcerpt(true)}>
                Link from an excerpt
              </button>
            </div>
          ) : null}
          {grid.total === 0 && (grid.filtered || grid.quickText) ? <FilteredEmpty noun="link" sharedFiltered={grid.filtered} quickText={grid.quickText} onClearQuick={() => grid.setQuickText('')} /> : null}
          <AgGridReact<LinkRow>
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
          <LinkPanel
            guard={guard}
            key={editing.mode === 'edit' ? editing.id : `new-${editing.key}`}
            linkId={editing.mode === 'edit' ? editing.id : null}
            initialCitations={editing.mode === 'new' ? editing.citations : undefined}
            notice={editing.mode === 'edit' ? editing.notice : undefined}
            onClose={() => setEditing(null)}
            onSaved={(link, notice) => setEditing({ mode: 'edit', id: link.id, notice })}
            onDeleted={() => setEditing(null)}
          />
        ) : null}
      </div>
      {menu ? (
        <ContextMenu
          place={menu.place}
          label={grid.selectedCount > 1 ? `${grid.selectedCount} links` : `Link ${menu.row.fromName} — ${menu.row.type} — ${menu.row.toName}`}
          onClose={() => setMenu(null)}
          items={rowMenuItems('link', grid.selectedCount, grid.selectedCount > 1 ? null : () => setEditing({ mode: 'edit', id: menu.row.id }), setBulkAction)}
        />
      ) : null}
      {pickingExcerpt ? (
        <ExcerptPicker
          title="Create a link from an excerpt"
          actionLabel="Create link"
          onClose={() => setPickingExcerpt(false)}
          onChoose={(x) => {
            setPickingExcerpt(false);
            setEditing({ mode: 'new', citations: [{ ...x, excerptId: x.id, stance: 'supports' }], key: Date.now() });
          }}
        />
      ) : null}
    </div>
  );
}
