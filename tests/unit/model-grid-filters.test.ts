import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { NO_FILTERS, type CaseFilters } from '../../renderer/src/ui/filters';
import { createCaseGraph, syncGraph } from '../../renderer/src/graph/case-graph';
import { computeVisibility } from '../../renderer/src/graph/visibility';
import type { EntityFieldsInput, LinkFields } from '../../shared/model';
import type { ReliabilityGrade } from '../../shared/schemas';
import { fillCase } from '../helpers/bulk';
import { addExcerpt, addSource, areaId, newCase, run } from '../helpers/model';
import { queryPlan, recordStatements } from '../helpers/query-plans';

const AS_OF = '2026-06-30';

type Fixture = ReturnType<typeof buildCase>;

/**
 * A small case where every filter has something to keep and something to drop:
 * organisations and people in three countries, links of several types with
 * partial dates, tagged with areas (one a sub-area), cited from sources graded B and E.
 */
function buildCase(db: CaseDb) {
  const entity = (name: string, type: EntityFieldsInput['type'], country: string | null) => run(db, 'entities.create', { fields: { name, type, country } }).id;
  const e = {
    mai: entity('Moscow Aviation Institute', 'organisation', 'RU'),
    beihang: entity('Beihang University', 'organisation', 'CN'),
    nwpu: entity('Northwestern Polytechnical University', 'organisation', 'CN'),
    rector: entity('Mikhail Pogosyan', 'person', 'RU'),
    visitor: entity('Visiting delegation', 'event', null),
    orlan: entity('Orlan-10', 'product', 'RU'),
    lonely: entity('Unlinked institute', 'organisation', 'CN'),
  };
  const a = { aero: areaId(db, 'aerospace and aeronautics'), drones: areaId(db, 'drones'), engines: areaId(db, 'aero-engines'), weapons: areaId(db, 'advanced weapons') };
  const goodSource = addSource(db, 'RFE/RL on defence universities', 'B');
  const poorSource = addSource(db, 'Anonymous forum post', 'E');
  const good = addExcerpt(db, goodSource, 'Beihang and MAI run a joint programme.');
  const poor = addExcerpt(db, poorSource, 'Someone said NWPU builds drones.');
  const link = (from: string, to: string, type: string, dates: Partial<Pick<LinkFields, 'startDate' | 'endDate' | 'status'>>, areaIds: string[], excerptIds: string[]) =>
    run(db, 'links.create', { fields: { fromId: from, toId: to, type, ...dates }, areaIds, excerptIds }).id;
  const l = {
    joint: link(e.beihang, e.mai, 'joint programme', { startDate: '2017', endDate: '2019-06', status: 'ended' }, [a.engines], [good]),
    drones: link(e.nwpu, e.orlan, 'developed', { startDate: '2022-03' }, [a.drones], [poor]),
    rector: link(e.rector, e.mai, 'works for', { startDate: '2015', status: 'ended' }, [], [good]),
    visit: link(e.visitor, e.beihang, 'visited', { endDate: '2024-05-16' }, [a.weapons], []),
    undated: link(e.nwpu, e.beihang, 'member of', {}, [a.aero], [good]),
  };
  run(db, 'areas.tag', { areaId: a.drones, kind: 'entity', itemId: e.lonely });
  // Sources: one tagged itself, one through an excerpt, one dated and untagged.
  run(db, 'areas.tag', { areaId: a.engines, kind: 'source', itemId: goodSource });
  run(db, 'areas.tag', { areaId: a.drones, kind: 'excerpt', itemId: poor });
  const dated = run(db, 'sources.create', { kind: 'report', title: 'Annual report 2021', publishedDate: '2021-11', reliability: 'A' }).id;
  db.prepare("UPDATE sources SET published_date = '2018' WHERE id = ?").run(goodSource);
  return { e, a, l, s: { good: goodSource, poor: poorSource, dated } };
}

function entityNames(db: CaseDb, filters: CaseFilters, extra: Record<string, unknown> = {}): string[] {
  return run(db, 'entities.page', { startRow: 0, endRow: 1000, filters: { ...filters, asOf: AS_OF }, ...extra }).rows.map((r) => r.name);
}

