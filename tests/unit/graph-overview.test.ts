import { describe, expect, it } from 'vitest';
import { GRAPH_NODE_LIMIT, graphLoadInput } from '../../shared/graph';
import { entityShrink, fitLook, isOverview, OVERVIEW_ENTITIES, OVERVIEW_LINKS, type Look } from '../../renderer/src/graph/overview';

describe('how large a case the graph draws, and how', () => {
  it('draws up to 50,000 entities whole and asks for a filter above', () => {
    expect(GRAPH_NODE_LIMIT).toBe(50_000);
    expect(graphLoadInput.parse({}).limit).toBe(50_000);
    expect(graphLoadInput.safeParse({ limit: 50_001 }).success).toBe(false);
  });

  it('draws a picture of more than 10,000 entities or 20,000 links as an overview, and anything smaller whole', () => {
    expect(isOverview({ nodes: OVERVIEW_ENTITIES, edges: OVERVIEW_LINKS })).toBe(false);
    expect(isOverview({ nodes: OVERVIEW_ENTITIES + 1, edges: 0 })).toBe(true);
    expect(isOverview({ nodes: 2_000, edges: OVERVIEW_LINKS + 1 })).toBe(true);
    expect(isOverview({ nodes: 0, edges: 0 })).toBe(false);
  });

  it('shrinks entities only past 10,000 shown, with the square root of how many more there are', () => {
    expect(entityShrink(0)).toBe(1);
    expect(entityShrink(OVERVIEW_ENTITIES)).toBe(1);
    expect(entityShrink(4 * OVERVIEW_ENTITIES)).toBe(2);
    expect(entityShrink(50_000)).toBeCloseTo(Math.sqrt(5));
  });

  it('reprocesses the picture when a filter starts or ends the overview, and only redraws when the entities merely shrink', () => {
    const look: Look = { overview: false, shrink: 1, linksHeld: false, bareWhileMoving: false };
    expect(fitLook(look, { nodes: 50_000, edges: 100_000 })).toEqual({ reprocess: true, redraw: true });
    expect(look).toMatchObject({ overview: true, shrink: Math.sqrt(5) });
    expect(fitLook(look, { nodes: 50_000, edges: 100_000 })).toEqual({ reprocess: false, redraw: false });
    // Filtered down to 40,000 entities: still an overview, the entities a little larger.
    expect(fitLook(look, { nodes: 40_000, edges: 60_000 })).toEqual({ reprocess: false, redraw: true });
    // Filtered down to one type: drawn whole again, shapes and arrows back.
    expect(fitLook(look, { nodes: 8_000, edges: 5_000 })).toEqual({ reprocess: true, redraw: true });
    expect(look).toMatchObject({ overview: false, shrink: 1 });
  });
});
