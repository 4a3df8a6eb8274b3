import type { ViewId } from '../ui/routes';
import { AreasView } from '../model/AreasView';
import { EntitiesView } from '../model/EntitiesView';
import { HistoryView } from '../history/HistoryView';
import { LinksView } from '../model/LinksView';
import '../model/model.css';

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
