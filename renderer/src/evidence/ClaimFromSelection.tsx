import { useEffect, useState, type FormEvent } from 'react';
import { CREDIBILITY_GRADES, CREDIBILITY_LABELS } from '../../../shared/evidence';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type DuplicateCandidate, type EntityRef, type EntityType } from '../../../shared/model';
import { excerptClaim, type ExcerptClaimAnswer } from '../../../shared/ops/evidence';
import { api, errorMessage } from '../ui/api';
import { changed } from '../ui/data';
import { EntityPicker } from '../ui/EntityPicker';
import { Field } from '../ui/Field';
import { CaseboardError } from '../../../shared/errors';
import type { FieldErrors } from '../ui/form-errors';
import type { ExcerptDraft } from './ExcerptForm';

/** Names and aliases are at most this long; a longer selection can only be quoted. */
export const MAX_NAME_LENGTH = 500;

/** What a selected passage can become besides a plain excerpt. */
export type ClaimKind = 'new-entity' | 'alias';

/** Field errors of the claim (from the schema or from the door), by the form's own field names. */
function claimErrors(issues: readonly { path: string; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const { path, message } of issues) {
    const field = path
      .replace(/^entity\.fields\.aliases\.\d+\./, 'alias.')
      .replace(/^entity\.fields\./, '')
      .replace(/^entity\.alias\./, 'alias.')
      .replace(/^entity\.id$/, 'entity')
      .replace(/^fields\./, '');
    out[field] = out[field] ?? message;
  }
  return out;
}

