import path from 'node:path';
import type { Command } from 'commander';
import { isEncryptedCaseFile, withCaseFile } from '../db/host/case-files';
import { countOf } from '../shared/ops/exchange';
import { describeCounts, type MergePlan } from '../shared/ops/merge';
import { readPassphrase } from './passphrase';
import { printable } from './terminal-text';

function printPlan(plan: MergePlan, dryRun: boolean): void {
  const lines = [
    `${dryRun ? 'Would merge' : 'Merged'} ${path.basename(plan.file)} ("${printable(plan.otherTitle)}", by ${plan.investigators.join(', ') || 'unknown investigators'}):`,
    `  ${describeCounts(plan.counts)}`,
  ];
  if (plan.conflicts.length > 0) {
    lines.push(`${countOf(plan.conflicts.length, 'conflict', 'conflicts')}; this case's version ${dryRun ? 'would be' : 'was'} kept (choose in File > Merge Case Into This… to take the other):`);
    for (const c of plan.conflicts) {
      const what = c.kind === 'edited-both' ? 'edited on both sides' : c.kind === 'deleted-here' ? 'deleted here, edited there' : 'edited here, deleted there';
      lines.push(`  ${c.key}  ${c.label}: ${what}`);
    }
  }
  if (plan.duplicates.length > 0) {
    lines.push('Entities that look like ones already in this case (merge them with `Merge entity` if they are the same):');
    for (const d of plan.duplicates) lines.push(`  "${d.incomingName}" ~ ${d.candidates.map((c) => `"${c.name}"`).join(', ')}`);
  }
  for (const note of plan.notes) lines.push(`Note: ${note.table} ${note.id} ${note.reason}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The line that says the other file looks like another case altogether; the merge goes ahead, as it always has. */
function unrelatedWarning(plan: MergePlan, dryRun: boolean): string {
  return `caseboard: warning: ${path.basename(plan.file)} ("${printable(plan.otherTitle)}") looks like another case: it shares no item and no history with this one and has another title. Its items ${dryRun ? 'would be' : 'were'} added beside this case's${dryRun ? '' : '; Undo takes the merge back'}.\n`;
}

/** `caseboard merge`: merge another investigator's copy of a case into a case file. */
export function registerMergeCommands(program: Command): void {
  program
    .command('merge')
    .description("Merge another investigator's copy of a case into a case file, as one step that Undo takes back. Conflicts keep this case's version and are listed; a file that looks like another case altogether (no item, no history and not the title in common) is merged too, with a warning on standard error.")
    .argument('<case>', 'case file to merge into')
    .argument('<other>', 'case file to merge in (plain or encrypted; it is never changed; one with a write-ahead log beside it is refused)')
    .option('--dry-run', 'only print what would change')
    .option('--json', 'print the merge plan as JSON')
    .option('--passphrase-file <file>', 'read the passphrase of an encrypted file from this file (or set CASEBOARD_PASSPHRASE)')
    .action(async (file: string, other: string, opts: { dryRun?: boolean; json?: boolean; passphraseFile?: string }) => {
      const passphrase = isEncryptedCaseFile(other) ? await readPassphrase(opts.passphraseFile, false) : undefined;
      await withCaseFile(file, opts.dryRun ? { readonly: true } : {}, async (opened) => {
        const input = { path: other, ...(passphrase !== undefined ? { passphrase } : {}) };
        const plan = await opened.run(opts.dryRun ? 'merge.plan' : 'merge.apply', input);
        if (plan.unrelated) process.stderr.write(unrelatedWarning(plan, Boolean(opts.dryRun)));
        if (opts.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
        else printPlan(plan, Boolean(opts.dryRun));
      });
    });
}
