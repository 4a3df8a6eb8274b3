import { Parser, type CsvError, type Info, type Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';

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
const OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true } as const;

// A quote that is never closed is reported apart (see readCsv); these are the other reasons csv-parse may give.
const REASONS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a field',
};

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
/** Every delimiter the reader takes (comma, semicolon, tab, pipe) is one byte. */
const DELIMITER_BYTES = 1;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What csv-parse tells about where it stopped when it reports an error. */
interface ErrorInfo {
  code?: string;
  message?: string;
  lines?: number;
  bytes?: number;
  index?: number;
}

/** A row whose quoted field is never properly closed: where it starts, where the quote opened, and where reading goes on. */
interface OpenQuote {
  recordLine: number;
  quoteLine: number;
  /** Byte where the line after the quote's starts; null when the text ends first. */
  resumeAt: number | null;
}

/** The part of csv-parse's parser that reads a whole buffer, without the stream around it. */
interface ParserCore {
  parse(buf: Buffer, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

/**
 * Reads every record of `buf` with csv-parse, handing each to `onRecord`
 * with the parser's running counts (bytes read, lines), as they stand when
 * the record ends. Its `on_record` option gives the same counts, but copied
 * into two new objects per record: 2.5 s and much of the garbage of reading a
 * million rows. An error `onRecord` throws ends the reading and is thrown on.
 */
function parseEach(buf: Buffer, options: Options, onRecord: (fields: string[], info: Info) => void): void {
  const parser = new Parser(options);
  // The stream's parser, as csv-parse's own stream and synchronous reader drive it (csv-parse is pinned to one version).
  const core = (parser as unknown as { api?: ParserCore }).api;
  if (!core || typeof core.parse !== 'function') throw new Error('This version of csv-parse has no parser to drive.');
  const error = core.parse(buf, true, (fields) => onRecord(fields, parser.info), () => undefined);
  if (error !== undefined) throw error;
}

/** Stops a pass of the parser at a record that must be read again. */
class Reread extends Error {}

/** Line breaks in buf[from, to): CRLF, LF and a lone CR each end one line. */
function lineBreaks(buf: Buffer, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i += 1) {
    const byte = buf[i];
    if (byte === LF || (byte === CR && buf[i + 1] !== LF)) breaks += 1;
  }
  return breaks;
}

/** Line breaks in a field's value, counted as lineBreaks counts them. */
function lineBreaksIn(value: string): number {
  let breaks = 0;
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) breaks += 1;
  for (let i = value.indexOf('\r'); i >= 0; i = value.indexOf('\r', i + 1)) if (value[i + 1] !== '\n') breaks += 1;
  return breaks;
}

/** Where the line after the `count`-th line break from `from` starts, or null when the text ends first. */
function afterLineBreaks(buf: Buffer, from: number, count: number): number | null {
  let i = from;
  for (let left = count; left > 0; left -= 1) {
    while (i < buf.length && buf[i] !== LF && buf[i] !== CR) i += 1;
    if (i >= buf.length) return null;
    i += buf[i] === CR && buf[i + 1] === LF ? 2 : 1;
  }
  return i < buf.length ? i : null;
}

