/**
 * A place in the case the UI can open: a source, optionally one of its
 * attachments at a page or passage, or one of its excerpts. Carried in the
 * address after the view, e.g. #/sources?source=...&attachment=...&page=2.
 */
export interface Place {
  source: string;
  attachment?: string | undefined;
  page?: number | undefined;
  excerpt?: string | undefined;
  /** A passage of the attachment's text, as character offsets into its page (a mention's place). */
  start?: number | undefined;
  end?: number | undefined;
}

export function hashQuery(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

export function placeFromHash(hash: string): Place | null {
  const query = hashQuery(hash);
  const source = query.get('source');
  if (!source) return null;
  const page = Number(query.get('page'));
  const start = Number(query.get('start') ?? NaN);
  const end = Number(query.get('end') ?? NaN);
  const passage = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start;
  return {
    source,
    attachment: query.get('attachment') ?? undefined,
    page: Number.isInteger(page) && page >= 1 ? page : undefined,
    excerpt: query.get('excerpt') ?? undefined,
    start: passage ? start : undefined,
    end: passage ? end : undefined,
  };
}

export function placeHash(place: Place): string {
  const query = new URLSearchParams({ source: place.source });
  if (place.attachment) query.set('attachment', place.attachment);
  if (place.page) query.set('page', String(place.page));
  if (place.excerpt) query.set('excerpt', place.excerpt);
  if (place.start !== undefined && place.end !== undefined) {
    query.set('start', String(place.start));
    query.set('end', String(place.end));
  }
  return `#/sources?${query.toString()}`;
}

export function searchHash(query: string): string {
  return `#/search?${new URLSearchParams({ q: query }).toString()}`;
}
