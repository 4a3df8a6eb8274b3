import { nameKey } from '../../shared/name-key';
import { COUNT_WORDS, MERGE_TABLES, type MergeConflict, type MergeCounts, type MergeDuplicate, type MergePlan, type MergeSide, type MergeTable } from '../../shared/ops/merge';
import { REFERENCES as ALL_REFERENCES } from '../core/tables';
import type { CaseSnapshot, Row } from './read';

function isMergeTable(table: string): table is MergeTable {
  return (MERGE_TABLES as readonly string[]).includes(table);
}

/** Children that travel with their entity: an entity's names and identifiers are one item to the investigator. */
type EntityPart = 'entity_aliases' | 'entity_identifiers';
const DECIDED_TABLES = MERGE_TABLES.filter((t) => t !== 'entity_aliases' && t !== 'entity_identifiers');

/** References between merged rows: [table, column, parent table, what to do when the parent is gone], from the one list of table facts. */
const REFERENCES = ALL_REFERENCES.filter((r) => isMergeTable(r.table) && isMergeTable(r.parent)).map((r) => [r.table, r.column, r.parent, r.withoutParent] as [MergeTable, string, MergeTable, 'drop' | 'null']);

/** Items each side changed (created, edited, cited, tagged or deleted) since the two copies parted. */
function changedSince(side: CaseSnapshot, other: CaseSnapshot): { ids: Set<string>; actors: Map<string, Set<string>> } {
  const ids = new Set<string>();
  const actors = new Map<string, Set<string>>();
  for (const event of side.events) {
    if (other.auditIds.has(event.id)) continue;
    ids.add(event.itemId);
    const set = actors.get(event.itemId) ?? new Set<string>();
    set.add(event.actor);
    actors.set(event.itemId, set);
  }
  for (const change of side.changeRows) {
    if (other.changeSetIds.has(change.changeSetId)) continue;
    ids.add(change.rowId);
    if (change.parentId) ids.add(change.parentId);
  }
  return { ids, actors };
}

function entityUnit(snapshot: CaseSnapshot, id: string): Row | undefined {
  const row = snapshot.rows.entities.get(id);
  if (!row) return undefined;
  const parts = (table: EntityPart) =>
    [...snapshot.rows[table].values()].filter((r) => r.entity_id === id).sort((a, b) => Number(a.position) - Number(b.position) || String(a.id).localeCompare(String(b.id)));
  return { ...row, aliases: parts('entity_aliases'), identifiers: parts('entity_identifiers') };
}

function unitOf(snapshot: CaseSnapshot, table: MergeTable, id: string): Row | undefined {
  return table === 'entities' ? entityUnit(snapshot, id) : snapshot.rows[table].get(id);
}

export function same(a: Row | undefined, b: Row | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    // Attached files are compared by their SHA-256; their bytes are read from one side only.
    if (key === 'content') continue;
    const x = a[key];
    const y = b[key];
    if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) {
      if (!(Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y))) return false;
    } else if (JSON.stringify(x ?? null) !== JSON.stringify(y ?? null)) return false;
  }
  return true;
}

export function labelOf(table: MergeTable, row: Row | undefined): string {
  const name = row ? (row.name ?? row.title ?? row.type ?? row.quote) : undefined;
  const text = typeof name === 'string' ? ` "${name.length > 60 ? `${name.slice(0, 57)}…` : name}"` : '';
  return `${COUNT_WORDS[table][0]}${text}`;
}

/** A conflict as shown side by side: the row without bytes. */
function shown(row: Row | undefined): Row | null {
  if (!row) return null;
  const copy: Row = {};
  for (const [key, value] of Object.entries(row)) copy[key] = Buffer.isBuffer(value) ? `(${value.length} bytes)` : value;
  return copy;
}

function emptyCounts(): Record<MergeTable, MergeCounts> {
  return Object.fromEntries(MERGE_TABLES.map((t) => [t, { added: 0, updated: 0, deleted: 0 }])) as Record<MergeTable, MergeCounts>;
}

/** The merged case as rows per table. */
export type MergedRows = Record<MergeTable, Map<string, Row>>;