/** Entities already answering to one of the names, asked while the investigator types. */
function useExisting(names: readonly string[]): DuplicateCandidate[] {
  const [found, setFound] = useState<DuplicateCandidate[]>([]);
  const key = JSON.stringify(names.map((n) => n.trim()).filter((n) => n !== ''));
  useEffect(() => {
    let live = true;
    const list = JSON.parse(key) as string[];
    const timer = window.setTimeout(() => {
      if (list.length === 0) return setFound([]);
      api
        .call('entities.duplicates', { names: list, excludeId: null })
        .then((d) => live && setFound(d))
        .catch(() => live && setFound([]));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [key]);
  return found;
}

function CredibilityField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string | undefined }) {
  return (
    <Field id="claim-credibility" label="Excerpt credibility" error={error}>
      <select id="claim-credibility" value={value} onChange={(e) => onChange(e.target.value)}>
        {CREDIBILITY_GRADES.map((g) => (
          <option key={g} value={g}>
            {CREDIBILITY_LABELS[g]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * Turns a selected passage into a claim in one step: a new entity named by it
 * (or carrying it as an alias), or an alias of an entity already in the case;
 * either way the passage is quoted as an excerpt the entity cites. One
 * operation, so one Undo takes all of it back.
 */
export function ClaimFromSelection({
  kind: firstKind,
  sourceId,
  selection,
  onCancel,
  onSaved,
}: {
  kind: ClaimKind;
  sourceId: string;
  selection: ExcerptDraft;
  onCancel: () => void;
  onSaved: (answer: ExcerptClaimAnswer, message: string) => void;
}) {
  const passage = selection.quote.replace(/\s+/g, ' ').trim();
  const [kind, setKind] = useState<ClaimKind>(firstKind);
  const [role, setRole] = useState<'name' | 'alias'>('name');
  const [name, setName] = useState(passage);
  const [type, setType] = useState<EntityType>('organisation');
  const [country, setCountry] = useState('');
  const [alias, setAlias] = useState(passage);
  const [aliasLanguage, setAliasLanguage] = useState('');
  const [entity, setEntity] = useState<EntityRef | null>(null);
  const [credibility, setCredibility] = useState('3');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const existing = useExisting(kind === 'new-entity' ? [name, ...(role === 'alias' ? [alias] : [])] : []);
  const takeExisting = (candidate: DuplicateCandidate) => {
    setEntity({ id: candidate.id, name: candidate.name, type: candidate.type });
    setAlias(passage);
    setErrors({});
    setKind('alias');
  };

  const chooseRole = (next: 'name' | 'alias') => {
    setRole(next);
    // The passage moves to where it now belongs; a name typed by hand stays.
    if (next === 'alias' && name === passage) setName('');
    if (next === 'name' && name.trim() === '') setName(passage);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (kind === 'alias' && !entity) {
      setErrors({ entity: 'Choose the entity this passage names.' });
      return;
    }
    const fields = {
      attachmentId: selection.attachmentId ?? null,
      quote: selection.quote,
      page: selection.page ?? null,
      charStart: selection.charStart ?? null,
      charEnd: selection.charEnd ?? null,
      credibility: Number(credibility),
    };
    const input =
      kind === 'new-entity'
        ? {
            sourceId,
            fields,
            entity: {
              kind: 'new' as const,
              fields: { type, name, country, aliases: role === 'alias' ? [{ name: alias, language: aliasLanguage }] : [] },
            },
          }
        : { sourceId, fields, entity: { kind: 'existing' as const, id: entity?.id ?? '', alias: { name: alias, language: aliasLanguage } } };
    const parsed = excerptClaim.safeParse(input);
    if (!parsed.success) {
      setErrors(claimErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await api.call('excerpts.claim', input);
      changed(['evidence', 'model']);
      const message =
        kind === 'new-entity'
          ? `Created ${answer.entity.name}; it cites the new excerpt.`
          : answer.aliasAdded
            ? `${answer.entity.name} now has the alias “${alias.trim()}” and cites the new excerpt.`
            : `${answer.entity.name} already had that name; it now cites the new excerpt.`;
      onSaved(answer, message);
    } catch (error) {
      setErrors(claimErrors(error instanceof CaseboardError ? (error.issues ?? []) : []));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3>{kind === 'new-entity' ? 'New entity from the passage' : 'Alias of an entity'}</h3>
      <form className="excerpt-form claim-form" onSubmit={(e) => void submit(e)} noValidate aria-label={kind === 'new-entity' ? 'New entity from the passage' : 'Alias of an entity from the passage'}>
        <blockquote className="selected-quote">{selection.quote}</blockquote>
        {kind === 'new-entity' ? (
          <>
            <fieldset className="claim-role">
              <legend>The passage is the entity’s</legend>
              <label>
                <input type="radio" name="claim-role" checked={role === 'name'} onChange={() => chooseRole('name')} /> name
              </label>
              <label>
                <input type="radio" name="claim-role" checked={role === 'alias'} onChange={() => chooseRole('alias')} /> alias
              </label>
            </fieldset>
            <Field id="claim-name" label="Name" error={errors.name} {...(role === 'alias' ? { hint: 'The name the entity goes by; the passage becomes an alias.' } : {})}>
              <input id="claim-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(errors.name)} autoFocus={role === 'alias'} />
            </Field>
            {role === 'alias' ? (
              <div className="field-row">
                <Field id="claim-alias" label="Alias" error={errors['alias.name']}>
                  <input id="claim-alias" value={alias} onChange={(e) => setAlias(e.target.value)} aria-invalid={Boolean(errors['alias.name'])} />
                </Field>
                <Field id="claim-alias-language" label="Language" error={errors['alias.language']}>
                  <input id="claim-alias-language" className="language-code" value={aliasLanguage} onChange={(e) => setAliasLanguage(e.target.value)} placeholder="ru" />
                </Field>
              </div>
            ) : null}
            {existing.length > 0 ? (
              <div className="claim-existing" role="status">
                <p>Already in the case:</p>
                <ul>
                  {existing.slice(0, 3).map((c) => (
                    <li key={c.id}>
                      <span>
                        <strong>{c.name}</strong> ({ENTITY_TYPE_LABELS[c.type]}
                        {c.country ? `, ${c.country}` : ''}){c.matched !== c.name ? ` — also “${c.matched}”` : ''}
                      </span>
                      <button type="button" onClick={() => takeExisting(c)}>
                        Add as its alias instead
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <div className="field-row">
              <Field id="claim-type" label="Type" error={errors.type}>
                <select id="claim-type" value={type} onChange={(e) => setType(e.target.value as EntityType)}>
                  {ENTITY_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {ENTITY_TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="claim-country" label="Country" error={errors.country}>
                <input id="claim-country" className="language-code" value={country} onChange={(e) => setCountry(e.target.value)} placeholder="CN" />
              </Field>
            </div>
          </>
        ) : (
          <>
            <Field id="claim-entity" label="Entity" error={errors.entity}>
              <EntityPicker
                id="claim-entity"
                value={entity}
                onChange={(chosen) => {
                  setEntity(chosen);
                  if (chosen) setErrors(({ entity: _gone, ...rest }) => rest);
                }}
                invalid={Boolean(errors.entity)}
              />
            </Field>
            <div className="field-row">
              <Field id="claim-alias" label="Alias" error={errors['alias.name']}>
                <input id="claim-alias" value={alias} onChange={(e) => setAlias(e.target.value)} aria-invalid={Boolean(errors['alias.name'])} />
              </Field>
              <Field id="claim-alias-language" label="Language" error={errors['alias.language']}>
                <input id="claim-alias-language" className="language-code" value={aliasLanguage} onChange={(e) => setAliasLanguage(e.target.value)} placeholder="ru" />
              </Field>
            </div>
          </>
        )}
        <CredibilityField value={credibility} onChange={setCredibility} error={errors.credibility} />
        <p className="field-hint">The passage is also quoted as an excerpt{selection.page ? ` of page ${selection.page}` : ''}, which the entity cites.</p>
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
            {kind === 'new-entity' ? 'Create entity' : 'Add alias and cite'}
          </button>
        </div>
      </form>
    </>
  );
}
