import type { ColDef, ICellRendererParams, RowClickedEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useMemo, useState } from 'react';
import { ENTITY_TYPE_LABELS, type EntityRow, type EntityType } from '../../../shared/model';
import { AreaFilter } from '../components/AreaPicker';
import { AreaChip, ConfidenceBadge, UnsourcedMark } from '../components/Badges';
import { EntityPanel } from '../components/EntityPanel';
import { styleNonce, TEXT_FILTER, useGridTheme } from '../grid';
import { useModelGrid } from '../model-grid';

type Editing = { mode: 'new' } | { mode: 'edit'; id: string; notice?: string } | null;

function SourcedCell({ data }: ICellRendererParams<EntityRow>) {
  if (!data) return null;
  return data.citationCount === 0 ? <UnsourcedMark /> : <span>{data.citationCount}</span>;
}

function ConfidenceCell({ data }: ICellRendererParams<EntityRow>) {
  return data ? <ConfidenceBadge set={data.confidence} derived={data.derivedConfidence} /> : null;
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

export function EntitiesView() {
  const theme = useGridTheme();
  const grid = useModelGrid<EntityRow>('entities.page');
  const [editing, setEditing] = useState<Editing>(null);

  const columnDefs = useMemo<ColDef<EntityRow>[]>(
    () => [
      { field: 'name', headerName: 'Name', flex: 2.5, minWidth: 220, ...TEXT_FILTER },
      { field: 'type', headerName: 'Type', width: 160, valueFormatter: (p) => (p.value ? ENTITY_TYPE_LABELS[p.value as EntityType] : ''), ...TEXT_FILTER },
      { field: 'subtype', headerName: 'Subtype', width: 150, ...TEXT_FILTER },
      { field: 'country', headerName: 'Country', width: 110, ...TEXT_FILTER },
      { field: 'aliases', headerName: 'Aliases', flex: 2, minWidth: 180, ...TEXT_FILTER },
      { colId: 'areas', headerName: 'Technology areas', flex: 1.5, minWidth: 170, sortable: false, cellRenderer: AreasCell },
      { colId: 'citations', headerName: 'Citations', width: 115, sortable: false, cellRenderer: SourcedCell },
      { field: 'confidence', headerName: 'Confidence', width: 170, cellRenderer: ConfidenceCell, ...TEXT_FILTER },
      { field: 'linkCount', headerName: 'Links', width: 90, sortable: false },
      { field: 'tags', headerName: 'Tags', width: 140, hide: true, valueFormatter: (p) => (Array.isArray(p.value) ? (p.value as string[]).join(', ') : ''), ...TEXT_FILTER },
    ],
    [],
  );

  const onRowClicked = useCallback((event: RowClickedEvent<EntityRow>) => {
    if (event.data) setEditing({ mode: 'edit', id: event.data.id });
  }, []);

  return (
    <div className="grid-view">
      <div className="toolbar">
        <h2>Entities</h2>
        <span className="count" aria-live="polite">
          {grid.total === null ? '' : `${grid.total} ${grid.total === 1 ? 'entity' : 'entities'}`}
        </span>
        <span className="toolbar-spacer" />
        <AreaFilter value={grid.areaId} onChange={grid.setAreaId} />
        <input type="search" className="quick-filter" placeholder="Filter by name or alias…" aria-label="Quick filter" value={grid.quickText} onChange={(e) => grid.setQuickText(e.target.value)} />
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
          Add entity
        </button>
      </div>
      {grid.loadError ? (
        <p className="form-failure" role="alert">
          {grid.loadError}
        </p>
      ) : null}
      <div className="grid-and-panel">
        <div className="grid-host">
          {grid.total === 0 && !grid.quickText && !grid.areaId ? (
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
            onGridReady={grid.onGridReady}
            onRowClicked={onRowClicked}
            rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
            suppressNoRowsOverlay
          />
        </div>
        {editing ? (
          <EntityPanel
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
    </div>
  );
}