/** The merged case, with how it got there. */
interface MergeResult {
  final: MergedRows;
  conflicts: MergeConflict[];
  notes: MergePlan['notes'];
}

/**
 * Decides the merged state of every item. An item that only one side changed
 * since the copies parted (by the audit log and change journal each file
 * carries) takes that side's version, deletions included; an item both sides
 * changed differently is a conflict, settled by `choices` or else kept as
 * this case has it. The rule treats both files alike, so merging A into B and
 * B into A with the same settled conflicts gives the same items.
 */
export function decideMerge(here: CaseSnapshot, there: CaseSnapshot, choices: Record<string, MergeSide>): MergeResult {
  const hereChanged = changedSince(here, there);
  const thereChanged = changedSince(there, here);
  const final = Object.fromEntries(MERGE_TABLES.map((t) => [t, new Map<string, Row>()])) as Record<MergeTable, Map<string, Row>>;
  const conflicts: MergeConflict[] = [];
  const notes: MergePlan['notes'] = [];
  /** Items a settled conflict removed: what still refers to them goes too. */
  const settledAbsent = new Set<string>();

  for (const table of DECIDED_TABLES) {
    const ids = new Set([...here.rows[table].keys(), ...there.rows[table].keys()]);
    for (const id of ids) {
      const ours = unitOf(here, table, id);
      const theirs = unitOf(there, table, id);
      let keep: Row | undefined;
      if (same(ours, theirs)) keep = ours;
      else {
        const changedHere = hereChanged.ids.has(id);
        const changedThere = thereChanged.ids.has(id);
        if (ours && theirs && changedHere !== changedThere) keep = changedHere ? ours : theirs;
        else if (ours && !theirs && !changedHere) keep = changedThere ? undefined : ours;
        else if (ours && !theirs && !changedThere) keep = ours;
        else if (!ours && theirs && !changedThere) keep = changedHere ? undefined : theirs;
        else if (!ours && theirs && !changedHere) keep = theirs;
        else {
          const key = `${table}:${id}`;
          conflicts.push({
            key,
            table,
            id,
            label: labelOf(table, ours ?? theirs),
            kind: ours && theirs ? 'edited-both' : ours ? 'deleted-there' : 'deleted-here',
            ours: shown(ours),
            theirs: shown(theirs),
            ourInvestigators: [...(hereChanged.actors.get(id) ?? [])],
            theirInvestigators: [...(thereChanged.actors.get(id) ?? [])],
          });
          keep = choices[key] === 'theirs' ? theirs : ours;
          if (!keep) settledAbsent.add(key);
        }
      }
      if (!keep) continue;
      if (table === 'entities') {
        const { aliases, identifiers, ...row } = keep;
        final.entities.set(id, row);
        for (const alias of aliases as Row[]) final.entity_aliases.set(String(alias.id), alias);
        for (const identifier of identifiers as Row[]) final.entity_identifiers.set(String(identifier.id), identifier);
      } else final[table].set(id, keep);
    }
  }

  keepPartsOfKeptItems(here, there, final, notes);
  dedupe(final, notes);
  repairReferences(here, there, settledAbsent, final, notes);
  if (keepPartsOfKeptItems(here, there, final, notes)) dedupe(final, notes);
  return { final, conflicts, notes };
}

/** What belongs to an item and goes when it is deleted: its citations, names, identifiers, area tags and sanction records. */
const PART_TABLES: readonly MergeTable[] = ['entity_aliases', 'entity_identifiers', 'sanctions', 'citations', 'area_tags'];

/**
 * An item the merge keeps keeps its parts. Deleting a link or an entity
 * deletes its citations, tags and records with it; when the merge keeps that
 * item (the other side edited it), the parts the deleting side lost only
 * with the item come back too. A part one side removed while keeping its item
 * stays removed. Returns whether any part came back.
 */
