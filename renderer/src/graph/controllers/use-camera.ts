import { useCallback, useRef, useState } from 'react';
import type Sigma from 'sigma';
import type { CameraState } from 'sigma/types';
import type { EdgeAttrs, NodeAttrs } from '../case-graph';
import { FONT, LABEL_SIZE, LABEL_WEIGHT } from '../GraphCanvas';
import { caseGraph } from '../store';

export type GraphSigma = Sigma<NodeAttrs, EdgeAttrs>;

/** Pixels kept clear between the framed entities and the edge of the stage, beyond the entities' own size. */
const FIT_MARGIN = 40;
/** The closest Zoom to fit goes: a lone entity is shown, not blown up to fill the stage. */
const FIT_MIN_RATIO = 0.15;
/** At most this share of the stage's width is kept for the labels right of the rightmost entities. */
const LABEL_SHARE = 0.35;

let measurer: CanvasRenderingContext2D | null = null;

/** How wide a label is drawn, in screen pixels: labels keep their size whatever the zoom. */
function labelWidth(label: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return label.length * LABEL_SIZE * 0.6;
  measurer.font = `${LABEL_WEIGHT} ${LABEL_SIZE}px ${FONT}`;
  return measurer.measureText(label).width;
}

/** Labels measured to find the widest: the longest ones, since measuring thousands would hold up the first frame of a large case. */
const LABELS_MEASURED = 200;

/** How wide the widest of these labels is drawn, in screen pixels. */
function widestLabel(labels: string[]): number {
  const longest = labels.length > LABELS_MEASURED ? [...labels].sort((a, b) => b.length - a.length).slice(0, LABELS_MEASURED) : labels;
  let widest = 0;
  for (const label of longest) widest = Math.max(widest, labelWidth(label));
  return widest;
}

/** The part of the stage the legend covers on the right, in pixels (0 when it is closed or absent). */
function legendReserve(container: HTMLElement): number {
  const legend = container.closest('.graph-host')?.querySelector<HTMLElement>('.graph-legend[open]');
  if (!legend) return 0;
  const stage = container.getBoundingClientRect();
  const box = legend.getBoundingClientRect();
  return Math.max(0, stage.right - box.left);
}

