import { topOf } from '../../renderer/src/graph/top-of';
import { describe, expect, it } from 'vitest';
import { packGraph, unpackGraph, type GraphData, type GraphEdge, type GraphNode } from '../../shared/graph';
import { caseFilters, expandAreas, filterChips, linkInPeriod, linkSpan, meetsGrade, NO_FILTERS, type CaseFilters } from '../../renderer/src/ui/filters';
import { computeMeasures, detectCommunities, findEntities, shortestPath } from '../../renderer/src/graph/analysis';
import { createCaseGraph, placeUnplaced, positionsOf, syncGraph } from '../../renderer/src/graph/case-graph';
import { curveParallelEdges } from '../../renderer/src/graph/appearance';
import { applyFilters } from '../../renderer/src/graph/visibility';
import { insideShape, pointInPolygon, pointsInLasso, SHAPE_BY_TYPE, SHAPE_REACH, shapeArea, shapeOutline, shapePath, shapeRightReach, type NodeShape, type Point } from '../../renderer/src/graph/shapes';
import { ENTITY_TYPES } from '../../shared/model';
import { SAMPLE_ENTITIES, SAMPLE_LINKS } from '../helpers/graph-sample';

const AREAS = [
  { id: 'aero', parentId: null, name: 'aerospace and aeronautics' },
  { id: 'drones', parentId: 'aero', name: 'drones' },
  { id: 'engines', parentId: 'aero', name: 'aero-engines' },
  { id: 'hydro', parentId: 'aero', name: 'hydro-aerodynamics' },
  { id: 'weapons', parentId: null, name: 'advanced weapons' },
];
const AREA_IDS: Record<string, string> = { drones: 'drones', 'aero-engines': 'engines', 'hydro-aerodynamics': 'hydro', 'advanced weapons': 'weapons' };
const AS_OF = '2026-06-30';

/** The sample case as the graph.load operation returns it; IDs are the names. */
function sampleData(): GraphData {
  const nodes: GraphNode[] = SAMPLE_ENTITIES.map((e) => ({
    id: e.name,
    name: e.name,
    type: e.type,
    subtype: e.subtype ?? null,
    country: e.country ?? null,
    aliases: e.aliases ?? [],
    areaIds: [],
    reliability: null,
    x: null,
    y: null,
    pinned: false,
  }));
  const edges: GraphEdge[] = SAMPLE_LINKS.map((l, i) => ({
    id: `link-${i}`,
    from: l.from,
    to: l.to,
    type: l.type,
    direction: l.direction ?? 'directed',
    startDate: l.start ?? null,
    endDate: null,
    status: 'active',
    areaIds: (l.areas ?? []).map((a) => AREA_IDS[a] as string),
    reliability: l.grade,
  }));
  return { nodes, edges, matched: nodes.length, tooLarge: false, limit: 50_000 };
}

function loaded() {
  const graph = createCaseGraph();
  syncGraph(graph, sampleData());
  placeUnplaced(graph);
  return graph;
}

const options = { areas: AREAS, hiddenByHand: new Set<string>(), expanded: new Set<string>(), asOf: AS_OF };
const visible = (graph: ReturnType<typeof loaded>) => graph.filterNodes((_n, a) => !a.hidden).sort();

describe('the packed graph.load answer', () => {
  it('unpacks to the same entities and links, sharing each area once', () => {
    const data = sampleData();
    const packed = packGraph(data);
    expect(unpackGraph(packed)).toEqual(data);
    expect(new Set(packed.areaIds).size).toBe(packed.areaIds.length);
    expect(packed.areaIds.length).toBeGreaterThan(0);
    // Shorter than the objects it stands for.
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(data).length * 0.8);
  });

  it('leaves out links whose ends are not among the entities, and builds the same graph as unpacked data', () => {
    const data = sampleData();
    data.edges.push({ ...(data.edges[0] as GraphEdge), id: 'dangling', to: 'nobody' });
    const packed = packGraph(data);
    expect(unpackGraph(packed).edges.map((e) => e.id)).not.toContain('dangling');
    const fromPacked = createCaseGraph();
    const fromData = createCaseGraph();
    syncGraph(fromPacked, packed);
    syncGraph(fromData, data);
    expect(fromPacked.export()).toEqual(fromData.export());
  });
});

