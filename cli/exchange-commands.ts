import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { openCaseFile } from '../db/case-file';
import { exportCsv, importCsv } from '../db/exchange/csv';
import { exportFtm, importFtm } from '../db/exchange/ftm';
import { exportGexf, exportGraphml } from '../db/exchange/graph-formats';
import { SettingsStore, defaultDataDir } from '../db/settings';
import { withLeftOut, type LeaveOutOptions } from '../db/share';
import { CaseboardError } from '../shared/errors';
import { CSV_KINDS, type CsvKind, type ImportReport } from '../shared/ops/exchange';
import { EXIT } from './exit-codes';

export const IMPORT_FORMATS = ['files', 'csv', 'ftm'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface DataImportOptions {
  format?: ImportFormat;
  kind?: CsvKind;
  map?: Record<string, string>;
  json?: boolean;
}

export function parseImportFormat(value: string): ImportFormat {
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`the format must be one of ${IMPORT_FORMATS.join(', ')}.`);
  return value as ImportFormat;
}

export function parseCsvKind(value: string): CsvKind {
  if (!(CSV_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`the kind must be one of ${CSV_KINDS.join(', ')}.`);
  return value as CsvKind;
}

/** `--map column=field`, repeatable. */
export function parseMapping(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.lastIndexOf('=');
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError('write each mapping as column=field.');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function printReport(file: string, report: ImportReport): void {
  process.stdout.write(`Imported ${report.imported} of ${report.total} rows from ${file}.\n`);
  for (const e of report.errors) process.stderr.write(`caseboard: ${file} line ${e.row}: ${e.message}\n`);
  if (report.moreErrors) process.stderr.write(`caseboard: ${report.moreErrors} more rows were not imported.\n`);
}

/**
 * `caseboard import --format csv|ftm`: imports rows into the case in one
 * transaction per file; bad rows are reported and skipped, good rows stay.
 */
export function importData(caseFile: string, files: string[], opts: DataImportOptions): void {
  if (opts.format === 'csv' && !opts.kind) throw new CaseboardError('invalid_input', 'Say what the CSV file holds with --kind entities, links or sources.');
  const db = openCaseFile(caseFile);
  const reports: { file: string; report: ImportReport }[] = [];
  try {
    const actor = new SettingsStore(defaultDataDir()).actor();
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new CaseboardError('invalid_input', `${file} cannot be read.`);
      }
      const run = () =>
        opts.format === 'ftm' ? importFtm(db, text, { actor }) : importCsv(db, text, opts.kind ?? 'entities', opts.map ?? {}, { actor });
      reports.push({ file, report: db.transaction(run).immediate() });
    }
  } finally {
    db.close();
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const { file, report } of reports) printReport(file, report);
  if (reports.some(({ report }) => report.errors.length > 0 || report.moreErrors > 0)) process.exitCode = EXIT.failure;
}

/** The case in an exchange format, as text, with what `leaveOut` names left out. */
export function exportText(caseFile: string, format: 'csv' | 'ftm' | 'gexf' | 'graphml', kind: CsvKind, leaveOut: LeaveOutOptions = {}): string {
  const db = openCaseFile(caseFile, { readonly: true });
  try {
    return withLeftOut(db, leaveOut, (source) => {
      if (format === 'csv') return exportCsv(source, kind);
      if (format === 'ftm') {
        const { text, leftOut } = exportFtm(source);
        if (leftOut > 0) process.stderr.write(`caseboard: ${leftOut} programmes, events, products, places or links to them have no FollowTheMoney schema and were left out.\n`);
        return text;
      }
      return format === 'gexf' ? exportGexf(source) : exportGraphml(source);
    });
  } finally {
    db.close();
  }
}

export function resolvedOut(caseFile: string, out: string): string {
  const target = path.resolve(out);
  if (path.resolve(caseFile) === target) throw new CaseboardError('invalid_input', 'Choose an output file other than the case file.');
  return target;
}