/** The sigma instance the canvas made, and the camera moves made through it. */
export function useCamera() {
  const sigmaRef = useRef<GraphSigma | null>(null);
  // Effects that move the camera wait for sigma, which starts a task after the view mounts.
  const [ready, setReady] = useState(false);

  const onReady = useCallback((sigma: GraphSigma | null) => {
    sigmaRef.current = sigma;
    setReady(sigma !== null);
  }, []);

  // The graph itself is mutated in place: a redraw without reindexing is enough.
  const refresh = useCallback(() => sigmaRef.current?.refresh({ skipIndexation: true }), []);

  const focus = useCallback((node: string) => {
    const sigma = sigmaRef.current;
    const data = sigma?.getNodeDisplayData(node);
    if (!sigma || !data) return;
    const camera = sigma.getCamera();
    void camera.animate({ x: data.x, y: data.y, ratio: Math.min(camera.ratio, 0.7) }, { duration: 300 });
  }, []);

  /** Moves the camera so these nodes fill the picture. */
  const frame = useCallback((nodes: string[]) => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    const points = nodes.map((n) => sigma.getNodeDisplayData(n)).filter((d): d is NonNullable<typeof d> => d !== undefined);
    if (!points.length) return;
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    void sigma.getCamera().animate({ x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2, ratio: Math.min(1.1, Math.max(0.25, extent * 1.5)) }, { duration: 300 });
  }, []);

  /**
   * Frames every entity shown (not those filtered out or hidden) in the stage as it is now, however wide the side panel leaves it.
   * `quietly` moves the camera without telling sigma, for the moment sigma has placed the entities and is about to draw them:
   * that frame is drawn framed, and no second one is asked for.
   */
  const fit = useCallback((how: 'animate' | 'quietly') => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    // A panel that just opened has narrowed the stage; sigma learns its size only when it next draws.
    sigma.resize();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let largest = 0;
    const shown: { x: number; label: string }[] = [];
    if (sigma.getGraph() !== caseGraph) return;
    // Read off the graph itself: sigma's display data comes copied, one object per entity, which at tens of
    // thousands of entities holds up the first frame. Sigma only rescales positions (the same factor on both
    // axes), so the corners of the box map to the corners of its box.
    caseGraph.forEachNode((_node, a) => {
      if (a.hidden) return;
      minX = Math.min(minX, a.x);
      maxX = Math.max(maxX, a.x);
      minY = Math.min(minY, a.y);
      maxY = Math.max(maxY, a.y);
      largest = Math.max(largest, a.size);
      shown.push({ x: a.x, label: a.label });
    });
    if (minX > maxX) return;
    const camera = sigma.getCamera();
    const { width, height } = sigma.getDimensions();
    // Labels run right of their entity and keep their size at any zoom: the labels of the entities in the
    // right-hand tenth of the picture decide how much room to leave on the right.
    const rightmost = maxX - (maxX - minX) * 0.1;
    const labels = Math.min(width * LABEL_SHARE, widestLabel(shown.filter((n) => n.x >= rightmost).map((n) => n.label)));
    // Both ways with the same camera, so that sigma works out both matrices afresh for the graph it has just placed.
    const still = { x: 0.5, y: 0.5, ratio: 1, angle: 0 };
    const framed = (x: number, y: number) => sigma.viewportToFramedGraph(sigma.graphToViewport({ x, y }, { cameraState: still }), { cameraState: still });
    const low = framed(minX, minY);
    const high = framed(maxX, maxY);
    [minX, maxX] = [Math.min(low.x, high.x), Math.max(low.x, high.x)];
    [minY, maxY] = [Math.min(low.y, high.y), Math.max(low.y, high.y)];
    // The legend floats over the right of the stage: frame the entities beside it, not under it.
    const legend = Math.min(width * 0.4, legendReserve(sigma.getContainer()));
    const margin = FIT_MARGIN + largest * 2;
    const left = margin;
    const right = Math.max(left + 1, width - margin - Math.max(labels, legend));
    // How far apart the corners are at ratio 1 gives the ratio at which they fit, since distances on screen scale with 1 / ratio.
    const unzoomed = { x: 0.5, y: 0.5, ratio: 1, angle: camera.angle };
    const a = sigma.framedGraphToViewport({ x: minX, y: minY }, { cameraState: unzoomed });
    const b = sigma.framedGraphToViewport({ x: maxX, y: maxY }, { cameraState: unzoomed });
    const ratio = Math.max(FIT_MIN_RATIO, Math.abs(b.x - a.x) / (right - left), Math.abs(b.y - a.y) / Math.max(1, height - 2 * margin));
    const centred = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio, angle: camera.angle };
    // Put the middle of the entities in the middle of the free part of the stage, left of the reserved strip.
    const shift = width / 2 - (left + right) / 2;
    const middle = sigma.viewportToFramedGraph({ x: width / 2 + shift, y: height / 2 }, { cameraState: centred });
    const target = { ...centred, x: middle.x, y: middle.y };
    if (how === 'animate') void camera.animate(target, { duration: 300 });
    else Object.assign(camera, camera.validateState(target));
  }, []);

  /** Where the camera is, to come back to later. */
  const snapshot = useCallback((): CameraState | null => sigmaRef.current?.getCamera().getState() ?? null, []);

  const restore = useCallback((state: CameraState) => {
    void sigmaRef.current?.getCamera().animate(state, { duration: 300 });
  }, []);

  return { sigmaRef, ready, onReady, refresh, focus, frame, fit, snapshot, restore };
}

export type GraphCamera = ReturnType<typeof useCamera>;
