import type { ColDef, ICellRendererParams, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ENTITY_TYPE_LABELS, type EntityRow, type EntityType } from '../../../shared/model';
import { AreaChip, ConfidenceBadge, UnsourcedMark } from '../ui/Badges';
import { EntityPanel } from './EntityPanel';
import { FilteredEmpty, GridFilters } from '../ui/GridFilters';
import { formatMeasure, styleNonce, TEXT_FILTER, useGridTheme } from '../ui/grid';
import { countLabel, useModelGrid } from '../ui/case-grid';
import { useCommands } from '../ui/shortcuts';
import { useLeaveGuard } from '../ui/use-draft';
import { ContextMenu } from '../ui/ContextMenu';
import { BulkActions, rowMenuItems, useRowMenu, type BulkAction } from '../ui/BulkActions';

type Editing = { mode: 'new' } | { mode: 'edit'; id: string; notice?: string } | null;

function SourcedCell({ data }: ICellRendererParams<EntityRow>) {
  if (!data) return null;
  return data.citationCount === 0 ? <UnsourcedMark /> : <span>{data.citationCount}</span>;
}

function ConfidenceCell({ data }: ICellRendererParams<EntityRow>) {
  return data ? <ConfidenceBadge set={data.confidence} derived={data.derivedConfidence} basis={data.confidenceBasis} /> : null;
}

function AreasCell({ data }: ICellRendererParams<EntityRow>) {
  return data ? (
    <span className="chips">
      {data.areas.map((a) => (
        <AreaChip key={a.id} area={a} />
      ))}
    </span>
  ) : null;
}

const NOT_MEASURED = 'Blank until the graph has measured it: open the Graph view and choose Size › by PageRank or by betweenness (it measures by itself when it opens a case of up to 3,000 entities). Values are as last measured.';

const MEASURE_COLUMN = {
  width: 125,
  type: 'rightAligned',
  valueFormatter: (p: { value: unknown }) => formatMeasure(p.value),
  tooltipValueGetter: (p: { data?: EntityRow }) => (p.data?.metricsComputedAt ? `Measured ${p.data.metricsComputedAt.replace('T', ' ').slice(0, 16)} UTC` : p.data ? 'Not measured yet' : ''),
} as const;

