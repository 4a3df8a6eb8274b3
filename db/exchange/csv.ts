import { CaseboardError } from '../../shared/errors';
import {
  cellText,
  countOf,
  csvField,
  CSV_DELIMITERS,
  CSV_FIELDS,
  CSV_LIST_FIELDS,
  CSV_REQUIRED,
  describeReading,
  KIND_ONE,
  neutraliseCell,
  suggestMapping,
  type CsvDelimiter,
  type CsvKind,
  type CsvPreview,
  type ImportReport,
  type OnMatch,
  type RowError,
} from '../../shared/ops/exchange';
import type { CaseDb } from '../core/case-file';
import { now } from '../core/clock';
import type { ChangeSet } from '../core/journal';
import { readCsv } from './csv-reader';
import { CsvRows, type RowCells } from './csv-rows';
import { LargeImport } from './large-import';
import { decodeCsvBytes, sniffDelimiter, type DecodedFile } from './decode';
import { BulkWriter } from './journal';
import { RowProblem } from './records';

/** At most this many row errors are listed; the rest are counted. */
export const MAX_LISTED_ERRORS = 1000;

/** Rows between two progress reports (and checks for a cancel). */
export const PROGRESS_EVERY = 5000;

/** How a CSV file is read and what is done with rows that match the case; the same choices on every door. */
export interface CsvReadOptions {
  /** The encoding to read the bytes in; detected when not given. Ignored for text. */
  encoding?: string | undefined;
  /** The delimiter; sniffed from the first lines when not given. */
  delimiter?: CsvDelimiter | undefined;
  onMatch?: OnMatch | undefined;
  createAreas?: boolean | undefined;
}

/** A CSV file as the operations receive it: text already decoded, or the file's bytes. */
export type CsvInput = string | Buffer;

interface ReadyFile {
  data: Buffer | string;
  length: number;
  encoding: string;
  encodingDetected: boolean;
  delimiter: CsvDelimiter;
  delimiterDetected: boolean;
}

function ready(input: CsvInput, options: CsvReadOptions): ReadyFile {
  let decoded: DecodedFile | null = null;
  let data: Buffer | string;
  if (typeof input === 'string') {
    data = input;
  } else {
    decoded = decodeCsvBytes(input, options.encoding);
    data = decoded.data;
  }
  const head = typeof data === 'string' ? Buffer.from(data.slice(0, 64 * 1024), 'utf8') : data;
  const delimiter = options.delimiter ?? sniffDelimiter(head);
  return {
    data,
    length: data.length,
    encoding: decoded?.encoding ?? 'utf-8',
    encodingDetected: decoded?.detected ?? true,
    delimiter,
    delimiterDetected: options.delimiter === undefined,
  };
}

/** A field and the columns mapped to it. */
interface Mapping {
  /** Column index to field. */
  byIndex: Map<number, string>;
  unmapped: string[];
}

function checkMapping(kind: CsvKind, headers: string[], map: Record<string, string>, file: ReadyFile): Mapping {
  const byIndex = new Map<number, string>();
  const fields = CSV_FIELDS[kind];
  for (const [column, asked] of Object.entries(map)) {
    const field = csvField(kind, asked);
    if (!fields.includes(field)) throw new CaseboardError('invalid_input', `"${field}" is not a field of ${kind}; the fields are ${fields.join(', ')}.`);
    const index = headers.indexOf(column);
    if (index < 0) throw new CaseboardError('invalid_input', `The file has no column "${column}"; its columns are ${headers.map((h) => `"${h}"`).join(', ')} (${describeReading(file)}).`);
    if (!CSV_LIST_FIELDS.includes(field) && [...byIndex.values()].includes(field)) throw new CaseboardError('invalid_input', `Two columns are mapped to ${field}; only ${CSV_LIST_FIELDS.join(', ')} take several columns.`);
    byIndex.set(index, field);
  }
  const mapped = new Set(byIndex.values());
  const missing = CSV_REQUIRED[kind].filter((f) => !mapped.has(f));
  if (missing.length) {
    throw new CaseboardError(
      'invalid_input',
      `No column is mapped to ${missing.join(' and ')}, which ${kind} cannot be imported without. The file's columns are ${headers.map((h) => `"${h}"`).join(', ')} (${describeReading(file)}); the fields they can map to are ${fields.join(', ')}.`,
    );
  }
  return { byIndex, unmapped: headers.filter((h, i) => !byIndex.has(i) && h.trim() !== '') };
}

export interface ImportOptions {
  progress?: (done: number, total: number, message: string) => void;
  throwIfCancelled?: () => void;
  /** The name of the file the rows come from, for the step in History; the format's name when the rows were sent without one. */
  fileName?: string | undefined;
}

