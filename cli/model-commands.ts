import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { checkPassphrase, withCaseFile } from '../db/host/case-files';
import { checkOutputPath, writeOutputBytes } from '../db/host/output-files';
import { CaseboardError } from '../shared/errors';
import type { CsvKind } from '../shared/ops/exchange';
import { exportText, parseCsvKind, resolvedOut } from './exchange-commands';
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

/** Where the text formats go when the output is `-`. */
const STANDARD_OUTPUT = '-';

/** Options that ask for something the format cannot do are refused before anything is read or written, never passed over. */
function checkExportOptions(out: string, opts: ExportOptions): void {
  const refuse = (message: string) => new CaseboardError('invalid_input', message);
  if (opts.encrypt && opts.format !== 'case') throw refuse(`--encrypt works only with --format case, since a ${opts.format} export cannot be encrypted; nothing was written.`);
  if (opts.passphraseFile !== undefined && !opts.encrypt) throw refuse('--passphrase-file is read only with --encrypt; add --encrypt or leave it out (nothing was written).');
  if (opts.kind !== undefined && opts.format !== 'csv') throw refuse(`--kind works only with --format csv; nothing was written.`);
  if (out === STANDARD_OUTPUT && opts.format === 'case') throw refuse('A case file cannot be written to standard output; give the name of a file (nothing was written).');
}

/** Commands for the case model: `caseboard export`. */
export function registerModelCommands(program: Command): void {
  program
    .command('export')
    .description(
      'Export a case: json (the whole case model), case (a case file for sharing, optionally encrypted), csv (entities, links or sources), ftm (FollowTheMoney JSON lines), gexf or graphml (the graph). --no-notes and --no-attachments hold for every format; an option a format cannot honour is refused.',
    )
    .argument('<case>', 'case file')
    .argument('<out>', 'file to write, or - for standard output (not for case); an ordinary file there is replaced, but never a case file, a link, a device or a folder')
    .requiredOption('--format <format>', `output format: ${FORMATS.join(', ')}`, parseFormat)
    .option('--kind <kind>', 'csv only: entities (default), links or sources; one kind per file', parseCsvKind)
    .option('--encrypt', 'case only: encrypt the copy with a passphrase (from --passphrase-file, CASEBOARD_PASSPHRASE or asked)')
    .option('--passphrase-file <file>', 'with --encrypt only: read the passphrase from this file')
    .option('--no-attachments', "every format: leave attached files out (case: their bytes and text; json: the list of them; the others never carry them)")
    .option('--no-notes', 'every format: leave analyst notes and excerpt comments out (case: from the history too)')
    .action(async (file: string, out: string, opts: ExportOptions) => {
      checkExportOptions(out, opts);
      const leaveOut = { omitAttachments: !opts.attachments, omitNotes: !opts.notes };
      if (opts.format === 'case') {
        const target = resolvedOut(file, out);
        checkOutputPath(target, { replace: true });
        const passphrase = opts.encrypt ? await readPassphrase(opts.passphraseFile, true) : undefined;
        // Refused in the command's own words before the case is opened.
        if (passphrase !== undefined) checkPassphrase(passphrase);
        // VACUUM INTO needs a connection that may write; the case file itself is not changed.
        const result = await withCaseFile(file, {}, (opened) => opened.run('share.exportCase', { path: target, ...leaveOut, ...(passphrase !== undefined ? { passphrase } : {}) }));
        process.stdout.write(`Exported ${path.basename(file)} to ${result.path}${result.encrypted ? ' (encrypted)' : ''}\n`);
        return;
      }
      const target = out === STANDARD_OUTPUT ? null : resolvedOut(file, out);
      if (target) checkOutputPath(target, { replace: true });
      const text = await exportText(file, opts.format, opts.kind ?? 'entities', leaveOut);
      if (target === null) {
        process.stdout.write(text);
        return;
      }
      writeOutputBytes(target, text, { replace: true });
      process.stdout.write(`Exported ${path.basename(file)} to ${target}\n`);
    });
}
