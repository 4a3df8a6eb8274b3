import type { graphOperations } from '../../shared/ops/graph';
import { clearPositions, loadPackedGraph, metricsOf, saveMetrics, savePositions } from './graph';
import type { Handlers } from '../core/handler';

type GraphOperationName = keyof typeof graphOperations;

/** Handlers of the graph and timeline operations. */
export const graphHandlers: Handlers<GraphOperationName> = {
  'graph.load': (db, input) => loadPackedGraph(db, input),
  'graph.savePositions': (db, input) => savePositions(db, input.positions),
  'graph.clearPositions': (db, input) => clearPositions(db, input.keepPinned),
  'graph.saveMetrics': (db, input) => saveMetrics(db, input.metrics, input.replace),
  'graph.metrics': (db, input) => metricsOf(db, input.ids),
};
