import { readFileSync } from 'node:fs';
import path from 'node:path';
import Sigma from 'sigma';
import { describe, expect, it, vi } from 'vitest';
import type { EdgeAttrs, NodeAttrs } from '../../renderer/src/graph/case-graph';
import { CaseSigma, edgeDisplay, HOVER_FADE_LIMIT, nodeDisplay, PATH_COLOUR, type DisplayState } from '../../renderer/src/graph/display';
import { namePlacer, type NameData } from '../../renderer/src/graph/name-placer';
import type { Settings } from 'sigma/settings';

// Sigma reads WebGL's constants as it loads; the functions tested here draw nothing.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.WebGL2RenderingContext ??= class {};
  g.WebGLRenderingContext ??= class {};
});

const node = (over: Partial<NodeAttrs> = {}): NodeAttrs => ({
  label: 'Harbin Works',
  x: 1.25,
  y: -3.5,
  size: 6,
  color: '#2458b3',
  hidden: false,
  fixed: false,
  entityType: 'organisation',
  subtype: 'factory',
  country: 'CN',
  aliases: ['HW', 'Харбин'],
  areaIds: ['area-1'],
  reliability: 'B',
  unplaced: false,
  degree: 3,
  betweenness: 0.5,
  pagerank: 0.01,
  community: 2,
  ...over,
});

const edge = (over: Partial<EdgeAttrs> = {}): EdgeAttrs => ({
  label: 'supplies',
  linkType: 'supplies',
  color: '#8a94a6',
  size: 2,
  hidden: false,
  type: 'curvedArrow',
  curvature: 0.25,
  direction: 'directed',
  status: 'active',
  startDate: '2019',
  endDate: null,
  areaIds: [],
  reliability: null,
  ...over,
});

const state = (over: Partial<DisplayState> = {}): DisplayState => ({
  highlight: { selected: new Set(), hovered: null, hoveredEdge: null, path: null },
  dragged: null,
  overview: false,
  order: 1_000,
  areNeighbours: (a, b) => [a, b].sort().join() === 'a,b',
  hasExtremity: (e, n) => e === 'ab' && (n === 'a' || n === 'b'),
  ...over,
});

/** Every field sigma's own defaults would give an entity or a link, which its programs and label drawing read. */
const NODE_FIELDS = ['x', 'y', 'size', 'color', 'label', 'hidden', 'forceLabel', 'highlighted', 'type', 'zIndex'];
const EDGE_FIELDS = ['size', 'color', 'label', 'hidden', 'forceLabel', 'type', 'zIndex'];

describe('what sigma draws for an entity or a link', () => {
  it('is made afresh from the attributes, complete, and never changes them', () => {
    const attrs = node();
    const before = structuredClone(attrs);
    const shown = nodeDisplay('a', attrs, state({ highlight: { selected: new Set(['a']), hovered: 'c', hoveredEdge: null, path: null } }));
    expect(attrs).toEqual(before);
    expect(shown).not.toBe(attrs);
    for (const field of NODE_FIELDS) expect(shown, field).toHaveProperty(field);
    // Case data the picture never draws is not copied along; what the hover card and shapes read is.
    expect(Object.keys(shown)).not.toContain('areaIds');
    expect(shown).toMatchObject({ x: 1.25, y: -3.5, label: 'Harbin Works', type: 'shape', entityType: 'organisation', aliases: ['HW', 'Харбин'] });

    const link = edge();
    const linkBefore = structuredClone(link);
    const drawn = edgeDisplay('ab', link, state({ highlight: { selected: new Set(), hovered: null, hoveredEdge: 'ab', path: null } }));
    expect(link).toEqual(linkBefore);
    for (const field of EDGE_FIELDS) expect(drawn, field).toHaveProperty(field);
    expect(drawn).toMatchObject({ type: 'curvedArrow', curvature: 0.25, label: 'supplies (2019–)', size: 3.5, zIndex: 3 });
  });

  it('names every entity of a small picture, and leaves a larger one to thin names out', () => {
    expect(nodeDisplay('a', node(), state({ order: 60 })).forceLabel).toBe(true);
    expect(nodeDisplay('a', node(), state({ order: 61 })).forceLabel).toBe(false);
  });

  it('draws a selected entity highlighted and on top, and a dragged one where the pointer is', () => {
    expect(nodeDisplay('a', node(), state({ highlight: { selected: new Set(['a']), hovered: null, hoveredEdge: null, path: null } }))).toMatchObject({
      forceLabel: true,
      highlighted: true,
      zIndex: 3,
    });
    expect(nodeDisplay('a', node(), state({ dragged: { node: 'a', x: 9, y: 8 } }))).toMatchObject({ x: 9, y: 8 });
    expect(nodeDisplay('b', node(), state({ dragged: { node: 'a', x: 9, y: 8 } }))).toMatchObject({ x: 1.25, y: -3.5 });
  });

  it('fades what is not beside the hovered entity in a small picture only', () => {
    const hovering = { selected: new Set<string>(), hovered: 'a', hoveredEdge: null, path: null };
    expect(nodeDisplay('b', node(), state({ highlight: hovering })).color).toBe('#2458b3');
    expect(nodeDisplay('c', node(), state({ highlight: hovering })).color).not.toBe('#2458b3');
    expect(nodeDisplay('c', node(), state({ highlight: hovering, order: HOVER_FADE_LIMIT + 1 })).color).toBe('#2458b3');
    expect(edgeDisplay('ab', edge(), state({ highlight: hovering })).color).toBe('#8a94a6');
    expect(edgeDisplay('cd', edge(), state({ highlight: hovering })).color).not.toBe('#8a94a6');
  });

  it('shows a found path in its colour and fades the rest, even in an overview', () => {
    const path = { nodes: new Set(['a', 'b']), edges: new Set(['ab']) };
    const highlight = { selected: new Set<string>(), hovered: null, hoveredEdge: null, path };
    expect(nodeDisplay('a', node(), state({ highlight }))).toMatchObject({ highlighted: true, forceLabel: true, zIndex: 2 });
    expect(nodeDisplay('c', node(), state({ highlight }))).toMatchObject({ label: null, zIndex: 0 });
    expect(edgeDisplay('ab', edge(), state({ highlight, overview: true }))).toMatchObject({ color: PATH_COLOUR, size: 6, zIndex: 2, type: 'curvedArrow' });
    expect(edgeDisplay('cd', edge(), state({ highlight, overview: true }))).toMatchObject({ type: 'hairline' });
  });

  it('draws an overview as dots and hairlines', () => {
    expect(nodeDisplay('a', node(), state({ overview: true })).type).toBe('dot');
    expect(edgeDisplay('ab', edge(), state({ overview: true })).type).toBe('hairline');
    expect(edgeDisplay('ab', edge({ type: 'arrow' }), state()).type).toBe('arrow');
  });
});

