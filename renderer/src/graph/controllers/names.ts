import type { EntityRef } from '../../../../shared/model';
import { caseGraph } from '../store';

/** An entity's name as the graph shows it, or its id when it has left the graph. */
export function nameOf(node: string): string {
  return caseGraph.hasNode(node) ? caseGraph.getNodeAttribute(node, 'label') : node;
}

/** An entity as the link form takes it, if it is still in the graph. */
export function refOf(node: string): EntityRef | null {
  if (!caseGraph.hasNode(node)) return null;
  const a = caseGraph.getNodeAttributes(node);
  return { id: node, name: a.label, type: a.entityType };
}