describe('the graph model built from the case', () => {
  it('holds every entity and link, with parallel links drawn apart', () => {
    const graph = loaded();
    expect(graph.order).toBe(20);
    expect(graph.size).toBe(17);
    expect(graph.getNodeAttribute('Beihang University', 'aliases')).toContain('BUAA');
    // Two cooperation agreements leave HIT; they join different partners, so they stay straight.
    expect(graph.getEdgeAttribute('link-13', 'type')).toBe('line');
    expect(graph.getEdgeAttribute('link-0', 'type')).toBe('line');
    expect(graph.getEdgeAttribute('link-9', 'type')).toBe('arrow');
  });

  it('curves several links between the same two entities so each stays visible', () => {
    const data = sampleData();
    data.edges.push({ ...(data.edges[0] as GraphEdge), id: 'link-extra', type: 'agreement', direction: 'directed' });
    const graph = createCaseGraph();
    syncGraph(graph, data);
    const curvatures = ['link-0', 'link-extra'].map((e) => graph.getEdgeAttribute(e, 'curvature'));
    expect(curvatures.some((c) => c !== 0)).toBe(true);
    expect(new Set(curvatures).size).toBe(2);
  });

  it('bends three links between one pair apart, on the side of their own direction, and straightens the one left after a reload', () => {
    const data = sampleData();
    const base = data.edges[0] as GraphEdge;
    data.edges.push({ ...base, id: 'link-back', from: base.to, to: base.from, direction: 'directed' }, { ...base, id: 'link-again', direction: 'directed' });
    const graph = createCaseGraph();
    syncGraph(graph, data);
    const ids = [base.id, 'link-back', 'link-again'];
    const curvatures = ids.map((e) => graph.getEdgeAttribute(e, 'curvature'));
    expect(new Set(curvatures).size).toBe(3);
    expect(curvatures.filter((c) => c === 0)).toHaveLength(1);
    expect(Math.abs(curvatures[0] as number)).toBe(0.5);
    expect(Math.abs(curvatures[2] as number)).toBe(0.5);
    expect(graph.getEdgeAttribute(base.id, 'type')).toBe('curved');
    expect(graph.getEdgeAttribute('link-again', 'type')).toBe('curvedArrow');
    // Links on other pairs stay straight.
    expect(graph.filterEdges((_e, a) => a.curvature !== 0)).toHaveLength(2);
    data.edges = data.edges.filter((e) => e.id !== 'link-back' && e.id !== 'link-again');
    syncGraph(graph, data);
    expect(graph.getEdgeAttributes(base.id)).toMatchObject({ type: 'line', curvature: 0 });
  });

  it('bends parallel links on a first load exactly as bending the whole graph afterwards would', () => {
    let seed = 11;
    const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const nodes = Array.from({ length: 60 }, (_, i): GraphNode => ({ id: `n${String(random(1000)).padStart(3, '0')}-${i}`, name: `E${i}`, type: 'organisation', subtype: null, country: null, aliases: [], areaIds: [], reliability: null, x: i, y: i, pinned: false }));
    const edges = Array.from({ length: 400 }, (_, i): GraphEdge => {
      const from = random(15);
      const to = (from + 1 + random(3)) % 15;
      return { id: `l${i}`, from: (nodes[from] as GraphNode).id, to: (nodes[to] as GraphNode).id, type: 'supplies', direction: random(3) === 0 ? 'mutual' : 'directed', startDate: null, endDate: null, status: 'active', areaIds: [], reliability: null };
    });
    const graph = createCaseGraph();
    syncGraph(graph, { nodes, edges, matched: nodes.length, tooLarge: false, limit: 50_000 });
    const drawn = () => graph.mapEdges((edge, a) => `${edge} ${a.type} ${a.curvature}`);
    const first = drawn();
    expect(graph.filterEdges((_e, a) => a.curvature !== 0).length).toBeGreaterThan(200);
    expect(new Set(graph.mapEdges((_e, a) => a.type))).toEqual(new Set(['arrow', 'line', 'curvedArrow', 'curved']));
    curveParallelEdges(graph);
    expect(drawn()).toEqual(first);
  });

  it('is mutated in place on reload: positions survive, removed items go, the instance stays', () => {
    const graph = loaded();
    graph.mergeNodeAttributes('Orlan-10', { x: 42, y: -7, fixed: true });
    const data = sampleData();
    data.nodes = data.nodes.filter((n) => n.id !== 'Bethany Allen');
    data.edges = data.edges.filter((e) => e.from !== 'Bethany Allen');
    const result = syncGraph(graph, data);
    expect(result.dropped).toBe(2);
    expect(graph.hasNode('Bethany Allen')).toBe(false);
    expect(graph.getNodeAttribute('Orlan-10', 'x')).toBe(42);
    expect(positionsOf(graph, ['Orlan-10'])).toEqual([{ id: 'Orlan-10', x: 42, y: -7, pinned: false }]);
  });

  it('takes saved positions and pins from the case file, and places the rest without overlap', () => {
    const data = sampleData();
    const first = data.nodes[0] as GraphNode;
    data.nodes[0] = { ...first, x: 10, y: 20, pinned: true };
    const graph = createCaseGraph();
    syncGraph(graph, data);
    const placed = placeUnplaced(graph);
    expect(placed).toHaveLength(19);
    expect(graph.getNodeAttributes(first.id)).toMatchObject({ x: 10, y: 20, fixed: true });
    const spots = new Set(graph.mapNodes((_n, a) => `${a.x.toFixed(3)},${a.y.toFixed(3)}`));
    expect(spots.size).toBe(20);
  });
});

