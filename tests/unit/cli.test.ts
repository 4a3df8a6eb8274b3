import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { foundation } from '../../db/core/migrations/010-foundation';
import { SCHEMA_VERSION } from '../../db/core/migrations/index';
import { createSource } from '../../db/evidence/sources';
import { parseOperationInput } from '../../shared/validate';
import { olderCaseFile } from '../helpers/files-on-disk';
import { cliPath, distDir, tempDir } from '../helpers/temp';
import { changeSetOf } from '../helpers/model';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function caseboard(args: string[], home = tempDir('caseboard-home-')): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: { ...process.env, CASEBOARD_HOME: home, CASEBOARD_DEBUG: '' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Errors are one "caseboard:" line or commander's usage message, never a stack trace. */
function expectCleanError(run: Run): void {
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/SqliteError|TypeError|ReferenceError/);
  const lines = run.stderr.trim().split('\n');
  if (run.stderr.startsWith('caseboard:')) expect(lines).toHaveLength(1);
  else expect(run.stderr).toMatch(/^(error: |Usage: caseboard)/);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function caseFileWithSources(file: string, count: number): string {
  const db = createCaseFile(file, { title: 'Defence universities and Russia', marking: 'SENSITIVE' });
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      createSource(db, changeSetOf(db, 'tester'), parseOperationInput('sources.create', { kind: 'article', title: `Source ${i} Московский авиационный институт`, reliability: 'B', notes: 'n'.repeat(300) }));
    }
  })();
  db.close();
  return file;
}

beforeAll(() => {
  if (!existsSync(path.join(distDir, 'cli.cjs'))) throw new Error('dist/cli.cjs is missing; run "npm run build" first.');
});

