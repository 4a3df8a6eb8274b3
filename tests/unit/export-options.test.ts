import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleCase } from '../../db/host/sample-case';
import { attachBytes, sealForSharing } from '../helpers/files-on-disk';
import { cliPath, distDir, tempDir } from '../helpers/temp';

/**
 * What `caseboard` writes, and where: never through a link, into a device or
 * over a case file; `-` streams the text formats; options asking for
 * protection are honoured in every format or refused, never passed over.
 */
const PASSPHRASE = 'a long enough passphrase';
const TEXT_FORMATS = ['json', 'csv', 'ftm', 'gexf', 'graphml'] as const;
const FORMATS = [...TEXT_FORMATS, 'case'] as const;
/** Analyst notes and comments planted in every kind of item, and the name and bytes of an attached file. */
const NOTE = 'Analyst-note-MAI-handler-7731';
const COMMENT = 'Excerpt-comment-source-protection-4412';
const ATTACHMENT_NAME = 'contract-scan-from-informant.pdf';

let fixtures: string;
let base: string;
let sealed: string;
let passphraseFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function caseboard(args: string[], cwd = tempDir()): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-'), CASEBOARD_DEBUG: '', CASEBOARD_PASSPHRASE: '' },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A refusal: exit 1, one sentence on stderr, nothing on stdout. */
function expectRefused(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^caseboard: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Everything in a folder, as it is: names, link targets and contents. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const file = path.join(dir, name);
        const stat = lstatSync(file);
        if (stat.isSymbolicLink()) return [name, `link to ${readlinkSync(file)}`];
        if (stat.isFile()) return [name, sha256(file)];
        return [name, stat.isDirectory() ? 'folder' : 'special'];
      }),
  );
}

beforeAll(() => {
  if (!existsSync(path.join(distDir, 'cli.cjs'))) throw new Error('dist/cli.cjs is missing; run "npm run build" first.');
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'caseboard-export-options-'));
  base = path.join(fixtures, 'sample.caseboard');
  const db = createSampleCase(base);
  db.prepare('UPDATE sources SET notes = ?').run(NOTE);
  db.prepare('UPDATE entities SET notes = ?').run(NOTE);
  db.prepare('UPDATE links SET notes = ?').run(NOTE);
  db.prepare('UPDATE excerpts SET comment = ?').run(COMMENT);
  const source = db.prepare('SELECT id FROM sources LIMIT 1').pluck().get() as string;
  attachBytes(db, source, ATTACHMENT_NAME, 'application/pdf', Buffer.from('%PDF-1.4 the informant scanned this contract'));
  sealed = path.join(fixtures, 'sealed.caseboard.enc');
  passphraseFile = sealForSharing(db, sealed, PASSPHRASE, path.join(fixtures, 'home'));
  db.close();
}, 60_000);

afterAll(() => {
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
});

/** A folder holding each kind of path that must never be written: a link to a file, a dangling link, a link to /dev/stdout, a folder, a pipe and a case file. */
function hostileOutputs(extension: string): { dir: string; victim: string; outputs: [string, RegExp][] } {
  const dir = tempDir('caseboard-out-');
  const victim = path.join(tempDir('caseboard-victim-'), 'victim.txt');
  writeFileSync(victim, 'a file the link points at\n');
  symlinkSync(victim, path.join(dir, `link.${extension}`));
  symlinkSync(path.join(path.dirname(victim), 'created-through-link'), path.join(dir, `dangling.${extension}`));
  symlinkSync('/dev/stdout', path.join(dir, `stdout.${extension}`));
  mkdirSync(path.join(dir, `folder.${extension}`));
  expect(spawnSync('mkfifo', [path.join(dir, `pipe.${extension}`)]).status).toBe(0);
  copyFileSync(base, path.join(dir, `existing.${extension}`));
  return {
    dir,
    victim,
    outputs: [
      [`link.${extension}`, /is a symbolic link/],
      [`dangling.${extension}`, /is a symbolic link/],
      [`stdout.${extension}`, /is a symbolic link/],
      [`folder.${extension}`, /is a folder/],
      [`pipe.${extension}`, /is a device, pipe or socket/],
      [`existing.${extension}`, /is an existing case file; Caseboard never replaces one/],
    ],
  };
}

