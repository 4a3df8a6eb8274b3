import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CaseboardError } from '../shared/errors';
import { formatBytes, hitLocation, SEARCH_KINDS, searchTotalText, type AttachResult, type SearchHit, type SearchKind, type SearchResult } from '../shared/evidence';
import { mentionTally, type Mention, type MentionList } from '../shared/mentions';
import { RELIABILITY_GRADES, type ReliabilityGrade } from '../shared/schemas';
import { parseOperationInput } from '../shared/validate';
import { withCaseFile } from '../db/host/case-files';
import { CaseWorker } from '../db/host/case-worker';
import { SettingsStore, defaultDataDir } from '../db/host/settings';
import { EXIT } from './exit-codes';
import { importData, parseDelimiter, parseOnMatch, type DataImportOptions } from './data-import';
import { parseCsvKind, parseImportFormat, parseMapping } from './exchange-commands';
import { printable } from './terminal-text';

interface ImportOutcome {
  file: string;
  status: 'imported' | 'duplicate' | 'failed' | 'cancelled';
  message?: string;
  result?: AttachResult;
}

function describeImported(file: string, result: AttachResult): string {
  const a = result.attachment;
  const pages = a.pageCount !== null ? `, ${a.pageCount} ${a.pageCount === 1 ? 'page' : 'pages'}` : '';
  const text = a.textStatus === 'extracted' ? '' : `\n  ${a.textNote ?? 'No text was extracted.'}`;
  return `Imported ${file} as the source "${result.sourceTitle}" (${a.mediaType}, ${formatBytes(a.size)}${pages}, SHA-256 ${a.sha256})${text}`;
}

async function importFiles(caseFile: string, files: string[], opts: { json?: boolean }, distDir: string): Promise<void> {
  const worker = new CaseWorker({ workerPath: path.join(distDir, 'db-worker.cjs') });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const outcomes: ImportOutcome[] = [];
  const showProgress = !opts.json && process.stderr.isTTY;
  try {
    await worker.open(path.resolve(caseFile));
    const actor = new SettingsStore(defaultDataDir()).actor();
    for (const [index, file] of files.entries()) {
      if (abort.signal.aborted) {
        outcomes.push({ file, status: 'cancelled' });
        continue;
      }
      if (showProgress) process.stderr.write(`\r\u001b[K[${index + 1}/${files.length}] ${path.basename(file)}`);
      try {
        const input = parseOperationInput('attachments.add', { file: { path: path.resolve(file) } });
        const result = (await worker.run('attachments.add', input, actor, undefined, abort.signal)) as AttachResult;
        outcomes.push({ file, status: 'imported', result });
      } catch (error) {
        if (!(error instanceof CaseboardError)) throw error;
        if (error.code === 'cancelled') outcomes.push({ file, status: 'cancelled' });
        else outcomes.push({ file, status: error.code === 'conflict' ? 'duplicate' : 'failed', message: error.message });
      }
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (showProgress) process.stderr.write('\r\u001b[K');
    await worker.terminate();
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
  } else {
    for (const outcome of outcomes) {
      if (outcome.status === 'imported' && outcome.result) process.stdout.write(`${describeImported(outcome.file, outcome.result)}\n`);
      else if (outcome.status === 'duplicate') process.stdout.write(`Skipped ${outcome.file}: ${outcome.message ?? ''}\n`);
      else if (outcome.status === 'failed') process.stderr.write(`caseboard: ${outcome.file} was not imported: ${outcome.message ?? ''}\n`);
    }
    const cancelled = outcomes.filter((o) => o.status === 'cancelled').length;
    if (cancelled > 0) process.stderr.write(`caseboard: import cancelled; ${cancelled} ${cancelled === 1 ? 'file was' : 'files were'} not imported, the files imported before are in the case.\n`);
  }
  if (outcomes.some((o) => o.status === 'failed' || o.status === 'cancelled')) process.exitCode = EXIT.failure;
}

function listOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string, previous: T[] = []): T[] => {
    const items = value.split(',').map((v) => v.trim()).filter(Boolean);
    for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new InvalidArgumentError(`${what} must be one of ${allowed.join(', ')}.`);
    return [...previous, ...(items as T[])];
  };
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('the limit must be a whole number from 1 to 200.');
  return n;
}

function printHits(hits: SearchHit[], counted: Pick<SearchResult, 'total' | 'totalCapped' | 'items'>): void {
  for (const item of counted.items) process.stdout.write(`${item.kind}: ${printable(item.name)}${item.detail ? ` (${printable(item.detail)})` : ''}\n`);
  if (counted.items.length > 0 && hits.length > 0) process.stdout.write('\n');
  if (hits.length === 0) {
    if (counted.items.length === 0) process.stdout.write('No matches.\n');
    return;
  }
  const bold = process.stdout.isTTY ? (t: string) => `\u001b[1m${t}\u001b[22m` : (t: string) => `[${t}]`;
  hits.forEach((hit, i) => {
    const grade = hit.kind === 'excerpt' ? `${hit.reliability}${hit.credibility ?? ''}` : hit.reliability;
    const where = hitLocation(hit);
    process.stdout.write(`${i + 1}. ${hit.kind} (${grade}) ${hit.sourceTitle}${where ? ` — ${where}` : ''}\n`);
    process.stdout.write(`   ${hit.snippet.map((p) => (p.hit ? bold(p.text) : p.text)).join('')}\n`);
  });
  if (counted.total > hits.length) process.stdout.write(`(${hits.length} of ${searchTotalText(counted)} shown; use --limit for more)\n`);
}

