import { z } from 'zod';
import { CITATION_STANCES } from '../confidence';
import { filteredModelGridQuery, type FilterOptions } from '../case-filters';
import type { GridPage } from '../grid-query';
import {
  AREA_DELETE_MODES,
  areaName,
  citationTarget,
  colour,
  entityFields,
  historyQuery,
  linkFields,
  TAGGABLE_KINDS,
  type Area,
  type AreaRef,
  type DuplicateCandidate,
  type Entity,
  type EntityRow,
  type ExcerptOption,
  type HistoryRow,
  type Link,
  type LinkRow,
  type UndoState,
} from '../model';
import { bulkCiteInput, bulkDeleteInput, bulkPreviewInput, bulkSetEntitiesInput, bulkSetLinksInput, bulkTagInput, type BulkPreview, type BulkResult } from '../bulk';
import { op } from '../operation';
import { byId, id, type ReliabilityGrade } from '../schemas';

/** An entity found by a picker, with the alias that matched when the name did not. */
export interface EntityMatch {
  id: string;
  name: string;
  type: Entity['type'];
  country: string | null;
  alias: string | null;
}

/** The case at a glance: what the Overview view shows. */
export interface CaseOverview {
  title: string;
  marking: string | null;
  totals: { sources: number; attachments: number; excerpts: number; entities: number; links: number };
  /** Every entity type, in the model's order, with how many entities have it. */
  entityTypes: { type: Entity['type']; count: number }[];
  /** Every technology area, parents first; counts include the items of its sub-areas, as the area filter does. */
  areas: { id: string; name: string; colour: string; parentId: string | null; depth: number; entities: number; links: number; sources: number }[];
  /** Sources per reliability grade, A to F. */
  reliability: { grade: ReliabilityGrade; count: number }[];
  /** Entities and links that cite no excerpt, and the most recently changed of them. */
  unsourced: { entities: number; links: number; items: { kind: 'entity' | 'link'; id: string; label: string; updatedAt: string }[] };
  /** The latest changes in the audit log, one line per operation, newest first. */
  recent: { id: string; at: string; actor: string; action: string; itemType: string; summary: string }[];
}

const attachOnCreate = {
  /** Technology areas to tag the new item with. */
  areaIds: z.array(id).max(50).default([]),
  /** Excerpts the new item cites from the start, e.g. when created from an excerpt. */
  excerptIds: z.array(id).max(50).default([]),
};

const searchText = z.string().max(200).default('');
const pickerLimit = z.number().int().min(1).max(50).default(20);

/** Undo and Redo move through the history rather than add to it: Redo takes back an Undo, and Undo a Redo. */
const STEPS_THROUGH_HISTORY = { possible: false, why: 'Undo and Redo step through the history; Redo takes back an Undo.' } as const;

/** Operations on entities, links, citations, technology areas and history. */
export const modelOperations = {
  'case.overview': op<CaseOverview>()(z.object({}).strict(), false),
  'entities.page': op<GridPage<EntityRow>>()(filteredModelGridQuery, false),
  'entities.get': op<Entity>()(byId, false),
  'entities.create': op<Entity>()(z.object({ fields: entityFields, ...attachOnCreate }), true),
  'entities.update': op<Entity>()(z.object({ id, fields: entityFields }), true),
  'entities.delete': op<{ id: string; deletedLinks: number }>()(z.object({ id, withLinks: z.boolean().default(false) }), true),
  'entities.search': op<EntityMatch[]>()(z.object({ text: searchText, limit: pickerLimit, excludeId: id.nullish() }), false),
  'entities.duplicates': op<DuplicateCandidate[]>()(z.object({ names: z.array(z.string().max(500)).max(201), excludeId: id.nullish() }), false),
  'entities.merge': op<Entity>()(
    z.object({ survivorId: id, mergedId: id }).refine((m) => m.survivorId !== m.mergedId, { message: 'Choose two different entities to merge.', path: ['mergedId'] }),
    true,
  ),
  'entities.links': op<LinkRow[]>()(byId, false),
  'entities.filterOptions': op<FilterOptions>()(z.object({}).strict(), false),
  'links.page': op<GridPage<LinkRow>>()(filteredModelGridQuery, false),
  'links.get': op<Link>()(byId, false),
  'links.create': op<Link>()(z.object({ fields: linkFields, ...attachOnCreate }), true),
  'links.update': op<Link>()(z.object({ id, fields: linkFields }), true),
  'links.delete': op<{ id: string }>()(byId, true),
  'links.types': op<string[]>()(z.object({}).strict(), false),
  'citations.add': op<{ id: string | null }>()(z.object({ target: citationTarget, excerptId: id, stance: z.enum(CITATION_STANCES).default('supports') }), true),
  'citations.setStance': op<{ id: string }>()(z.object({ id, stance: z.enum(CITATION_STANCES) }), true),
  'citations.remove': op<{ id: string }>()(byId, true),
  'citations.excerpts': op<ExcerptOption[]>()(z.object({ text: searchText, limit: pickerLimit }), false),
  'citations.excerpt': op<ExcerptOption>()(byId, false),
  'areas.list': op<Area[]>()(z.object({}).strict(), false),
  'areas.create': op<AreaRef>()(z.object({ name: areaName, colour, parentId: id.nullish().transform((v) => v ?? null) }), true),
  'areas.update': op<AreaRef>()(z.object({ id, name: areaName.optional(), colour: colour.optional(), parentId: id.nullable().optional() }), true),
  'areas.merge': op<AreaRef>()(
    z.object({ fromId: id, intoId: id }).refine((m) => m.fromId !== m.intoId, { message: 'Choose two different areas to merge.', path: ['intoId'] }),
    true,
  ),
  'areas.delete': op<{ id: string }>()(z.object({ id, mode: z.enum(AREA_DELETE_MODES), targetId: id.nullish().transform((v) => v ?? null) }), true),
  'areas.tag': op<{ changed: boolean }>()(z.object({ areaId: id, kind: z.enum(TAGGABLE_KINDS), itemId: id }), true),
  'areas.untag': op<{ changed: boolean }>()(z.object({ areaId: id, kind: z.enum(TAGGABLE_KINDS), itemId: id }), true),
  'areas.ofItem': op<AreaRef[]>()(z.object({ kind: z.enum(TAGGABLE_KINDS), itemId: id }), false),
  'bulk.preview': op<BulkPreview>()(bulkPreviewInput, false),
  'bulk.tag': op<BulkResult>()(bulkTagInput, true),
  'bulk.untag': op<BulkResult>()(bulkTagInput, true),
  'bulk.cite': op<BulkResult>()(bulkCiteInput, true),
  'bulk.setEntities': op<BulkResult>()(bulkSetEntitiesInput, true),
  'bulk.setLinks': op<BulkResult>()(bulkSetLinksInput, true),
  'bulk.delete': op<BulkResult>()(bulkDeleteInput, true),
  'history.page': op<GridPage<HistoryRow>>()(historyQuery, false),
  'history.state': op<UndoState>()(z.object({}).strict(), false),
  'history.undo': op<UndoState>()(z.object({}).strict(), true, { undo: STEPS_THROUGH_HISTORY }),
  'history.redo': op<UndoState>()(z.object({}).strict(), true, { undo: STEPS_THROUGH_HISTORY }),
};