describe('output paths that must not be written are refused, and left as they were', () => {
  const commands: [string, (out: string) => string[], string][] = [
    ...FORMATS.map((format): [string, (out: string) => string[], string] => [`export --format ${format}`, (out) => ['export', base, out, '--format', format], format === 'case' ? 'caseboard' : format]),
    ['export --format case --encrypt', (out) => ['export', base, out, '--format', 'case', '--encrypt', '--passphrase-file', passphraseFile], 'caseboard'],
    ['decrypt', (out) => ['decrypt', sealed, out, '--passphrase-file', passphraseFile], 'caseboard'],
    ['report', (out) => ['report', base, out], 'html'],
    ['new', (out) => ['new', out, '--title', 'New case'], 'caseboard'],
    ['sample', (out) => ['sample', out], 'caseboard'],
  ];

  it.each(commands)('%s', (_name, args, extension) => {
    const { dir, victim, outputs } = hostileOutputs(extension);
    const before = fingerprint(dir);
    const victimBefore = fingerprint(path.dirname(victim));
    for (const [name, message] of outputs) expectRefused(caseboard(args(path.join(dir, name))), message);
    expect(fingerprint(dir)).toEqual(before);
    expect(fingerprint(path.dirname(victim))).toEqual(victimBefore);
  }, 120_000);

  it('an existing file is refused by the commands that never replace one, as a usage error (exit 1)', () => {
    const dir = tempDir('caseboard-out-');
    const existing = path.join(dir, 'notes.caseboard');
    writeFileSync(existing, 'the investigator’s own notes\n');
    for (const args of [
      ['new', existing],
      ['sample', existing],
      ['decrypt', sealed, existing, '--passphrase-file', passphraseFile],
    ]) {
      expectRefused(caseboard(args), /^caseboard: notes\.caseboard already exists; choose another name\.\n$/);
    }
    expect(readFileSync(existing, 'utf8')).toBe('the investigator’s own notes\n');
    expect(readdirSync(dir)).toEqual(['notes.caseboard']);
  }, 60_000);

  it('an ordinary file is replaced by export and report, as their help says, and nothing else is left beside it', () => {
    const dir = tempDir('caseboard-out-');
    for (const [args, out] of [
      [['export', base, path.join(dir, 'out.json'), '--format', 'json'], 'out.json'],
      [['export', base, path.join(dir, 'out.enc'), '--format', 'case', '--encrypt', '--passphrase-file', passphraseFile], 'out.enc'],
      [['report', base, path.join(dir, 'out.html')], 'out.html'],
    ] as [string[], string][]) {
      writeFileSync(path.join(dir, out), 'an older export\n');
      const run = caseboard(args);
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(path.join(dir, out), 'utf8')).not.toBe('an older export\n');
    }
    expect(readdirSync(dir).sort()).toEqual(['out.enc', 'out.html', 'out.json']);
  }, 120_000);
});