function linkTypes(db: CaseDb, filters: CaseFilters): string[] {
  return run(db, 'links.page', { startRow: 0, endRow: 1000, sort: [{ colId: 'type', sort: 'asc' }], filters: { ...filters, asOf: AS_OF } }).rows.map((r) => r.type);
}

function sourceTitles(db: CaseDb, filters: CaseFilters): string[] {
  return run(db, 'sources.page', { startRow: 0, endRow: 1000, sort: [{ colId: 'title', sort: 'asc' }], filters: { ...filters, asOf: AS_OF } }).rows.map((r) => r.title);
}

const f = (part: Partial<CaseFilters>): CaseFilters => ({ ...NO_FILTERS, ...part });

describe('the shared filters in the entities grid', () => {
  it('keeps every entity without filters, and with an empty filter set', () => {
    const { db } = newCase();
    buildCase(db);
    expect(entityNames(db, NO_FILTERS)).toHaveLength(7);
    expect(run(db, 'entities.page', { startRow: 0, endRow: 100 }).total).toBe(7);
  });

  it('filters by entity type and by country', () => {
    const { db } = newCase();
    buildCase(db);
    expect(entityNames(db, f({ entityTypes: ['person', 'product'] }))).toEqual(['Mikhail Pogosyan', 'Orlan-10']);
    expect(entityNames(db, f({ countries: ['CN'] }))).toEqual(['Beihang University', 'Northwestern Polytechnical University', 'Unlinked institute']);
    expect(entityNames(db, f({ entityTypes: ['organisation'], countries: ['RU'] }))).toEqual(['Moscow Aviation Institute']);
  });

  it('filters by area: tagged itself, or at an end of a link tagged with the area or a sub-area', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    expect(entityNames(db, f({ areaIds: [a.drones] }))).toEqual(['Northwestern Polytechnical University', 'Orlan-10', 'Unlinked institute']);
    // The parent area takes in drones, aero-engines and the link tagged with the parent itself.
    expect(entityNames(db, f({ areaIds: [a.aero] }))).toEqual(['Beihang University', 'Moscow Aviation Institute', 'Northwestern Polytechnical University', 'Orlan-10', 'Unlinked institute']);
  });

  it('filters by link type, source grade and period through the links that remain', () => {
    const { db } = newCase();
    buildCase(db);
    expect(entityNames(db, f({ linkTypes: ['works for'] }))).toEqual(['Mikhail Pogosyan', 'Moscow Aviation Institute']);
    // Only links cited from a B source: E-graded and uncited links drop out.
    expect(entityNames(db, f({ minReliability: 'B' }))).toEqual(['Beihang University', 'Mikhail Pogosyan', 'Moscow Aviation Institute', 'Northwestern Polytechnical University']);
    expect(entityNames(db, f({ minReliability: 'A' }))).toEqual([]);
    expect(entityNames(db, f({ period: { from: '2023-01-01', to: '2023-12-31' } }))).toEqual(['Northwestern Polytechnical University', 'Orlan-10']);
  });

  it('combines entity and link filters as the graph does: a link needs both ends to pass', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    // NWPU–Orlan is a drones link, but Orlan is a product: the link goes, and NWPU with it; the lonely institute is tagged itself.
    expect(entityNames(db, f({ areaIds: [a.drones], entityTypes: ['organisation'] }))).toEqual(['Unlinked institute']);
    expect(entityNames(db, f({ countries: ['CN', 'RU'], minReliability: 'B', period: { from: '2015-06-01', to: '2015-06-30' } }))).toEqual(['Mikhail Pogosyan', 'Moscow Aviation Institute']);
  });

  it('adds to the column filters, the quick filter and the toolbar area', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    expect(entityNames(db, f({ countries: ['CN'] }), { quick: 'university' })).toEqual(['Beihang University', 'Northwestern Polytechnical University']);
    expect(entityNames(db, f({ countries: ['CN'] }), { filter: { name: { filterType: 'text', type: 'startsWith', filter: 'North' } } })).toEqual(['Northwestern Polytechnical University']);
    expect(entityNames(db, f({ countries: ['CN'] }), { areaId: a.drones })).toEqual(['Unlinked institute']);
  });
});

