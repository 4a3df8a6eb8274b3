import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packGraph, type GraphData } from '../../shared/graph';

// The graph store asks the door for the graph; here the door answers with a graph made in the test.
const answers = vi.hoisted(() => ({ graph: null as unknown, areas: [] as unknown[], asked: [] as string[] }));
vi.mock('../../renderer/src/ui/api', () => ({
  api: {
    call: (name: string) => {
      answers.asked.push(name);
      return Promise.resolve(name === 'graph.load' ? answers.graph : answers.areas);
    },
  },
}));

import { caseGraph, loadCaseGraph, loadStore, watchGraph } from '../../renderer/src/graph/store';

/** A ring of entities, each linked to the next, as graph.load packs it. */
function ring(size: number): GraphData {
  const nodes = Array.from({ length: size }, (_, i) => ({
    id: `entity-${i}`,
    name: `Institute ${i}`,
    type: 'organisation' as const,
    subtype: null,
    country: i % 2 ? 'CN' : 'RU',
    aliases: [],
    areaIds: [],
    reliability: null,
    x: i,
    y: -i,
    pinned: false,
  }));
  const edges = nodes.map((n, i) => ({
    id: `link-${i}`,
    from: n.id,
    to: `entity-${(i + 1) % size}`,
    type: 'cooperation agreement',
    direction: 'directed' as const,
    startDate: null,
    endDate: null,
    status: 'active' as const,
    areaIds: [],
    reliability: null,
  }));
  return { nodes, edges, matched: size, tooLarge: false, limit: 20_000 };
}

/** A renderer stand-in that writes down what it saw of the graph, and when. */
function recorder() {
  const seen: string[] = [];
  const stop = watchGraph({
    lookAway: () => seen.push(`away at ${caseGraph.order} entities, ${loadStore.get().status}`),
    lookBack: () => seen.push(`back at ${caseGraph.order} entities, ${caseGraph.size} links, ${loadStore.get().status}`),
  });
  const stopStore = loadStore.subscribe(() => seen.push(`store ${loadStore.get().status} at ${caseGraph.order} entities`));
  return {
    seen,
    stop: () => {
      stop();
      stopStore();
    },
  };
}

let caseNumber = 0;

describe('loading a case into the long-lived graph', () => {
  beforeEach(() => {
    answers.asked.length = 0;
    caseNumber += 1;
  });
  afterEach(() => {
    caseGraph.clear();
  });

  it('fills a large graph while the renderer looks away, and lets it look back once the views have the ready graph', async () => {
    answers.graph = packGraph(ring(600));
    const watch = recorder();
    await loadCaseGraph(`case-${caseNumber}`);
    // The renderer takes the graph in after the promise's own work: one microtask later.
    await Promise.resolve();
    watch.stop();
    expect(watch.seen).toEqual(['store loading at 0 entities', 'away at 0 entities, loading', 'store ready at 600 entities', 'back at 600 entities, 600 links, ready']);
    expect(caseGraph.getNodeAttribute('entity-3', 'degree')).toBe(2);
  });

  it('leaves a small graph to the renderer to follow change by change', async () => {
    answers.graph = packGraph(ring(40));
    const watch = recorder();
    await loadCaseGraph(`case-${caseNumber}`);
    await Promise.resolve();
    watch.stop();
    expect(watch.seen).toEqual(['store loading at 0 entities', 'store ready at 40 entities']);
    expect(caseGraph.order).toBe(40);
  });

  it('asks for the areas before the graph, so the short answer does not wait behind the long one', async () => {
    answers.graph = packGraph(ring(3));
    await loadCaseGraph(`case-${caseNumber}`);
    expect(answers.asked).toEqual(['areas.list', 'graph.load']);
  });

  it('lets the renderer look back even when the answer cannot be taken in', async () => {
    const broken = packGraph(ring(600));
    // A link given twice: taking the answer in fails halfway.
    for (const column of Object.values(broken.edges) as unknown[][]) column.push(column[0]);
    answers.graph = broken;
    const watch = recorder();
    await loadCaseGraph(`case-${caseNumber}`);
    await Promise.resolve();
    watch.stop();
    expect(loadStore.get().status).toBe('failed');
    expect(watch.seen.filter((line) => /^(away|back)/.test(line))).toEqual([expect.stringMatching(/^away at 0 entities/), expect.stringMatching(/^back at \d+ entities/)]);
  });
});