describe('the sigma the graph view uses', () => {
  it('replaces only how sigma 3.0.3 takes display data, keeping what its own methods keep', () => {
    // The replacements write sigma's private fields: a new sigma must be looked at again before it is taken.
    const pkg = JSON.parse(readFileSync(require.resolve('sigma/package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe('3.0.3');
    const internals = Sigma.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const own = CaseSigma.prototype as unknown as Record<string, unknown>;
    expect(Object.hasOwn(own, 'addNode') && Object.hasOwn(own, 'addEdge')).toBe(true);
    const nodeSource = String(internals.addNode);
    for (const field of ['nodeDataCache', 'nodesWithForcedLabels', 'highlightedNodes', 'nodeZExtent', 'nodeReducer']) expect(nodeSource).toContain(field);
    const edgeSource = String(internals.addEdge);
    for (const field of ['edgeDataCache', 'edgesWithForcedLabels', 'edgeZExtent', 'edgeReducer']) expect(edgeSource).toContain(field);
    // Sigma's own methods call the reducers nowhere else (the build the renderer bundles).
    const sigmaSource = readFileSync(path.join(path.dirname(require.resolve('sigma/package.json')), 'dist', 'sigma.esm.js'), 'utf8');
    expect(sigmaSource.match(/settings\.nodeReducer\(/g)).toHaveLength(1);
    expect(sigmaSource.match(/settings\.edgeReducer\(/g)).toHaveLength(1);
  });
});

describe('names in the picture', () => {
  const settings = { labelSize: 13, labelWeight: '600', labelFont: 'sans-serif' } as unknown as Settings;
  const context = { font: '', measureText: (text: string) => ({ width: 7 * text.length }) } as unknown as CanvasRenderingContext2D;
  const placed = () => {
    const drawn: string[] = [];
    const names = namePlacer<NameData>((_context, data) => drawn.push(data.label ?? ''));
    return { drawn, names };
  };

  it('leaves out a name that would cover one already drawn, and draws names apart from each other', () => {
    const { drawn, names } = placed();
    names.draw(context, { x: 100, y: 100, size: 4, label: 'Harbin Institute of Technology' }, settings);
    // Same row, starting inside the first name's box.
    names.draw(context, { x: 180, y: 104, size: 4, label: 'Bauman Moscow State Technical University' }, settings);
    // Just below, closer than a name's height and the gap kept around names.
    names.draw(context, { x: 100, y: 112, size: 4, label: 'Beihang University' }, settings);
    // Well clear of both.
    names.draw(context, { x: 100, y: 140, size: 4, label: 'Orlan-10' }, settings);
    names.draw(context, { x: 400, y: 100, size: 4, label: 'Moscow Aviation Institute' }, settings);
    expect(drawn).toEqual(['Harbin Institute of Technology', 'Orlan-10', 'Moscow Aviation Institute']);
  });

  it('always draws a name that must show, and starts afresh with each frame', () => {
    const { drawn, names } = placed();
    names.draw(context, { x: 100, y: 100, size: 4, label: 'Harbin Institute of Technology' }, settings);
    names.draw(context, { x: 120, y: 100, size: 4, label: 'Selected entity', forceLabel: true }, settings);
    names.newFrame();
    names.draw(context, { x: 130, y: 100, size: 4, label: 'Beihang University' }, settings);
    names.draw(context, { x: 100, y: 100, size: 4, label: '' }, settings);
    expect(drawn).toEqual(['Harbin Institute of Technology', 'Selected entity', 'Beihang University']);
  });
});
