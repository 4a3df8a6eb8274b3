import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isFiltered } from '../ui/filters';
import { FilterBar } from '../ui/FilterBar';
import { onToolRequest } from '../ui/view-requests';
import type { Highlight } from './display';
import { GraphCanvas } from './GraphCanvas';
import type { ColourBy, SizeBy } from './appearance';
import { Legend } from './controllers/Legend';
import { DeleteFromGraph, HoverCard, LinkMenu, NodeMenu, pageAt } from './controllers/NodeMenu';
import { isMenuKey } from '../ui/ContextMenu';
import type { BulkKind } from '../../../shared/bulk';
import { nameOf } from './controllers/names';
import { PathBar } from './controllers/PathBar';
import { Ranking } from './controllers/Ranking';
import { SidePanel } from './controllers/SidePanel';
import { useAppearance, type EdgeColourBy } from './controllers/use-appearance';
import { useCamera } from './controllers/use-camera';
import { usePictureExport } from './controllers/use-export';
import { LAYOUT_NOT_UNDONE, savePositions, useLayout } from './controllers/use-layout';
import { usePanel } from './controllers/use-panel';
import { usePath } from './controllers/use-path';
import { useCanvasPointer } from './controllers/use-pointer';
import { useEntitySearch } from './controllers/use-search';
import { useGraphSelection } from './controllers/use-selection';
import { useVisibility } from './controllers/use-visibility';
import { caseGraph, loadCaseGraph, loadStore, showCaseGraph, useCaseFilters, useLoadState, useGraphFilterOptions } from './store';
import './graph.css';

