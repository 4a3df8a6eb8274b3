import { EdgeCurvedArrowProgram } from '@sigma/edge-curve';
import EdgeCurveProgram from '@sigma/edge-curve';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type Sigma from 'sigma';
import { drawDiscNodeLabel, EdgeArrowProgram, EdgeLineProgram, EdgeRectangleProgram, NodePointProgram } from 'sigma/rendering';
import type { Settings } from 'sigma/settings';
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { CaseSigma, edgeDisplay, HOVER_FADE_LIMIT, nodeDisplay, type DisplayState, type Highlight } from './display';
import { NodeShapeProgram } from './node-shape-program';
import { namePlacer } from './name-placer';
import { fitLook, type Look } from './overview';
import { pointsInLasso, shapeOfData, shapeRightReach, traceShape, type Point } from './shapes';
import { createCaseGraph, type EdgeAttrs, type NodeAttrs } from './case-graph';
import { caseGraph, loadStore, watchGraph } from './store';

export interface CanvasEvents {
  onNodeClick(node: string, shift: boolean): void;
  onNodeDoubleClick(node: string): void;
  onNodeRightClick(node: string, x: number, y: number): void;
  /** A right click on a link; x and y are in the canvas, as for entities. */
  onEdgeRightClick(edge: string, x: number, y: number): void;
  onStageClick(): void;
  onNodeMoved(node: string): void;
  onLinkDrawn(from: string, to: string): void;
  onHover(node: string | null, x: number, y: number): void;
  /** Entities enclosed by a lasso; `add` when Shift was held, to add them to the selection. */
  onLasso(nodes: string[], add: boolean): void;
  /** Whether dragging from a node draws a link (else it moves the node). */
  linking(): boolean;
  /** Whether dragging on the empty stage draws a lasso (else it pans); Shift always does. */
  lassoing(): boolean;
}

export const FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
/** Entity labels, as sigma draws them. */
export const LABEL_SIZE = 13;
export const LABEL_WEIGHT = '600';

type HoverData = Parameters<NonNullable<Settings['defaultDrawNodeHover']>>[1] & { aliases?: string[]; entityType?: NodeAttrs['entityType'] };

/** Sigma's label, moved right of shapes that reach past the node's size (diamonds, stars). */
function drawLabel(context: CanvasRenderingContext2D, data: HoverData, settings: Settings): void {
  drawDiscNodeLabel(context, { ...data, size: data.size * shapeRightReach(shapeOfData(data)) }, settings);
}

/** The hover card: the entity's name with its aliases beneath. */
function drawHover(context: CanvasRenderingContext2D, data: HoverData, settings: Settings): void {
  const size = settings.labelSize;
  const aliases = (data.aliases ?? []).slice(0, 4);
  const lines = [data.label ?? '', ...aliases];
  context.font = `600 ${size}px ${FONT}`;
  const widths = lines.map((l, i) => {
    context.font = i === 0 ? `600 ${size}px ${FONT}` : `${size - 1}px ${FONT}`;
    return context.measureText(l).width;
  });
  const w = Math.max(...widths) + 12;
  const lineHeight = size + 5;
  const h = lines.length * lineHeight + 6;
  const x = data.x + data.size * shapeRightReach(shapeOfData(data)) + 4;
  const y = data.y - lineHeight / 2 - 3;
  context.fillStyle = '#ffffff';
  context.shadowOffsetY = 1;
  context.shadowBlur = 6;
  context.shadowColor = 'rgba(0,0,0,0.25)';
  context.beginPath();
  context.roundRect(x - 4, y, w + 4, h, 4);
  context.fill();
  // The halo follows the entity's outline, a few pixels wider.
  traceShape(context, shapeOfData(data), data.x, data.y, data.size + 3);
  context.fill();
  context.shadowBlur = 0;
  context.shadowOffsetY = 0;
  context.textBaseline = 'middle';
  lines.forEach((line, i) => {
    context.font = i === 0 ? `600 ${size}px ${FONT}` : `${size - 1}px ${FONT}`;
    context.fillStyle = i === 0 ? '#1c2330' : '#5b6576';
    context.fillText(line, x + 2, y + 3 + lineHeight * i + lineHeight / 2);
  });
}