/** Where an import writes: the change set one Undo takes back whole. */
export interface ImportTarget {
  changes: ChangeSet;
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

/** Cells beyond the header that are all empty: what a spreadsheet leaves after a column it once had. */
function onlyEmptyBeyond(fields: string[], columns: number): boolean {
  for (let i = columns; i < fields.length; i += 1) if ((fields[i] ?? '').trim() !== '') return false;
  return true;
}

interface Pass {
  report: ImportReport;
  headers: string[];
  rows: string[][];
  map: Record<string, string>;
  rowsCheck: CsvRows;
}

/**
 * Reads a CSV file and checks (with a writer: and writes) every row. Good rows
 * are imported; each bad row is reported with its line and every problem it
 * has, and skipped: a row with more or fewer cells than the header, a value
 * the case cannot hold, a link end that names no entity or several.
 */
function run(
  db: CaseDb,
  file: ReadyFile,
  kind: CsvKind,
  requested: Record<string, string> | undefined,
  options: CsvReadOptions & ImportOptions,
  writer: BulkWriter | null,
  keepRows: number,
  limit = Infinity,
  large: LargeImport | null = null,
): Pass {
  const errors = new RowErrors();
  let mapping: Mapping | null = null;
  let headers: string[] = [];
  let map: Record<string, string> = {};
  const rows: string[][] = [];
  let total = 0;
  let imported = 0;
  const matched = { skipped: 0, updated: 0, addedAnyway: 0 };
  const at = now();
  const rowsCheck = new CsvRows(db, kind, options.onMatch ?? 'skip', options.createAreas ?? false, writer, at);
  options.progress?.(0, file.length, 'Reading the file');

  readCsv(
    file.data,
    (record, end) => {
      if (!mapping) {
        headers = record.fields.map((h) => h.trim());
        map = requested && Object.keys(requested).length > 0 ? requested : suggestMapping(kind, headers);
        mapping = checkMapping(kind, headers, map, file);
        return;
      }
      total += 1;
      if (rows.length < keepRows) rows.push(record.fields);
      const fields = record.fields;
      if (fields.length < headers.length || (fields.length > headers.length && !onlyEmptyBeyond(fields, headers.length))) {
        errors.add(
          record.line,
          `The row has ${fields.length} ${fields.length === 1 ? 'cell' : 'cells'} but the header has ${headers.length} columns, so its values cannot be matched to the columns; it was not imported. (A cell holding the delimiter must be in quotes.)`,
        );
      } else {
        const cells: RowCells = new Map();
        for (const [index, field] of mapping.byIndex) {
          const cell = fields[index];
          if (cell === undefined) continue;
          const list = cells.get(field);
          const entry = { header: headers[index] ?? '', value: cellText(cell) };
          if (list) list.push(entry);
          else cells.set(field, [entry]);
        }
        const problems: string[] = [];
        let outcome;
        try {
          outcome = rowsCheck.row(cells, problems);
        } catch (error) {
          problems.push(rowMessage(error));
          outcome = 'problem' as const;
        }
        if (outcome === 'problem') errors.add(record.line, problems.join(' '));
        else if (outcome === 'new') imported += 1;
        else matched[outcome] += 1;
        if (outcome === 'addedAnyway') imported += 1;
      }
      if (total % PROGRESS_EVERY === 0) {
        options.throwIfCancelled?.();
        // Decided once the first rows are read, by how far into the file they reached.
        if (large?.decide((total * file.length) / Math.max(1, end)) && kind === 'links') rowsCheck.matchLinksAlongFrom();
        options.progress?.(end, file.length, `${total.toLocaleString('en')} rows read, ${imported.toLocaleString('en')} imported`);
      }
    },
    (fault) => {
      total += 1;
      errors.add(fault.line, fault.message);
    },
    limit,
    CSV_DELIMITERS[file.delimiter],
  );
  const resolved = mapping as Mapping | null;
  if (!resolved) throw new CaseboardError('invalid_input', 'The file has no header row.');
  const report: ImportReport = {
    total,
    imported,
    errors: errors.listed,
    moreErrors: errors.more,
    encoding: file.encoding,
    encodingDetected: file.encodingDetected,
    delimiter: file.delimiter,
    delimiterDetected: file.delimiterDetected,
    unmapped: resolved.unmapped,
    matched,
    createdAreas: rowsCheck.createdAreas,
  };
  return { report, headers, rows, map, rowsCheck };
}

/** Rows the preview checks at most; the import checks the rest. */
const PREVIEW_CHECK_ROWS = 20_000;

/**
 * The header and first rows of a CSV file, the mapping its header suggests,
 * how it was read (encoding, delimiter), and what importing it would do: the
 * values converted ("China" → "CN") and every row problem, all found without
 * writing anything. A mapping the file cannot be imported with is described,
 * not thrown, so the form can show it beside the columns.
 */
export function previewCsv(db: CaseDb, input: CsvInput, kind: CsvKind, rows: number, map: Record<string, string> | undefined, options: CsvReadOptions & { head?: boolean | undefined } = {}): CsvPreview {
  const file = ready(input, options);
  if (options.head) {
    // Only the start of a longer file: its last line was most likely cut short, and is left out rather than reported as a row with cells missing.
    const data = file.data;
    const end = typeof data === 'string' ? data.lastIndexOf('\n') : data.lastIndexOf(0x0a);
    if (end > 0) {
      file.data = typeof data === 'string' ? data.slice(0, end + 1) : data.subarray(0, end + 1);
      file.length = end + 1;
    }
  }
  const records: string[][] = [];
  readCsv(file.data, (record) => records.push(record.fields), () => undefined, rows + 1, CSV_DELIMITERS[file.delimiter]);
  const headers = (records[0] ?? []).map((h) => h.trim());
  if (headers.length === 0) throw new CaseboardError('invalid_input', 'The file has no header row.');
  const suggested = suggestMapping(kind, headers);
  const base = {
    headers,
    rows: records.slice(1),
    suggested,
    map: map && Object.keys(map).length > 0 ? map : suggested,
    fields: CSV_FIELDS[kind],
    required: CSV_REQUIRED[kind],
    listFields: CSV_LIST_FIELDS,
    encoding: file.encoding,
    encodingDetected: file.encodingDetected,
    delimiter: file.delimiter,
    delimiterDetected: file.delimiterDetected,
  };
  try {
    const pass = run(db, file, kind, map, options, null, 0, PREVIEW_CHECK_ROWS + 1);
    return { ...base, mappingProblem: null, check: pass.report, conversions: pass.rowsCheck.conversions(), partial: Boolean(options.head) || pass.report.total >= PREVIEW_CHECK_ROWS };
  } catch (error) {
    if (!(error instanceof CaseboardError) || error.code !== 'invalid_input') throw error;
    return { ...base, mappingProblem: error.message, check: null, conversions: [], partial: false };
  }
}

/**
 * Imports a CSV file of entities, links or sources (call inside one write
 * transaction): text, or the file's bytes in any common encoding. Good rows
 * are imported; each bad row, including one the CSV parser cannot read or one
 * with more or fewer cells than the header, is reported with its line and
 * every problem, and skipped. Rows matching an item of the case are skipped,
 * updated or added anyway (options.onMatch). The import is one change set:
 * one Undo takes it back.
 */
export function importCsv(db: CaseDb, input: CsvInput, kind: CsvKind, map: Record<string, string>, options: ImportOptions & CsvReadOptions & ImportTarget): ImportReport {
  const file = ready(input, options);
  const writer = new BulkWriter(db, options.changes);
  const large = kind !== 'sources' && options.onMatch !== 'update' ? new LargeImport(db, kind) : null;
  const { report } = run(db, file, kind, map, options, writer, 0, Infinity, large);
  if (large?.deferred) {
    // No total: the bar runs without a measure while the indexes are built.
    options.progress?.(0, 0, 'Building the indexes');
    large.finish();
  }
  const parts = [countOf(report.imported, KIND_ONE[kind], kind)];
  if (report.matched && report.matched.updated > 0) parts.push(`updated ${countOf(report.matched.updated, KIND_ONE[kind], kind)}`);
  writer.finish(`Imported ${parts.join(', ')} from ${options.fileName ?? 'CSV'}`, 'import');
  return report;
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
  // Every field but identifiers, whose key is a column's header on import.
  const header = CSV_FIELDS[kind].filter((f) => f !== 'identifiers');
  const lines = [header.join(',')];
  const areas = (column: string) => {
    const statement = db.prepare(`SELECT t.name FROM area_tags a JOIN technology_areas t ON t.id = a.area_id WHERE a.${column} = ? ORDER BY t.position, t.name`).pluck();
    return (id: unknown) => statement.all(id) as string[];
  };
  if (kind === 'entities') {
    const aliases = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position').pluck();
    const areasOf = areas('entity_id');
    for (const e of db.prepare('SELECT * FROM entities ORDER BY name COLLATE NOCASE, id').iterate() as Iterable<Record<string, unknown>>) {
      const row = [e.id, e.name, e.type, e.subtype, e.country, (aliases.all(e.id) as string[]).join('; '), areasOf(e.id), e.description, e.notes, jsonList(e.tags)];
      lines.push(row.map(csvCell).join(','));
    }
  } else if (kind === 'links') {
    const areasOf = areas('link_id');
    for (const l of db.prepare('SELECT * FROM links ORDER BY rowid').iterate() as Iterable<Record<string, unknown>>) {
      lines.push([l.id, l.from_id, l.to_id, l.type, l.direction, l.start_date, l.end_date, l.status, areasOf(l.id), l.notes, jsonList(l.tags)].map(csvCell).join(','));
    }
  } else {
    const areasOf = areas('source_id');
    for (const s of db.prepare('SELECT * FROM sources ORDER BY rowid').iterate() as Iterable<Record<string, unknown>>) {
      lines.push([s.id, s.title, s.kind, s.url, s.publisher, jsonList(s.authors), s.published_date, s.language, s.reliability, areasOf(s.id), s.notes].map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
