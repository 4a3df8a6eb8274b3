import { parse, type CsvError } from 'csv-parse/sync';

/** One record of a CSV file: its fields and the line it ends on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A record the reader could not make sense of, with the line it was found on. */
export interface CsvFault {
  line: number;
  message: string;
}

// Forgiving as spreadsheets and other tools need: rows of different lengths, a quote inside an
// unquoted field taken as a character, blank lines skipped, a byte-order mark dropped.
const OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true } as const;

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a field',
};

/**
 * Reads CSV (RFC 4180 and what spreadsheets export) with csv-parse, one record
 * at a time. A record the parser cannot read is reported through `fault` and
 * skipped; the good records around it still arrive. `onRecord` also gets how
 * far into the text the parser has read, for progress. At most `limit` records
 * are read.
 */
export function readCsv(text: string, onRecord: (record: CsvRecord, end: number) => void, fault: (fault: CsvFault) => void, limit = Infinity): void {
  // csv-parse counts bytes; progress is reported in characters of the text, as the caller measures it.
  const scale = text.length / Math.max(1, Buffer.byteLength(text, 'utf8'));
  parse(text, {
    ...OPTIONS,
    ...(Number.isFinite(limit) ? { to: limit } : {}),
    on_skip: (error: CsvError | undefined) => {
      const reason = (error?.code && REASONS[error.code]) ?? error?.message ?? 'broken quoting';
      fault({ line: (error as { lines?: number } | undefined)?.lines ?? 0, message: `The row cannot be read as CSV (${reason}).` });
    },
    on_record: (record, info) => {
      onRecord({ fields: record, line: info.lines }, Math.round(info.bytes * scale));
      return null;
    },
  });
}
