import { z } from 'zod';
import { op } from '../operation';

/** What a CSV file holds, one item a row. */
export const CSV_KINDS = ['entities', 'links', 'sources'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** Fields a CSV column can be mapped to, per kind. Lists (aliases, tags, authors) are separated by semicolons. */
export const CSV_FIELDS: Record<CsvKind, readonly string[]> = {
  entities: ['id', 'name', 'type', 'subtype', 'country', 'aliases', 'description', 'notes', 'tags'],
  links: ['id', 'from', 'to', 'type', 'direction', 'start', 'end', 'status', 'notes', 'tags'],
  sources: ['id', 'title', 'kind', 'url', 'publisher', 'authors', 'published', 'language', 'reliability', 'notes'],
};

/** Fields a row must have, per kind. */
export const CSV_REQUIRED: Record<CsvKind, readonly string[]> = {
  entities: ['name'],
  links: ['from', 'to', 'type'],
  sources: ['title'],
};

export const EXPORT_FORMATS = ['csv', 'ftm', 'gexf', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A cell a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) gets a leading apostrophe, so it is shown as text. A cell
 * that starts with an apostrophe gets one too, so that removing the first
 * apostrophe of any cell that has one always gives back the original text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}

/**
 * The text a cell stands for: the first apostrophe of a cell that starts with
 * one is dropped, as spreadsheets do and as `neutraliseCell` expects, so a
 * case exported to CSV and imported again keeps its text exactly.
 */
export function cellText(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** The column-to-field mapping a CSV header suggests: columns named like a field map to it. */
export function suggestMapping(kind: CsvKind, headers: readonly string[]): Record<string, string> {
  const fields = CSV_FIELDS[kind];
  const map: Record<string, string> = {};
  for (const header of headers) {
    const plain = header.trim().toLowerCase().replace(/[^a-z]/g, '');
    const field = fields.find((f) => f === plain) ?? (plain === 'source' ? 'from' : plain === 'target' ? 'to' : undefined);
    if (field && !Object.values(map).includes(field)) map[header] = field;
  }
  return map;
}

export interface RowError {
  /** 1-based line of the row in the file (the header is line 1 of a CSV file). */
  row: number;
  message: string;
}

export interface ImportReport {
  total: number;
  imported: number;
  errors: RowError[];
  /** Whether more errors happened than are listed. */
  moreErrors: number;
}

export interface CsvPreview {
  headers: string[];
  rows: string[][];
  suggested: Record<string, string>;
  fields: readonly string[];
  required: readonly string[];
}

const fileText = z.string().max(50 * 1024 * 1024, 'The file is larger than 50 MB; import it with the caseboard command.');
const csvKind = z.enum(CSV_KINDS);
const mapping = z.record(z.string().max(200), z.string().max(50));

/** Data in and out of the case in the formats of the tools around it. */
export const exchangeOperations = {
  'exchange.previewCsv': op<CsvPreview>()(z.object({ text: fileText, kind: csvKind, rows: z.number().int().min(1).max(100).default(10) }), false),
  'exchange.importCsv': op<ImportReport>()(z.object({ text: fileText, kind: csvKind, map: mapping }), true),
  'exchange.importFtm': op<ImportReport>()(z.object({ text: fileText }), true),
  'exchange.export': op<{ text: string; mediaType: string; extension: string }>()(z.object({ format: z.enum(EXPORT_FORMATS), kind: csvKind.default('entities') }), false),
};
