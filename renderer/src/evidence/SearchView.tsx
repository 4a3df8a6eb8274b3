import './evidence.css';
import { useEffect, useState, type FormEvent } from 'react';
import { CREDIBILITY_GRADES, SEARCH_KIND_LABELS, SEARCH_KINDS, searchTotalText, type SearchHit, type SearchKind, type SearchResult } from '../../../shared/evidence';
import { RELIABILITY_GRADES, RELIABILITY_LABELS, type ReliabilityGrade } from '../../../shared/schemas';
import { api, errorMessage } from '../ui/api';
import { useChangeCount } from '../ui/data';
import { hashQuery, placeHash, searchHash } from '../ui/place';
import { useItemPanels } from '../ui/item-panels';

const PAGE_SIZE = 50;

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

function HitSnippet({ hit }: { hit: SearchHit }) {
  // Text nodes only: what the case holds is never parsed as HTML.
  return (
    <p className="hit-snippet">
      {hit.snippet.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </p>
  );
}

function hitWhere(hit: SearchHit): string {
  if (hit.field === 'page') return `${hit.attachmentName ?? 'Attachment'}, page ${hit.page}`;
  if (hit.field === 'attachment') return `Attachment ${hit.attachmentName ?? ''}`;
  if (hit.field === 'excerpt') return ['Excerpt', hit.attachmentName, hit.page !== null ? `page ${hit.page}` : null].filter(Boolean).join(', ');
  return 'Source';
}

function hitHref(hit: SearchHit): string {
  return placeHash({
    source: hit.sourceId,
    attachment: hit.attachmentId ?? undefined,
    page: hit.page ?? undefined,
    excerpt: hit.excerptId ?? undefined,
  });
}

/** One query over sources, attachment text and excerpts, with filters; a hit opens the exact place. */
export function SearchView() {
  const initial = hashQuery(window.location.hash).get('q') ?? '';
  const [text, setText] = useState(initial);
  const [query, setQuery] = useState(initial);
  const [kinds, setKinds] = useState<SearchKind[]>([]);
  const [reliability, setReliability] = useState<ReliabilityGrade[]>([]);
  const [credibility, setCredibility] = useState<number[]>([]);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The entity or link a hit opened, in the side panel.
  const [item, setItem] = useState<{ kind: 'entity' | 'link'; id: string } | null>(null);
  const panels = useItemPanels();
  // Hits follow the case: a source, excerpt or name changed anywhere searches again.
  const changes = useChangeCount(['evidence', 'model', 'areas']);

  useEffect(() => {
    const onHash = () => {
      const q = hashQuery(window.location.hash).get('q') ?? '';
      setText(q);
      setQuery(q);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!query.trim()) {
      setResult(null);
      return;
    }
    let live = true;
    api
      .call('search.query', { query, kinds, reliability, credibility, limit })
      .then((r) => {
        if (!live) return;
        setResult(r);
        setFailure(null);
      })
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [query, kinds, reliability, credibility, limit, changes]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLimit(PAGE_SIZE);
    window.history.replaceState(null, '', searchHash(text));
    setQuery(text);
  };

  return (
    <div className="search-view">
      <form className="search-form" role="search" onSubmit={submit}>
        <h2>Search</h2>
        <input type="search" className="search-input" aria-label="Search the case" placeholder="Words in any script: 哈尔滨工业大学, Бауман, Beihang…" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <div className="search-layout">
        <aside className="search-filters" aria-label="Filters">
          <fieldset>
            <legend>Kind of item</legend>
            {SEARCH_KINDS.map((k) => (
              <label key={k}>
                <input type="checkbox" checked={kinds.includes(k)} onChange={() => setKinds(toggle(kinds, k))} /> {SEARCH_KIND_LABELS[k]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Source reliability</legend>
            {RELIABILITY_GRADES.map((g) => (
              <label key={g} title={RELIABILITY_LABELS[g]}>
                <input type="checkbox" checked={reliability.includes(g)} onChange={() => setReliability(toggle(reliability, g))} /> {RELIABILITY_LABELS[g]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Excerpt credibility</legend>
            <div className="grade-row">
              {CREDIBILITY_GRADES.map((g) => (
                <label key={g}>
                  <input type="checkbox" checked={credibility.includes(g)} onChange={() => setCredibility(toggle(credibility, g))} /> {g}
                </label>
              ))}
            </div>
          </fieldset>
        </aside>
        <section className="search-results" aria-label="Results">
          {failure ? (
            <p className="form-failure" role="alert">
              {failure}
            </p>
          ) : null}
          {!query.trim() ? <p className="muted">Search titles, notes, the text of every attachment and every excerpt, in English, Chinese and Russian alike.</p> : null}
          {result ? (
            <p className="result-count" aria-live="polite">
              {result.total === 0 ? 'No matches.' : searchTotalText(result)}
            </p>
          ) : null}
          {result && result.items.length > 0 ? (
            <section className="item-hits" aria-label="Entities and links">
              <h3>Entities and links</h3>
              <ul>
                {result.items.map((hit) => (
                  <li key={`${hit.kind}-${hit.id}`} className={`item-hit ${hit.kind}`}>
                    <button type="button" className="link" onClick={() => setItem({ kind: hit.kind, id: hit.id })}>
                      <span className="hit-kind">{hit.kind === 'entity' ? 'Entity' : 'Link'}</span> {hit.name}
                    </button>
                    {hit.detail ? <span className="muted"> · {hit.detail}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <ol className="hits">
            {result?.hits.map((hit, i) => (
              <li key={`${hit.sourceId}-${hit.field}-${hit.attachmentId ?? ''}-${hit.page ?? ''}-${hit.excerptId ?? ''}-${i}`} className={`hit ${hit.kind}`}>
                <a href={hitHref(hit)} className="hit-link">
                  <span className="hit-kind">{hit.kind === 'excerpt' ? 'Excerpt' : hit.kind === 'attachment' ? 'File' : 'Source'}</span>
                  <span className="hit-title">{hit.sourceTitle}</span>
                  <span className="hit-grade" title="Reliability of the source, credibility of the excerpt">
                    {hit.reliability}
                    {hit.credibility ?? ''}
                  </span>
                </a>
                <div className="hit-where">{hitWhere(hit)}</div>
                <HitSnippet hit={hit} />
              </li>
            ))}
          </ol>
          {result && result.total > result.hits.length ? (
            <button type="button" onClick={() => setLimit(Math.min(200, limit + PAGE_SIZE))} disabled={limit >= 200}>
              Show more
            </button>
          ) : null}
        </section>
        {item ? (
          <div className="search-item-panel">
            {item.kind === 'entity'
              ? panels.entity({
                  entityId: item.id,
                  onClose: () => setItem(null),
                  onSaved: () => undefined,
                  onDeleted: () => setItem(null),
                  onOpenEntity: (id) => setItem({ kind: 'entity', id }),
                })
              : panels.link({ linkId: item.id, onClose: () => setItem(null), onSaved: () => undefined, onDeleted: () => setItem(null) })}
          </div>
        ) : null}
      </div>
    </div>
  );
}