/** Links in the picture above which panning and zooming draw entities only. */
const MOVE_WITHOUT_EDGES_ABOVE = 5000;

/** Entities and links not hidden in the case graph. */
function countShown(): { nodes: number; edges: number } {
  let nodes = 0;
  let edges = 0;
  caseGraph.forEachNode((_n, a) => {
    if (!a.hidden) nodes += 1;
  });
  caseGraph.forEachEdge((_e, a) => {
    if (!a.hidden) edges += 1;
  });
  return { nodes, edges };
}

type EdgeProgramClass = new (...args: never[]) => { render(params: RenderParams): void };

/** The same edge program, drawing nothing while `held` says the links are held back. */
function holdable<P extends EdgeProgramClass>(Program: P, held: () => boolean): P {
  // A class expression extending a generic constructor is what TypeScript calls a mixin; it needs a constructor taking any arguments.
  const Base = Program as unknown as new (...args: unknown[]) => { render(params: RenderParams): void };
  return class extends Base {
    override render(params: RenderParams): void {
      if (!held()) super.render(params);
    }
  } as unknown as P;
}

/**
 * The sigma renderer of the case graph: created once when the view mounts,
 * killed (WebGL contexts released) when it unmounts. Settings and reducers are
 * made once; what they read lives in refs.
 */
