import type { CaseDb } from './case-file';
import { newId, now } from './clock';

export type AuditAction = 'create' | 'update' | 'delete' | 'merge' | 'tag' | 'untag' | 'undo' | 'redo';

export interface AuditOptions {
  /** The change set the event belongs to, so undo and the History view can group one operation's events. */
  changeSetId?: string;
  /** One line for the History view, e.g. "Created entity Beihang University". */
  summary?: string;
}

/** Records one change; call inside the transaction that makes the change. */
export function recordAudit(
  db: CaseDb,
  actor: string,
  action: AuditAction,
  itemType: string,
  itemId: string,
  before: unknown,
  after: unknown,
  options: AuditOptions = {},
): void {
  db.prepare(
    'INSERT INTO audit_events (id, at, actor, action, item_type, item_id, before_json, after_json, change_set_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    newId(),
    now(),
    actor,
    action,
    itemType,
    itemId,
    before === undefined ? null : JSON.stringify(before),
    after === undefined ? null : JSON.stringify(after),
    options.changeSetId ?? null,
    options.summary ?? null,
  );
}
