import { useCallback, useEffect, useState } from 'react';
import type { CitationStance } from '../../../shared/confidence';
import {
  CONFIDENCE_LABELS,
  CONFIDENCE_LEVELS,
  ENTITY_SUBTYPES,
  ENTITY_TYPE_LABELS,
  ENTITY_TYPES,
  entityFields,
  type AreaRef,
  type Citation,
  type Entity,
  type EntityFieldsInput,
  type EntityRef,
  type EntityType,
  type LinkRow,
  type SanctionRecord,
} from '../../../shared/model';
import { api } from '../ui/api';
import { fieldErrorsFromZod } from '../ui/form-errors';
import { useInvalidated } from '../ui/data';
import { ClaimPanel, useClaimForm } from '../ui/ClaimPanel';
import { usePendingList, type LeaveGuard } from '../ui/use-draft';
import { AreaPicker } from '../ui/AreaPicker';
import { ConfidenceBadge, UnsourcedMark } from '../ui/Badges';
import { CitationList } from './CitationList';
import { EntityMentions } from './EntityMentions';
import { Field } from '../ui/Field';
import { MergeDialog } from './MergeDialog';
import { useDuplicates } from './use-duplicates';

interface Draft {
  type: EntityType;
  subtype: string;
  name: string;
  aliases: { id?: string; name: string; language: string }[];
  country: string;
  identifiers: { id?: string; key: string; value: string }[];
  description: string;
  notes: string;
  tags: string;
  confidence: string;
}

const EMPTY: Draft = { type: 'organisation', subtype: '', name: '', aliases: [], country: '', identifiers: [], description: '', notes: '', tags: '', confidence: '' };

function toDraft(e: Entity): Draft {
  return {
    type: e.type,
    subtype: e.subtype ?? '',
    name: e.name,
    aliases: e.aliases.map((a) => ({ id: a.id, name: a.name, language: a.language ?? '' })),
    country: e.country ?? '',
    identifiers: e.identifiers.map((i) => ({ id: i.id, key: i.key, value: i.value })),
    description: e.description ?? '',
    notes: e.notes ?? '',
    tags: e.tags.join(', '),
    confidence: e.confidence ?? '',
  };
}

function toInput(d: Draft): EntityFieldsInput {
  return {
    type: d.type,
    subtype: d.subtype,
    name: d.name,
    aliases: d.aliases.filter((a) => a.name.trim() !== '').map((a) => ({ ...(a.id ? { id: a.id } : {}), name: a.name, language: a.language })),
    country: d.country,
    identifiers: d.identifiers.filter((i) => i.key.trim() !== '' || i.value.trim() !== '').map((i) => ({ ...(i.id ? { id: i.id } : {}), key: i.key, value: i.value })),
    description: d.description,
    notes: d.notes,
    tags: d.tags.split(','),
    confidence: d.confidence === '' ? null : (d.confidence as EntityFieldsInput['confidence']),
  };
}

/** A sanction's dates in words: "since 2022-06-28", "2023-02 to 2025-03-15", "until 2025". */
function sanctionPeriod(start: string | null, end: string | null): string {
  if (start && end) return `${start} to ${end}`;
  return start ? `since ${start}` : `until ${end ?? ''}`;
}

