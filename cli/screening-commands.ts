import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { withCaseFile } from '../db/host/case-files';
import { addReferenceListFiles, listReferenceLists, removeReferenceListNamed, type ReferenceList } from '../db/host/reference-lists';
import { CaseboardError } from '../shared/errors';
import { DEFAULT_THRESHOLD, type ReferenceList as List, type ScreeningHit, type ScreeningResults } from '../shared/ops/screening';
import { printable } from './terminal-text';

function parseThreshold(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('the threshold is a score from 0 to 1, such as 0.8.');
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function listLine(l: ReferenceList): string {
  return `${printable(l.name)}${l.version ? ` ${printable(l.version)}` : ''}: ${l.entities.toLocaleString('en')} entities, SHA-256 ${l.sha256}, added ${l.addedAt}`;
}

/** The JSON a list is printed as. */
function listJson(l: List): { name: string; version: string | null; sha256: string; entities: number; addedAt: string } {
  return { name: l.name, version: l.version, sha256: l.sha256, entities: l.entities, addedAt: l.addedAt };
}

/** A hit as `caseboard screen --json` prints it: the fields the contract of the command names, then its id, decision and what changed. */
function hitJson(h: ScreeningHit) {
  return {
    entity: h.entity,
    entry: h.entry,
    score: h.score,
    matched: h.matched,
    why: h.why,
    sanctions: h.sanctions.map((s) => ({ authority: s.authority, program: s.program, startDate: s.startDate })),
    id: h.id,
    decision: h.decision,
    note: h.note,
    change: h.change,
  };
}

const CHANGE_WORDS: Record<ScreeningHit['change'], string> = { new: 'new', changed: 'changed', same: 'as before', gone: 'no longer found' };

function printHit(h: ScreeningHit): void {
  const decision = h.decision === 'open' ? '' : ` [${h.decision}${h.note ? `: ${printable(h.note)}` : ''}]`;
  process.stdout.write(`${h.id}  ${h.score.toFixed(2)}  ${printable(h.entity.name)} ~ ${printable(h.entry.names[0] ?? h.entry.id)} (${printable(h.entry.list)} ${printable(h.entry.id)}), ${CHANGE_WORDS[h.change]}${decision}\n`);
  process.stdout.write(`    ${printable(h.why)}\n`);
  for (const s of h.sanctions) process.stdout.write(`    sanction: ${[s.authority, s.program, s.startDate ? `since ${s.startDate}` : null].filter(Boolean).map((t) => printable(String(t))).join(', ')}\n`);
}

interface ScreenOptions {
  list?: string[];
  json?: boolean;
  threshold: number;
  confirm?: string[];
  dismiss?: string[];
  note?: string;
}

/** Commands for reference lists and screening: `caseboard lists`, `caseboard screen`. */
export function registerScreeningCommands(program: Command): void {
  const lists = program
    .command('lists')
    .description('Show the reference lists (watchlists) added on this machine: name, version, file SHA-256, entity count, date added.')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const all = listReferenceLists();
      if (opts.json) process.stdout.write(`${JSON.stringify(all.map(listJson), null, 2)}\n`);
      else if (all.length === 0) process.stdout.write('No reference lists yet; add one with caseboard lists add <file> --name NAME.\n');
      else for (const l of all) process.stdout.write(`${listLine(l)}\n`);
    });

  lists
    .command('add')
    .description('Add a reference list from FollowTheMoney JSON lines (an OpenSanctions or Aleph export); it is kept in the user data folder and indexed for screening.')
    .argument('<file...>', 'FtM JSON lines files, read one after the other as one list')
    .requiredOption('--name <name>', 'the name the list goes by')
    .option('--version <version>', 'the list version, such as the export date')
    .option('--json', 'print the added list as JSON')
    .action(async (files: string[], opts: { name: string; version?: string; json?: boolean }) => {
      const progress = process.stderr.isTTY ? (done: number, total: number, message: string) => process.stderr.write(`\r${Math.round((100 * done) / Math.max(total, 1))}% ${message}   `) : undefined;
      const added = await addReferenceListFiles(
        files.map((f) => path.resolve(f)),
        opts.name,
        opts.version,
        progress,
      );
      if (progress) process.stderr.write('\n');
      if (opts.json) process.stdout.write(`${JSON.stringify(listJson(added), null, 2)}\n`);
      else process.stdout.write(`Added ${listLine(added)}\n`);
    });

  lists
    .command('remove')
    .description('Remove a reference list; hits and decisions already kept in cases stay there.')
    .argument('<name>', 'the list name')
    .action((name: string) => {
      const removed = removeReferenceListNamed(name);
      process.stdout.write(`Removed ${printable(removed.name)}\n`);
    });

  program
    .command('screen')
    .description("Screen every entity's name and aliases, in every script, against reference lists; keep the hits in the case, or record decisions on them.")
    .argument('<case>', 'case file')
    .option('--list <name>', 'a list to screen against (repeatable; default: every list)', collect)
    .option('--json', 'print { lists, hits } as JSON')
    .option('--threshold <score>', 'report hits from this score on (0 to 1)', parseThreshold, DEFAULT_THRESHOLD)
    .option('--confirm <hit>', 'confirm a hit by its id (repeatable): its sanction records go to the entity, citing the list', collect)
    .option('--dismiss <hit>', 'mark a hit a false positive by its id (repeatable)', collect)
    .option('--note <text>', 'the note recorded with --confirm or --dismiss')
    .action((caseFile: string, opts: ScreenOptions) => screen(caseFile, opts));
}

