import { EdgeCurvedArrowProgram } from '@sigma/edge-curve';
import EdgeCurveProgram from '@sigma/edge-curve';
import { useEffect, useMemo, useRef } from 'react';
import Sigma from 'sigma';
import { EdgeArrowProgram, EdgeRectangleProgram } from 'sigma/rendering';
import type { Settings } from 'sigma/settings';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import type { EdgeAttrs, NodeAttrs } from './model';
import { caseGraph } from './store';

/** What the canvas highlights; held in a ref so changing it only refreshes the picture. */
export interface Highlight {
  selected: ReadonlySet<string>;
  hovered: string | null;
  hoveredEdge: string | null;
  path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
}

export interface CanvasEvents {
  onNodeClick(node: string, shift: boolean): void;
  onNodeDoubleClick(node: string): void;
  onNodeRightClick(node: string, x: number, y: number): void;
  onStageClick(): void;
  onNodeMoved(node: string): void;
  onLinkDrawn(from: string, to: string): void;
  onHover(node: string | null, x: number, y: number): void;
  /** Whether dragging from a node draws a link (else it moves the node). */
  linking(): boolean;
}

const FADED_NODE = '#d5d9e0';
const FADED_EDGE = '#e6e9ee';
export const PATH_COLOUR = '#f08c00';
const FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";

type HoverData = Parameters<NonNullable<Settings['defaultDrawNodeHover']>>[1] & { aliases?: string[] };

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
  const x = data.x + data.size + 4;
  const y = data.y - lineHeight / 2 - 3;
  context.fillStyle = '#ffffff';
  context.shadowOffsetY = 1;
  context.shadowBlur = 6;
  context.shadowColor = 'rgba(0,0,0,0.25)';
  context.beginPath();
  context.roundRect(x - 4, y, w + 4, h, 4);
  context.fill();
  context.beginPath();
  context.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
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

/**
 * The sigma renderer of the case graph: created once when the view mounts,
 * killed (WebGL contexts released) when it unmounts. Settings and reducers are
 * made once; what they read lives in refs.
 */
