import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { withCaseFile } from '../db/host/case-files';
import { CaseboardError } from '../shared/errors';
import { CSV_KINDS, type CaseExportFormat, type CsvKind } from '../shared/ops/exchange';

export const IMPORT_FORMATS = ['files', 'csv', 'ftm'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

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

/** What an export leaves out of the case. */
export interface LeaveOut {
  omitAttachments: boolean;
  omitNotes: boolean;
}

/** The case as text (the case model as JSON, or an exchange format), with what `leaveOut` names left out. */
export function exportText(caseFile: string, format: CaseExportFormat, kind: CsvKind, leaveOut: LeaveOut): Promise<string> {
  return withCaseFile(caseFile, { readonly: true }, async (opened) => {
    const { text, leftOut } = await opened.run('exchange.export', { format, kind, ...leaveOut });
    if (leftOut > 0) process.stderr.write(`caseboard: ${leftOut} programmes, events, products, places or links to them have no FollowTheMoney schema and were left out.\n`);
    return text;
  });
}

export function resolvedOut(caseFile: string, out: string): string {
  const target = path.resolve(out);
  if (path.resolve(caseFile) === target) throw new CaseboardError('invalid_input', 'Choose an output file other than the case file.');
  return target;
}
