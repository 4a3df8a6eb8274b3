import { CaseboardError } from '../../shared/errors';
import { cellText, CSV_FIELDS, CSV_REQUIRED, neutraliseCell, suggestMapping, type CsvKind, type CsvPreview, type ImportReport, type RowError } from '../../shared/ops/exchange';
import type { CaseDb } from '../case-file';
import { now } from '../clock';
import { readCsv } from './csv-reader';
import { BulkWriter } from './journal';
import { itemId, RowProblem, writeEntity, writeLink, writeSource, type FieldValues } from './records';

/** At most this many row errors are listed; the rest are counted. */
export const MAX_LISTED_ERRORS = 1000;

/** Rows between two progress reports (and checks for a cancel). */
export const PROGRESS_EVERY = 5000;

/** The header and first rows of a CSV file, with the mapping its header suggests. */
export function previewCsv(text: string, kind: CsvKind, rows: number): CsvPreview {
  const records: string[][] = [];
  readCsv(text, (record) => records.push(record.fields), () => undefined, rows + 1);
  const headers = records[0] ?? [];
  if (headers.length === 0) throw new CaseboardError('invalid_input', 'The file has no header row.');
  return { headers, rows: records.slice(1), suggested: suggestMapping(kind, headers), fields: CSV_FIELDS[kind], required: CSV_REQUIRED[kind] };
}

function checkMapping(kind: CsvKind, headers: string[], map: Record<string, string>): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const [column, field] of Object.entries(map)) {
    if (!CSV_FIELDS[kind].includes(field)) throw new CaseboardError('invalid_input', `"${field}" is not a field of ${kind}; the fields are ${CSV_FIELDS[kind].join(', ')}.`);
    const index = headers.indexOf(column);
    if (index < 0) throw new CaseboardError('invalid_input', `The file has no column "${column}".`);
    if ([...byIndex.values()].includes(field)) throw new CaseboardError('invalid_input', `Two columns are mapped to ${field}.`);
    byIndex.set(index, field);
  }
  const mapped = new Set(byIndex.values());
  const missing = CSV_REQUIRED[kind].filter((f) => !mapped.has(f));
  if (missing.length) throw new CaseboardError('invalid_input', `Map a column to ${missing.join(' and ')}; ${kind} cannot be imported without it.`);
  return byIndex;
}

export interface ImportOptions {
  actor: string;
  progress?: (done: number, total: number, message: string) => void;
  throwIfCancelled?: () => void;
}

/** Collects row errors, listing the first ones. */
export class RowErrors {
  readonly listed: RowError[] = [];
  more = 0;
  add(row: number, message: string): void {
    if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push({ row, message });
    else this.more += 1;
  }
}

/** The message for a row that failed, in the user's words. */
export function rowMessage(error: unknown): string {
  if (error instanceof RowProblem) return error.message;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'A value breaks a rule of the case file (for example a date or a length).';
  throw error;
}

/**
 * Imports a CSV file of entities, links or sources (call inside one write
 * transaction). Good rows are imported; each bad row, including one the CSV
 * parser cannot read, is reported with its line and skipped. The import is
 * one change set: one Undo takes it back.
 */
export function importCsv(db: CaseDb, text: string, kind: CsvKind, map: Record<string, string>, options: ImportOptions): ImportReport {
  const errors = new RowErrors();
  let fields: Map<number, string> | null = null;
  let total = 0;
  let imported = 0;
  const writer = new BulkWriter(db, options.actor, `Imported ${kind} from CSV`);
  options.progress?.(0, text.length, 'Reading the file');
  const at = now();
  const exists = db.prepare(`SELECT 1 FROM ${kind} WHERE id = ?`).pluck();
  const isTaken = (id: string) => exists.get(id) !== undefined;
  const makeId = () => writer.newId();
  const byName = db.prepare('SELECT id FROM entities WHERE name = ? COLLATE NOCASE LIMIT 2').pluck();
  const entityExists = db.prepare('SELECT 1 FROM entities WHERE id = ?').pluck();
  const resolve = (value: string | undefined, label: string): string => {
    const v = value?.trim() ?? '';
    if (v === '') throw new RowProblem(`${label} is missing.`);
    if (entityExists.get(v)) return v;
    const ids = byName.all(v) as string[];
    if (ids.length === 0) throw new RowProblem(`${label} "${v.slice(0, 80)}" is not an entity of the case.`);
    if (ids.length > 1) throw new RowProblem(`${label} "${v.slice(0, 80)}" names more than one entity; use its id.`);
    return ids[0] as string;
  };

  readCsv(
    text,
    (record, end) => {
      if (!fields) {
        fields = checkMapping(kind, record.fields, Object.keys(map).length > 0 ? map : suggestMapping(kind, record.fields));
        return;
      }
      total += 1;
      const values: FieldValues = {};
      for (const [index, field] of fields) {
        const cell = record.fields[index];
        values[field] = cell === undefined ? undefined : cellText(cell);
      }
      try {
        const id = itemId(values.id, isTaken, makeId);
        if (kind === 'entities') writeEntity(writer, id, values, at);
        else if (kind === 'sources') writeSource(writer, id, values, at);
        else writeLink(writer, id, resolve(values.from, 'From'), resolve(values.to, 'To'), values, at);
        imported += 1;
      } catch (error) {
        errors.add(record.line, rowMessage(error));
      }
      if (total % PROGRESS_EVERY === 0) {
        options.throwIfCancelled?.();
        options.progress?.(end, text.length, `${total.toLocaleString('en')} rows read, ${imported.toLocaleString('en')} imported`);
      }
    },
    (fault) => {
      total += 1;
      errors.add(fault.line, fault.message);
    },
  );
  if (!fields) throw new CaseboardError('invalid_input', 'The file has no header row.');
  writer.finish(`Imported ${imported} ${kind} from CSV`, 'import');
  return { total, imported, errors: errors.listed, moreErrors: errors.more };
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  const safe = neutraliseCell(text);
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function jsonList(text: unknown): string[] {
  try {
    const parsed = JSON.parse(String(text)) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** The case's entities, links or sources as CSV, in the columns the importer reads back; formula cells are neutralised. */
export function exportCsv(db: CaseDb, kind: CsvKind): string {
  const header = CSV_FIELDS[kind];
  const lines = [header.join(',')];
  if (kind === 'entities') {
    const aliases = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position').pluck();
    for (const e of db.prepare('SELECT * FROM entities ORDER BY name COLLATE NOCASE, id').iterate() as Iterable<Record<string, unknown>>) {
      const row = [e.id, e.name, e.type, e.subtype, e.country, (aliases.all(e.id) as string[]).join('; '), e.description, e.notes, jsonList(e.tags)];
      lines.push(row.map(csvCell).join(','));
    }
  } else if (kind === 'links') {
    for (const l of db.prepare('SELECT * FROM links ORDER BY rowid').iterate() as Iterable<Record<string, unknown>>) {
      lines.push([l.id, l.from_id, l.to_id, l.type, l.direction, l.start_date, l.end_date, l.status, l.notes, jsonList(l.tags)].map(csvCell).join(','));
    }
  } else {
    for (const s of db.prepare('SELECT * FROM sources ORDER BY rowid').iterate() as Iterable<Record<string, unknown>>) {
      lines.push([s.id, s.title, s.kind, s.url, s.publisher, jsonList(s.authors), s.published_date, s.language, s.reliability, s.notes].map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
