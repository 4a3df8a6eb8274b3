import { CaseboardError } from '../../shared/errors';
import type { SanctionRecord } from '../../shared/model';
import { isPartialDate } from '../../shared/partial-date';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, deleteRow, insertRow, updateRow, type ChangeSet } from '../core/journal';

/** What a sanction record says; every field is optional text, dates are partial dates. */
export interface SanctionInput {
  authority?: string | null | undefined;
  program?: string | null | undefined;
  startDate?: string | null | undefined;
  endDate?: string | null | undefined;
  reason?: string | null | undefined;
  sourceUrl?: string | null | undefined;
  /** The list or data set the record came from. */
  list?: string | null | undefined;
  /** The record's FollowTheMoney id, when it came from FtM data. */
  ftmId?: string | null | undefined;
  /** FtM properties Caseboard has no column for, written back on export. */
  ftmProperties?: Record<string, string[]> | null | undefined;
}

/** A sanction record as the table holds it. */
export interface SanctionDbRow {
  id: string;
  entity_id: string;
  authority: string | null;
  program: string | null;
  start_date: string | null;
  end_date: string | null;
  reason: string | null;
  source_url: string | null;
  list: string | null;
}

function text(value: string | null | undefined, max: number, label: string): string | null {
  const v = value?.trim() ?? '';
  if (v === '') return null;
  if (v.length > max) throw new CaseboardError('invalid_input', `${label} of the sanction is longer than ${max} characters.`);
  return v;
}

function date(value: string | null | undefined, label: string): string | null {
  const v = text(value, 10, label);
  if (v !== null && !isPartialDate(v)) throw new CaseboardError('invalid_input', `${label} of the sanction "${v}" is not a date like 2020, 2020-06 or 2020-06-01.`);
  return v;
}

/**
 * The table row for a sanction record, checked: text lengths, partial dates in
 * order, an http(s) source URL. Throws invalid_input naming the field.
 */
export function sanctionRow(id: string, entityId: string, record: SanctionInput, at = now()): Record<string, unknown> {
  const start = date(record.startDate, 'The start date');
  const end = date(record.endDate, 'The end date');
  if (start && end && end.slice(0, Math.min(start.length, end.length)) < start.slice(0, Math.min(start.length, end.length))) {
    throw new CaseboardError('invalid_input', 'The sanction ends before it starts.');
  }
  const sourceUrl = text(record.sourceUrl, 4000, 'The source URL');
  if (sourceUrl !== null && !/^https?:\/\//i.test(sourceUrl)) throw new CaseboardError('invalid_input', `The source URL "${sourceUrl.slice(0, 60)}" does not start with http:// or https://.`);
  const extra = record.ftmProperties && Object.keys(record.ftmProperties).length > 0 ? JSON.stringify(record.ftmProperties) : null;
  return {
    id,
    entity_id: entityId,
    authority: text(record.authority, 1000, 'The authority'),
    program: text(record.program, 1000, 'The programme'),
    start_date: start,
    end_date: end,
    reason: text(record.reason, 20000, 'The reason'),
    source_url: sourceUrl,
    list: text(record.list, 500, 'The list'),
    ftm_id: text(record.ftmId, 200, 'The FtM id'),
    ftm_properties: extra,
    created_at: at,
    updated_at: at,
  };
}

function toRecord(r: SanctionDbRow): SanctionRecord {
  return {
    id: r.id,
    entityId: r.entity_id,
    authority: r.authority,
    program: r.program,
    startDate: r.start_date,
    endDate: r.end_date,
    reason: r.reason,
    sourceUrl: r.source_url,
    list: r.list,
  };
}

const COLUMNS = 'id, entity_id, authority, program, start_date, end_date, reason, source_url, list';

/** An entity's sanction records, earliest first (undated last). */
export function sanctionsOf(db: CaseDb, entityId: string): SanctionRecord[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM sanctions WHERE entity_id = ? ORDER BY start_date IS NULL, start_date, id`).all(entityId) as SanctionDbRow[];
  return rows.map(toRecord);
}

/** The sanction records of many entities at once, by entity. */
export function sanctionsFor(db: CaseDb, entityIds: readonly string[]): Map<string, SanctionRecord[]> {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM sanctions WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, start_date IS NULL, start_date, id`)
    .all(JSON.stringify(entityIds)) as SanctionDbRow[];
  const map = new Map<string, SanctionRecord[]>();
  for (const row of rows) map.set(row.entity_id, [...(map.get(row.entity_id) ?? []), toRecord(row)]);
  return map;
}

function describe(entityName: string, row: Record<string, unknown>): string {
  const by = typeof row.authority === 'string' ? ` by ${row.authority}` : '';
  return `Added a sanction record${by} to ${entityName}`;
}

/** Adds a sanction record to an entity within the running operation's change set, journaled and audited. Returns the new record. */
export function addSanction(db: CaseDb, entityId: string, record: SanctionInput, cs: ChangeSet): SanctionRecord {
  const entity = db.prepare('SELECT name FROM entities WHERE id = ?').pluck().get(entityId) as string | undefined;
  if (entity === undefined) throw new CaseboardError('not_found', 'That entity is no longer in the case; it may have been deleted or merged.');
  const row = sanctionRow(newId(), entityId, record);
  const summary = describe(entity, row);
  insertRow(db, cs, 'sanctions', row);
  audit(db, cs, 'create', 'sanction', String(row.id), undefined, row, summary);
  return toRecord(row as unknown as SanctionDbRow);
}

/** Deletes every sanction record of an entity (as the entity is deleted), journaled. */
export function deleteSanctionsOf(db: CaseDb, cs: ChangeSet, entityId: string): number {
  const ids = db.prepare('SELECT id FROM sanctions WHERE entity_id = ?').pluck().all(entityId) as string[];
  for (const id of ids) deleteRow(db, cs, 'sanctions', id);
  return ids.length;
}

/** Moves an entity's sanction records to another entity (as entities are merged), journaled. */
export function moveSanctions(db: CaseDb, cs: ChangeSet, fromId: string, toId: string): number {
  const ids = db.prepare('SELECT id FROM sanctions WHERE entity_id = ?').pluck().all(fromId) as string[];
  const at = now();
  for (const id of ids) updateRow(db, cs, 'sanctions', id, { entity_id: toId, updated_at: at });
  return ids.length;
}
