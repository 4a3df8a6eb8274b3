import type { ViewId } from '../routes';

const EMPTY_STATES: Record<Exclude<ViewId, 'sources'>, { title: string; text: string }> = {
  entities: {
    title: 'Entities are not available yet',
    text: 'Organisations, people, programmes and places, each with aliases in any script, will be kept here. For now, log your sources.',
  },
  links: {
    title: 'Links are not available yet',
    text: 'Relationships between entities, each citing the excerpts it rests on, will be kept here.',
  },
  graph: {
    title: 'The graph is not available yet',
    text: 'Once the case has entities and links, this view will draw them as a network.',
  },
  timeline: {
    title: 'The timeline is not available yet',
    text: 'Dated links and events will be laid out here on a time axis.',
  },
  reports: {
    title: 'Briefings are not available yet',
    text: 'Annotated briefings exported to PDF and HTML will be defined here.',
  },
  search: {
    title: 'Search is not available yet',
    text: 'Full-text search across sources, excerpts and attachments will live here. The quick filter in Sources searches titles, publishers, authors, URLs and notes today.',
  },
};

export function EmptyView({ view }: { view: Exclude<ViewId, 'sources'> }) {
  const state = EMPTY_STATES[view];
  return (
    <section className="empty-view" aria-labelledby="empty-title">
      <h2 id="empty-title">{state.title}</h2>
      <p>{state.text}</p>
      <a href="#/sources">Go to Sources</a>
    </section>
  );
}