describe('filters', () => {
  it('by entity type and country hide entities and their links', () => {
    const graph = loaded();
    const counts = applyFilters(graph, { ...NO_FILTERS, entityTypes: ['person'] }, options);
    expect(visible(graph)).toEqual(['Bethany Allen', 'Vladimir Putin']);
    expect(counts.edges).toBe(0);
    applyFilters(graph, { ...NO_FILTERS, countries: ['CN'] }, options);
    expect(visible(graph)).toContain('Harbin Institute of Technology');
    expect(visible(graph)).not.toContain('Moscow Aviation Institute');
  });

  it('by technology area include sub-areas and show entities through their links', () => {
    const graph = loaded();
    applyFilters(graph, { ...NO_FILTERS, areaIds: ['aero'] }, options);
    expect(visible(graph)).toEqual(
      ['Beihang Aero-Engine Research Institute', 'Beihang University', 'Moscow Aviation Institute', 'Orlan-10', 'Peter the Great St. Petersburg Polytechnic University', 'Special Technology Center', "Xi'an Technological University"].sort(),
    );
    expect(expandAreas(['aero'], AREAS)).toEqual(new Set(['aero', 'drones', 'engines', 'hydro']));
  });

  it('by link type, source grade and period keep only matching links', () => {
    const graph = loaded();
    expect(applyFilters(graph, { ...NO_FILTERS, linkTypes: ['sanctioned'] }, options)).toEqual({ nodes: 4, edges: 3 });
    // The contested membership rests on a C source only.
    applyFilters(graph, { ...NO_FILTERS, minReliability: 'B' }, options);
    expect(graph.getEdgeAttribute('link-4', 'hidden')).toBe(true);
    expect(graph.getEdgeAttribute('link-2', 'hidden')).toBe(false);
    const counts = applyFilters(graph, { ...NO_FILTERS, period: { from: '2023-01-01', to: '2024-12-31' } }, options);
    expect(counts).toEqual({ nodes: 11, edges: 8 });
    expect(applyFilters(graph, { ...NO_FILTERS, period: { from: '2012-01-01', to: '2016-12-31' } }, options)).toEqual({ nodes: 3, edges: 2 });
  });

  it('lets an expanded neighbourhood and hidden entities override the filters', () => {
    const graph = loaded();
    applyFilters(graph, { ...NO_FILTERS, entityTypes: ['person'] }, { ...options, expanded: new Set(['Vladimir Putin', 'Harbin Institute of Technology']) });
    expect(visible(graph)).toEqual(['Bethany Allen', 'Harbin Institute of Technology', 'Vladimir Putin']);
    expect(graph.getEdgeAttribute('link-15', 'hidden')).toBe(false);
    applyFilters(graph, NO_FILTERS, { ...options, hiddenByHand: new Set(['Orlan-10']) });
    expect(visible(graph)).toHaveLength(19);
  });

  it('show as removable chips', () => {
    const filters: CaseFilters = { ...NO_FILTERS, areaIds: ['drones'], linkTypes: ['sanctioned'], minReliability: 'B', period: { from: '2019-01-01', to: '2024-12-31' } };
    const chips = filterChips(filters, (id) => AREAS.find((a) => a.id === id)?.name ?? id);
    expect(chips.map((c) => c.label)).toEqual(['Area: drones', 'Link: sanctioned', 'Sources B or better', 'Period: 2019-01-01 – 2024-12-31']);
    expect(chips[1]?.without(filters).linkTypes).toEqual([]);
    const seen: CaseFilters[] = [];
    const off = caseFilters.subscribe(() => seen.push(caseFilters.get()));
    caseFilters.set(filters);
    caseFilters.set(NO_FILTERS);
    off();
    expect(seen).toEqual([filters, NO_FILTERS]);
  });

  it('draw partial dates honestly: a year covers the whole year, an open link runs on', () => {
    const year = linkSpan({ startDate: '2017', endDate: null, status: 'ended' }, AS_OF);
    expect(year && new Date(year.start * 86_400_000).toISOString().slice(0, 10)).toBe('2017-01-01');
    expect(year && new Date(year.end * 86_400_000).toISOString().slice(0, 10)).toBe('2017-12-31');
    const open = linkSpan({ startDate: '2023-05', endDate: null, status: 'active' }, AS_OF);
    expect(open?.openEnd).toBe(true);
    expect(open && new Date(open.end * 86_400_000).toISOString().slice(0, 10)).toBe(AS_OF);
    expect(linkSpan({ startDate: null, endDate: null, status: 'active' }, AS_OF)).toBeNull();
    expect(linkInPeriod({ startDate: '2017', endDate: null, status: 'ended' }, { from: '2017-12-31', to: '2018-06-30' }, AS_OF)).toBe(true);
    expect(linkInPeriod({ startDate: '2017', endDate: null, status: 'ended' }, { from: '2018-01-01', to: '2018-06-30' }, AS_OF)).toBe(false);
    expect(meetsGrade('A', 'B')).toBe(true);
    expect(meetsGrade('C', 'B')).toBe(false);
    expect(meetsGrade(null, 'F')).toBe(false);
  });
});