/** An entity's sanction records, as imported from FollowTheMoney data or added from a confirmed screening hit. */
function SanctionList({ sanctions }: { sanctions: readonly SanctionRecord[] }) {
  return (
    <section className="field sanctions" aria-labelledby="entity-sanctions-title">
      <span className="field-label" id="entity-sanctions-title">
        Sanctions
      </span>
      <ul className="sanction-list">
        {sanctions.map((s) => (
          <li key={s.id}>
            <strong>{s.authority ?? 'Sanctioned'}</strong>
            {s.program ? <span> · {s.program}</span> : null}
            {s.startDate || s.endDate ? (
              <>
                {' · '}
                <span className="muted sanction-dates">{sanctionPeriod(s.startDate, s.endDate)}</span>
              </>
            ) : null}
            {s.reason ? <p className="sanction-reason">{s.reason}</p> : null}
            {s.list || s.sourceUrl ? (
              <p className="muted sanction-origin">
                {[s.list ? `List: ${s.list}` : null, s.sourceUrl].filter(Boolean).join(' · ')}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function EntityPanel({
  entityId,
  notice,
  guard,
  onClose,
  onSaved,
  onDeleted,
  onOpenEntity,
}: {
  entityId: string | null;
  notice?: string | undefined;
  /** The view's guard: it asks before another row or view takes unsaved typing away. */
  guard?: LeaveGuard | undefined;
  onClose: () => void;
  onSaved: (entity: Entity, notice: string) => void;
  onDeleted: () => void;
  onOpenEntity: (id: string) => void;
}) {
  const [entity, setEntity] = useState<Entity | null>(null);
  const [links, setLinks] = useState<LinkRow[]>([]);
  const [merging, setMerging] = useState<{ initial: EntityRef | null } | null>(null);
  const form = useClaimForm<Draft>({ initial: EMPTY, isNew: entityId === null, notice, guard });
  const { errors, run } = form;
  const { value: draft, set } = form.draft;
  // Areas and citations chosen for a new item live only in the panel until it is added.
  const [pendingAreas, setPendingAreas] = usePendingList<AreaRef>([], form.draft);
  const [pendingCitations, setPendingCitations] = usePendingList<Citation>(() => [], form.draft);
  const duplicates = useDuplicates([draft.name, ...draft.aliases.map((a) => a.name)], entityId);
  // Another entity opened from this panel (a duplicate, the survivor of a merge) asks first too.
  const openEntity = (id: string) => form.guard.leave(() => onOpenEntity(id));

  const { load: loadForm } = form;
  const load = useCallback(() => {
    if (entityId === null) return;
    loadForm(async () => {
      const [e, l] = await Promise.all([api.call('entities.get', { id: entityId }), api.call('entities.links', { id: entityId })]);
      setEntity(e);
      setLinks(l);
      return toDraft(e);
    });
  }, [entityId, loadForm]);
  useEffect(load, [load]);
  // After undo, redo, a tag or a change elsewhere the panel shows what is now in the case, keeping unsaved typing.
  useInvalidated(['model', 'areas', 'evidence'], load);

  const submit = () =>
    form.save({
      invalid: () => {
        const parsed = entityFields.safeParse(toInput(draft));
        return parsed.success ? null : fieldErrorsFromZod(parsed.error);
      },
      write: () =>
        entityId === null
          ? api.call('entities.create', { fields: toInput(draft), areaIds: pendingAreas.map((a) => a.id), excerptIds: pendingCitations.map((c) => c.excerptId) })
          : api.call('entities.update', { id: entityId, fields: toInput(draft) }),
      message: entityId === null ? 'Entity added.' : 'Changes saved.',
      done: onSaved,
    });

  const remove = () => {
    if (entity) void form.remove(() => api.call('entities.delete', { id: entity.id, withLinks: entity.linkCount > 0 }), onDeleted);
  };

  const areas = entityId === null ? pendingAreas : (entity?.areas ?? []);
  const citations = entityId === null ? pendingCitations : (entity?.citations ?? []);
  const subtypes = ENTITY_SUBTYPES[draft.type];

  return (
    <ClaimPanel
      form={form}
      titleId="entity-panel-title"
      title={entityId === null ? 'New entity' : 'Edit entity'}
      noun="entity"
      wide
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={entityId === null ? 'Add entity' : 'Save changes'}
      deleteQuestion={entity ? (entity.linkCount > 0 ? `Delete this entity and its ${entity.linkCount} ${entity.linkCount === 1 ? 'link' : 'links'}?` : 'Delete this entity?') : null}
      onDelete={remove}
      actions={
        <button type="button" onClick={() => setMerging({ initial: null })}>
          Merge…
        </button>
      }
      after={
        merging && entity ? (
          <MergeDialog
            entity={entity}
            initial={merging.initial}
            onClose={() => setMerging(null)}
            onMerged={(survivorId) => {
              setMerging(null);
              if (survivorId === entity.id) load();
              else openEntity(survivorId);
            }}
          />
        ) : null
      }
    >
          {entity ? (
            <div className="claim-status">
              <ConfidenceBadge set={entity.confidence} derived={entity.derivedConfidence} basis={entity.confidenceBasis} />
              {entity.citations.length === 0 ? <UnsourcedMark /> : null}
              <span className="muted">
                {entity.citations.length} {entity.citations.length === 1 ? 'citation' : 'citations'} · {entity.linkCount} {entity.linkCount === 1 ? 'link' : 'links'}
              </span>
            </div>
          ) : null}
          <div className="field-row">
            <Field id="entity-type" label="Type" error={errors.type}>
              <select id="entity-type" value={draft.type} onChange={(e) => set('type', e.target.value as EntityType)}>
                {ENTITY_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {ENTITY_TYPE_LABELS[t]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="entity-subtype" label="Subtype" error={errors.subtype}>
              <input id="entity-subtype" list="entity-subtypes" value={draft.subtype} onChange={(e) => set('subtype', e.target.value)} placeholder={subtypes[0]} />
            </Field>
            <datalist id="entity-subtypes">
              {subtypes.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </div>
          <Field id="entity-name" label="Name" error={errors.name}>
            <input id="entity-name" value={draft.name} onChange={(e) => set('name', e.target.value)} autoFocus={entityId === null} aria-invalid={Boolean(errors.name)} />
          </Field>
          {duplicates.length > 0 ? (
            <div className="duplicate-warning" role="status">
              <strong>Possible duplicate.</strong> Already in the case:
              <ul>
                {duplicates.map((d) => (
                  <li key={d.id}>
                    <button type="button" className="link" onClick={() => openEntity(d.id)}>
                      {d.name}
                    </button>{' '}
                    <span className="muted">
                      {ENTITY_TYPE_LABELS[d.type]}
                      {d.country ? `, ${d.country}` : ''} — “{d.given}” matches “{d.matched}”
                    </span>
                    {entity ? (
                      <>
                        {' '}
                        <button type="button" className="small" onClick={() => setMerging({ initial: { id: d.id, name: d.name, type: d.type } })}>
                          Merge…
                        </button>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <fieldset className="rows">
            <legend>Aliases</legend>
            {draft.aliases.map((alias, i) => (
              <div className="row-inputs" key={alias.id ?? `new-${i}`}>
                <input aria-label={`Alias ${i + 1}`} className="alias-name" value={alias.name} onChange={(e) => set('aliases', draft.aliases.map((a, j) => (j === i ? { ...a, name: e.target.value } : a)))} placeholder="Name in any script" />
                <input aria-label={`Alias ${i + 1} language`} className="alias-language" value={alias.language} list="alias-languages" onChange={(e) => set('aliases', draft.aliases.map((a, j) => (j === i ? { ...a, language: e.target.value } : a)))} placeholder="lang" />
                <button type="button" className="icon" aria-label={`Remove alias ${i + 1}`} onClick={() => set('aliases', draft.aliases.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
            ))}
            {errors.aliases ? <div className="field-error">{errors.aliases}</div> : null}
            <button type="button" className="small" onClick={() => set('aliases', [...draft.aliases, { name: '', language: '' }])}>
              Add alias
            </button>
            <datalist id="alias-languages">
              {['en', 'zh', 'zh-Hans', 'ru', 'ru-Latn', 'uk', 'fr', 'de'].map((code) => (
                <option key={code} value={code} />
              ))}
            </datalist>
          </fieldset>
          <div className="field-row">
            <Field id="entity-country" label="Country" error={errors.country}>
              <input id="entity-country" value={draft.country} onChange={(e) => set('country', e.target.value)} placeholder="CN, RU, US…" />
            </Field>
            <Field id="entity-confidence" label="Confidence" error={errors.confidence}>
              <select id="entity-confidence" value={draft.confidence} onChange={(e) => set('confidence', e.target.value)}>
                <option value="">Derive from citations</option>
                {CONFIDENCE_LEVELS.map((c) => (
                  <option key={c} value={c}>
                    {CONFIDENCE_LABELS[c]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <fieldset className="rows">
            <legend>Identifiers</legend>
            {draft.identifiers.map((identifier, i) => (
              <div className="row-inputs" key={identifier.id ?? `new-${i}`}>
                <input aria-label={`Identifier ${i + 1} name`} className="identifier-key" list="identifier-keys" value={identifier.key} onChange={(e) => set('identifiers', draft.identifiers.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} placeholder="website" />
                <input aria-label={`Identifier ${i + 1} value`} value={identifier.value} onChange={(e) => set('identifiers', draft.identifiers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} placeholder="https://…" />
                <button type="button" className="icon" aria-label={`Remove identifier ${i + 1}`} onClick={() => set('identifiers', draft.identifiers.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
            ))}
            {errors.identifiers ? <div className="field-error">{errors.identifiers}</div> : null}
            <button type="button" className="small" onClick={() => set('identifiers', [...draft.identifiers, { key: '', value: '' }])}>
              Add identifier
            </button>
            <datalist id="identifier-keys">
              {['website', 'registration number', 'tax number', 'Wikidata', 'address'].map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </fieldset>
          <Field id="entity-description" label="Description" error={errors.description}>
            <textarea id="entity-description" rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} />
          </Field>
          <Field id="entity-tags" label="Other tags" error={errors.tags} hint="Separate tags with commas.">
            <input id="entity-tags" value={draft.tags} onChange={(e) => set('tags', e.target.value)} />
          </Field>
          <Field id="entity-notes" label="Notes" error={errors.notes}>
            <textarea id="entity-notes" rows={3} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />
          </Field>
          <div className="field">
            <span className="field-label">Technology areas</span>
            <AreaPicker
              id="entity-areas"
              value={areas}
              onAdd={(area) => (entityId === null ? setPendingAreas((a) => [...a, area]) : void run(() => api.call('areas.tag', { areaId: area.id, kind: 'entity', itemId: entityId })))}
              onRemove={(area) => (entityId === null ? setPendingAreas((a) => a.filter((x) => x.id !== area.id)) : void run(() => api.call('areas.untag', { areaId: area.id, kind: 'entity', itemId: entityId })))}
            />
          </div>
          <div className="field">
            <span className="field-label">Citations</span>
            <CitationList
              citations={citations}
              onAdd={(excerptId) => {
                if (entityId !== null) void run(() => api.call('citations.add', { target: { kind: 'entity', id: entityId }, excerptId }));
                else
                  void api.call('citations.excerpt', { id: excerptId }).then((x) =>
                    setPendingCitations((list) => (list.some((c) => c.excerptId === x.id) ? list : [...list, { ...x, id: x.id, excerptId: x.id, stance: 'supports' as const }])),
                  );
              }}
              onRemove={(c) => (entityId === null ? setPendingCitations((list) => list.filter((x) => x.id !== c.id)) : void run(() => api.call('citations.remove', { id: c.id })))}
              {...(entityId !== null ? { onStance: (c: Citation, stance: CitationStance) => void run(() => api.call('citations.setStance', { id: c.id, stance })) } : {})}
            />
          </div>
          {entity && entity.sanctions.length > 0 ? <SanctionList sanctions={entity.sanctions} /> : null}
          {entity ? <EntityMentions entityId={entity.id} /> : null}
          {entity && links.length > 0 ? (
            <div className="field">
              <span className="field-label">Links</span>
              <ul className="entity-links">
                {links.map((l) => (
                  <li key={l.id}>
                    {l.from.id === entity.id ? 'this' : l.from.name} <span className="link-type">{l.type}</span> {l.to.id === entity.id ? 'this' : l.to.name}
                    {l.startDate ? <span className="muted"> · {l.startDate}{l.endDate ? `–${l.endDate}` : '–'}</span> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
    </ClaimPanel>
  );
}
