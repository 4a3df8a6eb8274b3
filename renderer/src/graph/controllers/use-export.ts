import { useState, type RefObject } from 'react';
import { errorMessage } from '../../ui/api';
import { downloadFile } from '../../ui/download';
import type { ColourBy } from '../appearance';
import { capturePicture, pictureToPng, pictureToSvg } from '../export';
import type { Highlight } from '../display';
import { caseGraph, caseGraphUpToDate, type LoadState } from '../store';
import { pictureLegend } from './Legend';
import type { GraphSigma } from './use-camera';

/** Exported pictures are this many pixels wide, whatever the window. */
const EXPORT_WIDTH = 3600;

/** Saves the graph as a PNG or SVG picture with its legend and marking, and says what it saved. */
export function usePictureExport(sigmaRef: RefObject<GraphSigma | null>, highlight: RefObject<Highlight>, look: { colourBy: ColourBy; areas: LoadState['areas']; measured: number; marking: string | null }) {
  const [notice, setNotice] = useState<string | null>(null);

  const exportPicture = async (kind: 'png' | 'svg') => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    try {
      // A change made elsewhere a moment ago must not leave a deleted entity in the picture.
      await caseGraphUpToDate();
      const legend = pictureLegend(look.colourBy, look.areas, look.measured);
      const emphasised = new Set([...highlight.current.selected, ...(highlight.current.path?.nodes ?? [])]);
      const picture = capturePicture(sigma, caseGraph, EXPORT_WIDTH, legend, look.marking, emphasised);
      const blob = kind === 'png' ? await pictureToPng(picture) : new Blob([pictureToSvg(picture)], { type: 'image/svg+xml' });
      downloadFile(blob, `graph.${kind}`);
      setNotice(`Exported the picture as ${kind.toUpperCase()}, ${picture.width} × ${picture.height} px, ${picture.nodes.length} ${picture.nodes.length === 1 ? 'entity' : 'entities'}.`);
    } catch (error) {
      setNotice(errorMessage(error));
    }
  };

  return { notice, dismissNotice: () => setNotice(null), exportPicture };
}