export function GraphCanvas({
  highlight,
  events,
  onReady,
  onPlaced,
  shown,
}: {
  highlight: React.RefObject<Highlight>;
  events: React.RefObject<CanvasEvents>;
  onReady: (sigma: Sigma<NodeAttrs, EdgeAttrs> | null) => void;
  /** Sigma has just placed every entity and is about to draw them: a camera set now is the one this frame uses. */
  onPlaced: () => void;
  /** Entities and links the filters show, as counted by the view. */
  shown: { nodes: number; edges: number };
}) {
  const container = useRef<HTMLDivElement>(null);
  const ghost = useRef<SVGLineElement>(null);
  const lassoShape = useRef<SVGPolygonElement>(null);
  const dragged = useRef<{ node: string; x: number; y: number } | null>(null);
  const placed = useRef(onPlaced);
  placed.current = onPlaced;
  const sigmaOf = useRef<Sigma<NodeAttrs, EdgeAttrs> | null>(null);
  const look = useRef<Look>({ overview: false, shrink: 1, linksHeld: false, bareWhileMoving: false });
  const moving = useRef<() => boolean>(() => false);
  /** Whether the frame being drawn leaves the links out: an overview's first frame, or a picture of many links while the camera moves. */
  const linksLeftOut = useCallback(() => look.current.linksHeld || (look.current.bareWhileMoving && moving.current()), []);
  const names = useMemo(() => namePlacer(drawLabel), []);
  /** What the reducers read besides an item's attributes: one object, brought up to date at each call rather than made anew for each entity. */
  const display = useMemo<DisplayState>(
    () => ({
      highlight: highlight.current,
      dragged: null,
      overview: false,
      order: 0,
      areNeighbours: (a, b) => caseGraph.areNeighbors(a, b),
      hasExtremity: (edge, node) => caseGraph.hasExtremity(edge, node),
    }),
    [highlight],
  );
  const displayState = useCallback((): DisplayState => {
    display.highlight = highlight.current;
    display.dragged = dragged.current;
    display.overview = look.current.overview;
    display.order = caseGraph.order;
    return display;
  }, [display, highlight]);

  // The filters changed what is shown: an overview that starts or ends needs everything processed again, a new shrink a redraw.
  useEffect(() => {
    const sigma = sigmaOf.current;
    if (!sigma || sigma.getGraph() !== caseGraph) return;
    const { reprocess, redraw } = fitLook(look.current, shown);
    if (reprocess) sigma.scheduleRefresh();
    else if (redraw) sigma.scheduleRender();
  }, [shown]);

  const settings = useMemo<Partial<Settings<NodeAttrs, EdgeAttrs>>>(
    () => ({
      renderEdgeLabels: true,
      enableEdgeEvents: true,
      hideEdgesOnMove: false,
      hideLabelsOnMove: false,
      labelFont: FONT,
      labelSize: LABEL_SIZE,
      labelWeight: LABEL_WEIGHT,
      labelColor: { color: '#1c2330' },
      edgeLabelFont: FONT,
      edgeLabelSize: 12,
      edgeLabelColor: { color: '#3b4556' },
      labelDensity: 1,
      labelGridCellSize: 70,
      labelRenderedSizeThreshold: 6,
      // Sigma's own rule (sizes grow with the square root of the zoom), on entities shrunk for a crowded picture.
      zoomToSizeRatioFunction: (ratio: number) => Math.sqrt(ratio) * look.current.shrink,
      zIndex: true,
      stagePadding: 40,
      minCameraRatio: 0.01,
      maxCameraRatio: 20,
      defaultEdgeType: 'arrow',
      defaultNodeType: 'shape',
      nodeProgramClasses: { shape: NodeShapeProgram, dot: NodePointProgram } as unknown as Settings<NodeAttrs, EdgeAttrs>['nodeProgramClasses'],
      defaultDrawNodeHover: drawHover as unknown as Settings<NodeAttrs, EdgeAttrs>['defaultDrawNodeHover'],
      defaultDrawNodeLabel: names.draw as unknown as Settings<NodeAttrs, EdgeAttrs>['defaultDrawNodeLabel'],
      edgeProgramClasses: Object.fromEntries(
        Object.entries({ arrow: EdgeArrowProgram, line: EdgeRectangleProgram, curvedArrow: EdgeCurvedArrowProgram, curved: EdgeCurveProgram, hairline: EdgeLineProgram }).map(([type, Program]) => [
          type,
          holdable(Program as unknown as EdgeProgramClass, linksLeftOut),
        ]),
      ) as unknown as Settings<NodeAttrs, EdgeAttrs>['edgeProgramClasses'],
      // CaseSigma hands the reducers the graph's own attributes; they return what is drawn, made afresh (./display.ts).
      nodeReducer: (node: string, data: NodeAttrs): Partial<NodeDisplayData> => nodeDisplay(node, data, displayState()),
      edgeReducer: (edge: string, data: EdgeAttrs): Partial<EdgeDisplayData> => edgeDisplay(edge, data, displayState()),
    }),
    [linksLeftOut, displayState, names],
  );

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    // Sigma starts in a task of its own: the graph request the view made just before leaves first,
    // instead of waiting for the shaders to compile, so the two overlap.
    const start = (): (() => void) => {
      // Sigma draws the graph as soon as it is made: a view opened on a large case loaded before draws its overview at once.
      const fitToGraph = () => fitLook(look.current, countShown());
      fitToGraph();
      const sigma = new CaseSigma(caseGraph, host, settings);
      /** Redraws these entities and links without re-indexing the graph; sigma refuses for any it has not indexed yet, and then everything is. */
      const repaint = (nodes: string[], edges: string[]) => {
        try {
          sigma.refresh({ partialGraph: { nodes, edges }, skipIndexation: true, schedule: true });
        } catch {
          sigma.refresh({ schedule: true });
        }
      };
      let drag: { node: string; moved: boolean; linking: boolean } | null = null;
      let lasso: { points: Point[]; add: boolean } | null = null;
      // A drag ends with a click on whatever is under the pointer; that click must not count.
      let justDragged = false;
      const endDrag = (moved: boolean) => {
        justDragged = moved;
        if (moved) window.setTimeout(() => (justDragged = false), 0);
      };
      const frameTimes: number[] = [];
      let frameStart = 0;
      sigma.on('beforeRender', () => {
        frameStart = performance.now();
        names.newFrame();
      });
      sigma.on('afterRender', () => {
        const frameMs = performance.now() - frameStart;
        frameTimes.push(frameMs);
        if (frameTimes.length > 60) frameTimes.shift();
        // The last frame alone, so that a benchmark can collect every frame's time.
        host.dataset.frameLastMs = frameMs.toFixed(2);
        host.dataset.frameMs = (frameTimes.reduce((a, b) => a + b, 0) / frameTimes.length).toFixed(2);
        // Whether this frame left the links out, for tests and the benchmark.
        if (linksLeftOut()) host.dataset.linksHeld = 'true';
        else delete host.dataset.linksHeld;
        host.dataset.frames = String(Number(host.dataset.frames ?? 0) + 1);
        // Where the camera is, for tests that check it comes back.
        const at = sigma.getCamera().getState();
        host.dataset.camera = `${at.x.toFixed(5)},${at.y.toFixed(5)},${at.ratio.toFixed(5)}`;
      });
      const hideGhost = () => ghost.current?.setAttribute('visibility', 'hidden');
      sigma.on('downNode', (e) => {
        // Only the main button drags: sigma reports no release of the others, so the entity would follow the pointer after a right-click.
        if ('button' in e.event.original && e.event.original.button !== 0) return;
        drag = { node: e.node, moved: false, linking: events.current.linking() || e.event.original.altKey };
        if (!sigma.getCustomBBox()) sigma.setCustomBBox(sigma.getBBox());
      });
      // A lasso starts anywhere but on an entity; a link under the pointer is background too.
      const startLasso = ({ event }: { event: { x: number; y: number; original: MouseEvent | TouchEvent } }) => {
        const original = event.original;
        if (!('button' in original) || original.button !== 0) return;
        if (!original.shiftKey && !events.current.lassoing()) return;
        lasso = { points: [[event.x, event.y]], add: original.shiftKey };
      };
      sigma.on('downStage', startLasso);
      sigma.on('downEdge', startLasso);
      sigma.on('moveBody', ({ event }) => {
        if (lasso) {
          const last = lasso.points[lasso.points.length - 1];
          if (!last || Math.hypot(event.x - last[0], event.y - last[1]) >= 3) lasso.points.push([event.x, event.y]);
          lassoShape.current?.setAttribute('points', lasso.points.map(([x, y]) => `${x},${y}`).join(' '));
          lassoShape.current?.setAttribute('visibility', 'visible');
          event.preventSigmaDefault();
          event.original.preventDefault();
          event.original.stopPropagation();
          return;
        }
        if (!drag) return;
        drag.moved = true;
        if (drag.linking) {
          const line = ghost.current;
          const a = caseGraph.getNodeAttributes(drag.node);
          const start = sigma.graphToViewport({ x: a.x, y: a.y });
          if (line) {
            line.setAttribute('x1', String(start.x));
            line.setAttribute('y1', String(start.y));
            line.setAttribute('x2', String(event.x));
            line.setAttribute('y2', String(event.y));
            line.setAttribute('visibility', 'visible');
          }
        } else {
          // Only the entity and its links are redrawn while it moves; changing the graph itself would
          // make sigma reprocess every entity and link on each move.
          const p = sigma.viewportToGraph(event);
          dragged.current = { node: drag.node, x: p.x, y: p.y };
          repaint([drag.node], caseGraph.edges(drag.node));
        }
        event.preventSigmaDefault();
        event.original.preventDefault();
        event.original.stopPropagation();
      });
      const finishLasso = () => {
        if (!lasso) return;
        const done = lasso;
        lasso = null;
        lassoShape.current?.setAttribute('visibility', 'hidden');
        endDrag(done.points.length > 1);
        if (done.points.length < 3) return;
        const onScreen: { id: string; x: number; y: number }[] = [];
        caseGraph.forEachNode((node, a) => {
          if (a.hidden) return;
          const p = sigma.graphToViewport({ x: a.x, y: a.y });
          onScreen.push({ id: node, x: p.x, y: p.y });
        });
        events.current.onLasso(pointsInLasso(onScreen, done.points), done.add);
      };
      const finish = (target: string | null) => {
        finishLasso();
        if (!drag) return;
        const done = drag;
        drag = null;
        hideGhost();
        endDrag(done.moved);
        const moved = dragged.current;
        dragged.current = null;
        if (moved && caseGraph.hasNode(moved.node)) caseGraph.mergeNodeAttributes(moved.node, { x: moved.x, y: moved.y, fixed: true });
        if (done.linking && target && target !== done.node) events.current.onLinkDrawn(done.node, target);
        else if (done.moved && !done.linking) events.current.onNodeMoved(done.node);
      };
      sigma.on('upNode', (e) => finish(e.node));
      sigma.on('upStage', () => finish(null));
      sigma.on('upEdge', () => finish(null));
      // The first click of a double-click may open a panel that narrows the stage and moves the entity
      // from under the pointer; the double-click still belongs to the entity clicked first.
      let lastClick: { node: string; at: number } | null = null;
      sigma.on('clickNode', (e) => {
        if (justDragged) {
          justDragged = false;
          return;
        }
        lastClick = { node: e.node, at: performance.now() };
        events.current.onNodeClick(e.node, e.event.original.shiftKey);
      });
      sigma.on('doubleClickNode', (e) => {
        e.preventSigmaDefault();
        lastClick = null;
        events.current.onNodeDoubleClick(e.node);
      });
      const doubleClickMissed = (e: { preventSigmaDefault(): void }) => {
        const first = lastClick;
        lastClick = null;
        if (!first || performance.now() - first.at > 700 || !caseGraph.hasNode(first.node)) return;
        e.preventSigmaDefault();
        events.current.onNodeDoubleClick(first.node);
      };
      sigma.on('doubleClickStage', ({ event }) => doubleClickMissed(event));
      sigma.on('doubleClickEdge', ({ event }) => doubleClickMissed(event));
      sigma.on('rightClickNode', (e) => {
        e.event.original.preventDefault();
        events.current.onNodeRightClick(e.node, e.event.x, e.event.y);
      });
      sigma.on('rightClickEdge', (e) => {
        e.event.original.preventDefault();
        events.current.onEdgeRightClick(e.edge, e.event.x, e.event.y);
      });
      sigma.on('clickStage', () => {
        if (justDragged) {
          justDragged = false;
          return;
        }
        events.current.onStageClick();
      });
      // Hovering changes colours only: the reducers run again, but nothing is re-indexed. In large
      // graphs hovering fades nothing, so only the link under the pointer is redrawn.
      const redrawHover = (edges: (string | null)[]) => {
        if (caseGraph.order <= HOVER_FADE_LIMIT) repaint(caseGraph.nodes(), caseGraph.edges());
        else {
          const present = edges.filter((e): e is string => e !== null && caseGraph.hasEdge(e));
          if (present.length) repaint([], present);
        }
      };
      sigma.on('enterNode', (e) => {
        highlight.current.hovered = e.node;
        events.current.onHover(e.node, e.event.x, e.event.y);
        redrawHover([]);
      });
      sigma.on('leaveNode', () => {
        highlight.current.hovered = null;
        events.current.onHover(null, 0, 0);
        redrawHover([]);
      });
      sigma.on('enterEdge', (e) => {
        const before = highlight.current.hoveredEdge;
        highlight.current.hoveredEdge = e.edge;
        redrawHover([before, e.edge]);
      });
      sigma.on('leaveEdge', () => {
        const before = highlight.current.hoveredEdge;
        highlight.current.hoveredEdge = null;
        redrawHover([before]);
      });
      const noMenu = (event: MouseEvent) => event.preventDefault();
      host.addEventListener('contextmenu', noMenu);
      // The card describes what is under the pointer: once the picture moves beneath it, or the pointer
      // leaves, it may describe nothing there, and sigma only says so when the pointer next moves.
      const dropCard = () => events.current.onHover(null, 0, 0);
      const left = () => {
        if (highlight.current.hovered) {
          highlight.current.hovered = null;
          redrawHover([]);
        }
        dropCard();
      };
      host.addEventListener('mouseleave', left);
      sigma.getCamera().on('updated', dropCard);
      window.addEventListener('scroll', dropCard, { capture: true, passive: true });
      // Sigma only notices the window resizing; a side panel opening or closing resizes the stage too,
      // and until it redraws, the picture and what the pointer hits disagree.
      const resized = new ResizeObserver(() => sigma.scheduleRender());
      resized.observe(host);
      // A large picture hides its links and names while the camera moves, so panning stays smooth; they are back the moment it
      // stops. Links are held back by their programs rather than by sigma's hideEdgesOnMove, which processes the whole graph
      // again each time a drag ends (about a second of JavaScript at 50,000 entities); a redraw is enough to bring them back.
      const fitMoveSettings = () => {
        const large = caseGraph.size > MOVE_WITHOUT_EDGES_ABOVE;
        look.current.bareWhileMoving = large;
        if (sigma.getSetting('hideLabelsOnMove') !== large) sigma.setSetting('hideLabelsOnMove', large);
      };
      const captor = sigma.getMouseCaptor();
      // Sigma's test for a moving camera, as its render makes it.
      moving.current = () => sigma.getCamera().isAnimated() || captor.isMoving || captor.draggedEvents > 0 || captor.currentWheelDirection !== 0;
      // Sigma forgets the drag in a task after the button is released; the frame after that brings the links back.
      const redrawAfterDrag = () => window.setTimeout(() => sigma.scheduleRender(), 0);
      captor.on('mouseup', redrawAfterDrag);
      fitMoveSettings();
      const stopFitting = loadStore.subscribe(fitMoveSettings);
      sigma.on('afterProcess', () => {
        // How the entities and links now in sigma's buffers are drawn (an overview's dots and hairlines, or shapes and arrows), for tests.
        const node = caseGraph.findNode((_n, a) => !a.hidden);
        const edge = caseGraph.findEdge((_e, a) => !a.hidden);
        host.dataset.entitiesDrawnAs = (node && sigma.getNodeDisplayData(node)?.type) ?? '';
        host.dataset.linksDrawnAs = (edge && sigma.getEdgeDisplayData(edge)?.type) ?? '';
        placed.current();
      });
      // A large load fills the graph while sigma watches an empty one, then sigma indexes it once. An overview's
      // first frame draws the entities only; its links follow in the next frame, once that one is on the screen.
      const nothing = createCaseGraph();
      let releaseLinks = 0;
      const lookBack = () => {
        fitToGraph();
        if (look.current.overview) {
          look.current.linksHeld = true;
          sigma.once('afterRender', () => {
            releaseLinks = window.requestAnimationFrame(() => {
              releaseLinks = window.setTimeout(() => {
                look.current.linksHeld = false;
                sigma.scheduleRender();
              }, 0);
            });
          });
        }
        sigma.setGraph(caseGraph);
      };
      const stopWatching = watchGraph({ lookAway: () => sigma.setGraph(nothing), lookBack });
      sigmaOf.current = sigma;
      onReady(sigma);
      // The constructor drew the first frame before the timing listeners were on; draw once more so every mount is measured.
      sigma.scheduleRender();
      return () => {
        captor.off('mouseup', redrawAfterDrag);
        moving.current = () => false;
        window.cancelAnimationFrame(releaseLinks);
        window.clearTimeout(releaseLinks);
        look.current.linksHeld = false;
        sigmaOf.current = null;
        stopFitting();
        stopWatching();
        resized.disconnect();
        host.removeEventListener('contextmenu', noMenu);
        host.removeEventListener('mouseleave', left);
        sigma.getCamera().off('updated', dropCard);
        window.removeEventListener('scroll', dropCard, { capture: true });
        onReady(null);
        sigma.kill();
      };
    };
    let stop: (() => void) | null = null;
    const timer = window.setTimeout(() => {
      stop = start();
    }, 0);
    return () => {
      window.clearTimeout(timer);
      stop?.();
    };
  }, [settings, events, highlight, onReady, linksLeftOut, names]);

  return (
    <div className="graph-stage">
      <div ref={container} className="graph-canvas" data-testid="graph-canvas" />
      <svg className="graph-ghost" aria-hidden="true">
        <line ref={ghost} visibility="hidden" stroke="#2458b3" strokeWidth={2} strokeDasharray="6 4" />
        <polygon ref={lassoShape} className="graph-lasso" visibility="hidden" points="" />
      </svg>
    </div>
  );
}
