import type { CitingKind } from '../../shared/model';
import type { modelOperations } from '../../shared/ops/model';
import { createArea, deleteArea, listAreas, mergeAreas, requireItem, tagItem, untagItem, updateArea, areasFor } from './areas';
import type { CaseDb } from '../core/case-file';
import { citeFromSelection, deleteSelection, describeEntityFields, itemCount, previewSelection, setEntityFields, setLinkType, tagSelection } from './bulk';
import { addCitation, findExcerpts, getExcerptOption, removeCitation, setCitationStance } from './citations';
import { createEntity, deleteEntity, entityRef, filterOptions, findDuplicates, getEntity, mergeEntities, pageEntities, searchEntities, updateEntity } from './entities';
import { changesOf, type Handlers, type OperationContext } from '../core/handler';
import { describeChangeSet, pageHistory, redo, undo, undoState, type ChangeSet } from '../core/journal';
import { createLink, deleteLink, getLink, linkLabel, linksOfEntity, linkTypes, pageLinks, updateLink } from './links';
import { caseOverview } from './overview';

/** The operation's change set (opened by the runner), with the line Undo will name. */
function begin(db: CaseDb, ctx: OperationContext, summary: string): ChangeSet {
  const cs = changesOf(ctx);
  describeChangeSet(db, cs, summary);
  return cs;
}

function describeItem(db: CaseDb, kind: CitingKind, id: string): string {
  return kind === 'entity' ? `Entity ${entityRef(db, id).name}` : `Link ${linkLabel(db, id)}`;
}

/** Cites excerpts and tags areas right after an item is created, inside the same change set. */
function attach(db: CaseDb, cs: ChangeSet, kind: CitingKind, id: string, excerptIds: readonly string[], areaIds: readonly string[]): void {
  const label = describeItem(db, kind, id);
  for (const excerptId of excerptIds) addCitation(db, cs, kind, id, label, excerptId);
  for (const areaId of areaIds) tagItem(db, cs, areaId, kind, id);
}

