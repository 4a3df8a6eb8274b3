import { z } from 'zod';
import { op } from '../operation';

/** What a CSV file holds, one item a row. */
export const CSV_KINDS = ['entities', 'links', 'sources'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/**
 * Fields a CSV column can be mapped to, per kind. Lists (aliases, tags,
 * authors) are separated by semicolons; technology areas by semicolons or
 * commas. An identifier's key is its column's header.
 */
export const CSV_FIELDS: Record<CsvKind, readonly string[]> = {
  entities: ['id', 'name', 'type', 'subtype', 'country', 'aliases', 'identifiers', 'areas', 'description', 'notes', 'tags'],
  links: ['id', 'from', 'to', 'type', 'direction', 'start', 'end', 'status', 'areas', 'notes', 'tags'],
  sources: ['id', 'title', 'kind', 'url', 'publisher', 'authors', 'published', 'language', 'reliability', 'areas', 'notes'],
};

/** Fields several columns may be mapped to: their values are put together. */
export const CSV_LIST_FIELDS: readonly string[] = ['aliases', 'identifiers', 'areas', 'tags', 'authors'];

/** The field a mapping names: "alias", "area", "identifier", "tag" and "author" name the list fields. */
export function csvField(kind: CsvKind, name: string): string {
  const plain = name.trim().toLowerCase();
  const fields = CSV_FIELDS[kind];
  if (fields.includes(plain)) return plain;
  const plural = plain === 'alias' ? 'aliases' : `${plain}s`;
  return fields.includes(plural) ? plural : name;
}

/** Delimiters a CSV file may use; the names `--delimiter` takes. */
export const CSV_DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

/** Encodings `--encoding` and the import form offer; detection picks among these and a few more. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252', 'gb18030', 'koi8-r', 'iso-8859-1', 'iso-8859-5', 'big5', 'shift_jis'] as const;

/** What an import does with a row that matches an item already in the case. */
export const ON_MATCH = ['skip', 'update', 'new'] as const;
export type OnMatch = (typeof ON_MATCH)[number];

/** "1 source", "2 sources", "1 entity": the word for a count of items. */
export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A count as the window writes it, thousands separated as its progress lines separate them: "20,000 rows". */
export function separatedCountOf(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** The singular of each kind, for counts. */
export const KIND_ONE: Record<CsvKind, string> = { entities: 'entity', links: 'link', sources: 'source' };

/** Fields a row must have, per kind. */
export const CSV_REQUIRED: Record<CsvKind, readonly string[]> = {
  entities: ['name'],
  links: ['from', 'to', 'type'],
  sources: ['title'],
};

export const EXPORT_FORMATS = ['csv', 'ftm', 'gexf', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** What `exchange.export` writes: the whole case model as JSON, or one of the formats of the tools around it. */
export const CASE_EXPORT_FORMATS = ['json', ...EXPORT_FORMATS] as const;
export type CaseExportFormat = (typeof CASE_EXPORT_FORMATS)[number];

/** A case exported as text. */
export interface ExchangeExport {
  text: string;
  mediaType: string;
  extension: string;
  /** How many programmes, events, products, places or links to them an FtM export left out for want of a schema; 0 for the others. */
  leftOut: number;
}

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
    const field = fields.find((f) => f === csvField(kind, plain)) ?? (plain === 'source' ? 'from' : plain === 'target' ? 'to' : undefined);
    if (field && (CSV_LIST_FIELDS.includes(field) || !Object.values(map).includes(field))) map[header] = field;
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
  /** CSV: the encoding the file was read in, and how it was chosen. */
  encoding?: string;
  encodingDetected?: boolean;
  /** CSV: the delimiter the file was read with, by name (comma, semicolon, tab, pipe). */
  delimiter?: CsvDelimiter;
  delimiterDetected?: boolean;
  /** CSV: columns no field was mapped to; their cells were not imported. */
  unmapped?: string[];
  /** CSV: rows that matched an item already in the case, by what was done with them. */
  matched?: { skipped: number; updated: number; addedAnyway: number };
  /** CSV: technology areas the import created (--create-areas). */
  createdAreas?: string[];
  /** FtM: what was read but not kept as given (a country that is no ISO code, the data set's bookkeeping fields), one line each. */
  notices?: string[];
}

/** A value the import will store differently from how the file writes it ("China" → "CN"). */
export interface CsvConversion {
  column: string;
  from: string;
  to: string;
  /** Rows holding it. */
  rows: number;
}

/** The header, first rows and mapping of a CSV file, and everything its import would do, checked without writing. */
export interface CsvPreview {
  headers: string[];
  rows: string[][];
  suggested: Record<string, string>;
  /** The mapping checked: the one asked for, or the suggested one when none was given. */
  map: Record<string, string>;
  fields: readonly string[];
  required: readonly string[];
  listFields: readonly string[];
  encoding: string;
  encodingDetected: boolean;
  delimiter: CsvDelimiter;
  delimiterDetected: boolean;
  /** Why the mapping cannot be imported (a missing required field, an unknown field); null when it can. */
  mappingProblem: string | null;
  /** What importing would do: counts and every row problem, as the import would report them. */
  check: ImportReport | null;
  conversions: CsvConversion[];
  /** Whether only the start of the file was checked (the import checks the rest). */
  partial: boolean;
}

/** "windows-1251, semicolon-delimited (both detected)": how the file was read, for reports and errors. */
export function describeReading(file: { encoding: string; encodingDetected: boolean; delimiter: CsvDelimiter; delimiterDetected: boolean }): string {
  const detected = [file.encodingDetected ? 'encoding' : null, file.delimiterDetected ? 'delimiter' : null].filter(Boolean);
  return `read as ${file.encoding}, ${file.delimiter}-separated${detected.length === 2 ? ' (both detected)' : detected.length === 1 ? ` (${detected[0]} detected)` : ''}`;
}

/** The largest file the import form sends with the request; a larger one is named by its path, which the operation reads itself. */
export const MAX_SENT_FILE_BYTES = 50 * 1024 * 1024;
/** The endings of FollowTheMoney JSON lines files; the import form reads every other file as CSV. */
export const FTM_FILE_EXTENSIONS = ['json', 'jsonl', 'ndjson', 'ftm'];
/** The files the import form offers: CSV and TSV (and text), and FollowTheMoney JSON lines. */
export const IMPORT_FILE_EXTENSIONS = ['csv', 'tsv', 'txt', ...FTM_FILE_EXTENSIONS];
/** How much of a file a CSV preview reads: its header and first rows, in any encoding. */
export const CSV_PREVIEW_BYTES = 4 * 1024 * 1024;
const tooLargeToSend = 'The file is larger than 50 MB; name it by its path (a file on this machine), or import it with the caseboard command.';
const fileText = z.string().max(MAX_SENT_FILE_BYTES, tooLargeToSend);
const fileBase64 = z
  .string()
  .max(Math.ceil(MAX_SENT_FILE_BYTES / 3) * 4, tooLargeToSend)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file content is not valid base64.');
const csvKind = z.enum(CSV_KINDS);
const mapping = z.record(z.string().max(200), z.string().max(50));
/** A file on this machine, read whole whatever its size: how the command line imports. */
const filePath = z.string().min(1).max(4096);
const readsFile = { paths: [{ field: 'path', mode: 'open' }] } as const;

/** How a CSV file is read and matched: the same choices on the command line and in the import form. */
const csvOptions = {
  /** The file as text (already decoded), or */
  text: fileText.optional(),
  /** its bytes, whose encoding is detected unless `encoding` names it, or the file itself. */
  base64: fileBase64.optional(),
  path: filePath.optional(),
  encoding: z.string().max(40).optional(),
  delimiter: z.enum(Object.keys(CSV_DELIMITERS) as [CsvDelimiter, ...CsvDelimiter[]]).optional(),
  onMatch: z.enum(ON_MATCH).default('skip'),
  createAreas: z.boolean().default(false),
};

/** Data in and out of the case in the formats of the tools around it. */
export const exchangeOperations = {
  'exchange.previewCsv': op<CsvPreview>()(
    z.object({
      ...csvOptions,
      kind: csvKind,
      map: mapping.optional(),
      rows: z.number().int().min(1).max(100).default(10),
      /** The text or bytes sent are only the start of a longer file (its last line may be cut short). */
      head: z.boolean().default(false),
    }),
    false,
    readsFile,
  ),
  'exchange.importCsv': op<ImportReport>()(z.object({ ...csvOptions, kind: csvKind, map: mapping }), true, readsFile),
  'exchange.importFtm': op<ImportReport>()(
    z.object({
      /** The lines as text, or */
      text: fileText.optional(),
      /** the file that holds them. */
      path: filePath.optional(),
      onMatch: z.enum(ON_MATCH).default('skip'),
      /** The list sanction records are credited to when a line names no data set, such as the file's name. */
      listName: z.string().trim().min(1).max(500).optional(),
    }),
    true,
    readsFile,
  ),
  'exchange.export': op<ExchangeExport>()(
    z.object({
      format: z.enum(CASE_EXPORT_FORMATS),
      kind: csvKind.default('entities'),
      /** Leave attached files out (json: the list of them; the other formats never carry them). */
      omitAttachments: z.boolean().default(false),
      /** Leave analyst notes and excerpt comments out. */
      omitNotes: z.boolean().default(false),
    }),
    false,
  ),
};
