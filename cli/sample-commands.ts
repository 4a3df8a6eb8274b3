import path from 'node:path';
import type { Command } from 'commander';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';
import { createSampleCaseFileAt } from '../db/host/case-files';

/** `caseboard sample <file>`: writes the sample case, to try every view on. */
export function registerSampleCommands(program: Command): void {
  program
    .command('sample')
    .description('Create the sample case (a public report on Chinese defence universities and Russian partners) to try Caseboard on.')
    .argument('<file>', `case file to create (${CASE_FILE_EXTENSION} is added if there is no extension; never replaces a file)`)
    .action((file: string) => {
      const target = path.resolve(path.extname(file) ? file : `${file}${CASE_FILE_EXTENSION}`);
      createSampleCaseFileAt(target);
      process.stdout.write(`Created the sample case at ${target}\n`);
    });
}
