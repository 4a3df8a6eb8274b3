import { CaseboardError } from '../../shared/errors';
import type { Area, AreaDeleteMode, AreaRef, TaggableKind } from '../../shared/model';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, deleteRow, insertRow, updateRow, type ChangeSet } from '../core/journal';

/** The item column of area_tags for each kind of item; fixed names, never from input. */
export const TAG_COLUMN: Record<TaggableKind, string> = {
  source: 'source_id',
  excerpt: 'excerpt_id',
  entity: 'entity_id',
  link: 'link_id',
};

const ITEM_TABLE: Record<TaggableKind, string> = { source: 'sources', excerpt: 'excerpts', entity: 'entities', link: 'links' };

interface AreaDbRow {
  id: string;
  name: string;
  parent_id: string | null;
  colour: string;
  position: number;
}

function areaRow(db: CaseDb, id: string): AreaDbRow {
  const row = db.prepare('SELECT id, name, parent_id, colour, position FROM technology_areas WHERE id = ?').get(id) as AreaDbRow | undefined;
  if (!row) throw new CaseboardError('not_found', 'That technology area is no longer in the case; it may have been deleted or merged.');
  return row;
}

/** Every technology area, parents before children, with how many items each tags directly. */
export function listAreas(db: CaseDb): Area[] {
  const rows = db.prepare('SELECT id, name, parent_id, colour, position FROM technology_areas ORDER BY position, name COLLATE NOCASE').all() as AreaDbRow[];
  const counts = db
    .prepare(
      `SELECT area_id, count(source_id) AS source, count(excerpt_id) AS excerpt, count(entity_id) AS entity, count(link_id) AS link
       FROM area_tags GROUP BY area_id`,
    )
    .all() as ({ area_id: string } & Record<TaggableKind, number>)[];
  const byArea = new Map(counts.map((c) => [c.area_id, c]));
  const children = new Map<string | null, AreaDbRow[]>();
  for (const row of rows) {
    const list = children.get(row.parent_id) ?? [];
    list.push(row);
    children.set(row.parent_id, list);
  }
  const ordered: Area[] = [];
  const visit = (parent: string | null) => {
    for (const row of children.get(parent) ?? []) {
      const c = byArea.get(row.id);
      ordered.push({
        id: row.id,
        name: row.name,
        colour: row.colour,
        parentId: row.parent_id,
        counts: { source: c?.source ?? 0, excerpt: c?.excerpt ?? 0, entity: c?.entity ?? 0, link: c?.link ?? 0 },
      });
      visit(row.id);
    }
  };
  visit(null);
  return ordered;
}

/** An area and all areas below it. */
export function areaSubtree(db: CaseDb, areaId: string): string[] {
  areaRow(db, areaId);
  const rows = db
    .prepare(
      `WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.id FROM technology_areas a JOIN below b ON a.parent_id = b.id)
       SELECT id FROM below`,
    )
    .all(areaId) as { id: string }[];
  return rows.map((r) => r.id);
}

/** SQL condition (and its parameters) keeping only items tagged with the area or one below it. */
export function areaFilterSql(db: CaseDb, kind: TaggableKind, idColumn: string, areaId: string | null): { clause: string; params: string[] } {
  if (!areaId) return { clause: '', params: [] };
  const ids = areaSubtree(db, areaId);
  const column = TAG_COLUMN[kind];
  return {
    clause: `${idColumn} IN (SELECT ${column} FROM area_tags WHERE area_id IN (${ids.map(() => '?').join(', ')}))`,
    params: ids,
  };
}

/** The areas each of the given items is tagged with. */
export function areasFor(db: CaseDb, kind: TaggableKind, ids: readonly string[]): Map<string, AreaRef[]> {
  const result = new Map<string, AreaRef[]>();
  if (ids.length === 0) return result;
  const column = TAG_COLUMN[kind];
  const rows = db
    .prepare(
      `SELECT t.${column} AS item_id, a.id, a.name, a.colour FROM area_tags t JOIN technology_areas a ON a.id = t.area_id
       WHERE t.${column} IN (SELECT value FROM json_each(?)) ORDER BY a.position, a.name COLLATE NOCASE`,
    )
    .all(JSON.stringify(ids)) as { item_id: string; id: string; name: string; colour: string }[];
  for (const row of rows) {
    const list = result.get(row.item_id) ?? [];
    list.push({ id: row.id, name: row.name, colour: row.colour });
    result.set(row.item_id, list);
  }
  return result;
}

