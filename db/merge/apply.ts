import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { describeCounts, MERGE_TABLES, type MergePlan, type MergeSide, type MergeTable } from '../../shared/ops/merge';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, BulkInsertJournal, deleteRow, describeChangeSet, insertAttachment, insertRow, updateRow, type ChangeSet, type JournaledTable } from '../core/journal';
import { keyValues, keyWhere } from '../core/tables';
import { mergeEntities } from '../model/entities';
import { deleteLink } from '../model/links';
import { labelOf, planMerge, same, type MergedRows } from './plan';
import { readSnapshot, type CaseSnapshot, type Row } from './read';

export interface MergeOptions {
  choices: Record<string, MergeSide>;
  mergeDuplicates: { incomingId: string; intoId: string }[];
  apply: boolean;
  actor: string;
  /** The change set the operation runner opened: the whole merge is one undo step. */
  changes?: ChangeSet;
  progress?: (done: number, total: number, message: string) => void;
  throwIfCancelled?: () => void;
}

function lastActors(snapshot: CaseSnapshot): Map<string, string> {
  const map = new Map<string, string>();
  for (const event of snapshot.events) map.set(event.itemId, event.actor);
  return map;
}

/**
 * Merges another investigator's copy into the open case (call inside one
 * write transaction), or with `apply: false` only says what it would do.
 * Everything it changes is one change set, so one Undo takes it back.
 */
export function mergeCase(db: CaseDb, there: CaseSnapshot, options: MergeOptions): MergePlan {
  const here = readSnapshot(db, caseFilePath(db), false);
  const { plan, final } = planMerge(here, there, options.choices);
  if (!options.apply) return plan;
  return applyMerge(db, here, there, plan, final, options);
}

/** Writes the merged rows over this case as one change set, with provenance for every row it touched. */
function applyMerge(db: CaseDb, here: CaseSnapshot, there: CaseSnapshot, plan: MergePlan, final: MergedRows, options: MergeOptions): MergePlan {
  const cs = options.changes;
  if (!cs) throw new CaseboardError('internal', 'A merge writes through the change set of its operation.');
  describeChangeSet(db, cs, `Merged ${path.basename(there.file)} (${there.title})`);
  const actors = lastActors(there);
  const at = now();
  const provenance = db.prepare(
    'INSERT INTO merge_provenance (id, change_set_id, table_name, row_id, action, from_case_id, from_file, from_investigator, merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // Provenance rows are many and only ever added: journaled compactly, so Undo removes them with the merge.
  const provenanceJournal = new BulkInsertJournal(db, cs);
  const total = MERGE_TABLES.reduce((n, t) => n + plan.counts[t].added + plan.counts[t].updated + plan.counts[t].deleted, 0);
  let done = 0;
  const step = (message: string) => {
    done += 1;
    if (done % 200 === 0) {
      options.throwIfCancelled?.();
      options.progress?.(done, total, message);
    }
  };
  const remember = (table: MergeTable, id: string, action: 'added' | 'updated' | 'deleted', row: Row) => {
    const owner = table === 'entity_aliases' || table === 'entity_identifiers' || table === 'sanctions' ? String(row.entity_id) : id;
    const provenanceId = newId();
    provenance.run(provenanceId, cs.id, table, id, action, there.caseId, path.basename(there.file), actors.get(owner) ?? actors.get(id) ?? null, at, options.actor);
    provenanceJournal.add('merge_provenance', provenanceId);
  };
  const write = (table: MergeTable, id: string, row: Row, kind: 'insert' | 'update') => {
    if (table === 'attachments') {
      // An attached file is identified by its bytes; only its row's bookkeeping could differ, and that is not merged.
      if (kind === 'insert') insertAttachment(db, cs, row, (there.pages.get(id) ?? []) as { page: unknown; text: unknown }[]);
      return;
    }
    if (kind === 'insert') insertRow(db, cs, table as JournaledTable, row);
    else updateRow(db, cs, table as JournaledTable, id, row);
  };

  // Deleted items child first; one still referred to by a row the merge changes goes after the changes.
  const deferred: [MergeTable, string, Row][] = [];
  const remove = (table: MergeTable, id: string, row: Row, retry: boolean): boolean => {
    try {
      if (table === 'attachments') {
        // Excerpts that stay lose their link to the file through the journal, not behind its back, so Undo restores it.
        for (const excerptId of db.prepare('SELECT id FROM excerpts WHERE attachment_id = ?').pluck().all(id) as string[]) updateRow(db, cs, 'excerpts', excerptId, { attachment_id: null });
      }
      if (db.prepare(`SELECT 1 FROM ${table} WHERE ${keyWhere(table)}`).get(...keyValues(table, id))) deleteRow(db, cs, table, id);
    } catch (error) {
      if (retry || !(error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw error;
      deferred.push([table, id, row]);
      return false;
    }
    remember(table, id, 'deleted', row);
    step(`Deleting ${labelOf(table, row)}`);
    return true;
  };
  for (const table of [...MERGE_TABLES].reverse()) {
    for (const [id, row] of here.rows[table]) if (!final[table].has(id)) remove(table, id, row, false);
  }
  // Added and changed items parent first, so every reference holds after each statement.
  for (const table of MERGE_TABLES) {
    options.throwIfCancelled?.();
    const rows = [...final[table]].filter(([id]) => !here.rows[table].has(id));
    if (table === 'technology_areas') rows.sort(([, a], [, b]) => depth(final, a) - depth(final, b));
    for (const [id, row] of rows) {
      write(table, id, row, 'insert');
      remember(table, id, 'added', row);
      step(`Adding ${labelOf(table, row)}`);
    }
    for (const [id, row] of final[table]) {
      const current = here.rows[table].get(id);
      if (!current || same(current, row)) continue;
      write(table, id, row, 'update');
      remember(table, id, 'updated', row);
      step(`Updating ${labelOf(table, row)}`);
    }
  }
  for (const [table, id, row] of deferred) remove(table, id, row, true);
  for (const { incomingId, intoId } of options.mergeDuplicates) {
    if (!final.entities.has(incomingId) || !final.entities.has(intoId) || incomingId === intoId) {
      throw new CaseboardError('invalid_input', 'A proposed duplicate to merge is not in the merged case.');
    }
    mergeEntities(db, cs, intoId, incomingId, (linkId) => deleteLink(db, cs, linkId));
  }
  const summary = `Merged ${path.basename(there.file)} (${there.title}): ${describeCounts(plan.counts)}`;
  describeChangeSet(db, cs, summary);
  audit(db, cs, 'merge', 'case', here.caseId, { file: path.basename(there.file), fromCaseId: there.caseId }, { counts: plan.counts, conflicts: plan.conflicts.length });
  provenanceJournal.flush();
  options.progress?.(total, total, 'Merged');
  return { ...plan, applied: true, changeSetId: cs.next === 0 ? null : cs.id };
}

function depth(final: MergedRows, row: Row): number {
  let n = 0;
  let parent = row.parent_id;
  while (typeof parent === 'string' && n < 50) {
    n += 1;
    parent = final.technology_areas.get(parent)?.parent_id;
  }
  return n;
}