function keepPartsOfKeptItems(here: CaseSnapshot, there: CaseSnapshot, final: MergedRows, notes: MergePlan['notes']): boolean {
  let kept = false;
  for (const table of PART_TABLES) {
    const parents = REFERENCES.filter(([t, , , onMissing]) => t === table && onMissing === 'drop');
    for (const [side, other] of [
      [here, there],
      [there, here],
    ] as const) {
      for (const [id, row] of side.rows[table]) {
        if (final[table].has(id) || other.rows[table].has(id)) continue;
        const refs = parents.filter(([, column]) => row[column] !== null && row[column] !== undefined).map(([, column, parent]) => [parent, String(row[column])] as const);
        if (refs.length === 0 || !refs.every(([parent, ref]) => final[parent].has(ref))) continue;
        // Gone from the other side only because an item it belongs to went.
        const gone = refs.find(([parent, ref]) => !other.rows[parent].has(ref));
        if (!gone) continue;
        final[table].set(id, row);
        notes.push({ table, id, reason: `kept with the ${labelOf(gone[0], final[gone[0]].get(gone[1]))} it belongs to, which the merge keeps` });
        kept = true;
      }
    }
  }
  return kept;
}

/** Rows both sides added for the same thing (the same citation, tag, area name or link type): the smaller ID stays, whichever side it came from. */
function dedupe(final: MergedRows, notes: MergePlan['notes']): void {
  const byNaturalKey = (table: MergeTable, naturalKey: (row: Row) => string, onDrop?: (dropped: string, kept: string) => void) => {
    const seen = new Map<string, string>();
    const ids = [...final[table].keys()].sort();
    for (const id of ids) {
      const row = final[table].get(id);
      if (!row) continue;
      const k = naturalKey(row);
      const kept = seen.get(k);
      if (kept === undefined) {
        seen.set(k, id);
        continue;
      }
      final[table].delete(id);
      onDrop?.(id, kept);
      notes.push({ table, id, reason: `the same ${labelOf(table, row)} is already in the merged case` });
    }
  };
  byNaturalKey('technology_areas', (r) => String(r.name).toLocaleLowerCase(), (dropped, kept) => {
    for (const tag of final.area_tags.values()) if (tag.area_id === dropped) tag.area_id = kept;
    for (const area of final.technology_areas.values()) if (area.parent_id === dropped) area.parent_id = kept;
  });
  byNaturalKey('link_types', (r) => String(r.name).toLocaleLowerCase());
  byNaturalKey('citations', (r) => `${String(r.entity_id ?? '')}|${String(r.link_id ?? '')}|${String(r.excerpt_id)}`);
  byNaturalKey('area_tags', (r) => ['source_id', 'excerpt_id', 'entity_id', 'link_id'].map((c) => String(r[c] ?? '')).join('|') + `|${String(r.area_id)}`);
}

/**
 * Keeps the merged case whole: an item that still refers to something one
 * side deleted brings that item back, unless a settled conflict removed it;
 * an item that refers to something neither side has any more is left out.
 * Both sides are looked at alike, so the result does not depend on direction.
 */
function repairReferences(here: CaseSnapshot, there: CaseSnapshot, settledAbsent: Set<string>, final: MergedRows, notes: MergePlan['notes']): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [table, column, parent, onMissing] of REFERENCES) {
      for (const [id, row] of final[table]) {
        const ref = row[column];
        if (ref === null || ref === undefined || final[parent].has(String(ref))) continue;
        const fromSide = (side: CaseSnapshot) => (parent === 'entities' ? entityUnit(side, String(ref)) : side.rows[parent].get(String(ref)));
        const restorable = settledAbsent.has(`${parent}:${String(ref)}`) ? undefined : (fromSide(here) ?? fromSide(there));
        if (restorable) {
          if (parent === 'entities') {
            const { aliases, identifiers, ...entity } = restorable;
            final.entities.set(String(ref), entity);
            for (const alias of aliases as Row[]) final.entity_aliases.set(String(alias.id), alias);
            for (const identifier of identifiers as Row[]) final.entity_identifiers.set(String(identifier.id), identifier);
          } else final[parent].set(String(ref), restorable);
          notes.push({ table: parent, id: String(ref), reason: `kept, because the merged ${labelOf(table, row)} still refers to it` });
        } else if (onMissing === 'null') {
          final[table].set(id, { ...row, [column]: null });
        } else {
          final[table].delete(id);
          notes.push({ table, id, reason: `left out: the ${labelOf(parent, undefined)} it refers to was deleted` });
        }
        changed = true;
      }
    }
  }
}

