/** The main views of an open case, in navigation order. */
export const VIEWS = [
  { id: 'overview', label: 'Overview' },
  { id: 'sources', label: 'Sources' },
  { id: 'entities', label: 'Entities' },
  { id: 'links', label: 'Links' },
  { id: 'areas', label: 'Technology areas' },
  { id: 'graph', label: 'Graph' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'reports', label: 'Reports' },
  { id: 'search', label: 'Search' },
  { id: 'history', label: 'History' },
  { id: 'exchange', label: 'Merge & exchange' },
  { id: 'screening', label: 'Screening' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** The view an address names; the case overview when it names none. */
export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return VIEWS.find((v) => v.id === id)?.id ?? 'overview';
}
