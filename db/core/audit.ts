import { CASE_DOMAINS, domainsOfEvent, type CaseChanges, type CaseDomain } from '../../shared/changes';
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

/** Beyond this many events behind, the asker refetches everything instead of reading what each event touched. */
const CHANGES_SCAN_LIMIT = 5000;

/**
 * The case's change counter: the audit log's last row, and the domains its
 * events after `since` touched. Every write records an audit event in the same
 * transaction, so a change from any window, door or process moves it.
 */
export function caseChanges(db: CaseDb, since: number): CaseChanges {
  const version = (db.prepare('SELECT coalesce(max(rowid), 0) AS v FROM audit_events').get() as { v: number }).v;
  if (version === since) return { version, domains: [] };
  // Behind by a lot, or ahead (another case file, or a log that was rebuilt): everything may have changed.
  if (version < since || version - since > CHANGES_SCAN_LIMIT) return { version, domains: [...CASE_DOMAINS] };
  const events = db.prepare('SELECT DISTINCT action, item_type FROM audit_events WHERE rowid > ? AND rowid <= ?').all(since, version) as { action: string; item_type: string }[];
  const domains = new Set<CaseDomain>();
  for (const e of events) for (const d of domainsOfEvent(e.action, e.item_type)) domains.add(d);
  return { version, domains: CASE_DOMAINS.filter((d) => domains.has(d)) };
}
