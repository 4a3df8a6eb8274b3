import { useState, type FormEvent } from 'react';
import { CREDIBILITY_GRADES, CREDIBILITY_LABELS, type Excerpt } from '../../../shared/evidence';
import { excerptFields, type ExcerptFieldsInput } from '../../../shared/ops/evidence';
import { api, errorMessage } from '../ui/api';
import { fieldErrorsFromError, fieldErrorsFromZod, type FieldErrors } from '../ui/form-errors';
import { Field } from '../ui/Field';

/** What the form starts from: an excerpt to edit, or a passage just selected. */
export interface ExcerptDraft {
  attachmentId?: string | null;
  quote: string;
  page?: number | null;
  charStart?: number | null;
  charEnd?: number | null;
  location?: string | null;
  credibility?: number;
  comment?: string | null;
  translation?: string | null;
  translationLanguage?: string | null;
}

/** An excerpt's translation under its quote, labelled with its language; nothing when it has none. */
export function ExcerptTranslation({ excerpt }: { excerpt: Pick<Excerpt, 'translation' | 'translationLanguage'> }) {
  if (!excerpt.translation) return null;
  return (
    <div className="excerpt-translation">
      <span className="translation-label">Translation{excerpt.translationLanguage ? ` (${excerpt.translationLanguage})` : ''}</span>
      <blockquote lang={excerpt.translationLanguage ?? undefined}>{excerpt.translation}</blockquote>
    </div>
  );
}

export function ExcerptForm({
  sourceId,
  excerpt,
  draft,
  onSaved,
  onCancel,
}: {
  sourceId: string;
  excerpt?: Excerpt | undefined;
  draft: ExcerptDraft;
  onSaved: (excerpt: Excerpt) => void;
  onCancel: () => void;
}) {
  const [quote, setQuote] = useState(draft.quote);
  const [page, setPage] = useState(draft.page ? String(draft.page) : '');
  const [location, setLocation] = useState(draft.location ?? '');
  const [credibility, setCredibility] = useState(String(draft.credibility ?? 3));
  const [comment, setComment] = useState(draft.comment ?? '');
  const [translation, setTranslation] = useState(draft.translation ?? '');
  const [translationLanguage, setTranslationLanguage] = useState(draft.translationLanguage ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const fields: ExcerptFieldsInput = {
      attachmentId: draft.attachmentId ?? null,
      quote,
      page: page.trim() === '' ? null : Number(page),
      charStart: draft.charStart ?? null,
      charEnd: draft.charEnd ?? null,
      location,
      credibility: Number(credibility),
      comment,
      translation,
      translationLanguage,
    };
    const parsed = excerptFields.safeParse(fields);
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = excerpt ? await api.call('excerpts.update', { id: excerpt.id, fields }) : await api.call('excerpts.create', { sourceId, fields });
      onSaved(saved);
    } catch (error) {
      setErrors(fieldErrorsFromError(error, 'fields'));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="excerpt-form" onSubmit={(e) => void submit(e)} noValidate aria-label={excerpt ? 'Edit excerpt' : 'New excerpt'}>
      <Field id="excerpt-quote" label="Quoted passage" error={errors.quote}>
        <textarea id="excerpt-quote" rows={4} value={quote} onChange={(e) => setQuote(e.target.value)} aria-invalid={Boolean(errors.quote)} />
      </Field>
      <div className="field-row">
        <Field id="excerpt-page" label="Page" error={errors.page}>
          <input id="excerpt-page" inputMode="numeric" value={page} onChange={(e) => setPage(e.target.value)} placeholder="—" />
        </Field>
        <Field id="excerpt-credibility" label="Credibility" error={errors.credibility}>
          <select id="excerpt-credibility" value={credibility} onChange={(e) => setCredibility(e.target.value)}>
            {CREDIBILITY_GRADES.map((g) => (
              <option key={g} value={g}>
                {CREDIBILITY_LABELS[g]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {draft.charStart != null && draft.charEnd != null ? (
        <p className="field-hint">
          Characters {draft.charStart}–{draft.charEnd} of the attachment&apos;s text.
        </p>
      ) : null}
      <Field id="excerpt-location" label="Location" error={errors.location} hint="Section, paragraph or time, if a page does not say enough.">
        <input id="excerpt-location" value={location} onChange={(e) => setLocation(e.target.value)} />
      </Field>
      <div className="translation-fields">
        <Field id="excerpt-translation" label="Translation" error={errors.translation} hint="The passage in another language, printed beside the original in the briefing.">
          <textarea id="excerpt-translation" rows={3} value={translation} onChange={(e) => setTranslation(e.target.value)} aria-invalid={Boolean(errors.translation)} />
        </Field>
        <Field id="excerpt-translation-language" label="Language of the translation" error={errors.translationLanguage}>
          <input
            id="excerpt-translation-language"
            className="language-code"
            value={translationLanguage}
            onChange={(e) => setTranslationLanguage(e.target.value)}
            placeholder="en, zh-Hans, ru…"
            aria-invalid={Boolean(errors.translationLanguage)}
          />
        </Field>
      </div>
      <Field id="excerpt-comment" label="Analyst comment" error={errors.comment}>
        <textarea id="excerpt-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Field>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {excerpt ? 'Save excerpt' : 'Add excerpt'}
        </button>
      </div>
    </form>
  );
}
