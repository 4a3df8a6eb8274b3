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
  return {
    source,
    attachment: query.get('attachment') ?? undefined,
    page: Number.isInteger(page) && page >= 1 ? page : undefined,
    excerpt: query.get('excerpt') ?? undefined,
  };
}

export function placeHash(place: Place): string {
  const query = new URLSearchParams({ source: place.source });
  if (place.attachment) query.set('attachment', place.attachment);
  if (place.page) query.set('page', String(place.page));
  if (place.excerpt) query.set('excerpt', place.excerpt);
  return `#/sources?${query.toString()}`;
}

export function searchHash(query: string): string {
  return `#/search?${new URLSearchParams({ q: query }).toString()}`;
}
