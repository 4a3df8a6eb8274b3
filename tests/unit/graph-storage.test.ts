import { describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import type { CaseOperationName } from '../../db/host/operations';
import { seedSampleCase } from '../helpers/graph-sample';
import { count, newCase, reopen, run } from '../helpers/model';
import type { CaseDb } from '../../db/core/case-file';
import { fillCase } from '../helpers/bulk';
import { unpackGraph, type GraphData, type GraphLoadInput } from '../../shared/graph';

/** The graph.load answer, unpacked. */
const loadGraphData = (db: CaseDb, input: GraphLoadInput): GraphData => unpackGraph(run(db, 'graph.load', input));

function caller(db: CaseDb) {
  return async <N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> => run(db, name as CaseOperationName, input as never) as OpOutput<N>;
}

describe('graph storage in the case file', () => {
  it('loads entities and links with aliases, areas and the best source grade behind each', async () => {
    const { db } = newCase();
    const { entities, links } = await seedSampleCase(caller(db));
    const data = loadGraphData(db, {});
    expect(data.tooLarge).toBe(false);
    expect(data.nodes).toHaveLength(20);
    expect(data.edges).toHaveLength(17);
    const beihang = data.nodes.find((n) => n.id === entities.get('Beihang University'));
    expect(beihang).toMatchObject({ name: 'Beihang University', type: 'organisation', country: 'CN', x: null, pinned: false });
    expect(beihang?.aliases).toEqual(['Beijing University of Aeronautics and Astronautics', 'BUAA', '北京航空航天大学']);
    const programme = data.edges.find((e) => e.id === links[0]);
    expect(programme).toMatchObject({ type: 'joint programme', startDate: '2017', direction: 'mutual', reliability: 'B' });
    expect(programme?.areaIds).toHaveLength(1);
    expect(data.edges.find((e) => e.id === links[4])?.reliability).toBe('C');
  });

  it('narrows the load by entity type, country or area, and asks for a filter above the limit', async () => {
    const { db } = newCase();
    await seedSampleCase(caller(db));
    expect(loadGraphData(db, { entityTypes: ['person'] }).nodes.map((n) => n.name).sort()).toEqual(['Bethany Allen', 'Vladimir Putin']);
    const ru = loadGraphData(db, { countries: ['ru'] });
    expect(ru.nodes.every((n) => n.country === 'RU')).toBe(true);
    expect(ru.edges.every((e) => ru.nodes.some((n) => n.id === e.from) && ru.nodes.some((n) => n.id === e.to))).toBe(true);
    const areas = run(db, 'areas.list', {});
    const aerospace = areas.find((a) => a.name === 'aerospace and aeronautics')?.id as string;
    // Sub-areas count: drones and aero-engines links bring their entities in.
    expect(loadGraphData(db, { areaIds: [aerospace] }).nodes.map((n) => n.name)).toContain('Orlan-10');
    const capped = loadGraphData(db, { limit: 10 });
    expect(capped).toMatchObject({ tooLarge: true, matched: 20, nodes: [], edges: [] });
  });

  it('keeps positions and pins across a restart, and drops them with the entity', async () => {
    const { db } = newCase();
    const { entities } = await seedSampleCase(caller(db));
    const orlan = entities.get('Orlan-10') as string;
    const stc = entities.get('Special Technology Center') as string;
    expect(run(db, 'graph.savePositions', { positions: [{ id: orlan, x: 1.5, y: -2, pinned: true }, { id: stc, x: 3, y: 4 }] })).toEqual({ saved: 2 });
    run(db, 'graph.savePositions', { positions: [{ id: stc, x: 5, y: 6 }] });
    const again = reopen(db);
    const nodes = loadGraphData(again, {}).nodes;
    expect(nodes.find((n) => n.id === orlan)).toMatchObject({ x: 1.5, y: -2, pinned: true });
    expect(nodes.find((n) => n.id === stc)).toMatchObject({ x: 5, y: 6, pinned: false });
    run(again, 'links.delete', { id: loadGraphData(again, {}).edges.find((e) => e.to === orlan)?.id as string });
    run(again, 'entities.delete', { id: orlan, withLinks: true });
    expect(count(again, 'graph_positions')).toBe(1);
    expect(run(again, 'graph.clearPositions', { keepPinned: true })).toEqual({ cleared: 1 });
  });

  it('refuses bad positions with a clear message and stores nothing', async () => {
    const { db } = newCase();
    const { entities } = await seedSampleCase(caller(db));
    const id = entities.get('Orlan-10') as string;
    expect(() => run(db, 'graph.savePositions', { positions: [{ id, x: 1, y: 2 }, { id: 'not-an-id', x: 1, y: 2 }] })).toThrow(/Not a valid Caseboard ID/);
    expect(() => run(db, 'graph.savePositions', { positions: [{ id, x: Number.POSITIVE_INFINITY, y: 2 }] })).toThrow(expect.objectContaining({ code: 'invalid_input', message: 'Invalid input: expected number, received Infinity (positions.0.x)' }));
    expect(count(db, 'graph_positions')).toBe(0);
  });

  it('stores network measures for the Entities grid to sort by', async () => {
    const { db } = newCase();
    const { entities } = await seedSampleCase(caller(db));
    const hit = entities.get('Harbin Institute of Technology') as string;
    const orlan = entities.get('Orlan-10') as string;
    run(db, 'graph.saveMetrics', { metrics: [{ id: hit, degree: 6, betweenness: 0.4, pagerank: 0.12, community: 0 }, { id: orlan, degree: 1, betweenness: 0, pagerank: 0.02, community: 2 }] });
    expect(run(db, 'graph.metrics', { ids: [hit, orlan] }).map((m) => [m.id, m.degree])).toEqual([
      [hit, 6],
      [orlan, 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    run(db, 'graph.saveMetrics', { metrics: [{ id: hit, degree: 6, betweenness: 0.4, pagerank: 0.12 }] });
    expect(count(db, 'graph_metrics')).toBe(1);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT entity_id FROM graph_metrics ORDER BY pagerank DESC, entity_id LIMIT 100').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('graph_metrics_pagerank');
  });

  it('loads a case of 10,000 entities and 20,000 links whole, packed to less than half the size of plain objects', () => {
    const { db } = newCase();
    fillCase(db, 10_000, 20_000);
    const packed = run(db, 'graph.load', {});
    const data = unpackGraph(packed);
    expect(data.nodes).toHaveLength(10_000);
    expect(data.edges.length).toBeGreaterThan(19_000);
    expect(new Set(data.edges.flatMap((e) => [e.from, e.to])).size).toBeLessThanOrEqual(10_000);
    expect(data.nodes.every((n) => n.id && n.name)).toBe(true);
    // Each entity has its own aliases and areas, in order, whether the load is whole or skips entities between.
    const aliases = new Map<string, string[]>();
    for (const { entityId, name } of db.prepare('SELECT entity_id AS entityId, name FROM entity_aliases ORDER BY entity_id, position, rowid').all() as { entityId: string; name: string }[])
      aliases.set(entityId, [...(aliases.get(entityId) ?? []), name]);
    expect(data.nodes.filter((n) => n.aliases.length > 0).length).toBeGreaterThan(5_000);
    for (const n of data.nodes) expect(n.aliases, n.name).toEqual(aliases.get(n.id) ?? []);
    const people = unpackGraph(run(db, 'graph.load', { entityTypes: ['person'] }));
    expect(people.nodes.length).toBeGreaterThan(100);
    expect(people.nodes.length).toBeLessThan(9_000);
    const whole = new Map(data.nodes.map((n) => [n.id, n]));
    for (const n of people.nodes) expect(n, n.name).toEqual(whole.get(n.id));
    expect(people.nodes.some((n) => n.areaIds.length > 0)).toBe(true);
    // Speed is measured by tests/bench/graph.bench.ts; the answer's size is what the operation controls.
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(data).length / 2);
  });
});