describe('the shared filters in the links grid', () => {
  it('filters by link type, area, grade and the entity types and countries of both ends', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    expect(linkTypes(db, NO_FILTERS)).toEqual(['developed', 'joint programme', 'member of', 'visited', 'works for']);
    expect(linkTypes(db, f({ linkTypes: ['visited', 'developed'] }))).toEqual(['developed', 'visited']);
    expect(linkTypes(db, f({ areaIds: [a.aero] }))).toEqual(['developed', 'joint programme', 'member of']);
    expect(linkTypes(db, f({ minReliability: 'C' }))).toEqual(['joint programme', 'member of', 'works for']);
    expect(linkTypes(db, f({ minReliability: 'E' }))).toEqual(['developed', 'joint programme', 'member of', 'works for']);
    expect(linkTypes(db, f({ entityTypes: ['organisation'] }))).toEqual(['joint programme', 'member of']);
    expect(linkTypes(db, f({ countries: ['RU'] }))).toEqual(['works for']);
  });

  it('keeps links whose partial dates overlap the period, open links running on to today', () => {
    const { db } = newCase();
    buildCase(db);
    const period = (from: string, to: string) => linkTypes(db, f({ period: { from, to } }));
    // 2017 to 2019-06 covers the whole of 2017 and June 2019.
    expect(period('2017-01-01', '2017-01-01')).toEqual(['joint programme']);
    expect(period('2019-06-30', '2019-07-15')).toEqual(['joint programme']);
    expect(period('2019-07-01', '2019-12-31')).toEqual([]);
    // Started in 2015 and ended: the year 2015 only.
    expect(period('2015-12-31', '2016-01-01')).toEqual(['works for']);
    // Started 2022-03 and not ended: runs on to today (2026-06-30 in these tests).
    expect(period('2026-01-01', '2026-12-31')).toEqual(['developed']);
    expect(period('2022-02-01', '2022-02-28')).toEqual([]);
    // Only an end date: that day.
    expect(period('2024-05-16', '2024-05-16')).toEqual(['developed', 'visited']);
    // An undated link is never in a period.
    expect(period('1900-01-01', '2100-12-31')).not.toContain('member of');
  });
});

