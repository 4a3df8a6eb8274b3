import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { openCaseFile } from '../db/case-file';
import { exportCaseModel } from '../db/model-export';
import { CaseboardError } from '../shared/errors';

function parseFormat(value: string): 'json' {
  if (value !== 'json') throw new InvalidArgumentError('the only format is json.');
  return value;
}

/** Commands for the case model: `caseboard export`. */
export function registerModelCommands(program: Command): void {
  program
    .command('export')
    .description('Write the whole case model (sources, excerpts, entities, aliases, links, citations, areas, notes) to a JSON file.')
    .argument('<case>', 'case file')
    .argument('<out>', 'JSON file to write (replaced if it exists)')
    .requiredOption('--format <format>', 'output format: json', parseFormat)
    .action((file: string, out: string, _opts: { format: 'json' }) => {
      const target = path.resolve(out);
      if (path.resolve(file) === target) throw new CaseboardError('invalid_input', 'Choose an output file other than the case file.');
      const db = openCaseFile(file, { readonly: true });
      let text: string;
      try {
        text = `${JSON.stringify(exportCaseModel(db, new Date().toISOString()), null, 2)}\n`;
      } finally {
        db.close();
      }
      // Written beside the target and renamed, so a failed export never leaves half a file.
      const temp = `${target}.exporting-${process.pid}`;
      try {
        writeFileSync(temp, text, { mode: 0o600 });
        renameSync(temp, target);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
      process.stdout.write(`Exported ${path.basename(file)} to ${target}\n`);
    });
}
