/** Which entities and links the graph shows for the filters. */
import { expandAreas, linkInPeriod, meetsGrade, type CaseFilters } from '../ui/filters';
import type { CaseGraph } from './case-graph';

export interface VisibilityOptions {
  areas: readonly { id: string; parentId: string | null }[];
  /** Entities the investigator hid by hand. */
  hiddenByHand: ReadonlySet<string>;
  /** Entities shown whatever the filters say (an expanded neighbourhood). */
  expanded: ReadonlySet<string>;
  asOf: string;
}

/**
 * Shows and hides nodes and edges for the filters by setting `hidden`, only
 * where it changes. Entity filters (types, countries) choose entities; link
 * filters (link types, areas, grade, period) choose links, and then an
 * entity shows only through a remaining link, unless it is tagged with a
 * chosen area itself.
 */
export function computeVisibility(graph: CaseGraph, filters: CaseFilters, options: VisibilityOptions): { nodes: Set<string>; edges: Set<string> } {
  const areas = filters.areaIds.length ? expandAreas(filters.areaIds, options.areas) : null;
  const types = filters.entityTypes.length ? new Set(filters.entityTypes) : null;
  const countries = filters.countries.length ? new Set(filters.countries) : null;
  const linkTypes = filters.linkTypes.length ? new Set(filters.linkTypes) : null;
  const linkFiltered = areas !== null || linkTypes !== null || filters.minReliability !== null || filters.period !== null;

  const entityOk = new Set<string>();
  graph.forEachNode((node, a) => {
    if (options.hiddenByHand.has(node)) return;
    if (types && !types.has(a.entityType)) return;
    if (countries && (a.country === null || !countries.has(a.country))) return;
    entityOk.add(node);
  });
  const visibleNodes = new Set<string>();
  if (!linkFiltered) for (const n of entityOk) visibleNodes.add(n);
  else if (areas) for (const n of entityOk) if (graph.getNodeAttribute(n, 'areaIds').some((id) => areas.has(id))) visibleNodes.add(n);

  const visibleEdges = new Set<string>();
  graph.forEachEdge((edge, a, source, target) => {
    const endsOk = (entityOk.has(source) || options.expanded.has(source)) && (entityOk.has(target) || options.expanded.has(target));
    if (!endsOk) return;
    if (linkTypes && !linkTypes.has(a.linkType)) return;
    if (areas && !a.areaIds.some((id) => areas.has(id))) return;
    if (!meetsGrade(a.reliability, filters.minReliability)) return;
    if (!linkInPeriod(a, filters.period, options.asOf)) return;
    visibleEdges.add(edge);
    if (linkFiltered) {
      visibleNodes.add(source);
      visibleNodes.add(target);
    }
  });
  for (const n of options.expanded) if (graph.hasNode(n) && !options.hiddenByHand.has(n)) visibleNodes.add(n);
  // An expanded neighbourhood brings its links along, whatever the link filters say.
  if (options.expanded.size) {
    graph.forEachEdge((edge, _a, source, target) => {
      if ((options.expanded.has(source) || options.expanded.has(target)) && visibleNodes.has(source) && visibleNodes.has(target)) visibleEdges.add(edge);
    });
  }

  for (const edge of [...visibleEdges]) if (!visibleNodes.has(graph.source(edge)) || !visibleNodes.has(graph.target(edge))) visibleEdges.delete(edge);
  return { nodes: visibleNodes, edges: visibleEdges };
}

/** Applies computeVisibility to the graph's `hidden` attributes, touching only what changes. */
export function applyFilters(graph: CaseGraph, filters: CaseFilters, options: VisibilityOptions): { nodes: number; edges: number } {
  const { nodes: visibleNodes, edges: visibleEdges } = computeVisibility(graph, filters, options);
  graph.forEachNode((node, a) => {
    const hidden = !visibleNodes.has(node);
    if (a.hidden !== hidden) graph.setNodeAttribute(node, 'hidden', hidden);
  });
  graph.forEachEdge((edge, a) => {
    const hidden = !visibleEdges.has(edge);
    if (a.hidden !== hidden) graph.setEdgeAttribute(edge, 'hidden', hidden);
  });
  return { nodes: visibleNodes.size, edges: visibleEdges.size };
}