function countChanges(here: CaseSnapshot, final: MergedRows): Record<MergeTable, MergeCounts> {
  const counts = emptyCounts();
  for (const table of MERGE_TABLES) {
    for (const [id, row] of final[table]) {
      const current = here.rows[table].get(id);
      if (!current) counts[table].added += 1;
      else if (!same(current, row)) counts[table].updated += 1;
    }
    for (const id of here.rows[table].keys()) if (!final[table].has(id)) counts[table].deleted += 1;
  }
  return counts;
}

function duplicatesOf(here: CaseSnapshot, final: MergedRows): MergeDuplicate[] {
  const byKey = new Map<string, { id: string; name: string; matched: string }[]>();
  const remember = (key: string, entry: { id: string; name: string; matched: string }) => {
    if (!key) return;
    const list = byKey.get(key) ?? [];
    list.push(entry);
    byKey.set(key, list);
  };
  for (const [id, row] of here.rows.entities) remember(String(row.name_key), { id, name: String(row.name), matched: String(row.name) });
  for (const alias of here.rows.entity_aliases.values()) {
    const owner = here.rows.entities.get(String(alias.entity_id));
    if (owner) remember(String(alias.name_key), { id: String(owner.id), name: String(owner.name), matched: String(alias.name) });
  }
  const result: MergeDuplicate[] = [];
  for (const [id, row] of final.entities) {
    if (here.rows.entities.has(id)) continue;
    const names = [String(row.name), ...[...final.entity_aliases.values()].filter((a) => a.entity_id === id).map((a) => String(a.name))];
    const seen = new Set<string>();
    const candidates: MergeDuplicate['candidates'] = [];
    for (const name of names) {
      for (const candidate of byKey.get(nameKey(name)) ?? []) {
        if (seen.has(candidate.id) || !final.entities.has(candidate.id)) continue;
        seen.add(candidate.id);
        candidates.push(candidate);
      }
    }
    if (candidates.length > 0) result.push({ incomingId: id, incomingName: String(row.name), candidates });
  }
  return result;
}

/** What merging `there` into `here` would do, and the merged rows it arrives at. */
export function planMerge(here: CaseSnapshot, there: CaseSnapshot, choices: Record<string, MergeSide>): { plan: MergePlan; final: MergedRows } {
  const { final, conflicts, notes } = decideMerge(here, there, choices);
  const plan: MergePlan = {
    file: there.file,
    otherTitle: there.title,
    otherCaseId: there.caseId,
    investigators: [...new Set(there.events.map((e) => e.actor))],
    counts: countChanges(here, final),
    conflicts,
    duplicates: duplicatesOf(here, final),
    unrelated: unrelatedCases(here, there),
    notes,
    applied: false,
    changeSetId: null,
  };
  return { plan, final };
}

/** Tables whose rows every case starts with (the taxonomy, the link types): sharing them says nothing. */
const SEEDED: readonly MergeTable[] = ['technology_areas', 'link_types'];

/**
 * Whether two case files look like two different cases: another case ID,
 * another title, no audit event and no item (beyond the rows every case
 * starts with) in common, and both with something in them.
 */
export function unrelatedCases(here: CaseSnapshot, there: CaseSnapshot): boolean {
  if (here.caseId === there.caseId) return false;
  if (here.title.trim().toLocaleLowerCase() === there.title.trim().toLocaleLowerCase()) return false;
  const items = MERGE_TABLES.filter((t) => !SEEDED.includes(t));
  const hasItems = (side: CaseSnapshot) => items.some((t) => side.rows[t].size > 0);
  if (!hasItems(here) || !hasItems(there)) return false;
  for (const id of there.auditIds) if (here.auditIds.has(id)) return false;
  for (const table of items) for (const id of there.rows[table].keys()) if (here.rows[table].has(id)) return false;
  return true;
}

