import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { openCaseFile } from '../db/case-file';
import { exportCaseModel } from '../db/model-export';
import { exportCaseFile } from '../db/share';
import type { CsvKind } from '../shared/ops/exchange';
import { exportText, parseCsvKind, resolvedOut, writeAtomically } from './exchange-commands';
import { readPassphrase } from './passphrase';

const FORMATS = ['json', 'case', 'csv', 'ftm', 'gexf', 'graphml'] as const;
type Format = (typeof FORMATS)[number];

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`the format must be one of ${FORMATS.join(', ')}.`);
  return value as Format;
}

interface ExportOptions {
  format: Format;
  kind?: CsvKind;
  encrypt?: boolean;
  attachments: boolean;
  notes: boolean;
  passphraseFile?: string;
}

/** Commands for the case model: `caseboard export`. */
export function registerModelCommands(program: Command): void {
  program
    .command('export')
    .description(
      'Export a case: json (the whole case model), case (a case file for sharing, optionally encrypted), csv (entities, links or sources), ftm (FollowTheMoney JSON lines), gexf or graphml (the graph).',
    )
    .argument('<case>', 'case file')
    .argument('<out>', 'file to write (replaced if it exists, except a case file)')
    .requiredOption('--format <format>', `output format: ${FORMATS.join(', ')}`, parseFormat)
    .option('--kind <kind>', 'for csv: entities, links or sources', parseCsvKind)
    .option('--encrypt', 'for case: encrypt the copy with a passphrase (from --passphrase-file, CASEBOARD_PASSPHRASE or asked)')
    .option('--passphrase-file <file>', 'for case with --encrypt: read the passphrase from this file')
    .option('--no-attachments', "for case: leave attached files' bytes out")
    .option('--no-notes', 'for case: leave analyst notes and comments out')
    .action(async (file: string, out: string, opts: ExportOptions) => {
      const target = resolvedOut(file, out);
      if (opts.format === 'case') {
        const passphrase = opts.encrypt ? await readPassphrase(opts.passphraseFile, true) : undefined;
        // VACUUM INTO needs a connection that may write; the case file itself is not changed.
        const db = openCaseFile(file);
        try {
          const result = exportCaseFile(db, target, { omitAttachments: !opts.attachments, omitNotes: !opts.notes, ...(passphrase !== undefined ? { passphrase } : {}) });
          process.stdout.write(`Exported ${path.basename(file)} to ${result.path}${result.encrypted ? ' (encrypted)' : ''}\n`);
        } finally {
          db.close();
        }
        return;
      }
      let text: string;
      if (opts.format === 'json') {
        const db = openCaseFile(file, { readonly: true });
        try {
          text = `${JSON.stringify(exportCaseModel(db, new Date().toISOString()), null, 2)}\n`;
        } finally {
          db.close();
        }
      } else text = exportText(file, opts.format, opts.kind ?? 'entities');
      writeAtomically(target, text);
      process.stdout.write(`Exported ${path.basename(file)} to ${target}\n`);
    });
}
