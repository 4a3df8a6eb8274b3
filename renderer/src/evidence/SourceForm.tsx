import { useCallback, useEffect, type ReactNode } from 'react';
import { RELIABILITY_GRADES, RELIABILITY_LABELS, SOURCE_KIND_LABELS, SOURCE_KINDS, sourceFields, type Source, type SourceFieldsInput } from '../../../shared/schemas';
import { api } from '../ui/api';
import { fieldErrorsFromZod } from '../ui/form-errors';
import { useInvalidated } from '../ui/data';
import { ClaimPanel, useClaimForm } from '../ui/ClaimPanel';
import type { LeaveGuard } from '../ui/use-draft';
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
  guard,
  onClose,
  onSaved,
  onDeleted,
  children,
}: {
  sourceId: string | null;
  /** Message to show on opening, e.g. after the source was just added. */
  notice?: string | undefined;
  /** The view's guard: it asks before another row or view takes unsaved typing away. */
  guard?: LeaveGuard | undefined;
  onClose: () => void;
  onSaved: (source: Source, notice: string) => void;
  onDeleted: () => void;
  /** Shown under the form once the source exists: its attachments and excerpts. */
  children?: ReactNode;
}) {
  const form = useClaimForm<Draft>({ initial: EMPTY, isNew: sourceId === null, notice, guard });
  const { errors } = form;
  const { value: draft, set: setField } = form.draft;

  const { load: loadForm } = form;
  const load = useCallback(() => {
    if (sourceId !== null) loadForm(async () => toDraft(await api.call('sources.get', { id: sourceId })));
  }, [sourceId, loadForm]);
  useEffect(load, [load]);
  useInvalidated(['evidence'], load);

  const set = (key: keyof Draft) => (event: { target: { value: string } }) => setField(key, event.target.value);

  const submit = () =>
    form.save({
      invalid: () => {
        const parsed = sourceFields.safeParse(toInput(draft));
        return parsed.success ? null : fieldErrorsFromZod(parsed.error);
      },
      write: () => (sourceId === null ? api.call('sources.create', toInput(draft)) : api.call('sources.update', { id: sourceId, fields: toInput(draft) })),
      message: sourceId === null ? 'Source added.' : 'Changes saved.',
      done: onSaved,
      domains: ['evidence'],
    });

  const remove = () => {
    if (sourceId !== null) void form.remove(() => api.call('sources.delete', { id: sourceId }), onDeleted, ['evidence']);
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
    <ClaimPanel
      form={form}
      titleId="source-form-title"
      title={sourceId === null ? 'New source' : 'Edit source'}
      noun="source"
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={sourceId === null ? 'Add source' : 'Save changes'}
      deleteQuestion={sourceId !== null ? 'Delete this source?' : null}
      onDelete={remove}
      closeLabel="Close"
      after={sourceId !== null ? children : null}
    >
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
    </ClaimPanel>
  );
}
