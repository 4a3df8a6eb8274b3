import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../ui/api';
import { computeMeasures } from '../analysis';
import { styleGraph, type ColourBy, type SizeBy } from '../appearance';
import { caseGraph, type LoadState } from '../store';

/** Above this size the measures wait until the investigator asks for them. */
const AUTO_MEASURES_LIMIT = 3000;

/** The load whose measures were last computed; views come and go, the graph stays. */
let measuredVersion = -1;

export type EdgeColourBy = 'type' | 'area';

/** How nodes and links are coloured and sized, and the network measures that sizes and communities need. */
export function useAppearance(load: LoadState) {
  const [colourBy, setColourBy] = useState<ColourBy>('type');
  const [edgeColourBy, setEdgeColourBy] = useState<EdgeColourBy>('type');
  const [sizeBy, setSizeBy] = useState<SizeBy>('degree');
  const [measured, setMeasured] = useState(0);

  // Network measures for sizes, communities and the Entities grid; stored in the case so the grid can sort by them.
  const measure = useCallback(() => {
    computeMeasures(caseGraph);
    setMeasured((m) => m + 1);
    const metrics = caseGraph.mapNodes((id, a) => ({ id, degree: a.degree, betweenness: a.betweenness, pagerank: a.pagerank, community: a.community }));
    void api.call('graph.saveMetrics', { metrics, replace: true }).catch(() => undefined);
  }, []);
  // Computed once the first frame is on the screen, so that they never delay the picture.
  useEffect(() => {
    if (load.status !== 'ready' || measuredVersion === load.version) return;
    if (caseGraph.order === 0 || caseGraph.order > AUTO_MEASURES_LIMIT) {
      measuredVersion = load.version;
      return;
    }
    let timer = 0;
    const frame = window.requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        measuredVersion = load.version;
        measure();
      }, 0);
    });
    return () => {
      window.cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [load.status, load.version, measure]);

  const areaColours = useMemo(() => new Map(load.areas.map((a) => [a.id, a.colour])), [load.areas]);
  useEffect(() => {
    styleGraph(caseGraph, { colourBy, sizeBy, areaColours, edgeColourBy });
  }, [colourBy, sizeBy, edgeColourBy, areaColours, load.version, measured]);

  /** Sizes by a measure not yet computed compute the measures first. */
  const chooseSize = useCallback(
    (next: SizeBy) => {
      if ((next === 'betweenness' || next === 'pagerank') && measured === 0) measure();
      setSizeBy(next);
    },
    [measured, measure],
  );

  return { colourBy, setColourBy, edgeColourBy, setEdgeColourBy, sizeBy, chooseSize, measured, measure };
}
