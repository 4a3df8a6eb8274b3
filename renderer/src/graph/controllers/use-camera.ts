import { useCallback, useRef, useState } from 'react';
import type Sigma from 'sigma';
import type { CameraState } from 'sigma/types';
import type { EdgeAttrs, NodeAttrs } from '../case-graph';
import { caseGraph } from '../store';

export type GraphSigma = Sigma<NodeAttrs, EdgeAttrs>;

/** Pixels kept clear between the framed entities and the edge of the stage, beyond the entities' own size. */
const FIT_MARGIN = 40;
/** The closest Zoom to fit goes: a lone entity is shown, not blown up to fill the stage. */
const FIT_MIN_RATIO = 0.15;

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

  /** Frames every entity shown (not those filtered out or hidden) in the stage as it is now, however wide the side panel leaves it. */
  const fit = useCallback((animate: boolean) => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    // A panel that just opened has narrowed the stage; sigma learns its size only when it next draws.
    sigma.resize();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let largest = 0;
    caseGraph.forEachNode((node, a) => {
      if (a.hidden) return;
      const d = sigma.getNodeDisplayData(node);
      if (!d) return;
      minX = Math.min(minX, d.x);
      maxX = Math.max(maxX, d.x);
      minY = Math.min(minY, d.y);
      maxY = Math.max(maxY, d.y);
      largest = Math.max(largest, d.size);
    });
    if (minX > maxX) return;
    const camera = sigma.getCamera();
    // How far apart the corners are at ratio 1 gives the ratio at which they fit, since distances on screen scale with 1 / ratio.
    const unzoomed = { x: 0.5, y: 0.5, ratio: 1, angle: camera.angle };
    const a = sigma.framedGraphToViewport({ x: minX, y: minY }, { cameraState: unzoomed });
    const b = sigma.framedGraphToViewport({ x: maxX, y: maxY }, { cameraState: unzoomed });
    const { width, height } = sigma.getDimensions();
    const margin = FIT_MARGIN + largest * 2;
    const ratio = Math.max(FIT_MIN_RATIO, Math.abs(b.x - a.x) / Math.max(1, width - 2 * margin), Math.abs(b.y - a.y) / Math.max(1, height - 2 * margin));
    const target = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio, angle: camera.angle };
    if (animate) void camera.animate(target, { duration: 300 });
    else camera.setState(target);
  }, []);

  /** Where the camera is, to come back to later. */
  const snapshot = useCallback((): CameraState | null => sigmaRef.current?.getCamera().getState() ?? null, []);

  const restore = useCallback((state: CameraState) => {
    void sigmaRef.current?.getCamera().animate(state, { duration: 300 });
  }, []);

  return { sigmaRef, ready, onReady, refresh, focus, frame, fit, snapshot, restore };
}

export type GraphCamera = ReturnType<typeof useCamera>;