export function GraphCanvas({ highlight, events, onReady }: { highlight: React.RefObject<Highlight>; events: React.RefObject<CanvasEvents>; onReady: (sigma: Sigma<NodeAttrs, EdgeAttrs> | null) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const ghost = useRef<SVGLineElement>(null);

  const settings = useMemo<Partial<Settings<NodeAttrs, EdgeAttrs>>>(
    () => ({
      renderEdgeLabels: true,
      enableEdgeEvents: true,
      hideEdgesOnMove: false,
      labelFont: FONT,
      labelSize: 13,
      labelWeight: '600',
      labelColor: { color: '#1c2330' },
      edgeLabelFont: FONT,
      edgeLabelSize: 12,
      edgeLabelColor: { color: '#3b4556' },
      labelDensity: 1,
      labelGridCellSize: 70,
      labelRenderedSizeThreshold: 6,
      zIndex: true,
      stagePadding: 40,
      minCameraRatio: 0.01,
      maxCameraRatio: 20,
      defaultEdgeType: 'arrow',
      defaultDrawNodeHover: drawHover as unknown as Settings<NodeAttrs, EdgeAttrs>['defaultDrawNodeHover'],
      edgeProgramClasses: { arrow: EdgeArrowProgram, line: EdgeRectangleProgram, curvedArrow: EdgeCurvedArrowProgram, curved: EdgeCurveProgram } as unknown as Settings<NodeAttrs, EdgeAttrs>['edgeProgramClasses'],
      nodeReducer: (node: string, data: NodeAttrs): Partial<NodeDisplayData> => {
        const h = highlight.current;
        // A small case shows every name; larger ones let sigma thin labels out as it zooms.
        const out: Partial<NodeDisplayData> & { aliases?: string[] } = { ...data, forceLabel: caseGraph.order <= 60 };
        if (h.path) {
          if (h.path.nodes.has(node)) Object.assign(out, { forceLabel: true, zIndex: 2, highlighted: true });
          else Object.assign(out, { color: FADED_NODE, label: node === h.hovered ? data.label : null, zIndex: 0 });
        } else if (h.hovered && h.hovered !== node && !caseGraph.areNeighbors(h.hovered, node)) {
          Object.assign(out, { color: FADED_NODE, zIndex: 0 });
        }
        if (h.selected.has(node)) Object.assign(out, { forceLabel: true, highlighted: true, zIndex: 3 });
        return out;
      },
      edgeReducer: (edge: string, data: EdgeAttrs): Partial<EdgeDisplayData> => {
        const h = highlight.current;
        const out: Partial<EdgeDisplayData> = { ...data, label: null };
        if (h.path) {
          if (h.path.edges.has(edge)) Object.assign(out, { color: PATH_COLOUR, size: Math.max(4, data.size * 3), zIndex: 2 });
          else Object.assign(out, { color: FADED_EDGE, zIndex: 0 });
        } else if (h.hovered && !caseGraph.hasExtremity(edge, h.hovered)) {
          out.color = FADED_EDGE;
        }
        if (edge === h.hoveredEdge) {
          const dates = data.startDate || data.endDate ? ` (${data.startDate ?? '?'}–${data.endDate ?? ''})` : '';
          Object.assign(out, { label: `${data.linkType}${dates}`, size: data.size + 1.5, zIndex: 3 });
        }
        return out;
      },
    }),
    [highlight],
  );

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    const sigma = new Sigma<NodeAttrs, EdgeAttrs>(caseGraph, host, settings);
    let drag: { node: string; moved: boolean; linking: boolean } | null = null;
    let justDragged = false;
    const frameTimes: number[] = [];
    let frameStart = 0;
    sigma.on('beforeRender', () => {
      frameStart = performance.now();
    });
    sigma.on('afterRender', () => {
      frameTimes.push(performance.now() - frameStart);
      if (frameTimes.length > 60) frameTimes.shift();
      host.dataset.frameMs = (frameTimes.reduce((a, b) => a + b, 0) / frameTimes.length).toFixed(2);
      host.dataset.frames = String(Number(host.dataset.frames ?? 0) + 1);
    });
    const hideGhost = () => ghost.current?.setAttribute('visibility', 'hidden');
    sigma.on('downNode', (e) => {
      drag = { node: e.node, moved: false, linking: events.current.linking() || e.event.original.altKey };
      if (!sigma.getCustomBBox()) sigma.setCustomBBox(sigma.getBBox());
    });
    sigma.on('moveBody', ({ event }) => {
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
        const p = sigma.viewportToGraph(event);
        caseGraph.mergeNodeAttributes(drag.node, { x: p.x, y: p.y, fixed: true });
      }
      event.preventSigmaDefault();
      event.original.preventDefault();
      event.original.stopPropagation();
    });
    const finish = (target: string | null) => {
      if (!drag) return;
      const done = drag;
      drag = null;
      hideGhost();
      justDragged = done.moved;
      if (done.linking && target && target !== done.node) events.current.onLinkDrawn(done.node, target);
      else if (done.moved && !done.linking) events.current.onNodeMoved(done.node);
    };
    sigma.on('upNode', (e) => finish(e.node));
    sigma.on('upStage', () => finish(null));
    sigma.on('clickNode', (e) => {
      if (justDragged) {
        justDragged = false;
        return;
      }
      events.current.onNodeClick(e.node, e.event.original.shiftKey);
    });
    sigma.on('doubleClickNode', (e) => {
      e.preventSigmaDefault();
      events.current.onNodeDoubleClick(e.node);
    });
    sigma.on('rightClickNode', (e) => {
      e.event.original.preventDefault();
      events.current.onNodeRightClick(e.node, e.event.x, e.event.y);
    });
    sigma.on('clickStage', () => {
      if (justDragged) {
        justDragged = false;
        return;
      }
      events.current.onStageClick();
    });
    sigma.on('enterNode', (e) => {
      highlight.current.hovered = e.node;
      events.current.onHover(e.node, e.event.x, e.event.y);
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on('leaveNode', () => {
      highlight.current.hovered = null;
      events.current.onHover(null, 0, 0);
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on('enterEdge', (e) => {
      highlight.current.hoveredEdge = e.edge;
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on('leaveEdge', () => {
      highlight.current.hoveredEdge = null;
      sigma.refresh({ skipIndexation: true });
    });
    const noMenu = (event: MouseEvent) => event.preventDefault();
    host.addEventListener('contextmenu', noMenu);
    onReady(sigma);
    // The constructor drew the first frame before the timing listeners were on; draw once more so every mount is measured.
    sigma.scheduleRender();
    return () => {
      host.removeEventListener('contextmenu', noMenu);
      onReady(null);
      sigma.kill();
    };
  }, [settings, events, highlight, onReady]);

  return (
    <div className="graph-stage">
      <div ref={container} className="graph-canvas" data-testid="graph-canvas" />
      <svg className="graph-ghost" aria-hidden="true">
        <line ref={ghost} visibility="hidden" stroke="#2458b3" strokeWidth={2} strokeDasharray="6 4" />
      </svg>
    </div>
  );
}