describe('analysis', () => {
  it('finds the shortest path through visible links only, ignoring direction', () => {
    const graph = loaded();
    applyFilters(graph, NO_FILTERS, options);
    expect(shortestPath(graph, 'Orlan-10', 'Harbin Institute of Technology')?.nodes).toEqual(['Orlan-10', 'Special Technology Center', 'United States government', 'Harbin Institute of Technology']);
    expect(shortestPath(graph, 'Bethany Allen', 'Orlan-10')).toBeNull();
    applyFilters(graph, NO_FILTERS, { ...options, hiddenByHand: new Set(['United States government']) });
    expect(shortestPath(graph, 'Orlan-10', 'Harbin Institute of Technology')).toBeNull();
  });

  it('finds communities: the HIT cluster apart from the Beihang one', () => {
    const graph = loaded();
    const communities = detectCommunities(graph);
    expect(communities.size).toBe(20);
    expect(communities.get('Vladimir Putin')).toBe(communities.get('Harbin Institute of Technology'));
    expect(communities.get('Moscow Aviation Institute')).toBe(communities.get('Beihang University'));
    expect(communities.get('Beihang University')).not.toBe(communities.get('Harbin Institute of Technology'));
    expect(communities.get('Bethany Allen')).not.toBe(communities.get('Orlan-10'));
    expect(detectCommunities(graph)).toEqual(communities);
  });

  it('measures degree, betweenness and PageRank; HIT is the hub', () => {
    const graph = loaded();
    const measures = computeMeasures(graph);
    const hit = measures.get('Harbin Institute of Technology');
    expect(hit?.degree).toBe(6);
    const top = [...measures.entries()].sort((a, b) => b[1].pagerank - a[1].pagerank)[0]?.[0];
    expect(top).toBe('Harbin Institute of Technology');
    const broker = [...measures.entries()].sort((a, b) => b[1].betweenness - a[1].betweenness)[0]?.[0];
    expect(['Special Technology Center', 'United States government', 'Harbin Institute of Technology']).toContain(broker);
    expect(measures.get('State Administration of Science, Technology and Industry for National Defence')).toMatchObject({ degree: 0, betweenness: 0 });
  });

  it('finds an entity by name or by an alias in any script', () => {
    const graph = loaded();
    expect(findEntities(graph, 'BUAA')).toEqual(['Beihang University']);
    expect(findEntities(graph, 'Сколтех')).toEqual(['Skolkovo Institute of Science and Technology']);
    expect(findEntities(graph, 'harbin')[0]).toBe('Harbin Institute of Technology');
    expect(findEntities(graph, '')).toEqual([]);
  });
});

