import path from 'node:path';
import type { Command } from 'commander';
import { checkReceivedCaseFile, decryptReceivedCaseFile, isEncryptedCaseFile, type CheckReport } from '../db/host/case-files';
import { checkOutputPath } from '../db/host/output-files';
import { CaseboardError } from '../shared/errors';
import { EXIT } from './exit-codes';
import { readPassphrase } from './passphrase';
import { printable } from './terminal-text';

function printReport(report: CheckReport): void {
  const healthy = report.integrity === 'ok' && report.foreignKeyProblems === 0;
  process.stdout.write(
    [
      `${path.basename(report.file)}: ${healthy ? 'a healthy Caseboard case file' : 'DAMAGED'}`,
      `Title:            ${printable(report.title)}`,
      `Schema version:   ${report.schemaVersion}`,
      `Encrypted:        ${report.encrypted ? 'yes' : 'no'}`,
      `Integrity check:  ${printable(report.integrity)}`,
      `Broken references: ${report.foreignKeyProblems}`,
      ...(report.writeAheadLogBeside ? ['A write-ahead log lies beside it; it was not read. Ask the sender to close Caseboard and send the file again.'] : []),
      '',
    ].join('\n'),
  );
}

/** Commands for receiving case files from others: `check` and `decrypt`. */
export function registerShareCommands(program: Command): void {
  program
    .command('check')
    .description('Check a case file received from someone else before trusting it: a private copy of the file alone is checked (a write-ahead log beside it is reported, not read); the file is never changed.')
    .argument('<file>', 'case file (plain or encrypted)')
    .option('--json', 'print the result as JSON')
    .option('--passphrase-file <file>', 'read the passphrase of an encrypted file from this file (or set CASEBOARD_PASSPHRASE)')
    .action(async (file: string, opts: { json?: boolean; passphraseFile?: string }) => {
      const encrypted = isEncryptedCaseFile(file);
      const passphrase = encrypted ? await readPassphrase(opts.passphraseFile, false) : undefined;
      const report = await checkReceivedCaseFile(file, passphrase);
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report);
      if (report.integrity !== 'ok' || report.foreignKeyProblems > 0) process.exitCode = EXIT.notACaseFile;
    });

  program
    .command('decrypt')
    .description('Decrypt an encrypted case file into a new case file, and check it.')
    .argument('<file>', 'encrypted case file')
    .argument('<out>', 'case file to create (never replaces a file, nor writes through a link)')
    .option('--passphrase-file <file>', 'read the passphrase from this file (or set CASEBOARD_PASSPHRASE)')
    .action(async (file: string, out: string, opts: { passphraseFile?: string }) => {
      if (!isEncryptedCaseFile(file)) throw new CaseboardError('not_a_case_file', `${path.basename(file)} is not an encrypted Caseboard case file.`);
      if (out === '-') throw new CaseboardError('invalid_input', 'A case file cannot be written to standard output; give the name of a file (nothing was written).');
      checkOutputPath(path.resolve(out), { replace: false });
      const passphrase = await readPassphrase(opts.passphraseFile, false);
      const report = await decryptReceivedCaseFile(file, out, passphrase);
      process.stdout.write(`Decrypted ${path.basename(file)} to ${path.resolve(out)} (${report.title}).\n`);
    });
}
