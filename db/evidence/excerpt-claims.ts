import { CaseboardError } from '../../shared/errors';
import { radicalsAsIdeographs } from '../../shared/cjk-text';
import type { Entity, EntityFields } from '../../shared/model';
import type { ExcerptClaimAnswer, ExcerptClaimInput } from '../../shared/ops/evidence';
import type { CaseDb } from '../core/case-file';
import { describeChangeSet, quoteName, type ChangeSet } from '../core/journal';
import { addCitation } from '../model/citations';
import { createEntity, getEntity, updateEntity } from '../model/entities';
import { createExcerpt, getExcerpt } from './excerpts';

/** How a name is written, for telling whether an entity already has it: case and spacing aside, but every script counts. */
function writtenAs(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

/** A name taken from a file's text: CJK radicals that PDF fonts put for ideographs become the ideographs. */
function asName(text: string): string {
  return radicalsAsIdeographs(text).normalize('NFC');
}

/** The entity's fields as they are, ready to save back with a change. */
function fieldsOf(entity: Entity): EntityFields {
  return {
    type: entity.type,
    subtype: entity.subtype,
    name: entity.name,
    aliases: entity.aliases.map((a) => ({ id: a.id, name: a.name, language: a.language })),
    country: entity.country,
    identifiers: entity.identifiers.map((i) => ({ id: i.id, key: i.key, value: i.value })),
    description: entity.description,
    notes: entity.notes,
    tags: entity.tags,
    confidence: entity.confidence,
  };
}

/**
 * A passage quoted as an excerpt and made a claim in the same step: a new
 * entity citing it (the passage being the entity's name or one of its
 * aliases), or an existing entity gaining the passage as an alias and citing
 * the excerpt. One change set, so one Undo takes all of it back.
 */
export function createExcerptClaim(db: CaseDb, cs: ChangeSet, input: ExcerptClaimInput): ExcerptClaimAnswer {
  const target = input.entity;
  // A gone entity is reported before the excerpt is made, so the message names the entity, not the passage.
  const existing = target.kind === 'existing' ? getEntity(db, target.id) : null;
  const excerpt = createExcerpt(db, cs, input.sourceId, input.fields);
  let entity: Entity;
  let aliasAdded = false;
  if (target.kind === 'new') {
    entity = createEntity(db, cs, { ...target.fields, name: asName(target.fields.name), aliases: target.fields.aliases.map((a) => ({ ...a, name: asName(a.name) })) });
    addCitation(db, cs, 'entity', entity.id, `Entity ${entity.name}`, excerpt.id);
    describeChangeSet(db, cs, `Created entity ${entity.name} from excerpt ${quoteName(excerpt.quote)}`);
  } else {
    if (!existing) throw new CaseboardError('internal', 'The entity was not read.');
    entity = existing;
    const alias = target.alias ? { ...target.alias, name: asName(target.alias.name) } : null;
    if (alias) {
      const known = [entity.name, ...entity.aliases.map((a) => a.name)].map(writtenAs);
      if (!known.includes(writtenAs(alias.name))) {
        const fields = fieldsOf(entity);
        entity = updateEntity(db, cs, entity.id, { ...fields, aliases: [...fields.aliases, { name: alias.name, language: alias.language }] });
        aliasAdded = true;
      }
    }
    addCitation(db, cs, 'entity', entity.id, `Entity ${entity.name}`, excerpt.id);
    describeChangeSet(db, cs, aliasAdded && alias ? `Entity ${entity.name}: added alias ${quoteName(alias.name)} and cited excerpt ${quoteName(excerpt.quote)}` : `Entity ${entity.name}: cited excerpt ${quoteName(excerpt.quote)}`);
  }
  // Read again: the excerpt now names what cites it, the entity its new citation.
  return { excerpt: getExcerpt(db, excerpt.id), entity: getEntity(db, entity.id), aliasAdded };
}
