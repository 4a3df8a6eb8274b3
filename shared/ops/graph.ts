import { z } from 'zod';
import { entityMetricsInput, GRAPH_NODE_LIMIT, graphLoadInput, nodePosition, type EntityMetrics, type PackedGraph } from '../graph';
import { op } from '../operation';
import { id } from '../schemas';

/**
 * Where entities sit in the picture and the network measures last computed
 * are view data, saved as the investigator works: Undo passes them by and
 * takes back the last change to the case instead, which it names.
 */
const VIEW_DATA = { possible: false, why: 'Where entities sit in the graph and their network measures are view data, not changes to the case.' } as const;

/** Operations behind the graph and timeline views. */
export const graphOperations = {
  /** Entities and links packed a column per field (`unpackGraph` reads them): a large case's answer is less than half the size, and parsed into a few dozen arrays. */
  'graph.load': op<PackedGraph>()(graphLoadInput, false, { answer: 'json' }),
  'graph.savePositions': op<{ saved: number }>()(z.object({ positions: z.array(nodePosition).max(GRAPH_NODE_LIMIT) }), true, { undo: VIEW_DATA }),
  'graph.clearPositions': op<{ cleared: number }>()(z.object({ keepPinned: z.boolean().default(false) }), true, { undo: VIEW_DATA }),
  'graph.saveMetrics': op<{ saved: number }>()(z.object({ metrics: z.array(entityMetricsInput).max(GRAPH_NODE_LIMIT), replace: z.boolean().default(true) }), true, { undo: VIEW_DATA }),
  'graph.metrics': op<EntityMetrics[]>()(z.object({ ids: z.array(id).max(1000) }), false),
};