function itemLabel(db: CaseDb, kind: TaggableKind, itemId: string): string {
  const sql: Record<TaggableKind, string> = {
    source: 'SELECT title AS label FROM sources WHERE id = ?',
    excerpt: 'SELECT substr(quote, 1, 60) AS label FROM excerpts WHERE id = ?',
    entity: 'SELECT name AS label FROM entities WHERE id = ?',
    link: `SELECT f.name || ' — ' || l.type || ' — ' || t.name AS label FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE l.id = ?`,
  };
  const row = db.prepare(sql[kind]).get(itemId) as { label: string } | undefined;
  if (!row) throw new CaseboardError('not_found', `That ${kind} is no longer in the case; it may have been deleted.`);
  return row.label;
}

/** Tags an item with an area; tagging twice changes nothing. */
export function tagItem(db: CaseDb, cs: ChangeSet, areaId: string, kind: TaggableKind, itemId: string, recordEvent = true): boolean {
  const area = areaRow(db, areaId);
  const label = itemLabel(db, kind, itemId);
  const column = TAG_COLUMN[kind];
  const existing = db.prepare(`SELECT id FROM area_tags WHERE ${column} = ? AND area_id = ?`).get(itemId, areaId);
  if (existing) return false;
  insertRow(db, cs, 'area_tags', { id: newId(), area_id: areaId, [column]: itemId });
  if (recordEvent) audit(db, cs, 'tag', kind, itemId, undefined, { area: area.name }, `Tagged ${kind} ${label} with ${area.name}`);
  return true;
}

/** Removes an area from an item. */
export function untagItem(db: CaseDb, cs: ChangeSet, areaId: string, kind: TaggableKind, itemId: string, recordEvent = true): boolean {
  const area = areaRow(db, areaId);
  const column = TAG_COLUMN[kind];
  const existing = db.prepare(`SELECT id FROM area_tags WHERE ${column} = ? AND area_id = ?`).get(itemId, areaId) as { id: string } | undefined;
  if (!existing) return false;
  const label = itemLabel(db, kind, itemId);
  deleteRow(db, cs, 'area_tags', existing.id);
  if (recordEvent) audit(db, cs, 'untag', kind, itemId, { area: area.name }, undefined, `Removed ${area.name} from ${kind} ${label}`);
  return true;
}

/** Removes every area tag of an item (before the item is deleted). */
export function untagAll(db: CaseDb, cs: ChangeSet, kind: TaggableKind, itemId: string): void {
  const column = TAG_COLUMN[kind];
  const tags = db.prepare(`SELECT id FROM area_tags WHERE ${column} = ?`).all(itemId) as { id: string }[];
  for (const tag of tags) deleteRow(db, cs, 'area_tags', tag.id);
}

/** Checks that an item of that kind exists (for tagging sources and excerpts, which other modules own). */
export function requireItem(db: CaseDb, kind: TaggableKind, itemId: string): void {
  const row = db.prepare(`SELECT 1 FROM ${ITEM_TABLE[kind]} WHERE id = ?`).get(itemId);
  if (!row) throw new CaseboardError('not_found', `That ${kind} is no longer in the case; it may have been deleted.`);
}

function requireFreeName(db: CaseDb, name: string, exceptId: string | null): void {
  const clash = db.prepare('SELECT id FROM technology_areas WHERE name = ? COLLATE NOCASE AND id IS NOT ?').get(name, exceptId);
  if (clash) throw new CaseboardError('conflict', `There is already a technology area called "${name}".`, [{ path: 'name', message: 'This name is taken.' }]);
}

function requireParent(db: CaseDb, parentId: string | null, areaId: string | null): void {
  if (!parentId) return;
  areaRow(db, parentId);
  if (areaId && areaSubtree(db, areaId).includes(parentId)) {
    throw new CaseboardError('invalid_input', 'An area cannot be placed under itself or one of its own sub-areas.', [{ path: 'parentId', message: 'Choose another parent.' }]);
  }
}

function toRef(row: AreaDbRow): AreaRef & { parentId: string | null } {
  return { id: row.id, name: row.name, colour: row.colour, parentId: row.parent_id };
}

export interface AreaFields {
  name: string;
  colour: string;
  parentId: string | null;
}

export function createArea(db: CaseDb, cs: ChangeSet, fields: AreaFields): AreaRef {
  requireFreeName(db, fields.name, null);
  requireParent(db, fields.parentId, null);
  const id = newId();
  const at = now();
  const position = ((db.prepare('SELECT max(position) AS m FROM technology_areas').get() as { m: number | null }).m ?? 0) + 1;
  insertRow(db, cs, 'technology_areas', { id, name: fields.name, parent_id: fields.parentId, colour: fields.colour, position, created_at: at, updated_at: at });
  const created = toRef(areaRow(db, id));
  audit(db, cs, 'create', 'area', id, undefined, created);
  return created;
}