/** The case as a network: entities as nodes, links as edges, with layout, analysis, search and export. */
export function GraphView({ caseId, marking }: { caseId: string; marking: string | null }) {
  const load = useLoadState();
  const filterOptions = useGraphFilterOptions(load.version);
  const filters = useCaseFilters();
  const highlight = useRef<Highlight>({ selected: new Set(), hovered: null, hoveredEdge: null, path: null });
  const { panel, setPanel, guard: panelGuard } = usePanel();
  const camera = useCamera();
  const { sigmaRef, refresh, focus } = camera;

  // A layout effect runs before the canvas's (passive) effect creates sigma: the request is on its way while sigma starts.
  // While the view is open the graph follows every change to the case (see store.ts).
  useLayoutEffect(() => showCaseGraph(caseId), [caseId]);
  const selection = useGraphSelection(highlight, refresh, load.version);
  const { select } = selection;
  // Their effects run in call order: new entities are placed before the graph is styled and filtered.
  const layout = useLayout(load, sigmaRef);
  const look = useAppearance(load);
  const visibility = useVisibility(load, filters);
  const path = usePath(highlight, refresh, camera);
  const pointer = useCanvasPointer({ highlight, select, setPanel, showPath: path.show, expandAround: visibility.expandAround });
  const search = useEntitySearch(select, focus, visibility.expand);
  const picture = usePictureExport(sigmaRef, highlight, { colourBy: look.colourBy, areas: load.areas, measured: look.measured, marking });
  const [, setPinChanges] = useState(0);
  const [linkLabels, setLinkLabels] = useState(false);

  // The command palette's "Find the path…" and "Rank entities…" land here: each request counts up, and the control it names takes the focus.
  const [pathRequests, setPathRequests] = useState(0);
  const [rankingRequests, setRankingRequests] = useState(0);
  useEffect(
    () =>
      onToolRequest(['graph-path', 'graph-ranking'], (tool) => {
        if (tool === 'graph-path') setPathRequests((n) => n + 1);
        else setRankingRequests((n) => n + 1);
      }),
    [],
  );

  // The first picture of each opening frames what the filters show, not every entity loaded. It is framed when sigma
  // has placed the entities, just before it draws them, so that the first frame is the framed one: a frame of a large
  // case costs seconds without a GPU, and one drawn only to be moved would be all waste.
  const framedOnce = useRef(false);
  const { ready: cameraReady, fit, sigmaRef: sigmaOf } = camera;
  const frameFirstPicture = useCallback(() => {
    if (framedOnce.current || loadStore.get().status !== 'ready' || !caseGraph.someNode((_n, a) => !a.hidden)) return;
    framedOnce.current = true;
    fit('quietly');
  }, [fit]);
  // A view opened on a graph loaded before has nothing new for sigma to place: have it place the entities once more.
  useEffect(() => {
    const sigma = sigmaOf.current;
    if (framedOnce.current || !cameraReady || !sigma || load.status !== 'ready' || visibility.counts.nodes === 0) return;
    sigma.scheduleRefresh();
  }, [cameraReady, sigmaOf, load.status, visibility.counts.nodes]);

  const selectionPinned = selection.count > 0 && [...highlight.current.selected].every((n) => caseGraph.hasNode(n) && caseGraph.getNodeAttribute(n, 'fixed'));
  const hideSelected = () => {
    visibility.hide(highlight.current.selected);
    select(new Set());
  };
  const pinSelected = () => {
    const chosen = [...highlight.current.selected].filter((n) => caseGraph.hasNode(n));
    for (const n of chosen) caseGraph.setNodeAttribute(n, 'fixed', !selectionPinned);
    savePositions(chosen);
    // The graph is not React state: redraw the buttons, whose words depend on the pins.
    setPinChanges((n) => n + 1);
  };
  const openEntity = (id: string) => {
    setPanel({ kind: 'entity', id });
    select(new Set([id]));
  };
  const [deleting, setDeleting] = useState<{ kind: BulkKind; id: string } | null>(null);
  const [menuHint, setMenuHint] = useState(false);
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasOf = () => hostRef.current?.querySelector('.graph-canvas') ?? null;
  // From the keyboard the menu opens on the selected entity: Shift+F10 or the context-menu key.
  const onHostKeyDown = (event: React.KeyboardEvent) => {
    if (!isMenuKey(event) || event.target !== event.currentTarget) return;
    event.preventDefault();
    const node = [...highlight.current.selected].find((n) => caseGraph.hasNode(n) && !caseGraph.getNodeAttribute(n, 'hidden'));
    const sigma = sigmaRef.current;
    if (!node || !sigma) {
      setMenuHint(true);
      return;
    }
    setMenuHint(false);
    const display = sigma.getNodeDisplayData(node);
    const at = display ? sigma.framedGraphToViewport(display) : { x: 40, y: 40 };
    pointer.openMenu({ node, x: at.x, y: at.y });
  };

  if (load.status === 'too-large') {
    const narrowing = filters.entityTypes.length + filters.countries.length + filters.areaIds.length;
    return (
      <div className="graph-view">
        <FilterBar filters={filters} areas={load.areas} options={filterOptions} />
        <section className="empty-view" role="status">
          <h2>Choose what to draw first</h2>
          <p>
            This case has {load.matched.toLocaleString()} entities matching, more than the {load.limit.toLocaleString()} the graph draws at once. Pick technology areas, entity types or countries
            above, then draw.
          </p>
          <button
            type="button"
            className="primary"
            disabled={narrowing === 0}
            onClick={() => void loadCaseGraph(caseId, { entityTypes: filters.entityTypes, countries: filters.countries, areaIds: filters.areaIds })}
          >
            Draw the filtered graph
          </button>
          {narrowing === 0 ? <p className="muted">Choose at least one technology area, entity type or country first; link types and source grades do not narrow the entities.</p> : null}
        </section>
      </div>
    );
  }

  const { counts, expanded, hiddenByHand } = visibility;
  const { menu, linkMenu, hover, pending } = pointer;
  return (
    <div className="graph-view">
      <div className="toolbar graph-toolbar">
        <h2>Graph</h2>
        <form className="graph-search" onSubmit={search.submit} role="search">
          <input type="search" aria-label="Find an entity" placeholder="Find by name or alias…" value={search.text} onChange={(e) => search.setText(e.target.value)} />
          <button type="submit">Find</button>
        </form>
        <span className="toolbar-spacer" />
        <div className="button-group" role="group" aria-label="Layout" title={LAYOUT_NOT_UNDONE}>
          {layout.running ? (
            <button type="button" onClick={layout.stop}>
              Stop layout
            </button>
          ) : (
            <button type="button" onClick={layout.start}>
              Run layout
            </button>
          )}
          <button type="button" onClick={layout.circle}>
            Circle
          </button>
          <button type="button" onClick={layout.spread}>
            Spread overlaps
          </button>
        </div>
        <button type="button" onClick={() => fit('animate')} title="Frame every entity shown">
          Zoom to fit
        </button>
        <label className="inline-field">
          Colour
          <select value={look.colourBy} onChange={(e) => look.setColourBy(e.target.value as ColourBy)}>
            <option value="type">by entity type</option>
            <option value="area">by technology area</option>
            <option value="community">by community</option>
          </select>
        </label>
        <label className="inline-field">
          Links
          <select value={look.edgeColourBy} onChange={(e) => look.setEdgeColourBy(e.target.value as EdgeColourBy)}>
            <option value="type">by link type</option>
            <option value="area">by technology area</option>
          </select>
        </label>
        <label className="inline-field">
          Size
          <select value={look.sizeBy} onChange={(e) => look.chooseSize(e.target.value as SizeBy)}>
            <option value="degree">by degree</option>
            <option value="betweenness">by betweenness</option>
            <option value="pagerank">by PageRank</option>
            <option value="same">all the same</option>
          </select>
        </label>
        <div className="button-group" role="group" aria-label="Dragging">
          <button
            type="button"
            aria-pressed={pointer.lassoMode}
            className={pointer.lassoMode ? 'toggle on' : 'toggle'}
            onClick={pointer.toggleLasso}
            title="Drag around entities to select them (or hold Shift while dragging on the background)"
          >
            Lasso
          </button>
          <button
            type="button"
            aria-pressed={pointer.linking}
            className={pointer.linking ? 'toggle on' : 'toggle'}
            onClick={pointer.toggleLinking}
            title="Drag from one entity to another to link them (or hold Alt while dragging)"
          >
            Draw links
          </button>
          <button
            type="button"
            aria-pressed={linkLabels}
            className={linkLabels ? 'toggle on' : 'toggle'}
            onClick={() => {
              const next = !linkLabels;
              highlight.current.linkLabels = next;
              setLinkLabels(next);
              refresh();
            }}
            title="Write each link's type along it"
          >
            Label links
          </button>
        </div>
        <Ranking
          openRequests={rankingRequests}
          measured={look.measured}
          version={load.version + visibility.counts.nodes}
          ensureMeasured={look.measure}
          onPick={(ids) => {
            select(new Set(ids));
            if (ids.length === 1 && ids[0]) {
              focus(ids[0]);
              setPanel({ kind: 'entity', id: ids[0] });
            } else camera.frame(ids);
          }}
        />
        <button type="button" onClick={() => void picture.exportPicture('png')}>
          Export PNG
        </button>
        <button type="button" onClick={() => void picture.exportPicture('svg')}>
          Export SVG
        </button>
      </div>
      <FilterBar filters={filters} areas={load.areas} options={filterOptions} />
      <PathBar path={path} searchNote={search.note} focusRequests={pathRequests} />
      <div className="graph-and-panel">
        <div
          ref={hostRef}
          tabIndex={0}
          aria-label="Case graph: select an entity, then press Shift+F10 for its menu"
          onKeyDown={onHostKeyDown}
          className={pointer.lassoMode ? 'graph-host lasso-mode' : 'graph-host'}
          data-nodes={counts.nodes} data-edges={counts.edges} data-load-ms={Math.round(load.loadMs)} data-status={load.status} data-selected={selection.count}>
          <GraphCanvas highlight={highlight} events={pointer.events} onReady={camera.onReady} onPlaced={frameFirstPicture} shown={counts} />
          {load.status === 'ready' && caseGraph.order === 0 ? (
            <div className="graph-empty">
              <p>No entities yet. Add entities and links, and they are drawn here.</p>
              <a href="#/entities">Go to Entities</a>
            </div>
          ) : null}
          {load.status === 'loading' ? <div className="graph-empty">Loading the graph…</div> : null}
          {load.status === 'failed' ? (
            <div className="graph-empty" role="alert">
              {load.error}
            </div>
          ) : null}
          <div className="graph-corner">
            <div className="graph-status" aria-live="polite">
              {counts.nodes.toLocaleString()} of {caseGraph.order.toLocaleString()} entities, {counts.edges.toLocaleString()} links shown
              {isFiltered(filters) ? ' (filtered)' : ''}
              {expanded.size ? (
                <button type="button" className="link-button" onClick={visibility.collapse}>
                  Collapse expanded
                </button>
              ) : null}
              {hiddenByHand.size ? (
                <button type="button" className="link-button" onClick={visibility.showHidden}>
                  Show {hiddenByHand.size} hidden
                </button>
              ) : null}
            </div>
            {selection.count > 0 ? (
              <div className="graph-selection" role="toolbar" aria-label="Selection">
                <span className="graph-selection-count" role="status">
                  {selection.count} selected
                </span>
                <button type="button" onClick={hideSelected}>
                  Hide
                </button>
                <button type="button" onClick={pinSelected} title={selectionPinned ? 'Let layouts move these entities again' : 'Keep these entities where they are when layouts run'}>
                  {selectionPinned ? 'Unpin' : 'Pin'}
                </button>
                <button type="button" onClick={() => select(new Set())}>
                  Clear selection
                </button>
              </div>
            ) : null}
          </div>
          <div className="graph-hints">
            {menuHint ? (
              <div className="graph-hint" role="status">
                Select an entity first (click it, or find it by name), then press Shift+F10 for its menu.{' '}
                <button type="button" className="link-button" onClick={() => setMenuHint(false)}>
                  Dismiss
                </button>
              </div>
            ) : null}
            {pending ? (
              <div className="graph-hint" role="status">
                {pending.kind === 'link'
                  ? `Click the entity to link ${nameOf(pending.from)} to.`
                  : pending.kind === 'path'
                    ? `Click the entity to find the path from ${nameOf(pending.from)}.`
                    : `Click the entity to find the path to ${nameOf(pending.from)} from.`}{' '}
                <button type="button" className="link-button" onClick={() => pointer.setPending(null)}>
                  Cancel
                </button>
              </div>
            ) : null}
            {picture.notice ? (
              <div className="graph-hint" role="status">
                {picture.notice}{' '}
                <button type="button" className="link-button" onClick={picture.dismissNotice}>
                  Dismiss
                </button>
              </div>
            ) : null}
          </div>
          <Legend colourBy={look.colourBy} edgeColourBy={look.edgeColourBy} areas={load.areas} measured={look.measured} version={load.version} showsPath={Boolean(path.note && highlight.current.path)} />
          {hover && !menu && caseGraph.hasNode(hover.node) && !caseGraph.getNodeAttribute(hover.node, 'hidden') ? <HoverCard node={hover.node} /> : null}
          {menu && caseGraph.hasNode(menu.node) ? (
            <NodeMenu
              node={menu.node}
              place={pageAt(canvasOf(), menu.x, menu.y)}
              close={pointer.closeMenu}
              open={openEntity}
              focus={(node) => {
                select(new Set([node]));
                focus(node);
              }}
              hide={visibility.hide}
              expandAround={visibility.expandAround}
              startPending={pointer.setPending}
              remove={(id) => setDeleting({ kind: 'entity', id })}
            />
          ) : null}
          {linkMenu && caseGraph.hasEdge(linkMenu.edge) ? (
            <LinkMenu
              edge={linkMenu.edge}
              place={pageAt(canvasOf(), linkMenu.x, linkMenu.y)}
              close={pointer.closeLinkMenu}
              open={(id) => setPanel({ kind: 'link', id })}
              frame={(nodes) => camera.frame(nodes)}
              remove={(id) => setDeleting({ kind: 'link', id })}
            />
          ) : null}
          {deleting ? <DeleteFromGraph item={deleting} onClose={() => setDeleting(null)} /> : null}
        </div>
        <SidePanel
          panel={panel}
          setPanel={setPanel}
          guard={panelGuard}
          onOpenEntity={(id) => {
            setPanel({ kind: 'entity', id });
            if (caseGraph.hasNode(id)) {
              select(new Set([id]));
              focus(id);
            }
          }}
        />
      </div>
    </div>
  );
}
