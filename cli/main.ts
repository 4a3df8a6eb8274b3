import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CaseboardError } from '../shared/errors';
import { COUNT_LABELS, type CaseInfo } from '../shared/schemas';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';
import { createCaseFileAt, withCaseFile } from '../db/host/case-files';
import { removeLeftoversWhenStopped, sweepPrivateFolder } from '../db/host/output-files';
import { Workspace } from '../db/host/workspace';
import { addEvidenceCommands } from './evidence-commands';
import { EXIT } from './exit-codes';
import { registerMergeCommands } from './merge-commands';
import { registerModelCommands } from './model-commands';
import { registerReportCommands } from './report-commands';
import { registerSampleCommands } from './sample-commands';
import { registerScreeningCommands } from './screening-commands';
import { registerShareCommands } from './share-commands';
import { printable } from './terminal-text';
import { startServer, type RunningServer } from './serve';

const distDir = __dirname;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('the port must be a whole number from 0 to 65535.');
  return port;
}

function printInfo(info: CaseInfo, logUnread: boolean): void {
  const rows: [string, string][] = [
    ['Title', printable(info.title)],
    ['Handling marking', info.marking === null ? '(none)' : printable(info.marking)],
    ['File', printable(info.path)],
    ['Schema version', String(info.schemaVersion)],
    ...(Object.keys(COUNT_LABELS) as (keyof CaseInfo['counts'])[]).map((kind): [string, string] => [COUNT_LABELS[kind], String(info.counts[kind])]),
    ['Integrity check', info.integrity === null ? 'not run (caseboard info --full runs it)' : printable(info.integrity)],
    ...(logUnread ? [['Note', 'a write-ahead log lies beside the file and was not read; these figures are from the file alone.'] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of rows) process.stdout.write(`${`${label}:`.padEnd(width)}${value}\n`);
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('caseboard')
    .description('Caseboard: an offline investigation workbench. Each case lives in one case file.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('new')
    .description('Create a new, empty case file.')
    .argument('<file>', `path of the case file to create (${CASE_FILE_EXTENSION} is added if there is no extension; never replaces a file)`)
    .option('--title <title>', 'case title (default: the file name)')
    .option('--marking <marking>', 'handling marking printed on every export, e.g. SENSITIVE')
    .action((file: string, opts: { title?: string; marking?: string }) => {
      const target = path.resolve(path.extname(file) ? file : `${file}${CASE_FILE_EXTENSION}`);
      const title = (opts.title ?? path.basename(target, path.extname(target))).trim();
      if (!title) throw new CaseboardError('invalid_input', 'The case title must not be empty.');
      if (title.length > 300) throw new CaseboardError('invalid_input', 'The case title is longer than 300 characters.');
      createCaseFileAt(target, title, opts.marking?.trim() || null);
      process.stdout.write(`Created ${target}\n`);
    });

  program
    .command('info')
    .description('Show a case file: title, marking, schema version and item counts, read without copying it or scanning it whole.')
    .argument('<file>', 'case file')
    .option('--json', 'print as JSON')
    .option('--full', "also run SQLite's full integrity check over the whole file (as long as the case is large); exits with 2 if it fails")
    .action((file: string, opts: { json?: boolean; full?: boolean }) =>
      withCaseFile(file, { readonly: true }, async (opened) => {
        const info = await opened.run('case.info', opts.full ? { full: true } : {});
        const logUnread = opened.logUnread;
        if (opts.json) process.stdout.write(`${JSON.stringify(logUnread ? { ...info, logUnread } : info, null, 2)}\n`);
        else printInfo(info, logUnread);
        if (info.integrity !== null && info.integrity !== 'ok') {
          process.stderr.write(`caseboard: ${path.basename(info.path)} is damaged: SQLite's integrity check found problems.\n`);
          process.exitCode = EXIT.notACaseFile;
        }
      }),
    );

  program
    .command('serve')
    .description('Browser mode: serve the Caseboard UI on 127.0.0.1 with a random token.')
    .argument('[file]', 'case file to open (created if it does not exist); default: the last case you opened')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .action(async (file: string | undefined, opts: { port: number }) => {
      const workspace = new Workspace({ door: 'browser', workerPath: path.join(distDir, 'db-worker.cjs') });
      // The port first, so a busy one leaves no case file created behind; the worker thread would keep the process alive after the message.
      let server: RunningServer;
      try {
        server = await startServer({ workspace, rendererDir: path.join(distDir, 'renderer'), port: opts.port });
      } catch (error) {
        await workspace.dispose();
        throw error;
      }
      try {
        if (file && existsSync(file)) await workspace.openCase(file);
        else if (file) {
          const target = path.resolve(path.extname(file) ? file : `${file}${CASE_FILE_EXTENSION}`);
          if (existsSync(target)) await workspace.openCase(target);
          else await workspace.newCase(target, path.basename(target, path.extname(target)));
        } else await workspace.openInitial();
      } catch (error) {
        await server.close();
        await workspace.dispose();
        throw error;
      }
      const stop = () => {
        void server
          .close()
          .then(() => workspace.dispose())
          .finally(() => process.exit(EXIT.ok));
      };
      // Listening for the signals before the URL is printed: whoever reads the URL may stop the server at once.
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.write(`Caseboard is serving ${workspace.currentCase?.path ?? 'no case'}\nOpen ${server.url}\nPress Ctrl+C to stop.\n`);
    });

  addEvidenceCommands(program, distDir);
  registerModelCommands(program);
  registerShareCommands(program);
  registerReportCommands(program);
  registerSampleCommands(program);
  registerMergeCommands(program);
  registerScreeningCommands(program);
  return program;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CaseboardError) {
    if (error.code === 'not_a_case_file') return EXIT.notACaseFile;
    if (error.code === 'invalid_input') return EXIT.usage;
    return EXIT.failure;
  }
  return EXIT.failure;
}

function describe(error: unknown): string {
  if (error instanceof CaseboardError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied; check that you may read and write that file and folder.';
  if (code === 'ENOSPC') return 'The disk is full; nothing was written.';
  return 'Caseboard failed unexpectedly; the case file was left as it was.';
}

export async function main(argv: string[]): Promise<number> {
  // Private copies a stopped command leaves are removed on the way out, and any a killed one left, now.
  removeLeftoversWhenStopped();
  sweepPrivateFolder();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are successes; every other parse failure is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`caseboard: ${describe(error)}\n`);
    if (process.env.CASEBOARD_DEBUG) console.error(error);
    return exitCodeFor(error);
  }
}

// A reader that stops early (`caseboard info case | head -3`) closes the pipe. Output has nowhere to go
// then, but the command still finishes what it was doing and exits with its own code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

void main(process.argv.slice(2)).then((code) => {
  if (code !== EXIT.ok) process.exitCode = code;
});
