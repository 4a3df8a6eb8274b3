import { useCallback, useEffect, useState } from 'react';
import type { CitationStance } from '../../../shared/confidence';
import {
  CONFIDENCE_LABELS,
  CONFIDENCE_LEVELS,
  LINK_DIRECTION_LABELS,
  LINK_DIRECTIONS,
  LINK_STATUS_LABELS,
  LINK_STATUSES,
  linkFields,
  type AreaRef,
  type Citation,
  type EntityRef,
  type Link,
  type LinkFieldsInput,
} from '../../../shared/model';
import { api } from '../ui/api';
import { fieldErrorsFromZod, type FieldErrors } from '../ui/form-errors';
import { useInvalidated } from '../ui/data';
import { ClaimPanel, useClaimForm } from '../ui/ClaimPanel';
import { usePendingList, type LeaveGuard } from '../ui/use-draft';
import { AreaPicker } from '../ui/AreaPicker';
import { ConfidenceBadge, UnsourcedMark } from '../ui/Badges';
import { CitationList } from './CitationList';
import { EntityPicker } from '../ui/EntityPicker';
import { Field } from '../ui/Field';

interface Draft {
  from: EntityRef | null;
  to: EntityRef | null;
  type: string;
  direction: string;
  startDate: string;
  endDate: string;
  status: string;
  confidence: string;
  notes: string;
  tags: string;
}

const EMPTY: Draft = { from: null, to: null, type: '', direction: 'directed', startDate: '', endDate: '', status: 'active', confidence: '', notes: '', tags: '' };

function toDraft(l: Link): Draft {
  return {
    from: l.from,
    to: l.to,
    type: l.type,
    direction: l.direction,
    startDate: l.startDate ?? '',
    endDate: l.endDate ?? '',
    status: l.status,
    confidence: l.confidence ?? '',
    notes: l.notes ?? '',
    tags: l.tags.join(', '),
  };
}

function toInput(d: Draft): LinkFieldsInput {
  return {
    fromId: d.from?.id ?? '',
    toId: d.to?.id ?? '',
    type: d.type,
    direction: d.direction as LinkFieldsInput['direction'],
    startDate: d.startDate,
    endDate: d.endDate,
    status: d.status as LinkFieldsInput['status'],
    confidence: d.confidence === '' ? null : (d.confidence as LinkFieldsInput['confidence']),
    notes: d.notes,
    tags: d.tags.split(','),
  };
}

/** Field messages with the pickers' ids, which the schema calls fromId and toId. */
function linkErrors(errors: FieldErrors): FieldErrors {
  const out = { ...errors };
  if (out.fromId) out.fromId = 'Choose the entity the link starts from.';
  if (out.toId && !out.toId.includes('different')) out.toId = 'Choose the entity the link goes to.';
  return out;
}

