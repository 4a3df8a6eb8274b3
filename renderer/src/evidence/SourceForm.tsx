import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { RELIABILITY_GRADES, RELIABILITY_LABELS, SOURCE_KIND_LABELS, SOURCE_KINDS, sourceFields, type Source, type SourceFieldsInput } from '../../../shared/schemas';
import { api, errorMessage } from '../ui/api';
import { fieldErrorsFromError, fieldErrorsFromZod, type FieldErrors } from '../ui/form-errors';
import { Field } from '../ui/Field';
import { SourceAreas } from './SourceAreas';

interface Draft {
  kind: string;
  title: string;
  url: string;
  publisher: string;
  authors: string;
  publishedDate: string;
  accessedAt: string;
  language: string;
  reliability: string;
  notes: string;
}

const EMPTY: Draft = { kind: 'article', title: '', url: '', publisher: '', authors: '', publishedDate: '', accessedAt: '', language: '', reliability: 'F', notes: '' };

function toDraft(source: Source): Draft {
  return {
    kind: source.kind,
    title: source.title,
    url: source.url ?? '',
    publisher: source.publisher ?? '',
    authors: source.authors.join('; '),
    publishedDate: source.publishedDate ?? '',
    accessedAt: source.accessedAt?.slice(0, 16) ?? '',
    language: source.language ?? '',
    reliability: source.reliability,
    notes: source.notes ?? '',
  };
}

function toInput(draft: Draft): SourceFieldsInput {
  return {
    kind: draft.kind as SourceFieldsInput['kind'],
    title: draft.title,
    url: draft.url,
    publisher: draft.publisher,
    authors: draft.authors.split(/[;\n]/),
    publishedDate: draft.publishedDate,
    accessedAt: draft.accessedAt,
    language: draft.language,
    reliability: draft.reliability as SourceFieldsInput['reliability'],
    notes: draft.notes,
  };
}

export function SourceForm({
  sourceId,
  notice,
  onClose,
  onSaved,
  onDeleted,
  children,
}: {
  sourceId: string | null;
  /** Message to show on opening, e.g. after the source was just added. */
  notice?: string | undefined;
  onClose: () => void;
  onSaved: (source: Source, notice: string) => void;
  onDeleted: () => void;
  /** Shown under the form once the source exists: its attachments and excerpts. */
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [loaded, setLoaded] = useState(sourceId === null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(notice ?? null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    if (sourceId === null) return;
    let live = true;
    api
      .call('sources.get', { id: sourceId })
      .then((source) => {
        if (!live) return;
        setDraft(toDraft(source));
        setLoaded(true);
      })
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [sourceId]);

  const set = (key: keyof Draft) => (event: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [key]: event.target.value }));
    setStatus(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setStatus(null);
    const input = toInput(draft);
    const parsed = sourceFields.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = sourceId === null ? await api.call('sources.create', input) : await api.call('sources.update', { id: sourceId, fields: input });
      const message = sourceId === null ? 'Source added.' : 'Changes saved.';
      setStatus(message);
      onSaved(saved, message);
    } catch (error) {
      setErrors(fieldErrorsFromError(error, 'fields'));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (sourceId === null) return;
    setBusy(true);
    try {
      await api.call('sources.delete', { id: sourceId });
      onDeleted();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };

  const input = (key: keyof Draft, props: Record<string, unknown> = {}) => ({
    id: `source-${key}`,
    value: draft[key],
    onChange: set(key),
    'aria-invalid': Boolean(errors[key]),
    'aria-describedby': errors[key] ? `source-${key}-error` : undefined,
    ...props,
  });

  return (
    <aside className="side-panel" aria-labelledby="source-form-title">
      <div className="panel-header">
        <h2 id="source-form-title">{sourceId === null ? 'New source' : 'Edit source'}</h2>
        <button type="button" className="icon" onClick={onClose} aria-label="Close panel">
          ×
        </button>
      </div>
      {!loaded && !failure ? <p className="muted">Loading…</p> : null}
      {loaded ? (
        <form onSubmit={(e) => void submit(e)} noValidate className="panel-form">
          <div className="field-row">
            <Field id="source-kind" label="Kind" error={errors.kind}>
              <select {...input('kind')}>
                {SOURCE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {SOURCE_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="source-reliability" label="Reliability" error={errors.reliability}>
              <select {...input('reliability')}>
                {RELIABILITY_GRADES.map((g) => (
                  <option key={g} value={g}>
                    {RELIABILITY_LABELS[g]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field id="source-title" label="Title" error={errors.title}>
            <input {...input('title', { autoFocus: sourceId === null })} />
          </Field>
          <Field id="source-url" label="URL" error={errors.url}>
            <input {...input('url', { type: 'url', placeholder: 'https://' })} />
          </Field>
          <Field id="source-publisher" label="Publisher" error={errors.publisher}>
            <input {...input('publisher')} />
          </Field>
          <Field id="source-authors" label="Authors" error={errors.authors} hint="Separate names with a semicolon.">
            <input {...input('authors')} />
          </Field>
          <div className="field-row">
            <Field id="source-publishedDate" label="Published" error={errors.publishedDate} hint="YYYY, YYYY-MM or YYYY-MM-DD">
              <input {...input('publishedDate', { placeholder: 'e.g. 2024 or 2024-05' })} />
            </Field>
            <Field id="source-accessedAt" label="Accessed" error={errors.accessedAt}>
              <input {...input('accessedAt', { type: 'datetime-local' })} />
            </Field>
          </div>
          <Field id="source-language" label="Language" error={errors.language} hint="A code such as en, zh or ru.">
            <input {...input('language', { list: 'language-codes', placeholder: 'en' })} />
          </Field>
          <datalist id="language-codes">
            {['en', 'zh', 'ru', 'fr', 'de', 'uk', 'ja', 'ko', 'ar', 'es'].map((code) => (
              <option key={code} value={code} />
            ))}
          </datalist>
          <Field id="source-notes" label="Notes" error={errors.notes}>
            <textarea {...input('notes', { rows: 5 })} />
          </Field>
          <SourceAreas itemId={sourceId} />
          {failure ? (
            <p className="form-failure" role="alert">
              {failure}
            </p>
          ) : null}
          {status ? (
            <p className="form-status" role="status">
              {status}
            </p>
          ) : null}
          <div className="form-actions">
            {sourceId !== null ? (
              confirmDelete ? (
                <span className="confirm">
                  Delete this source?{' '}
                  <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
                    Yes, delete
                  </button>{' '}
                  <button type="button" onClick={() => setConfirmDelete(false)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="danger-outline" onClick={() => setConfirmDelete(true)}>
                  Delete
                </button>
              )
            ) : null}
            <span className="spacer" />
            <button type="button" onClick={onClose}>
              Close
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {sourceId === null ? 'Add source' : 'Save changes'}
            </button>
          </div>
        </form>
      ) : null}
      {loaded && sourceId !== null ? children : null}
      {!loaded && failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
    </aside>
  );
}
