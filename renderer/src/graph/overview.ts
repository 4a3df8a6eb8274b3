/** How a picture is drawn for its size: whole, or as an overview of a large case. */

/**
 * A picture of more entities or links than these is drawn as an overview:
 * entities as dots of their colour, links as hairlines without arrowheads (a
 * path found is still drawn with arrows), and the first picture of a load
 * shows the entities a frame before the links. At that density outlines and
 * arrowheads cannot be told apart anyway, and without a GPU every pixel of
 * every shape and link is paid for on the processor: a shape costs about ten
 * times a dot, an arrow five times a hairline.
 */
export const OVERVIEW_ENTITIES = 10_000;
export const OVERVIEW_LINKS = 20_000;

/**
 * How much smaller entities are drawn when this many are shown (1: their own
 * size). Beyond OVERVIEW_ENTITIES they shrink with the square root of how many
 * more there are, so that the picture holds about as much ink as at that many:
 * tens of thousands of full-sized entities would cover the stage many times
 * over. Zooming in enlarges them as usual.
 */
export function entityShrink(shownEntities: number): number {
  return Math.max(1, Math.sqrt(shownEntities / OVERVIEW_ENTITIES));
}

/** Whether a picture of this many entities and links is drawn as an overview. */
export function isOverview(shown: { nodes: number; edges: number }): boolean {
  return shown.nodes > OVERVIEW_ENTITIES || shown.edges > OVERVIEW_LINKS;
}

/** How a picture is drawn for its size, read by the settings and reducers at each frame. */
export interface Look {
  overview: boolean;
  shrink: number;
  /** The first frame of an overview is drawn without its links. */
  linksHeld: boolean;
  /** Links are left out while the camera moves (a picture of many links). */
  bareWhileMoving: boolean;
}

/**
 * Sets how a picture of this many entities and links is drawn. `reprocess`:
 * entities and links change program, so sigma must process them all again;
 * `redraw`: only their size changed, which sigma applies at the next frame.
 */
export function fitLook(look: Look, shown: { nodes: number; edges: number }): { reprocess: boolean; redraw: boolean } {
  const overview = isOverview(shown);
  const shrink = entityShrink(shown.nodes);
  const change = { reprocess: overview !== look.overview, redraw: shrink !== look.shrink };
  look.overview = overview;
  look.shrink = shrink;
  return change;
}