export function EntitiesView() {
  const theme = useGridTheme();
  const grid = useModelGrid<EntityRow>('entities.page');
  const [editing, setEditingNow] = useState<Editing>(null);
  // Another row, another item or a new one waits until unsaved typing in the panel is saved or discarded.
  const guard = useLeaveGuard();
  const setEditing = useCallback((next: Editing) => guard.leave(() => setEditingNow(next)), [guard]);
  const { showSelected } = grid;
  const shownId = editing?.mode === 'edit' ? editing.id : null;
  useEffect(() => showSelected(shownId), [showSelected, shownId]);
  // On this view the add shortcut opens the view's own form, not a second one in a dialog.
  useCommands({ 'add-entity': () => setEditing({ mode: 'new' }) });

  const columnDefs = useMemo<ColDef<EntityRow>[]>(
    () => [
      { field: 'name', headerName: 'Name', width: 260, pinned: 'left', ...TEXT_FILTER },
      { field: 'type', headerName: 'Type', width: 130, valueFormatter: (p) => (p.value ? ENTITY_TYPE_LABELS[p.value as EntityType] : ''), ...TEXT_FILTER },
      { field: 'subtype', headerName: 'Subtype', width: 130, ...TEXT_FILTER },
      { field: 'country', headerName: 'Country', width: 100, ...TEXT_FILTER },
      { field: 'aliases', headerName: 'Aliases', flex: 2, minWidth: 180, ...TEXT_FILTER },
      {
        field: 'sanctions',
        headerName: 'Sanctions',
        width: 170,
        headerTooltip: 'The authorities that sanctioned the entity, from its sanction records. Filter with "Not blank" to see every sanctioned entity.',
        ...TEXT_FILTER,
      },
      { colId: 'areas', headerName: 'Technology areas', flex: 1.5, minWidth: 170, sortable: false, cellRenderer: AreasCell },
      { colId: 'citations', headerName: 'Citations', width: 105, sortable: false, cellRenderer: SourcedCell },
      { field: 'confidence', headerName: 'Confidence', width: 160, cellRenderer: ConfidenceCell, ...TEXT_FILTER },
      {
        colId: 'degree',
        field: 'linkCount',
        headerName: 'Degree',
        width: 100,
        type: 'rightAligned',
        headerTooltip: 'Degree: the number of links the entity has, counted as the graph counts them (the graph sizes entities by it). Always up to date.',
      },
      { ...MEASURE_COLUMN, field: 'betweenness', headerName: 'Betweenness', headerTooltip: `Betweenness: how often the entity lies on the shortest chain of links between two others, from 0 to 1. ${NOT_MEASURED}` },
      { ...MEASURE_COLUMN, field: 'pagerank', headerName: 'PageRank', headerTooltip: `PageRank: how well connected the entity is to well-connected entities; all PageRanks add up to 1. ${NOT_MEASURED}` },
      { field: 'tags', headerName: 'Tags', width: 140, hide: true, valueFormatter: (p) => (Array.isArray(p.value) ? (p.value as string[]).join(', ') : ''), ...TEXT_FILTER },
    ],
    [],
  );

  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const { selectByClick, isSelected, selectOnly } = grid;

  // A plain click opens the row; Ctrl, ⌘ or Shift only change the selection, and so does the tick box.
  const onRowClicked = useCallback((event: RowClickedEvent<EntityRow>) => {
    if (selectByClick(event)) return;
    if (event.data) setEditing({ mode: 'edit', id: event.data.id });
  }, [setEditing, selectByClick]);

  const { menu, setMenu, onCellContextMenu, onCellKeyDown } = useRowMenu<EntityRow>(isSelected, selectOnly);

  return (
    <div className="grid-view">
      <div className="toolbar">
        <h2>Entities</h2>
        <span className="count" aria-live="polite">
          {countLabel(grid.total, 'entity', 'entities', grid.filtered)}
        </span>
        <span className="toolbar-spacer" />
        <input type="search" className="quick-filter" placeholder="Filter by name or alias…" aria-label="Quick filter" value={grid.quickText} onChange={(e) => grid.setQuickText(e.target.value)} />
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
          Add entity
        </button>
      </div>
      <GridFilters filters={grid.filters} viewNoun="entities" />
      <BulkActions kind="entity" grid={grid} action={bulkAction} onAction={setBulkAction} />
      {grid.loadError ? (
        <p className="form-failure" role="alert">
          {grid.loadError}
        </p>
      ) : null}
      <div className="grid-and-panel">
        <div className="grid-host" {...grid.hostProps}>
          {grid.total === 0 && (grid.filtered || grid.quickText) ? <FilteredEmpty noun="entity" sharedFiltered={grid.filtered} quickText={grid.quickText} onClearQuick={() => grid.setQuickText('')} /> : null}
          {grid.total === 0 && !grid.quickText && !grid.filtered ? (
            <div className="grid-empty">
              <p>No entities yet. Add the organisations, people, programmes and places your sources talk about, with their names in every script.</p>
              <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
                Add the first entity
              </button>
            </div>
          ) : null}
          <AgGridReact<EntityRow>
            theme={theme}
            styleNonce={styleNonce}
            rowModelType="infinite"
            datasource={grid.datasource}
            cacheBlockSize={100}
            maxBlocksInCache={50}
            getRowId={(p) => p.data.id}
            columnDefs={columnDefs}
            defaultColDef={{ sortable: true, resizable: true }}
            enableBrowserTooltips
            suppressColumnVirtualisation
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
          <EntityPanel
            guard={guard}
            key={editing.mode === 'edit' ? editing.id : 'new'}
            entityId={editing.mode === 'edit' ? editing.id : null}
            notice={editing.mode === 'edit' ? editing.notice : undefined}
            onClose={() => setEditing(null)}
            onSaved={(entity, notice) => setEditing({ mode: 'edit', id: entity.id, notice })}
            onDeleted={() => setEditing(null)}
            onOpenEntity={(id) => setEditing({ mode: 'edit', id })}
          />
        ) : null}
      </div>
      {menu ? (
        <ContextMenu
          place={menu.place}
          label={grid.selectedCount > 1 ? `${grid.selectedCount} entities` : `Entity ${menu.row.name}`}
          onClose={() => setMenu(null)}
          items={rowMenuItems('entity', grid.selectedCount, grid.selectedCount > 1 ? null : () => setEditing({ mode: 'edit', id: menu.row.id }), setBulkAction)}
        />
      ) : null}
    </div>
  );
}
