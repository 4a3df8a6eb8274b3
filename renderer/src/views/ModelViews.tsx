import type { ViewId } from '../routes';
import { AreasView } from './AreasView';
import { EntitiesView } from './EntitiesView';
import { HistoryView } from './HistoryView';
import { LinksView } from './LinksView';
import '../model.css';

/** The views of the case model. */
export const MODEL_VIEW_IDS = ['entities', 'links', 'areas', 'history'] as const;
export type ModelViewId = (typeof MODEL_VIEW_IDS)[number];

export function isModelView(view: ViewId): view is ModelViewId {
  return (MODEL_VIEW_IDS as readonly string[]).includes(view);
}

export function ModelView({ view }: { view: ModelViewId }) {
  switch (view) {
    case 'entities':
      return <EntitiesView />;
    case 'links':
      return <LinksView />;
    case 'areas':
      return <AreasView />;
    case 'history':
      return <HistoryView />;
  }
}