/** Renames, recolours or re-parents an area; fields left undefined stay as they are. */
export function updateArea(db: CaseDb, cs: ChangeSet, id: string, changes: Partial<AreaFields>): AreaRef {
  const before = toRef(areaRow(db, id));
  const next = { name: changes.name ?? before.name, colour: changes.colour ?? before.colour, parentId: changes.parentId === undefined ? before.parentId : changes.parentId };
  if (next.name.toLowerCase() !== before.name.toLowerCase() || next.name !== before.name) requireFreeName(db, next.name, id);
  requireParent(db, next.parentId, id);
  updateRow(db, cs, 'technology_areas', id, { name: next.name, colour: next.colour, parent_id: next.parentId, updated_at: now() });
  const after = toRef(areaRow(db, id));
  audit(db, cs, 'update', 'area', id, before, after);
  return after;
}

/** Moves every tag of one area to another (skipping items that already carry it) and removes the first area's tags. */
function moveTags(db: CaseDb, cs: ChangeSet, fromId: string, toId: string | null): number {
  const tags = db.prepare('SELECT id, source_id, excerpt_id, entity_id, link_id FROM area_tags WHERE area_id = ?').all(fromId) as {
    id: string;
    source_id: string | null;
    excerpt_id: string | null;
    entity_id: string | null;
    link_id: string | null;
  }[];
  let moved = 0;
  for (const tag of tags) {
    deleteRow(db, cs, 'area_tags', tag.id);
    if (!toId) continue;
    const [column, itemId] = (['source_id', 'excerpt_id', 'entity_id', 'link_id'] as const).map((c) => [c, tag[c]] as const).find(([, v]) => v !== null) ?? [];
    if (!column || !itemId) continue;
    const already = db.prepare(`SELECT 1 FROM area_tags WHERE ${column} = ? AND area_id = ?`).get(itemId, toId);
    if (!already) {
      insertRow(db, cs, 'area_tags', { id: newId(), area_id: toId, [column]: itemId });
      moved += 1;
    }
  }
  return moved;
}

function reparentChildren(db: CaseDb, cs: ChangeSet, fromId: string, toId: string | null): void {
  const children = db.prepare('SELECT id FROM technology_areas WHERE parent_id = ?').all(fromId) as { id: string }[];
  for (const child of children) updateRow(db, cs, 'technology_areas', child.id, { parent_id: toId === child.id ? null : toId, updated_at: now() });
}

/** Merges one area into another: its tags and sub-areas move to the survivor, then it is removed. */
export function mergeAreas(db: CaseDb, cs: ChangeSet, fromId: string, intoId: string): AreaRef {
  if (fromId === intoId) throw new CaseboardError('invalid_input', 'Choose two different areas to merge.');
  const from = toRef(areaRow(db, fromId));
  const into = toRef(areaRow(db, intoId));
  // Merging a parent into its own child would orphan the child's new position: lift the child first.
  if (areaSubtree(db, fromId).includes(intoId)) updateRow(db, cs, 'technology_areas', intoId, { parent_id: from.parentId, updated_at: now() });
  moveTags(db, cs, fromId, intoId);
  reparentChildren(db, cs, fromId, intoId);
  deleteRow(db, cs, 'technology_areas', fromId);
  audit(db, cs, 'merge', 'area', intoId, { merged: from, into }, toRef(areaRow(db, intoId)), `Merged area ${from.name} into ${into.name}`);
  return toRef(areaRow(db, intoId));
}

/**
 * Deletes an area. Its sub-areas move up to its parent; its tags are removed
 * ("untag"), moved to its parent ("parent") or moved to another area ("area").
 */
export function deleteArea(db: CaseDb, cs: ChangeSet, id: string, mode: AreaDeleteMode, targetId: string | null): { id: string } {
  const area = toRef(areaRow(db, id));
  let target: string | null = null;
  if (mode === 'parent') {
    if (!area.parentId) throw new CaseboardError('invalid_input', `${area.name} has no parent area to move its tags to.`);
    target = area.parentId;
  } else if (mode === 'area') {
    if (!targetId || targetId === id) throw new CaseboardError('invalid_input', 'Choose the area that should receive the tags.', [{ path: 'targetId', message: 'Choose an area.' }]);
    if (areaSubtree(db, id).includes(targetId)) throw new CaseboardError('invalid_input', 'Choose an area outside the one being deleted.', [{ path: 'targetId', message: 'Choose another area.' }]);
    areaRow(db, targetId);
    target = targetId;
  }
  moveTags(db, cs, id, target);
  reparentChildren(db, cs, id, area.parentId);
  deleteRow(db, cs, 'technology_areas', id);
  audit(db, cs, 'delete', 'area', id, area, undefined);
  return { id };
}