export const modelHandlers: Handlers<ModelOperationName> = {
  'case.overview': (db) => caseOverview(db),
  'entities.page': (db, input) => pageEntities(db, input),
  'entities.get': (db, input) => getEntity(db, input.id),
  'entities.create': (db, input, ctx) => {
    const cs = begin(db, ctx, `Created entity ${input.fields.name}`);
    const created = createEntity(db, cs, input.fields);
    attach(db, cs, 'entity', created.id, input.excerptIds, input.areaIds);
    return getEntity(db, created.id);
  },
  'entities.update': (db, input, ctx) => {
    const cs = begin(db, ctx, `Edited entity ${input.fields.name}`);
    return updateEntity(db, cs, input.id, input.fields);
  },
  'entities.delete': (db, input, ctx) => {
    const name = entityRef(db, input.id).name;
    const cs = begin(db, ctx, `Deleted entity ${name}`);
    const result = deleteEntity(db, cs, input.id, input.withLinks, (linkId) => deleteLink(db, cs, linkId));
    if (result.deletedLinks > 0) describeChangeSet(db, cs, `Deleted entity ${name} and its ${result.deletedLinks} ${result.deletedLinks === 1 ? 'link' : 'links'}`);
    return result;
  },
  'entities.search': (db, input) => searchEntities(db, input.text, input.limit, input.excludeId ?? null),
  'entities.duplicates': (db, input) => findDuplicates(db, input.names, input.excludeId ?? null),
  'entities.merge': (db, input, ctx) => {
    const survivor = entityRef(db, input.survivorId);
    const merged = entityRef(db, input.mergedId);
    const cs = begin(db, ctx, `Merged entity ${merged.name} into ${survivor.name}`);
    return mergeEntities(db, cs, input.survivorId, input.mergedId, (linkId) => deleteLink(db, cs, linkId));
  },
  'entities.links': (db, input) => {
    entityRef(db, input.id);
    return linksOfEntity(db, input.id, 200);
  },
  'links.page': (db, input) => pageLinks(db, input),
  'links.get': (db, input) => getLink(db, input.id),
  'links.create': (db, input, ctx) => {
    const cs = begin(db, ctx, `Created link ${input.fields.type}`);
    const created = createLink(db, cs, input.fields);
    describeChangeSet(db, cs, `Created link ${created.from.name} — ${created.type} — ${created.to.name}`);
    attach(db, cs, 'link', created.id, input.excerptIds, input.areaIds);
    return getLink(db, created.id);
  },
  'links.update': (db, input, ctx) => {
    const cs = begin(db, ctx, `Edited link ${input.fields.type}`);
    const updated = updateLink(db, cs, input.id, input.fields);
    describeChangeSet(db, cs, `Edited link ${updated.from.name} — ${updated.type} — ${updated.to.name}`);
    return updated;
  },
  'links.delete': (db, input, ctx) => {
    const cs = begin(db, ctx, `Deleted link ${linkLabel(db, input.id)}`);
    return deleteLink(db, cs, input.id);
  },
  'links.types': (db) => linkTypes(db),
  'entities.filterOptions': (db) => filterOptions(db),
  'citations.add': (db, input, ctx) => {
    const label = describeItem(db, input.target.kind, input.target.id);
    const cs = begin(db, ctx, `${label}: cited an excerpt`);
    return { id: addCitation(db, cs, input.target.kind, input.target.id, label, input.excerptId, input.stance) };
  },
  'citations.setStance': (db, input, ctx) => {
    const cs = begin(db, ctx, input.stance === 'contradicts' ? 'Cited an excerpt as contradicting' : 'Cited an excerpt in support');
    setCitationStance(db, cs, input.id, input.stance, (kind, id) => describeItem(db, kind, id));
    return { id: input.id };
  },
  'citations.remove': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Removed a citation');
    removeCitation(db, cs, input.id, (kind, id) => describeItem(db, kind, id));
    return { id: input.id };
  },
  'citations.excerpts': (db, input) => findExcerpts(db, input.text, input.limit),
  'citations.excerpt': (db, input) => getExcerptOption(db, input.id),
  'areas.list': (db) => listAreas(db),
  'areas.create': (db, input, ctx) => {
    const cs = begin(db, ctx, `Created technology area ${input.name}`);
    return createArea(db, cs, input);
  },
  'areas.update': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Edited a technology area');
    const updated = updateArea(db, cs, input.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.colour !== undefined ? { colour: input.colour } : {}),
      ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
    });
    describeChangeSet(db, cs, `Edited technology area ${updated.name}`);
    return updated;
  },
  'areas.merge': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Merged technology areas');
    const into = mergeAreas(db, cs, input.fromId, input.intoId);
    describeChangeSet(db, cs, `Merged a technology area into ${into.name}`);
    return into;
  },
  'areas.delete': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Deleted a technology area');
    return deleteArea(db, cs, input.id, input.mode, input.targetId);
  },
  'areas.tag': (db, input, ctx) => {
    requireItem(db, input.kind, input.itemId);
    const cs = begin(db, ctx, `Tagged a ${input.kind}`);
    const changed = tagItem(db, cs, input.areaId, input.kind, input.itemId);
    const event = db.prepare('SELECT summary FROM audit_events WHERE change_set_id = ? ORDER BY rowid DESC LIMIT 1').get(cs.id) as { summary: string } | undefined;
    if (event) describeChangeSet(db, cs, event.summary);
    return { changed };
  },
  'areas.untag': (db, input, ctx) => {
    requireItem(db, input.kind, input.itemId);
    const cs = begin(db, ctx, `Removed an area from a ${input.kind}`);
    const changed = untagItem(db, cs, input.areaId, input.kind, input.itemId);
    const event = db.prepare('SELECT summary FROM audit_events WHERE change_set_id = ? ORDER BY rowid DESC LIMIT 1').get(cs.id) as { summary: string } | undefined;
    if (event) describeChangeSet(db, cs, event.summary);
    return { changed };
  },
  'areas.ofItem': (db, input) => {
    requireItem(db, input.kind, input.itemId);
    return areasFor(db, input.kind, [input.itemId]).get(input.itemId) ?? [];
  },
  'bulk.preview': (db, input) => previewSelection(db, input.kind, input.selection),
  'bulk.tag': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Tagged several items');
    const { summary, ...result } = tagSelection(db, cs, ctx, input.kind, input.selection, input.areaId, false);
    describeChangeSet(db, cs, summary);
    return result;
  },
  'bulk.untag': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Removed an area from several items');
    const { summary, ...result } = tagSelection(db, cs, ctx, input.kind, input.selection, input.areaId, true);
    describeChangeSet(db, cs, summary);
    return result;
  },
  'bulk.cite': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Cited excerpts from several items');
    const result = citeFromSelection(db, cs, ctx, input.kind, input.selection, input.excerptIds, input.stance);
    const excerpts = input.excerptIds.length === 1 ? 'an excerpt' : `${input.excerptIds.length} excerpts`;
    describeChangeSet(db, cs, `${itemCount(input.kind, result.changed)}: cited ${excerpts}${input.stance === 'contradicts' ? ' as contradicting' : ''}`);
    return result;
  },
  'bulk.setEntities': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Edited several entities');
    const set = { type: input.type, country: input.country };
    const result = setEntityFields(db, cs, ctx, input.selection, set);
    describeChangeSet(db, cs, describeEntityFields(set, result.changed));
    return result;
  },
  'bulk.setLinks': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Edited several links');
    const result = setLinkType(db, cs, ctx, input.selection, input.type);
    describeChangeSet(db, cs, `Set type ${input.type} on ${itemCount('link', result.changed)}`);
    return result;
  },
  'bulk.delete': (db, input, ctx) => {
    const cs = begin(db, ctx, 'Deleted several items');
    const result = deleteSelection(db, cs, ctx, input.kind, input.selection, input.withLinks);
    const links = result.deletedLinks ? ` and their ${itemCount('link', result.deletedLinks)}` : '';
    describeChangeSet(db, cs, `Deleted ${itemCount(input.kind, result.changed)}${links}`);
    return result;
  },
  'history.page': (db, input) => pageHistory(db, input),
  'history.state': (db) => undoState(db),
  'history.undo': (db, _input, ctx) => undo(db, ctx.actor),
  'history.redo': (db, _input, ctx) => redo(db, ctx.actor),
};

type ModelOperationName = keyof typeof modelOperations & string;
