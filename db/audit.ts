import type { CaseDb } from './case-file';
import { newId, now } from './clock';

export type AuditAction = 'create' | 'update' | 'delete';

/** Records one change; call inside the transaction that makes the change. */
export function recordAudit(
  db: CaseDb,
  actor: string,
  action: AuditAction,
  itemType: string,
  itemId: string,
  before: unknown,
  after: unknown,
): void {
  db.prepare(
    'INSERT INTO audit_events (id, at, actor, action, item_type, item_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(newId(), now(), actor, action, itemType, itemId, before === undefined ? null : JSON.stringify(before), after === undefined ? null : JSON.stringify(after));
}