describe('entity shapes', () => {
  const shapes = Object.values(SHAPE_BY_TYPE);

  it('gives every entity type its own shape', () => {
    expect(ENTITY_TYPES.map((t) => SHAPE_BY_TYPE[t])).toEqual(['square', 'circle', 'diamond', 'triangle', 'hexagon', 'star']);
    expect(new Set(shapes).size).toBe(ENTITY_TYPES.length);
  });

  it('draws shapes of about the same area as the circle, all within the reach the renderer draws', () => {
    for (const shape of shapes) {
      expect(shapeArea(shape) / Math.PI, shape).toBeGreaterThan(0.6);
      expect(shapeArea(shape) / Math.PI, shape).toBeLessThan(1.1);
      for (const [x, y] of shapeOutline(shape, 0, 0, 1) ?? []) expect(Math.hypot(x, y), shape).toBeLessThanOrEqual(SHAPE_REACH);
      expect(shapeRightReach(shape)).toBeGreaterThanOrEqual(1);
    }
  });

  it('puts corners where the shape names say, on screen (y down)', () => {
    const square = shapeOutline('square', 0, 0, 1) as Point[];
    expect(square.map(([x, y]) => [Math.sign(Math.round(x * 100)), Math.sign(Math.round(y * 100))])).toEqual([[1, -1], [1, 1], [-1, 1], [-1, -1]]);
    const triangle = shapeOutline('triangle', 10, 10, 2) as Point[];
    expect(triangle[0]?.[0]).toBeCloseTo(10);
    expect(triangle[0]?.[1]).toBeLessThan(10);
    expect(shapeOutline('star', 0, 0, 1)).toHaveLength(10);
    expect(shapeOutline('circle', 0, 0, 1)).toBeNull();
  });

  it('tells inside from outside for each shape', () => {
    const cases: [NodeShape, Point, boolean][] = [
      ['circle', [0.7, 0.7], true],
      ['circle', [0.75, 0.75], false],
      ['square', [0.85, 0.85], true],
      ['diamond', [0.85, 0.85], false],
      ['diamond', [0, 1.2], true],
      ['triangle', [0, -1.2], true],
      ['triangle', [0, 1.0], false],
      ['star', [0, -1.2], true],
      ['star', [0, 0.9], false],
    ];
    for (const [shape, [x, y], inside] of cases) expect(insideShape(shape, x, y), `${shape} ${x},${y}`).toBe(inside);
  });

  it('writes closed SVG paths', () => {
    expect(shapePath('square', 0, 0, 10)).toMatch(/^M9\.0,-9\.0 L9\.0,9\.0 L-9\.0,9\.0 L-9\.0,-9\.0 Z$/);
    expect(shapePath('circle', 5, 5, 2)).toContain(' a2.0,2.0 ');
  });
});

describe('lasso selection', () => {
  const square: Point[] = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ];

  it('finds points inside a polygon, concave ones included', () => {
    expect(pointInPolygon([5, 5], square)).toBe(true);
    expect(pointInPolygon([15, 5], square)).toBe(false);
    const u: Point[] = [
      [0, 0],
      [3, 0],
      [3, 7],
      [7, 7],
      [7, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ];
    expect(pointInPolygon([5, 3], u)).toBe(false);
    expect(pointInPolygon([5, 9], u)).toBe(true);
    expect(pointInPolygon([1, 1], u)).toBe(true);
    expect(pointInPolygon([1, 1], [[0, 0], [5, 5]])).toBe(false);
  });

  it('selects the entities inside the lasso and ignores a click-sized one', () => {
    const entities = [
      { id: 'in', x: 5, y: 5 },
      { id: 'out', x: 50, y: 5 },
      { id: 'edge-out', x: 10.5, y: 5 },
    ];
    expect(pointsInLasso(entities, square)).toEqual(['in']);
    expect(pointsInLasso(entities, [[5, 5], [6, 6], [5, 6]])).toEqual([]);
    expect(pointsInLasso(entities, [[0, 0], [10, 0]])).toEqual([]);
  });
});

describe('the ranking of entities by a measure', () => {
  it('keeps the same first entities a full sort would, ties broken by name, without sorting them all', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: `e${i}`, label: `Entity ${Math.floor(random() * 500)}`, score: Math.floor(random() * 20) }));
    const before = (a: (typeof rows)[number], b: (typeof rows)[number]) => b.score - a.score || a.label.localeCompare(b.label);
    for (const count of [1, 15, 40]) {
      const top = topOf(count, before);
      for (const row of rows) top.offer(row);
      expect(top.best()).toEqual([...rows].sort(before).slice(0, count));
    }
    const few = topOf(15, before);
    rows.slice(0, 3).forEach((row) => few.offer(row));
    expect(few.best()).toEqual(rows.slice(0, 3).sort(before));
  });
});
