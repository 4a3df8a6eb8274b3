/** What the investigator asks of the graph: who is central, which groups, how two entities connect, where a name is. */
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { bidirectional } from 'graphology-shortest-path/unweighted';
import type { CaseGraph } from './case-graph';

/** The graph as plain undirected links between visible (or all) entities, for analysis, leaving out links of the types given. */
export function simpleProjection(graph: CaseGraph, visibleOnly: boolean, leaveOut: ReadonlySet<string> = new Set()): UndirectedGraph {
  const simple = new UndirectedGraph();
  graph.forEachNode((node, a) => {
    if (!visibleOnly || !a.hidden) simple.addNode(node);
  });
  graph.forEachEdge((_edge, a, source, target) => {
    if (visibleOnly && a.hidden) return;
    if (leaveOut.has(a.linkType)) return;
    if (simple.hasNode(source) && simple.hasNode(target) && !simple.hasEdge(source, target)) simple.addEdge(source, target);
  });
  return simple;
}

/**
 * The shortest chain of links between two entities, ignoring direction, through visible items only and
 * not through links of the types left out (a "sanctioned" hub joins everything to everything).
 */
export function shortestPath(graph: CaseGraph, from: string, to: string, leaveOut: ReadonlySet<string> = new Set()): { nodes: string[]; edges: string[] } | null {
  if (!graph.hasNode(from) || !graph.hasNode(to)) return null;
  const simple = simpleProjection(graph, true, leaveOut);
  if (!simple.hasNode(from) || !simple.hasNode(to)) return null;
  const nodes = from === to ? [from] : bidirectional(simple, from, to);
  if (!nodes) return null;
  const edges: string[] = [];
  for (let i = 0; i + 1 < nodes.length; i += 1) {
    const a = nodes[i] as string;
    const b = nodes[i + 1] as string;
    const between = [...graph.edges(a, b), ...graph.edges(b, a)].filter((e) => !graph.getEdgeAttribute(e, 'hidden') && !leaveOut.has(graph.getEdgeAttribute(e, 'linkType')));
    edges.push(...between);
  }
  return { nodes, edges };
}

/** Louvain communities over the whole graph; each entity gets a community number (largest first). */
export function detectCommunities(graph: CaseGraph): Map<string, number> {
  const simple = simpleProjection(graph, false);
  const raw = simple.size > 0 ? louvain(simple, { randomWalk: false, rng: seededRandom(7) }) : {};
  const sizes = new Map<number, number>();
  for (const c of Object.values(raw)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  const rank = new Map(order.map((c, i) => [c, i]));
  const out = new Map<string, number>();
  let lone = order.length;
  graph.forEachNode((node) => {
    const c = raw[node];
    out.set(node, c === undefined ? lone++ : (rank.get(c) ?? 0));
  });
  return out;
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface Measures {
  degree: number;
  betweenness: number;
  pagerank: number;
  community: number;
}

/** Degree, betweenness, PageRank and community of every entity, over the whole case graph; stored on the nodes too. */
export function computeMeasures(graph: CaseGraph): Map<string, Measures> {
  const simple = simpleProjection(graph, false);
  const between = simple.size > 0 ? betweennessCentrality(simple, { normalized: true }) : {};
  const rank = simple.size > 0 ? pagerank(simple, { getEdgeWeight: null }) : {};
  const communities = detectCommunities(graph);
  const out = new Map<string, Measures>();
  graph.forEachNode((node) => {
    const m: Measures = { degree: graph.degree(node), betweenness: between[node] ?? 0, pagerank: rank[node] ?? 0, community: communities.get(node) ?? 0 };
    graph.mergeNodeAttributes(node, m);
    out.set(node, m);
  });
  return out;
}

/** Entities whose name or an alias contains the text, best matches (name starts with it) first. */
export function findEntities(graph: CaseGraph, text: string, limit = 10): string[] {
  const needle = text.trim().toLocaleLowerCase();
  if (!needle) return [];
  const scored: { node: string; score: number; label: string }[] = [];
  graph.forEachNode((node, a) => {
    const name = a.label.toLocaleLowerCase();
    let score = name === needle ? 0 : name.startsWith(needle) ? 1 : name.includes(needle) ? 2 : -1;
    if (score < 0) {
      for (const alias of a.aliases) {
        const lower = alias.toLocaleLowerCase();
        if (lower === needle) score = 1;
        else if (score < 0 && lower.includes(needle)) score = 3;
      }
    }
    if (score >= 0) scored.push({ node, score, label: a.label });
  });
  return scored
    .sort((x, y) => x.score - y.score || x.label.localeCompare(y.label))
    .slice(0, limit)
    .map((s) => s.node);
}