/** UTF-16 code units (string length) that the UTF-8 bytes buf[from, to) decode to; both ends on character boundaries. */
function utf16Length(buf: Buffer, from: number, to: number): number {
  let units = 0;
  for (let i = from; i < to; i += 1) {
    const byte = buf[i] as number;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

/** How many CRLF pairs the fields hold: csv-parse counts each as two lines. */
function crlfPairs(fields: string[]): number {
  let pairs = 0;
  for (const field of fields) {
    for (let at = field.indexOf('\r\n'); at >= 0; at = field.indexOf('\r\n', at + 2)) pairs += 1;
  }
  return pairs;
}

/** Whether a field's value starts with a quote and holds a line break. */
function runsOn(field: string): boolean {
  return field.charCodeAt(0) === QUOTE && (field.includes('\n') || field.includes('\r'));
}

/**
 * Finds the field of a record that spans lines where a quoted field opened at a
 * stray quote and was ended, lines later, by the next quote in the file (under
 * relax_quotes csv-parse keeps the opening quote in the value then). A field
 * whose text legitimately starts with a quote (written `"""`) reads the same
 * way, so the record is read again without relax_quotes: if that succeeds it
 * is a good record. Returns the field's index, or -1 for a good record.
 */
function runOnField(fields: string[], raw: Buffer, delimiter: string): number {
  if (!fields.some(runsOn)) return -1;
  let from = 0;
  try {
    parse(raw, { relax_column_count: true, skip_empty_lines: true, delimiter });
    return -1;
  } catch (error) {
    from = (error as ErrorInfo).index ?? 0;
  }
  // Both readings agree up to the first error, so a run-on field cannot come before it.
  return fields.findIndex((field, i) => i >= from && runsOn(field));
}

/**
 * Reads CSV (RFC 4180 and what spreadsheets export) with csv-parse, one record
 * at a time. A record the parser cannot read is reported through `fault` and
 * skipped; the good records around it still arrive. A quoted field that is
 * never closed (a stray quote) would otherwise run on to the end of the file or
 * to the next quote in it: its row is reported on the line where it starts and
 * reading goes on from the line after the one where that quote opened.
 * `onRecord` also gets how far into the input the parser has read, for
 * progress: in characters of a string, in bytes of UTF-8 bytes given as a
 * Buffer (which is read without a copy). At most `limit` records are read.
 */
export function readCsv(
  input: string | Buffer,
  onRecord: (record: CsvRecord, end: number) => void,
  fault: (fault: CsvFault) => void,
  limit = Infinity,
  delimiter = ',',
): void {
  // csv-parse works on UTF-8 bytes (it would encode a string itself); for a string, positions are turned back into its characters.
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const length = typeof input === 'string' ? input.length : buf.length;
  const charsOf = typeof input === 'string' ? (from: number, to: number) => utf16Length(buf, from, to) : (from: number, to: number) => to - from;
  let read = 0;
  let progress = 0;
  // Where the current pass starts: byte, character and line in the whole text.
  let startByte = 0;
  let startChar = 0;
  let startLine = 1;
  while (read < limit) {
    const scale = (length - startChar) / Math.max(1, buf.length - startByte);
    const lineBase = startLine - 1;
    // Lines of the pass: csv-parse's count, less one for each CRLF inside a quoted field (it counts those twice).
    let parserLines = 0;
    let overcount = 0;
    // The last record read: the line it ends on and the byte after it.
    let lastLine = startLine - 1;
    let lastEnd = startByte === 0 && buf.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? UTF8_BOM.length : startByte;
    let open: OpenQuote | undefined;

    // The record after lastEnd starts past any blank lines.
    const nextRecord = (): { byte: number; line: number } => {
      let byte = lastEnd;
      while (buf[byte] === CR || buf[byte] === LF) byte += 1;
      return { byte, line: lastLine + 1 + lineBreaks(buf, lastEnd, byte) };
    };

    try {
      parseEach(startByte === 0 ? buf : buf.subarray(startByte), {
        ...OPTIONS,
        delimiter,
        // A byte-order mark only counts at the very start of the file.
        bom: startByte === 0,
        ...(Number.isFinite(limit) ? { to: limit - read } : {}),
        on_skip: (error: CsvError | undefined) => {
          const info = (error ?? {}) as ErrorInfo;
          if (info.code === 'CSV_QUOTE_NOT_CLOSED') {
            // The quote opened at the start of a field: the first one, or the one after the last delimiter read.
            const record = nextRecord();
            let quoteByte = record.byte;
            if ((info.index ?? 0) > 0 && info.bytes !== undefined) {
              const fieldStart = startByte + info.bytes + DELIMITER_BYTES;
              if (fieldStart > record.byte && buf[fieldStart] === QUOTE) quoteByte = fieldStart;
            }
            open = { recordLine: record.line, quoteLine: record.line + lineBreaks(buf, record.byte, quoteByte), resumeAt: afterLineBreaks(buf, quoteByte, 1) };
            return undefined;
          }
          const reason = (info.code && REASONS[info.code]) ?? info.message ?? 'broken quoting';
          fault({ line: info.lines === undefined ? 0 : lineBase + info.lines - overcount, message: `The row cannot be read as CSV (${reason}).` });
          return undefined;
        },
      }, (fields, info) => {
        const end = startByte + info.bytes;
        // Only a record that spans lines (or follows blank ones) can hold a line break.
        if (info.lines - parserLines > 1) {
          const record = nextRecord();
          const field = runOnField(fields, buf.subarray(record.byte, end), delimiter);
          if (field >= 0) {
            const before = fields.slice(0, field).reduce((sum, value) => sum + lineBreaksIn(value), 0);
            open = { recordLine: record.line, quoteLine: record.line + before, resumeAt: afterLineBreaks(buf, record.byte, before + 1) };
            throw new Reread();
          }
          overcount += crlfPairs(fields);
        }
        parserLines = info.lines;
        lastLine = lineBase + info.lines - overcount;
        lastEnd = end;
        read += 1;
        progress = Math.min(length, Math.max(progress, startChar + Math.round(info.bytes * scale)));
        onRecord({ fields, line: lastLine }, progress);
      });
    } catch (error) {
      if (!(error instanceof Reread)) throw error;
    }
    if (!open) return;

    const where = open.quoteLine === open.recordLine ? 'on this line' : `on line ${open.quoteLine}`;
    fault({ line: open.recordLine, message: `The row cannot be read as CSV: a quoted field opened ${where} is never closed, so the row was skipped.` });
    if (open.resumeAt === null) return;
    startChar += charsOf(startByte, open.resumeAt);
    startByte = open.resumeAt;
    startLine = open.quoteLine + 1;
  }
}