async function screen(caseFile: string, opts: ScreenOptions): Promise<void> {
  const deciding = (opts.confirm?.length ?? 0) + (opts.dismiss?.length ?? 0) > 0;
  if (opts.note !== undefined && !deciding) throw new CaseboardError('invalid_input', '--note goes with --confirm or --dismiss.');
  if (deciding && opts.list?.length) throw new CaseboardError('invalid_input', '--list chooses what to screen against; recording decisions screens nothing, so leave it out.');
  const results = await withCaseFile(caseFile, {}, async (opened): Promise<ScreeningResults> => {
    if (!deciding) return opened.run('screening.run', { lists: opts.list ?? [], threshold: opts.threshold });
    const decisions = [...(opts.confirm ?? []).map((id) => ({ id, decision: 'confirmed' as const })), ...(opts.dismiss ?? []).map((id) => ({ id, decision: 'dismissed' as const }))];
    for (const d of decisions) {
      try {
        // Each decision is one operation: one step in History.
        await opened.run('screening.decide', { ...d, ...(opts.note !== undefined ? { note: opts.note } : {}) });
      } catch (error) {
        if (error instanceof CaseboardError && error.code === 'not_found') throw new CaseboardError('invalid_input', error.message);
        throw error;
      }
    }
    return opened.run('screening.results', {});
  });
  const shown = deciding ? results.hits.filter((h) => [...(opts.confirm ?? []), ...(opts.dismiss ?? [])].some((id) => h.id.startsWith(id))) : results.hits;
  if (opts.json) {
    const lists = results.run?.lists ?? [];
    process.stdout.write(`${JSON.stringify({ lists: lists.map(listJson), hits: shown.filter((h) => h.change !== 'gone').map(hitJson) }, null, 2)}\n`);
    return;
  }
  if (deciding) {
    for (const h of shown) printHit(h);
    return;
  }
  const run = results.run;
  if (!run) return;
  const changed = results.hits.filter((h) => h.change !== 'same' && run.lists.some((l) => l.name === h.entry.list));
  process.stdout.write(
    `Screened ${run.entities} entities against ${run.lists.map((l) => `${printable(l.name)}${l.version ? ` ${printable(l.version)}` : ''}`).join(', ')}: ${run.hits} hits at ${run.threshold} or above; ${run.changed.new} new, ${run.changed.changed} changed, ${run.changed.gone} no longer found.\n`,
  );
  for (const h of changed) printHit(h);
  const same = results.hits.filter((h) => h.change === 'same').length;
  if (same) process.stdout.write(`${same} ${same === 1 ? 'hit is' : 'hits are'} as before (caseboard screen --json lists every hit).\n`);
}
