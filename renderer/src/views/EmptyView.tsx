import type { ViewId } from '../routes';
import type { ModelViewId } from './ModelViews';

const EMPTY_STATES: Record<Exclude<ViewId, 'sources' | 'search' | 'graph' | 'timeline' | 'exchange' | ModelViewId>, { title: string; text: string }> = {
  reports: {
    title: 'Briefings are not available yet',
    text: 'Annotated briefings exported to PDF and HTML will be defined here.',
  },
};

export function EmptyView({ view }: { view: Exclude<ViewId, 'sources' | 'search' | 'graph' | 'timeline' | 'exchange' | ModelViewId> }) {
  const state = EMPTY_STATES[view];
  return (
    <section className="empty-view" aria-labelledby="empty-title">
      <h2 id="empty-title">{state.title}</h2>
      <p>{state.text}</p>
      <a href="#/sources">Go to Sources</a>
    </section>
  );
}