describe('caseboard new', () => {
  it('creates a case file with the title and marking given, and exits 0', () => {
    const dir = tempDir();
    const file = path.join(dir, 'beihang.caseboard');
    const run = caseboard(['new', file, '--title', 'Beihang and MAI', '--marking', 'SENSITIVE']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`Created ${file}\n`);
    const info = JSON.parse(caseboard(['info', file, '--json']).stdout);
    expect(info).toMatchObject({ title: 'Beihang and MAI', marking: 'SENSITIVE', schemaVersion: SCHEMA_VERSION, integrity: null });
    expect(readdirSync(dir)).toEqual(['beihang.caseboard']);
  });

  it('adds the .caseboard extension and takes the title from the file name when none is given', () => {
    const dir = tempDir();
    const run = caseboard(['new', path.join(dir, '哈尔滨工业大学')]);
    expect(run.code).toBe(0);
    const file = path.join(dir, '哈尔滨工业大学.caseboard');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(caseboard(['info', file, '--json']).stdout)).toMatchObject({ title: '哈尔滨工业大学', marking: null });
  });

  it('refuses to overwrite an existing file, as a usage error the user must fix: exit 1, file unchanged', () => {
    const file = path.join(tempDir(), 'existing.caseboard');
    writeFileSync(file, 'precious');
    const run = caseboard(['new', file, '--title', 'New']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('caseboard: existing.caseboard already exists; choose another name.\n');
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expectCleanError(run);
  });

  it('refuses an empty title and a missing folder as usage errors: exit 1', () => {
    const dir = tempDir();
    const blank = caseboard(['new', path.join(dir, 'x.caseboard'), '--title', '   ']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/^caseboard: .*title/);
    expectCleanError(blank);
    const missing = caseboard(['new', path.join(dir, 'no', 'such', 'x.caseboard'), '--title', 'T']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^caseboard: The folder .* does not exist\.\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('caseboard info', () => {
  it('finishes quietly with its own exit code when the reader closes the pipe early, as `| head` does', async () => {
    const file = caseFileWithSources(path.join(tempDir(), 'piped.caseboard'), 3);
    const child = spawn(process.execPath, [cliPath, 'info', file], { env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-'), CASEBOARD_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Nobody reads what it writes: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('shows title, marking, schema version, counts and integrity', () => {
    const file = caseFileWithSources(path.join(tempDir(), 'info.caseboard'), 3);
    const run = caseboard(['info', file]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Title:\s+Defence universities and Russia$/m);
    expect(run.stdout).toMatch(/^Handling marking:\s+SENSITIVE$/m);
    expect(run.stdout).toMatch(new RegExp(`^File:\\s+${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^Schema version:\\s+${SCHEMA_VERSION}$`, 'm'));
    expect(run.stdout).toMatch(/^Sources:\s+3$/m);
    expect(run.stdout).toMatch(/^Audit events:\s+3$/m);
    expect(run.stdout).toMatch(/^Integrity check:\s+not run \(caseboard info --full runs it\)$/m);
    const full = caseboard(['info', file, '--full']);
    expect(full).toMatchObject({ code: 0, stderr: '' });
    expect(full.stdout).toMatch(/^Integrity check:\s+ok$/m);
  });

  it('prints the same as JSON with --json', () => {
    const file = caseFileWithSources(path.join(tempDir(), 'info.caseboard'), 2);
    const run = caseboard(['info', file, '--json']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({
      title: 'Defence universities and Russia',
      marking: 'SENSITIVE',
      schemaVersion: SCHEMA_VERSION,
      path: file,
      fileName: 'info.caseboard',
      counts: { sources: 2, auditEvents: 2 },
      integrity: null,
    });
  });

  it('changes nothing: same bytes, no -wal or -shm left, an older schema not upgraded', () => {
    const dir = tempDir();
    const current = caseFileWithSources(path.join(dir, 'current.caseboard'), 1);
    const older = olderCaseFile(path.join(dir, 'older.caseboard'), 'Older');
    const before = [sha256(current), sha256(older)];
    expect(caseboard(['info', current]).code).toBe(0);
    const olderInfo = caseboard(['info', older, '--json', '--full']);
    expect(olderInfo.code).toBe(0);
    expect(JSON.parse(olderInfo.stdout)).toMatchObject({ title: 'Older', schemaVersion: foundation.version, integrity: 'ok' });
    expect([sha256(current), sha256(older)]).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['current.caseboard', 'older.caseboard']);
  });
});

describe('exit codes for usage errors: 1', () => {
  it.each([
    ['no arguments', []],
    ['a missing argument', ['info']],
    ['an unknown command', ['frobnicate', 'x.caseboard']],
    ['an unknown option', ['info', 'x.caseboard', '--verbose']],
    ['a port that is not a number', ['serve', 'x.caseboard', '--port', 'abc']],
    ['a port out of range', ['serve', 'x.caseboard', '--port', '70000']],
    ['a negative port', ['serve', 'x.caseboard', '--port=-1']],
    ['a fractional port', ['serve', 'x.caseboard', '--port', '80.5']],
  ])('%s', (_what, args) => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, [cliPath, ...args], { cwd: dir, env: { ...process.env, CASEBOARD_HOME: tempDir() }, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.length).toBeGreaterThan(0);
    expectCleanError({ code: run.status, stdout: run.stdout, stderr: run.stderr });
    // A usage error never creates a case file.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('explains what was wrong', () => {
    expect(caseboard(['frobnicate']).stderr).toMatch(/unknown command 'frobnicate'/);
    expect(caseboard(['info']).stderr).toMatch(/missing required argument 'file'/);
    expect(caseboard(['info', 'x', '--verbose']).stderr).toMatch(/unknown option '--verbose'/);
    expect(caseboard(['serve', '--port', 'abc']).stderr).toMatch(/port must be a whole number from 0 to 65535/);
  });
});

describe('exit code 2: not a case file', () => {
  function expectNotACaseFile(file: string, message: RegExp): void {
    const before = existsSync(file) ? sha256(file) : null;
    for (const args of [['info', file], ['info', file, '--json']]) {
      const run = caseboard(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^caseboard: /);
      expect(run.stderr).toMatch(message);
      expectCleanError(run);
    }
    expect(existsSync(file) ? sha256(file) : null).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  }

  it('a missing file', () => {
    const file = path.join(tempDir(), 'missing.caseboard');
    expectNotACaseFile(file, /missing\.caseboard does not exist/);
    expect(existsSync(file)).toBe(false);
  });

  it('an empty file', () => {
    const file = path.join(tempDir(), 'empty.caseboard');
    writeFileSync(file, '');
    expectNotACaseFile(file, /is empty/);
  });

  it('a text file', () => {
    const file = path.join(tempDir(), 'notes.caseboard');
    writeFileSync(file, 'Harbin Institute of Technology\n'.repeat(100));
    expectNotACaseFile(file, /not an SQLite database/);
  });

  it('a case file from a newer version', () => {
    const file = caseFileWithSources(path.join(tempDir(), 'newer.caseboard'), 0);
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 10}`);
    db.close();
    expectNotACaseFile(file, /newer version of Caseboard/);
  });

  it('a damaged case file', () => {
    const file = caseFileWithSources(path.join(tempDir(), 'damaged.caseboard'), 300);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const middle = Math.floor(bytes.length / pageSize / 2);
    bytes.fill(0x5a, middle * pageSize, (middle + 8) * pageSize);
    writeFileSync(file, bytes);
    // `info` reads no whole file, so damage far from what it reads shows under --full (and in `check`).
    const before = sha256(file);
    for (const args of [['info', file, '--full'], ['info', file, '--full', '--json'], ['check', file]]) {
      const run = caseboard(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^caseboard: .*damaged/m);
      expectCleanError(run);
    }
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('--help', () => {
  it.each([
    [['--help'], /^Usage: caseboard \[options\] \[command\]/],
    [['new', '--help'], /^Usage: caseboard new \[options\] <file>/],
    [['info', '--help'], /^Usage: caseboard info \[options\] <file>/],
    [['serve', '--help'], /^Usage: caseboard serve \[options\] \[file\]/],
    [['help', 'info'], /^Usage: caseboard info/],
  ])('caseboard %j exits 0 and prints usage', (args, usage) => {
    const run = caseboard(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(usage);
    expect(run.stderr).toBe('');
  });

  it('lists the options of each command', () => {
    expect(caseboard(['new', '--help']).stdout).toMatch(/--title <title>[\s\S]*--marking <marking>/);
    expect(caseboard(['info', '--help']).stdout).toMatch(/--json/);
    expect(caseboard(['serve', '--help']).stdout).toMatch(/--port <port>/);
  });
});