describe('the shared filters in the sources grid', () => {
  it('filters by area (tagged itself or through an excerpt), grade and publication date', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    expect(sourceTitles(db, NO_FILTERS)).toEqual(['Annual report 2021', 'Anonymous forum post', 'RFE/RL on defence universities']);
    expect(sourceTitles(db, f({ areaIds: [a.engines] }))).toEqual(['RFE/RL on defence universities']);
    expect(sourceTitles(db, f({ areaIds: [a.drones] }))).toEqual(['Anonymous forum post']);
    expect(sourceTitles(db, f({ areaIds: [a.aero] }))).toEqual(['Anonymous forum post', 'RFE/RL on defence universities']);
    expect(sourceTitles(db, f({ minReliability: 'B' }))).toEqual(['Annual report 2021', 'RFE/RL on defence universities']);
    expect(sourceTitles(db, f({ period: { from: '2021-11-30', to: '2022-01-31' } }))).toEqual(['Annual report 2021']);
    expect(sourceTitles(db, f({ period: { from: '2018-12-31', to: '2021-10-31' } }))).toEqual(['RFE/RL on defence universities']);
    // Entity and link filters say nothing about sources.
    expect(sourceTitles(db, f({ entityTypes: ['person'], linkTypes: ['visited'], countries: ['CN'] }))).toHaveLength(3);
    expect(sourceTitles(db, f({ areaIds: [a.aero], minReliability: 'B', period: { from: '2018-01-01', to: '2018-01-01' } }))).toEqual(['RFE/RL on defence universities']);
  });

  it('refuses a period that ends before it starts and a grade that does not exist', () => {
    const { db } = newCase();
    buildCase(db);
    expect(() => run(db, 'sources.page', { startRow: 0, endRow: 10, filters: { period: { from: '2020-01-02', to: '2020-01-01' } } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'entities.page', { startRow: 0, endRow: 10, filters: { minReliability: 'G' as ReliabilityGrade } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'links.page', { startRow: 0, endRow: 10, filters: { period: { from: '2020-02-30', to: '2020-03-01' } } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('the grids and the graph agree on what the filters keep', () => {
  function graphVisibility(db: CaseDb, filters: CaseFilters): { entities: string[]; links: string[] } {
    const graph = createCaseGraph();
    syncGraph(graph, run(db, 'graph.load', {}));
    const areas = run(db, 'areas.list', {});
    const { nodes, edges } = computeVisibility(graph, filters, { areas, hiddenByHand: new Set(), expanded: new Set(), asOf: AS_OF });
    return { entities: [...nodes].sort(), links: [...edges].sort() };
  }

  it('for every single filter and several combinations', () => {
    const { db } = newCase();
    const { a } = buildCase(db);
    const cases: CaseFilters[] = [
      NO_FILTERS,
      f({ areaIds: [a.aero] }),
      f({ areaIds: [a.drones, a.weapons] }),
      f({ entityTypes: ['organisation'] }),
      f({ linkTypes: ['joint programme', 'visited'] }),
      f({ countries: ['CN'] }),
      f({ minReliability: 'B' }),
      f({ minReliability: 'E' }),
      f({ period: { from: '2018-01-01', to: '2018-12-31' } }),
      f({ period: { from: '2025-01-01', to: '2026-12-31' } }),
      f({ areaIds: [a.aero], entityTypes: ['organisation', 'product'], minReliability: 'E' }),
      f({ countries: ['CN', 'RU'], linkTypes: ['developed', 'member of'], period: { from: '2000-01-01', to: '2030-01-01' } }),
    ];
    for (const filters of cases) {
      const graph = graphVisibility(db, filters);
      const entities = run(db, 'entities.page', { startRow: 0, endRow: 1000, filters: { ...filters, asOf: AS_OF } }).rows.map((r) => r.id);
      const links = run(db, 'links.page', { startRow: 0, endRow: 1000, filters: { ...filters, asOf: AS_OF } }).rows.map((r) => r.id);
      expect([...entities].sort(), JSON.stringify(filters)).toEqual(graph.entities);
      expect([...links].sort(), JSON.stringify(filters)).toEqual(graph.links);
    }
  });
});

describe('network measures in the entities grid', () => {
  function measured(db: CaseDb, fx: Fixture) {
    const { e } = fx;
    run(db, 'graph.saveMetrics', {
      metrics: [
        { id: e.beihang, degree: 3, betweenness: 0.5, pagerank: 0.3, community: 0 },
        { id: e.mai, degree: 2, betweenness: 0.25, pagerank: 0.2, community: 0 },
        { id: e.nwpu, degree: 2, betweenness: 0.1, pagerank: 0.15, community: 1 },
        { id: e.orlan, degree: 1, betweenness: 0, pagerank: 0.05, community: 1 },
      ],
    });
  }
  const names = (db: CaseDb, colId: string, sort: 'asc' | 'desc', startRow = 0, endRow = 100) =>
    run(db, 'entities.page', { startRow, endRow, sort: [{ colId, sort }] }).rows.map((r) => r.name);

  it('shows betweenness and PageRank as blank until the graph has computed them, and degree always', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    const before = run(db, 'entities.page', { startRow: 0, endRow: 100 }).rows;
    expect(before.every((r) => r.betweenness === null && r.pagerank === null && r.metricsComputedAt === null)).toBe(true);
    expect(Object.fromEntries(before.map((r) => [r.name, r.linkCount]))).toMatchObject({ 'Beihang University': 3, 'Moscow Aviation Institute': 2, 'Unlinked institute': 0 });
    measured(db, fx);
    const after = new Map(run(db, 'entities.page', { startRow: 0, endRow: 100 }).rows.map((r) => [r.name, r]));
    expect(after.get('Beihang University')).toMatchObject({ betweenness: 0.5, pagerank: 0.3, metricsComputedAt: expect.any(String) });
    // Measured at 0 is a value, not a blank.
    expect(after.get('Orlan-10')).toMatchObject({ betweenness: 0, pagerank: 0.05 });
    expect(after.get('Mikhail Pogosyan')).toMatchObject({ betweenness: null, pagerank: null });
  });

  it('sorts by PageRank and betweenness either way, with unmeasured entities last by name', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    measured(db, fx);
    const unmeasured = ['Mikhail Pogosyan', 'Unlinked institute', 'Visiting delegation'];
    expect(names(db, 'pagerank', 'desc')).toEqual(['Beihang University', 'Moscow Aviation Institute', 'Northwestern Polytechnical University', 'Orlan-10', ...unmeasured]);
    expect(names(db, 'pagerank', 'asc')).toEqual(['Orlan-10', 'Northwestern Polytechnical University', 'Moscow Aviation Institute', 'Beihang University', ...unmeasured]);
    expect(names(db, 'betweenness', 'desc')).toEqual(['Beihang University', 'Moscow Aviation Institute', 'Northwestern Polytechnical University', 'Orlan-10', ...unmeasured]);
    // Pages that straddle the measured and unmeasured entities join up.
    expect([...names(db, 'pagerank', 'desc', 0, 3), ...names(db, 'pagerank', 'desc', 3, 5), ...names(db, 'pagerank', 'desc', 5, 9)]).toEqual(names(db, 'pagerank', 'desc'));
    expect(run(db, 'entities.page', { startRow: 5, endRow: 9, sort: [{ colId: 'pagerank', sort: 'desc' }] }).total).toBe(7);
  });

  it('sorts by degree as the graph counts it', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    const desc = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'degree', sort: 'desc' }] }).rows;
    expect(desc.map((r) => r.linkCount)).toEqual([3, 2, 2, 1, 1, 1, 0]);
    expect(desc[0]?.name).toBe('Beihang University');
    for (const to of [fx.e.orlan, fx.e.mai, fx.e.nwpu, fx.e.beihang, fx.e.rector]) run(db, 'links.create', { fields: { fromId: fx.e.lonely, toId: to, type: 'visited' } });
    expect(names(db, 'degree', 'desc')[0]).toBe('Unlinked institute');
    expect(names(db, 'degree', 'asc')[0]).toBe('Visiting delegation');
    const graph = createCaseGraph();
    syncGraph(graph, run(db, 'graph.load', {}));
    for (const row of run(db, 'entities.page', { startRow: 0, endRow: 100 }).rows) expect(row.linkCount, row.name).toBe(graph.degree(row.id));
  });

  it('keeps every degree true through link edits, deletions, entity merges, undo and redo', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    const live = db.prepare('SELECT (SELECT count(*) FROM links WHERE from_id = e.id) + (SELECT count(*) FROM links WHERE to_id = e.id) FROM entities e WHERE e.id = ?').pluck();
    const check = (step: string) => {
      const rows = run(db, 'entities.page', { startRow: 0, endRow: 100 }).rows;
      for (const row of rows) expect(row.linkCount, `${row.name} after ${step}`).toBe(live.get(row.id));
      // Only linked entities have a kept count; none is left at zero.
      expect(db.prepare('SELECT count(*) FROM entity_degrees WHERE degree <= 0').pluck().get(), step).toBe(0);
      const byDegree = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'degree', sort: 'desc' }] }).rows.map((r) => r.linkCount);
      expect(byDegree, step).toEqual([...byDegree].sort((a, b) => b - a));
    };
    check('building the case');
    run(db, 'links.update', { id: fx.l.drones, fields: { fromId: fx.e.lonely, toId: fx.e.orlan, type: 'developed', startDate: '2022-03' } });
    check('pointing a link at another entity');
    run(db, 'links.delete', { id: fx.l.visit });
    check('deleting a link');
    run(db, 'entities.delete', { id: fx.e.mai, withLinks: true });
    check('deleting an entity with its links');
    run(db, 'history.undo', {});
    check('undoing the deletion');
    expect(live.get(fx.e.mai)).toBe(2);
    run(db, 'entities.merge', { survivorId: fx.e.beihang, mergedId: fx.e.nwpu });
    check('merging two entities');
    run(db, 'history.undo', {});
    check('undoing the merge');
    run(db, 'history.redo', {});
    check('redoing the merge');
  });

  it('pages by degree either way, linked and unlinked entities joining up, within the shared filters', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    run(db, 'links.create', { fields: { fromId: fx.e.rector, toId: fx.e.beihang, type: 'visited' } });
    for (const dir of ['asc', 'desc'] as const) {
      const all = names(db, 'degree', dir);
      expect(all).toHaveLength(7);
      expect([...names(db, 'degree', dir, 0, 2), ...names(db, 'degree', dir, 2, 5), ...names(db, 'degree', dir, 5, 9)]).toEqual(all);
    }
    expect(names(db, 'degree', 'asc')[0]).toBe('Unlinked institute');
    expect(names(db, 'degree', 'desc').at(-1)).toBe('Unlinked institute');
    const chinese = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'degree', sort: 'desc' }], filters: { countries: ['CN'] } });
    expect(chinese.rows.map((r) => [r.name, r.linkCount])).toEqual([
      ['Beihang University', 4],
      ['Northwestern Polytechnical University', 2],
      ['Unlinked institute', 0],
    ]);
    expect(chinese.total).toBe(3);
  });

  it('sorts by a measure within the shared filters', () => {
    const { db } = newCase();
    const fx = buildCase(db);
    measured(db, fx);
    const page = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'pagerank', sort: 'desc' }], filters: { countries: ['CN'] } });
    expect(page.rows.map((r) => r.name)).toEqual(['Beihang University', 'Northwestern Polytechnical University', 'Unlinked institute']);
    expect(page.total).toBe(3);
  });

  it('offers the link types and countries in use to the filter pickers', () => {
    const { db } = newCase();
    buildCase(db);
    expect(run(db, 'entities.filterOptions', {})).toEqual({ linkTypes: ['developed', 'joint programme', 'member of', 'visited', 'works for'], countries: ['CN', 'RU'] });
  });
});

