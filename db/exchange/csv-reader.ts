/** One record of a CSV file: its fields and the line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A record the reader could not make sense of, with the line it starts on. */
export interface CsvFault {
  line: number;
  message: string;
}

/**
 * Reads CSV as RFC 4180 writes it and as spreadsheets export it: comma
 * separated, fields optionally in double quotes with "" for a quote inside,
 * records ending in LF, CRLF or CR, an optional byte-order mark. It forgives
 * what other tools write loosely: rows of different lengths, and a quote in
 * the middle of an unquoted field, which is taken as a character. Blank lines
 * are skipped. A record it cannot read (text after a closing quote, or a
 * quote that never closes) is reported through `fault` and skipped; reading
 * goes on at the next line. `onRecord` also gets the offset where the record
 * ends, for progress.
 *
 * Hand-written rather than a general parser with options because an import
 * reads every byte of files with a million rows: this loop is several times
 * faster, and `onRecord` gets the fields with no per-record bookkeeping.
 */
export function readCsv(text: string, onRecord: (record: CsvRecord, end: number) => void, fault: (fault: CsvFault) => void, limit = Infinity): void {
  const length = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let records = 0;
  while (i < length && records < limit) {
    const start = line;
    const startAt = i;
    const fields: string[] = [];
    let broken: string | null = null;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      if (text.charCodeAt(i) === 34 /* " */) {
        let value = '';
        let from = i + 1;
        let j = from;
        let closed = false;
        while (j < length) {
          const c = text.charCodeAt(j);
          if (c === 34) {
            if (text.charCodeAt(j + 1) === 34) {
              value += text.slice(from, j + 1);
              j += 2;
              from = j;
              continue;
            }
            closed = true;
            break;
          }
          if (c === 10 || (c === 13 && text.charCodeAt(j + 1) !== 10)) line += 1;
          j += 1;
        }
        value += text.slice(from, j);
        if (!closed) {
          // Read on from the next line rather than lose the rest of the file to one stray quote.
          broken = 'a quoted field is never closed';
          i = startAt;
          line = start;
          break;
        }
        i = j + 1;
        const next = text.charCodeAt(i);
        fields.push(value);
        if (next === 44 /* , */) {
          i += 1;
          continue;
        }
        if (i >= length || next === 10 || next === 13) break;
        broken = 'text follows the closing quote of a field';
        break;
      }
      let j = i;
      while (j < length) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j += 1;
      }
      fields.push(text.slice(i, j));
      i = j;
      if (text.charCodeAt(i) === 44) {
        i += 1;
        continue;
      }
      break;
    }
    if (broken !== null) {
      // Skip to the end of the line the fault is on, and go on from there.
      while (i < length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i += 1;
      fault({ line: start, message: `The row cannot be read as CSV (${broken}).` });
    } else if (!(fields.length === 1 && fields[0] === '')) {
      records += 1;
      onRecord({ fields, line: start }, i);
    }
    // The line break that ends the record.
    if (text.charCodeAt(i) === 13) i += 1;
    if (text.charCodeAt(i) === 10) i += 1;
    line += 1;
  }
}
