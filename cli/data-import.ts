import { closeSync, fstatSync, openSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { withCaseFile } from '../db/host/case-files';
import { CaseboardError } from '../shared/errors';
import { countOf, CSV_DELIMITERS, describeReading, KIND_ONE, ON_MATCH, type CsvDelimiter, type CsvKind, type ImportReport, type OnMatch } from '../shared/ops/exchange';
import { EXIT } from './exit-codes';
import type { ImportFormat } from './exchange-commands';

export interface DataImportOptions {
  format?: ImportFormat;
  kind?: CsvKind;
  map?: Record<string, string>;
  json?: boolean;
  encoding?: string;
  delimiter?: CsvDelimiter;
  onMatch?: OnMatch;
  createAreas?: boolean;
}

/** `--delimiter comma|semicolon|tab|pipe`, or the character itself. */
export function parseDelimiter(value: string): CsvDelimiter {
  const v = value === '\\t' ? '\t' : value;
  const byChar = (Object.entries(CSV_DELIMITERS) as [CsvDelimiter, string][]).find(([, ch]) => ch === v);
  if (byChar) return byChar[0];
  if (Object.hasOwn(CSV_DELIMITERS, v.toLowerCase())) return v.toLowerCase() as CsvDelimiter;
  throw new InvalidArgumentError(`the delimiter must be one of ${Object.keys(CSV_DELIMITERS).join(', ')}.`);
}

/** `--on-match skip|update|new`. */
export function parseOnMatch(value: string): OnMatch {
  if (!(ON_MATCH as readonly string[]).includes(value)) throw new InvalidArgumentError(`--on-match must be one of ${ON_MATCH.join(', ')}.`);
  return value as OnMatch;
}

/** What became of one file: committed with its report, or not imported at all and why. */
export interface FileOutcome {
  file: string;
  committed: boolean;
  report?: ImportReport;
  /** Why nothing of the file was imported. */
  error?: string;
}

function problemRows(report: ImportReport): number {
  return report.errors.length + report.moreErrors;
}

/** The report of one file, in words: what was imported, matched and skipped, how the file was read, columns left out. */
export function describeOutcome(outcome: FileOutcome, kind: CsvKind | null): string[] {
  const { file, report } = outcome;
  if (!report) return [`${file}: nothing imported: ${outcome.error ?? ''}`];
  const one = kind ? KIND_ONE[kind] : 'item';
  const many = kind ?? 'items';
  const lines: string[] = [];
  const m = report.matched;
  const matchedText = m
    ? [m.skipped ? `${countOf(m.skipped, 'row', 'rows')} matched ${m.skipped === 1 ? 'an item' : 'items'} already in the case and ${m.skipped === 1 ? 'was' : 'were'} left as ${m.skipped === 1 ? 'it was' : 'they were'}` : '', m.updated ? `${countOf(m.updated, one, many)} updated` : '', m.addedAnyway ? `${countOf(m.addedAnyway, 'matching row', 'matching rows')} added as new` : '']
        .filter(Boolean)
        .join('; ')
    : '';
  const skipped = problemRows(report);
  lines.push(
    `${file}: imported ${countOf(report.imported, one, many)} from ${countOf(report.total, 'row', 'rows')}${matchedText ? `; ${matchedText}` : ''}${skipped ? `; ${countOf(skipped, 'row', 'rows')} not imported (listed below)` : ''}.`,
  );
  if (report.encoding && report.delimiter) lines.push(`  The file was ${describeReading({ encoding: report.encoding, encodingDetected: report.encodingDetected ?? false, delimiter: report.delimiter, delimiterDetected: report.delimiterDetected ?? false })}.`);
  if (report.unmapped && report.unmapped.length > 0) lines.push(`  Columns not imported (mapped to no field): ${report.unmapped.map((c) => `"${c}"`).join(', ')}.`);
  if (report.createdAreas && report.createdAreas.length > 0) lines.push(`  Technology areas created: ${report.createdAreas.join(', ')}.`);
  for (const notice of report.notices ?? []) lines.push(`  ${notice}`);
  return lines;
}

/**
 * `caseboard import --format csv|ftm`: each file is imported in its own
 * transaction, so it is either committed with all its good rows or not at
 * all; bad rows are reported and skipped; a file that cannot be read or
 * parsed commits nothing and the next file is still imported. Exit 0 when
 * every row of every file was imported (or matched), 3 when a row or a file
 * was skipped.
 */
/** Whether a file can be opened for reading and is not a folder; the import itself then reads it. */
function readable(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      return !fstatSync(fd).isDirectory();
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export async function importData(caseFile: string, files: string[], opts: DataImportOptions): Promise<void> {
  if (opts.format === 'csv' && !opts.kind) throw new CaseboardError('invalid_input', 'Say what the CSV file holds with --kind entities, links or sources.');
  const outcomes: FileOutcome[] = [];
  await withCaseFile(caseFile, {}, async (opened) => {
    for (const file of files) {
      if (!readable(file)) {
        outcomes.push({ file, committed: false, error: 'the file cannot be read.' });
        continue;
      }
      const onMatch = opts.onMatch ?? 'skip';
      const full = path.resolve(file);
      try {
        // Each file is one operation: one transaction, one step in History.
        const report =
          opts.format === 'ftm'
            ? await opened.run('exchange.importFtm', { path: full, onMatch, listName: path.basename(file) })
            : await opened.run('exchange.importCsv', {
                path: full,
                kind: opts.kind ?? 'entities',
                map: opts.map ?? {},
                ...(opts.encoding !== undefined ? { encoding: opts.encoding } : {}),
                ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
                onMatch,
                createAreas: opts.createAreas ?? false,
              });
        outcomes.push({ file, committed: true, report });
      } catch (error) {
        if (!(error instanceof CaseboardError) || error.code === 'not_a_case_file') throw error;
        outcomes.push({ file, committed: false, error: error.message });
      }
    }
  });
  const kind = opts.format === 'csv' ? (opts.kind ?? null) : null;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
  } else {
    for (const outcome of outcomes) {
      if (!outcome.report) {
        process.stderr.write(`caseboard: ${outcome.file} was not imported; nothing of it is in the case: ${outcome.error ?? ''}\n`);
        continue;
      }
      for (const line of describeOutcome(outcome, kind)) process.stdout.write(`${line}\n`);
      for (const e of outcome.report.errors) process.stderr.write(`caseboard: ${outcome.file} line ${e.row}: ${e.message}\n`);
      if (outcome.report.moreErrors) process.stderr.write(`caseboard: ${outcome.file}: ${countOf(outcome.report.moreErrors, 'more row was', 'more rows were')} not imported.\n`);
    }
    if (files.length > 1) {
      const committed = outcomes.filter((o) => o.committed).map((o) => o.file);
      const failed = outcomes.filter((o) => !o.committed).map((o) => o.file);
      process.stdout.write(`Committed to the case: ${committed.length ? committed.join(', ') : 'none of the files'}.${failed.length ? ` Not imported: ${failed.join(', ')}.` : ''}\n`);
    }
  }
  if (outcomes.some((o) => !o.report || problemRows(o.report) > 0)) process.exitCode = EXIT.failure;
}