describe('options that ask for protection are honoured or refused, never passed over', () => {
  it.each([
    ['--encrypt with a text format', ['--format', 'gexf', '--encrypt'], /--encrypt works only with --format case/],
    ['--encrypt with json', ['--format', 'json', '--encrypt', '--passphrase-file', 'PASS'], /--encrypt works only with --format case/],
    ['--passphrase-file without --encrypt, case', ['--format', 'case', '--passphrase-file', 'PASS'], /--passphrase-file is read only with --encrypt/],
    ['--passphrase-file without --encrypt, json', ['--format', 'json', '--passphrase-file', 'PASS'], /--passphrase-file is read only with --encrypt/],
    ['--kind with a format other than csv', ['--format', 'ftm', '--kind', 'links'], /--kind works only with --format csv/],
  ])('%s: exit 1, one sentence, nothing written', (_what, options) => {
    const dir = tempDir('caseboard-out-');
    const run = caseboard(['export', base, path.join(dir, 'out'), ...options.map((o) => (o === 'PASS' ? passphraseFile : o))], dir);
    expectRefused(run, /nothing was written/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('- as the output of a case file is a usage error', () => {
    const dir = tempDir('caseboard-out-');
    expectRefused(caseboard(['export', base, '-', '--format', 'case'], dir), /A case file cannot be written to standard output/);
    expectRefused(caseboard(['decrypt', sealed, '-', '--passphrase-file', passphraseFile], dir), /A case file cannot be written to standard output/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each(TEXT_FORMATS)('--no-notes leaves every note and comment out of %s, to a file and to standard output', (format) => {
    const dir = tempDir('caseboard-out-');
    const kinds = format === 'csv' ? ['entities', 'links', 'sources'] : [null];
    for (const kind of kinds) {
      const kindArgs = kind ? ['--kind', kind] : [];
      const file = path.join(dir, `${kind ?? 'all'}.${format}`);
      const withNotes = caseboard(['export', base, file, '--format', format, ...kindArgs]);
      expect(withNotes.code, withNotes.stderr).toBe(0);
      const full = readFileSync(file, 'utf8');
      expect(full).toContain(NOTE);
      rmSync(file);
      const toFile = caseboard(['export', base, file, '--format', format, ...kindArgs, '--no-notes']);
      expect(toFile.code, toFile.stderr).toBe(0);
      const toStdout = caseboard(['export', base, '-', '--format', format, ...kindArgs, '--no-notes'], dir);
      expect(toStdout.code, toStdout.stderr).toBe(0);
      for (const text of [readFileSync(file, 'utf8'), toStdout.stdout]) {
        expect(text).not.toContain(NOTE);
        expect(text).not.toContain(COMMENT);
        expect(text.length).toBeGreaterThan(100);
      }
    }
    expect(format === 'json' ? JSON.parse(readFileSync(path.join(dir, 'all.json'), 'utf8')).excerpts.length : 1).toBeGreaterThan(0);
  }, 120_000);

  it('--no-notes leaves notes and comments out of a case file, encrypted or not', () => {
    const dir = tempDir('caseboard-out-');
    const run = caseboard(['export', base, path.join(dir, 'shared.caseboard'), '--format', 'case', '--no-notes']);
    expect(run.code, run.stderr).toBe(0);
    const bytes = readFileSync(path.join(dir, 'shared.caseboard'));
    expect(bytes.includes(Buffer.from(NOTE))).toBe(false);
    expect(bytes.includes(Buffer.from(COMMENT))).toBe(false);
  });

  it('--no-attachments leaves the attached files out of json, where they are listed', () => {
    const dir = tempDir('caseboard-out-');
    const full = caseboard(['export', base, '-', '--format', 'json'], dir);
    expect(full.stdout).toContain(ATTACHMENT_NAME);
    const run = caseboard(['export', base, '-', '--format', 'json', '--no-attachments'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(ATTACHMENT_NAME);
    expect(JSON.parse(run.stdout).attachments).toEqual([]);
    // Accepted by every format: the others never carry attached files.
    for (const format of ['csv', 'ftm', 'gexf', 'graphml']) {
      const other = caseboard(['export', base, '-', '--format', format, '--no-attachments'], dir);
      expect(other.code, other.stderr).toBe(0);
      expect(other.stdout).not.toContain(ATTACHMENT_NAME);
    }
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe('- streams a text export to standard output', () => {
  it.each(TEXT_FORMATS)('%s: the same text as the file export, and no file written', (format) => {
    const dir = tempDir('caseboard-out-');
    const kindArgs = format === 'csv' ? ['--kind', 'links'] : [];
    const streamed = caseboard(['export', base, '-', '--format', format, ...kindArgs], dir);
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    const file = path.join(tempDir('caseboard-out-'), `out.${format}`);
    expect(caseboard(['export', base, file, '--format', format, ...kindArgs]).code).toBe(0);
    const written = readFileSync(file, 'utf8');
    // The json export is stamped with the time it was made.
    const unstamped = (text: string) => (format === 'json' ? { ...JSON.parse(text), exportedAt: null } : text);
    expect(unstamped(streamed.stdout)).toEqual(unstamped(written));
    expect(streamed.stdout.length).toBeGreaterThan(200);
  }, 60_000);
});