export function LinkPanel({
  linkId,
  initialCitations,
  initialFrom,
  initialTo,
  notice,
  guard,
  onClose,
  onSaved,
  onDeleted,
}: {
  linkId: string | null;
  /** Citations a new link starts with, e.g. the excerpt it was created from. */
  initialCitations?: Citation[] | undefined;
  /** The ends a new link starts with, e.g. when it was drawn from one entity to another. */
  initialFrom?: EntityRef | null | undefined;
  initialTo?: EntityRef | null | undefined;
  notice?: string | undefined;
  /** The view's guard: it asks before another row or view takes unsaved typing away. */
  guard?: LeaveGuard | undefined;
  onClose: () => void;
  onSaved: (link: Link, notice: string) => void;
  onDeleted: () => void;
}) {
  const [link, setLink] = useState<Link | null>(null);
  const [types, setTypes] = useState<string[]>([]);
  const form = useClaimForm<Draft>({ initial: () => ({ ...EMPTY, from: initialFrom ?? null, to: initialTo ?? null }), isNew: linkId === null, notice, guard });
  const { errors, run } = form;
  const { value: draft, set } = form.draft;
  // Areas and citations chosen for a new item live only in the panel until it is added.
  const [pendingAreas, setPendingAreas] = usePendingList<AreaRef>([], form.draft);
  const [pendingCitations, setPendingCitations] = usePendingList<Citation>(() => initialCitations ?? [], form.draft);

  useEffect(() => {
    api
      .call('links.types', {})
      .then(setTypes)
      .catch(() => setTypes([]));
  }, []);

  const { load: loadForm } = form;
  const load = useCallback(() => {
    if (linkId === null) return;
    loadForm(async () => {
      const l = await api.call('links.get', { id: linkId });
      setLink(l);
      return toDraft(l);
    });
  }, [linkId, loadForm]);
  useEffect(load, [load]);
  useInvalidated(['model', 'areas', 'evidence'], load);

  const submit = () =>
    form.save({
      invalid: () => {
        const parsed = linkFields.safeParse(toInput(draft));
        return parsed.success ? null : fieldErrorsFromZod(parsed.error);
      },
      write: () =>
        linkId === null
          ? api.call('links.create', { fields: toInput(draft), areaIds: pendingAreas.map((a) => a.id), excerptIds: pendingCitations.map((c) => c.excerptId) })
          : api.call('links.update', { id: linkId, fields: toInput(draft) }),
      message: linkId === null ? 'Link added.' : 'Changes saved.',
      done: onSaved,
      fieldErrors: linkErrors,
    });

  const remove = () => {
    if (linkId !== null) void form.remove(() => api.call('links.delete', { id: linkId }), onDeleted);
  };

  const areas = linkId === null ? pendingAreas : (link?.areas ?? []);
  const citations = linkId === null ? pendingCitations : (link?.citations ?? []);

  return (
    <ClaimPanel
      form={form}
      titleId="link-panel-title"
      title={linkId === null ? 'New link' : 'Edit link'}
      noun="link"
      wide
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={linkId === null ? 'Add link' : 'Save changes'}
      deleteQuestion={linkId !== null ? 'Delete this link?' : null}
      onDelete={remove}
    >
          {link ? (
            <div className="claim-status">
              <ConfidenceBadge set={link.confidence} derived={link.derivedConfidence} basis={link.confidenceBasis} />
              {link.citations.length === 0 ? <UnsourcedMark /> : null}
              <span className="muted">
                {link.citations.length} {link.citations.length === 1 ? 'citation' : 'citations'}
              </span>
            </div>
          ) : null}
          <Field id="link-from" label="From" error={errors.fromId}>
            <EntityPicker id="link-from" value={draft.from} onChange={(e) => set('from', e)} excludeId={draft.to?.id ?? null} invalid={Boolean(errors.fromId)} />
          </Field>
          <div className="field-row">
            <Field id="link-type" label="Link type" error={errors.type}>
              <input id="link-type" list="link-types" autoFocus={linkId === null && Boolean(initialFrom && initialTo)} value={draft.type} onChange={(e) => set('type', e.target.value)} placeholder="e.g. joint programme" aria-invalid={Boolean(errors.type)} />
            </Field>
            <Field id="link-direction" label="Direction" error={errors.direction}>
              <select id="link-direction" value={draft.direction} onChange={(e) => set('direction', e.target.value)}>
                {LINK_DIRECTIONS.map((d) => (
                  <option key={d} value={d}>
                    {LINK_DIRECTION_LABELS[d]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <datalist id="link-types">
            {types.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <Field id="link-to" label="To" error={errors.toId}>
            <EntityPicker id="link-to" value={draft.to} onChange={(e) => set('to', e)} excludeId={draft.from?.id ?? null} invalid={Boolean(errors.toId)} />
          </Field>
          <div className="field-row">
            <Field id="link-startDate" label="Start" error={errors.startDate} hint="2017, 2023-05 or 2024-05-16">
              <input id="link-startDate" value={draft.startDate} onChange={(e) => set('startDate', e.target.value)} placeholder="YYYY[-MM[-DD]]" />
            </Field>
            <Field id="link-endDate" label="End" error={errors.endDate}>
              <input id="link-endDate" value={draft.endDate} onChange={(e) => set('endDate', e.target.value)} placeholder="YYYY[-MM[-DD]]" />
            </Field>
          </div>
          <div className="field-row">
            <Field id="link-status" label="Status" error={errors.status}>
              <select id="link-status" value={draft.status} onChange={(e) => set('status', e.target.value)}>
                {LINK_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {LINK_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="link-confidence" label="Confidence" error={errors.confidence}>
              <select id="link-confidence" value={draft.confidence} onChange={(e) => set('confidence', e.target.value)}>
                <option value="">Derive from citations</option>
                {CONFIDENCE_LEVELS.map((c) => (
                  <option key={c} value={c}>
                    {CONFIDENCE_LABELS[c]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field id="link-tags" label="Other tags" error={errors.tags} hint="Separate tags with commas.">
            <input id="link-tags" value={draft.tags} onChange={(e) => set('tags', e.target.value)} />
          </Field>
          <Field id="link-notes" label="Notes" error={errors.notes}>
            <textarea id="link-notes" rows={3} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />
          </Field>
          <div className="field">
            <span className="field-label">Technology areas</span>
            <AreaPicker
              id="link-areas"
              value={areas}
              onAdd={(area) => (linkId === null ? setPendingAreas((a) => [...a, area]) : void run(() => api.call('areas.tag', { areaId: area.id, kind: 'link', itemId: linkId })))}
              onRemove={(area) => (linkId === null ? setPendingAreas((a) => a.filter((x) => x.id !== area.id)) : void run(() => api.call('areas.untag', { areaId: area.id, kind: 'link', itemId: linkId })))}
            />
          </div>
          <div className="field">
            <span className="field-label">Citations</span>
            <CitationList
              citations={citations}
              onAdd={(excerptId) => {
                if (linkId !== null) void run(() => api.call('citations.add', { target: { kind: 'link', id: linkId }, excerptId }));
                else
                  void api.call('citations.excerpt', { id: excerptId }).then((x) =>
                    setPendingCitations((list) => (list.some((c) => c.excerptId === x.id) ? list : [...list, { ...x, id: x.id, excerptId: x.id, stance: 'supports' as const }])),
                  );
              }}
              onRemove={(c) => (linkId === null ? setPendingCitations((list) => list.filter((x) => x.id !== c.id)) : void run(() => api.call('citations.remove', { id: c.id })))}
              {...(linkId !== null ? { onStance: (c: Citation, stance: CitationStance) => void run(() => api.call('citations.setStance', { id: c.id, stance })) } : {})}
            />
          </div>
    </ClaimPanel>
  );
}