describe('sorting by a measure reads in index order on a large case', () => {
  it('PageRank and betweenness pages come off the measure index, unmeasured entities off the name index', () => {
    const { db } = newCase('plans.caseboard');
    const { entityIds } = fillCase(db, 3000, 9000);
    const measuredIds = entityIds.filter((_id, i) => i % 3 !== 0);
    run(db, 'graph.saveMetrics', { metrics: measuredIds.map((id, i) => ({ id, degree: i % 7, betweenness: (i % 13) / 13, pagerank: (i % 101) / 1000 })) });
    for (const colId of ['pagerank', 'betweenness'] as const) {
      for (const sort of ['asc', 'desc'] as const) {
        // A page among the measured entities, then one past them.
        for (const startRow of [200, measuredIds.length + 100]) {
          const { statements, result } = recordStatements(db, () => run(db, 'entities.page', { startRow, endRow: startRow + 100, sort: [{ colId, sort }] }));
          expect(result.rows).toHaveLength(100);
          const plans = statements.filter((s) => /LIMIT \? OFFSET \?/.test(s.sql)).map((s) => queryPlan(db, s).join(' | '));
          expect(plans.length).toBeGreaterThan(0);
          for (const plan of plans) {
            expect(plan, plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
            expect(plan).toMatch(startRow < measuredIds.length ? new RegExp(`SCAN m USING (COVERING )?INDEX graph_metrics_${colId}`) : /SCAN e USING (COVERING )?INDEX entities_name/);
          }
        }
      }
    }
  });

  it('link filters find their links through the link type, area tag and citation indexes', () => {
    const { db } = newCase('plans.caseboard');
    fillCase(db, 3000, 9000);
    const plan = (name: 'entities.page' | 'links.page', filters: CaseFilters) =>
      recordStatements(db, () => run(db, name, { startRow: 0, endRow: 100, filters }))
        .statements.map((st) => queryPlan(db, st).join(' | '))
        .join(' || ');
    const all = f({ linkTypes: ['joint programme'], areaIds: [areaId(db, 'aerospace and aeronautics')], minReliability: 'B' });
    for (const name of ['entities.page', 'links.page'] as const) {
      expect(plan(name, f({ linkTypes: ['joint programme'] }))).toMatch(/USING INDEX links_type \(type=\?/);
      const combined = plan(name, all);
      expect(combined).toMatch(/area_tags_area \(area_id=\?\)/);
      expect(combined).toMatch(/citations_link/);
      expect(combined, combined).not.toMatch(/SCAN (l|kl)( |$)/);
    }
  });

  it('degree is read off the kept counts\' index, never by counting links', () => {
    const { db } = newCase('plans.caseboard');
    fillCase(db, 3000, 9000);
    const { statements } = recordStatements(db, () => run(db, 'entities.page', { startRow: 100, endRow: 200, sort: [{ colId: 'degree', sort: 'desc' }] }));
    const plan = queryPlan(db, statements.find((s) => /LIMIT \? OFFSET \?/.test(s.sql))!).join(' | ');
    expect(plan).toMatch(/SCAN d USING COVERING INDEX entity_degrees_by_degree/);
    expect(plan).not.toMatch(/links|TEMP B-TREE/);
  });
});
