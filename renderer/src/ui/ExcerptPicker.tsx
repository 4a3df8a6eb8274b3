import { useEffect, useState, type FormEvent } from 'react';
import type { ExcerptOption } from '../../../shared/model';
import { api, errorMessage } from './api';
import { GradeBadge } from './Badges';
import { Dialog } from './Dialog';
import { Field } from './Field';

const CREDIBILITY_LABELS = ['1: confirmed', '2: probably true', '3: possibly true', '4: doubtful', '5: improbable', '6: cannot be judged'];

/** Quotes a passage of a logged source by hand, for cases where the excerpt does not exist yet. */
function NewExcerptForm({ onCreated, onCancel }: { onCreated: (excerptId: string) => void; onCancel: () => void }) {
  const [sources, setSources] = useState<{ id: string; title: string; reliability: string }[]>([]);
  const [sourceId, setSourceId] = useState('');
  const [quote, setQuote] = useState('');
  const [page, setPage] = useState('');
  const [credibility, setCredibility] = useState('2');
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('sources.page', { startRow: 0, endRow: 200, sort: [{ colId: 'title', sort: 'asc' }] })
      .then((p) => {
        setSources(p.rows.map((s) => ({ id: s.id, title: s.title, reliability: s.reliability })));
        if (p.rows[0]) setSourceId(p.rows[0].id);
      })
      .catch((error: unknown) => setFailure(errorMessage(error)));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const excerpt = await api.call('excerpts.create', {
        sourceId,
        fields: { quote, page: page.trim() ? Number(page) : null, credibility: Number(credibility) },
      });
      onCreated(excerpt.id);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  if (sources.length === 0 && !failure) return <p className="muted">Log a source first (in Sources); excerpts quote a source.</p>;
  return (
    <form className="new-excerpt" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="excerpt-source" label="Source">
        <select id="excerpt-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.reliability} · {s.title}
            </option>
          ))}
        </select>
      </Field>
      <Field id="excerpt-quote" label="Quoted passage">
        <textarea id="excerpt-quote" rows={3} value={quote} onChange={(e) => setQuote(e.target.value)} autoFocus />
      </Field>
      <div className="field-row">
        <Field id="excerpt-page" label="Page">
          <input id="excerpt-page" inputMode="numeric" value={page} onChange={(e) => setPage(e.target.value)} />
        </Field>
        <Field id="excerpt-credibility" label="Credibility">
          <select id="excerpt-credibility" value={credibility} onChange={(e) => setCredibility(e.target.value)}>
            {CREDIBILITY_LABELS.map((label, i) => (
              <option key={label} value={String(i + 1)}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary">
          Add excerpt
        </button>
      </div>
    </form>
  );
}

/**
 * Finds an excerpt to cite (by its words or its source's title), or quotes a
 * new one. `actionLabel` names what choosing does, e.g. "Cite" or "Create link".
 */
export function ExcerptPicker({
  title,
  actionLabel,
  onChoose,
  onClose,
  alreadyCited,
  onChooseMany,
}: {
  title: string;
  actionLabel: string;
  onChoose: (excerpt: ExcerptOption) => void;
  onClose: () => void;
  /** Excerpts the item cites already: marked, and not offered again. */
  alreadyCited?: ReadonlySet<string>;
  /** Given, the picker takes several excerpts at once, ticked and chosen together. */
  onChooseMany?: (excerpts: ExcerptOption[]) => void;
}) {
  const [text, setText] = useState('');
  const [ticked, setTicked] = useState<Map<string, ExcerptOption>>(new Map());
  const tick = (x: ExcerptOption, on: boolean) =>
    setTicked((current) => {
      const next = new Map(current);
      if (on) next.set(x.id, x);
      else next.delete(x.id);
      return next;
    });
  const [excerpts, setExcerpts] = useState<ExcerptOption[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      api
        .call('citations.excerpts', { text, limit: 30 })
        .then((found) => live && setExcerpts(found))
        .catch(() => live && setExcerpts([]));
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, reload]);

  return (
    <Dialog title={title} labelledBy="excerpt-picker-title" onClose={onClose}>
      {adding ? (
        <NewExcerptForm
          onCancel={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            setText('');
            setReload((n) => n + 1);
          }}
        />
      ) : (
        <>
          <div className="picker-toolbar">
            <input type="search" placeholder="Search quotes and source titles…" aria-label="Search excerpts" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
            <button type="button" onClick={() => setAdding(true)}>
              Quote a new excerpt
            </button>
          </div>
          <ul className="excerpt-list">
            {excerpts === null ? <li className="muted">Loading…</li> : null}
            {excerpts?.length === 0 ? <li className="muted">{text ? 'No excerpt matches.' : 'No excerpts yet. Quote one from a source you logged.'}</li> : null}
            {excerpts?.map((x) => {
              const cited = alreadyCited?.has(x.id) ?? false;
              return (
              <li key={x.id} className={cited ? 'excerpt-option cited-here' : 'excerpt-option'}>
                {onChooseMany ? (
                  <input type="checkbox" aria-label={`Choose “${x.quote.slice(0, 40)}”`} disabled={cited} checked={cited || ticked.has(x.id)} onChange={(e) => tick(x, e.target.checked)} />
                ) : null}
                <div className="excerpt-body">
                  <blockquote>{x.quote}</blockquote>
                  <div className="excerpt-meta">
                    <GradeBadge grade={x.grade} /> {x.sourceTitle}
                    {x.page ? `, p. ${x.page}` : ''}
                    {x.citedBy ? ` · cited by ${x.citedBy}` : ''}
                    {cited ? <strong className="cited-mark"> · already cited here</strong> : null}
                  </div>
                </div>
                <button type="button" className="primary" disabled={cited} onClick={() => onChoose(x)}>
                  {actionLabel}
                </button>
              </li>
              );
            })}
          </ul>
          <div className="form-actions">
            {onChooseMany ? (
              <button type="button" className="primary" disabled={ticked.size === 0} onClick={() => onChooseMany([...ticked.values()])}>
                {ticked.size > 1 ? `${actionLabel} ${ticked.size} excerpts` : `${actionLabel} the ticked excerpt`}
              </button>
            ) : null}
            <span className="spacer" />
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
