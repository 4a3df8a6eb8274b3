import { useCallback, useRef } from 'react';
import type Sigma from 'sigma';
import type { EdgeAttrs, NodeAttrs } from '../case-graph';

export type GraphSigma = Sigma<NodeAttrs, EdgeAttrs>;

/** The sigma instance the canvas made, and the camera moves made through it. */
export function useCamera() {
  const sigmaRef = useRef<GraphSigma | null>(null);

  const onReady = useCallback((sigma: GraphSigma | null) => {
    sigmaRef.current = sigma;
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

  return { sigmaRef, onReady, refresh, focus, frame };
}
