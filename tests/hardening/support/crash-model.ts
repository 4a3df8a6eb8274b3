import { createHash } from 'node:crypto';
import type { CaseDb } from '../../../db/core/case-file';

/** One line the crash writer prints: before a change, after its commit, or once it is ready. */
export type WriterLine =
  | { kind: 'ready' }
  | { kind: 'begin'; op: 'create' }
  | { kind: 'begin'; op: 'update'; ids: string[]; rev: number }
  | { kind: 'begin'; op: 'delete' | 'batchDelete'; ids: string[] }
  | { kind: 'begin'; op: 'batch'; tag: string; size: number }
  | { kind: 'begin'; op: 'import'; file: string }
  | { kind: 'ack'; op: 'create' | 'delete' | 'batchDelete'; ids: string[] }
  | { kind: 'ack'; op: 'update'; ids: string[]; rev: number }
  | { kind: 'ack'; op: 'batch'; tag: string; size: number; ids: string[] }
  | { kind: 'ack'; op: 'import'; ids: string[]; attachmentId: string; sha256: string };

/**
 * What the parent knows was committed: every acknowledged change, folded
 * into the state the case file must at least have reached.
 */
export class AcknowledgedState {
  /** Acknowledged sources that must be present, with the lowest revision they may show. */
  readonly present = new Map<string, number>();
  /** Acknowledged deletions: these sources must be gone. */
  readonly deleted = new Set<string>();
  readonly batches = new Map<string, number>();
  readonly imports = new Map<string, string>();
  acknowledged = 0;

  apply(line: WriterLine): void {
    if (line.kind !== 'ack') return;
    this.acknowledged += 1;
    switch (line.op) {
      case 'create':
        for (const id of line.ids) this.present.set(id, 0);
        break;
      case 'update':
        for (const id of line.ids) this.present.set(id, line.rev);
        break;
      case 'delete':
      case 'batchDelete':
        for (const id of line.ids) {
          this.present.delete(id);
          this.deleted.add(id);
        }
        break;
      case 'batch':
        this.batches.set(line.tag, line.size);
        break;
      case 'import':
        this.imports.set(line.attachmentId, line.sha256);
        break;
    }
  }

  /**
   * A change that began but was not acknowledged may or may not have landed;
   * once the file shows which, the parent takes the file's word for it.
   */
  settle(inFlight: WriterLine | undefined, db: CaseDb): void {
    if (inFlight?.kind !== 'begin' || (inFlight.op !== 'delete' && inFlight.op !== 'batchDelete')) return;
    const exists = db.prepare('SELECT 1 FROM sources WHERE id = ?');
    for (const id of inFlight.ids) {
      if (!exists.get(id)) {
        this.present.delete(id);
        this.deleted.add(id);
      }
    }
  }
}

/** Everything that must hold in a case file after its writer was killed; returns the problems found. */
export function checkAfterKill(db: CaseDb, state: AcknowledgedState, inFlight: WriterLine | undefined): string[] {
  const problems: string[] = [];
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
  const foreign = db.pragma('foreign_key_check') as unknown[];
  if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign.slice(0, 3))}`);

  const source = db.prepare('SELECT id, notes FROM sources WHERE id = ?');
  for (const [id, rev] of state.present) {
    const row = source.get(id) as { id: string; notes: string | null } | undefined;
    if (!row) {
      const trail = (db.prepare("SELECT action FROM audit_events WHERE item_type = 'source' AND item_id = ? ORDER BY at").all(id) as { action: string }[]).map((r) => r.action);
      problems.push(`acknowledged source ${id} is missing (audit trail: ${trail.join(', ') || 'none'})`);
    } else if (Number(row.notes) < rev) problems.push(`source ${id} shows revision ${row.notes}, but revision ${rev} was acknowledged`);
  }
  for (const id of state.deleted) if (source.get(id)) problems.push(`source ${id} was deleted (acknowledged) but is still there`);

  // Batches: every batch ever begun is in the file whole or not at all; acknowledged ones are whole.
  const counts = new Map(
    (db.prepare("SELECT substr(title, 7, instr(substr(title, 7), ' ') - 1) AS tag, count(*) AS n, max(CAST(substr(title, instr(title, '/') + 1) AS INTEGER)) AS size FROM sources WHERE title LIKE 'batch %' GROUP BY tag").all() as { tag: string; n: number; size: number }[]).map((r) => [r.tag, r]),
  );
  for (const [tag, row] of counts) if (row.n !== row.size) problems.push(`batch ${tag} is partly in the file: ${row.n} of ${row.size}`);
  for (const [tag, size] of state.batches) if (counts.get(tag)?.n !== size) problems.push(`acknowledged batch ${tag} is not in the file whole`);
  if (inFlight?.kind === 'begin' && inFlight.op === 'batchDelete') {
    const left = inFlight.ids.filter((id) => source.get(id)).length;
    if (left !== 0 && left !== inFlight.ids.length) problems.push(`a batch delete was cut in half: ${left} of ${inFlight.ids.length} left`);
  }

  // Every change carries its audit event in the same transaction.
  const unaudited = db.prepare("SELECT count(*) AS n FROM sources s WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.item_type = 'source' AND a.item_id = s.id AND a.action = 'create')").get() as { n: number };
  if (unaudited.n > 0) problems.push(`${unaudited.n} sources have no audit event for their creation`);
  const deleteAudit = db.prepare("SELECT 1 FROM audit_events WHERE item_type = 'source' AND item_id = ? AND action = 'delete'");
  for (const id of state.deleted) if (!deleteAudit.get(id)) problems.push(`deleted source ${id} has no audit event for its deletion`);

  // Imported files: acknowledged ones are there, and every stored file still matches its SHA-256.
  const attachment = db.prepare('SELECT sha256 FROM attachments WHERE id = ?');
  for (const [id, sha] of state.imports) if ((attachment.get(id) as { sha256: string } | undefined)?.sha256 !== sha) problems.push(`acknowledged import ${id} is missing`);
  for (const row of db.prepare('SELECT id, sha256, content FROM attachments').iterate() as IterableIterator<{ id: string; sha256: string; content: Buffer }>) {
    if (createHash('sha256').update(row.content).digest('hex') !== row.sha256) problems.push(`attachment ${row.id} does not match its SHA-256`);
  }
  return problems;
}