/** Mentions grouped by entity: the tally, then each place with its file, page and offsets. */
function printMentions(list: MentionList): void {
  if (list.mentions.length === 0) {
    process.stdout.write('No known entity is mentioned in the attached files.\n');
    return;
  }
  const byEntity = new Map<string, Mention[]>();
  for (const mention of list.mentions) byEntity.set(mention.entity.id, [...(byEntity.get(mention.entity.id) ?? []), mention]);
  for (const mentions of byEntity.values()) {
    const first = mentions[0] as Mention;
    const sources = new Set(mentions.map((m) => m.source.id)).size;
    process.stdout.write(`${printable(first.entity.name)}: ${mentionTally({ mentions, sources }).toLowerCase()}\n`);
    for (const m of mentions) {
      const page = m.page === null ? '' : `, page ${m.page}`;
      process.stdout.write(`  "${printable(m.text)}" in ${printable(m.attachment.name)} (source "${printable(m.source.title)}")${page}, characters ${m.start}–${m.end}\n`);
    }
  }
}

/** `caseboard import`, `caseboard search` and `caseboard mentions`. */
export function addEvidenceCommands(program: Command, distDir: string): void {
  program
    .command('import')
    .description('Import files into a case: each file becomes a new source with the file attached, its text extracted for search.')
    .argument('<case>', 'case file')
    .argument('<file...>', 'files to import (PDF, HTML, MHTML, text, Markdown, images, or any other file)')
    .option('--json', 'print what became of each file as JSON')
    .option('--format <format>', 'files (attach each file, the default), csv or ftm (FollowTheMoney JSON lines)', parseImportFormat, 'files')
    .option('--kind <kind>', 'for csv: entities, links or sources', parseCsvKind)
    .option('--map <column=field>', 'for csv: map a column to a field (repeat for each column; several columns may map to aliases, identifiers, areas, tags or authors)', parseMapping)
    .option('--encoding <name>', 'for csv: the file\'s encoding (utf-8, utf-16le, windows-1251, windows-1252, gb18030, ...); detected when left out')
    .option('--delimiter <name>', 'for csv: comma, semicolon, tab or pipe; found from the first lines when left out', parseDelimiter)
    .option('--on-match <action>', 'a row matching an item of the case (csv: same ID, external identifier, or name or alias with the same type and country; ftm: same FtM id) is skipped (the default), updated, or added as new', parseOnMatch)
    .option('--create-areas', 'for csv: create technology areas the file names that the case does not have (otherwise those rows are reported)')
    .action((caseFile: string, files: string[], opts: DataImportOptions) =>
      opts.format && opts.format !== 'files' ? importData(caseFile, files, opts) : importFiles(caseFile, files, opts, distDir),
    );

  program
    .command('search')
    .description('Search a case: entities and links by name, alias, type or notes; sources (title, notes, attachment text) and excerpts, best matches first.')
    .argument('<case>', 'case file')
    .argument('<query>', 'words to find; "quoted words" as a phrase')
    .option('--json', 'print the hits as JSON')
    .option('--kind <kinds>', `only these kinds of item (${SEARCH_KINDS.join(', ')}), comma-separated`, listOf<SearchKind>(SEARCH_KINDS, 'the kind'))
    .option('--reliability <grades>', 'only sources of these reliability grades (A to F), comma-separated', listOf<ReliabilityGrade>(RELIABILITY_GRADES, 'the reliability grade'))
    .option('--limit <n>', 'at most this many hits (1 to 200)', parseLimit, 20)
    .action((caseFile: string, query: string, opts: { json?: boolean; kind?: SearchKind[]; reliability?: ReliabilityGrade[]; limit: number }) =>
      withCaseFile(caseFile, { readonly: true }, async (opened) => {
        const result = await opened.run('search.query', { query, kinds: opts.kind ?? [], reliability: opts.reliability ?? [], limit: opts.limit });
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else printHits(result.hits, result);
      }),
    );

  program
    .command('mentions')
    .description("List where known entities' names and aliases appear in the text of attached files (PDF pages, web pages, text), per entity.")
    .argument('<case>', 'case file')
    .option('--entity <name>', 'only the entities called so, by name or alias (in any case)')
    .option('--json', 'print the mentions as a JSON list: entity, source, attachment, page (null where the file has no pages), start, end, text')
    .action((caseFile: string, opts: { entity?: string; json?: boolean }) =>
      withCaseFile(caseFile, { readonly: true }, async (opened) => {
        const result = await opened.run('mentions.list', opts.entity === undefined ? {} : { entityName: opts.entity });
        if (opts.json) process.stdout.write(`${JSON.stringify(result.mentions, null, 2)}\n`);
        else printMentions(result);
      }),
    );
}
