import type { Settings } from 'sigma/settings';
import type { NodeDisplay } from './display';
import { shapeOfData, shapeRightReach } from './shapes';

/** Pixels kept clear around a name. */
const NAME_GAP = 3;

/** What a name is drawn from: sigma's display data of the entity, as the reducers made it. */
export type NameData = Pick<NodeDisplay, 'x' | 'y' | 'size' | 'label'> & Partial<Pick<NodeDisplay, 'entityType' | 'forceLabel'>>;

/**
 * Names drawn in one frame, by the boxes they cover: a name that would cover one already drawn is left out,
 * unless it must show (a selected entity, a found path, a small picture). Sigma picks one name per cell of its
 * grid whatever the names' widths, so without this, names of entities close together lie on top of one another.
 * `drawName` draws one name as sigma would, right of the entity's shape.
 */
export function namePlacer<D extends NameData>(
  drawName: (context: CanvasRenderingContext2D, data: D, settings: Settings) => void,
): { newFrame(): void; draw(context: CanvasRenderingContext2D, data: D, settings: Settings): void } {
  const boxes: number[] = [];
  return {
    newFrame: () => {
      boxes.length = 0;
    },
    draw(context, data, settings) {
      if (!data.label) return;
      const size = settings.labelSize;
      context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
      const reach = shapeRightReach(shapeOfData(data));
      // The box the name covers, with a few pixels to spare around it.
      const x0 = data.x + data.size * reach + 3 - NAME_GAP;
      const x1 = x0 + context.measureText(data.label).width + 2 * NAME_GAP;
      const y0 = data.y - size * 0.75 - NAME_GAP;
      const y1 = data.y + size * 0.5 + NAME_GAP;
      if (!data.forceLabel) {
        for (let i = 0; i < boxes.length; i += 4) {
          if (x0 < (boxes[i + 2] as number) && x1 > (boxes[i] as number) && y0 < (boxes[i + 3] as number) && y1 > (boxes[i + 1] as number)) return;
        }
      }
      boxes.push(x0, y0, x1, y1);
      drawName(context, data, settings);
    },
  };
}
