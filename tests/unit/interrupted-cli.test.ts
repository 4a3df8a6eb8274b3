import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { fillCase } from '../helpers/bulk';
import { attachBytes, filesBelow, sealForSharing, startsAsSqlite } from '../helpers/files-on-disk';
import { cliPath, distDir, tempDir } from '../helpers/temp';

/**
 * The command line stopped with Ctrl+C (SIGINT) or SIGTERM at several
 * moments of an encrypted export, of the check of an encrypted file and of a
 * merge of one: no plaintext copy of the case is left anywhere but in the
 * private folder, and the next start empties that.
 */
const PASSPHRASE = 'a passphrase for the interrupted runs';

let fixtures: string;
let base: string;
let sealed: string;
let passphraseFile: string;

beforeAll(() => {
  if (!existsSync(path.join(distDir, 'cli.cjs'))) throw new Error('dist/cli.cjs is missing; run "npm run build" first.');
  fixtures = mkdtempSync(path.join(os.tmpdir(), 'caseboard-interrupt-'));
  // Large enough that each command takes a second or more: entities, links and attached scans that do not compress.
  base = path.join(fixtures, 'big.caseboard');
  const db = createCaseFile(base, { title: 'Aero-engine cooperation' });
  fillCase(db, 3000, 6000);
  db.transaction(() => {
    const at = '2026-01-01T00:00:00.000Z';
    const source = newId();
    db.prepare("INSERT INTO sources (id, kind, title, reliability, notes, created_at, updated_at) VALUES (?, 'report', 'Scanned contracts', 'B', 'Private analyst note', ?, ?)").run(source, at, at);
    for (let i = 0; i < 4; i += 1) attachBytes(db, source, `scan-${i}.bin`, 'application/octet-stream', randomBytes(4 * 1024 * 1024));
  })();
  sealed = path.join(fixtures, 'received.caseboard.enc');
  passphraseFile = sealForSharing(db, sealed, PASSPHRASE, path.join(fixtures, 'home'));
  db.close();
}, 120_000);

afterAll(() => {
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
});

interface Scene {
  /** CASEBOARD_HOME of the run: the private folder is in it. */
  home: string;
  /** TMPDIR of the run, so its os.tmpdir() is a folder of this test alone. */
  tmp: string;
  /** Where the export goes: a USB stick, a synced folder. */
  destination: string;
}

const COMMANDS: Record<string, (scene: Scene) => string[]> = {
  'an encrypted export': (scene) => ['export', base, path.join(scene.destination, 'shared.caseboard.enc'), '--format', 'case', '--encrypt', '--passphrase-file', passphraseFile, '--no-notes'],
  'the check of an encrypted file': () => ['check', sealed, '--passphrase-file', passphraseFile],
  'a merge of an encrypted file': () => ['merge', base, sealed, '--dry-run', '--passphrase-file', passphraseFile],
};

type Moment = number | 'as soon as it writes a private copy' | '300 ms after it writes a private copy' | 'after it ended';
const MOMENTS: Moment[] = [50, 200, 500, 'as soon as it writes a private copy', '300 ms after it writes a private copy', 'after it ended'];
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function env(scene: Scene): NodeJS.ProcessEnv {
  return { ...process.env, CASEBOARD_HOME: scene.home, TMPDIR: scene.tmp, TMP: scene.tmp, TEMP: scene.tmp, CASEBOARD_DEBUG: '', CASEBOARD_PASSPHRASE: '' };
}

async function runAndStop(args: string[], scene: Scene, moment: Moment, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: env(scene), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
  if (moment === 'after it ended') {
    const result = await ended;
    child.kill(signal);
    return { ...result, stderr };
  }
  if (typeof moment === 'number') await new Promise((resolve) => setTimeout(resolve, moment));
  else {
    // Start-up takes a while on a busy machine: wait for the work itself to begin.
    let done = false;
    void ended.then(() => (done = true));
    const giveUp = Date.now() + 20_000;
    // A private copy exists only while the command is set to remove it if stopped: a stop now lands in the middle of the work.
    const privateFolder = path.join(scene.home, 'private');
    while (!done && filesBelow(privateFolder).length === 0 && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 2));
    if (moment === '300 ms after it writes a private copy') await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill(signal);
  return { ...(await ended), stderr };
}

describe('a command stopped by a signal leaves no plaintext copy of the case behind', () => {
  for (const [what, command] of Object.entries(COMMANDS)) {
    it.each(SIGNALS)(`${what}, stopped by %s at several moments`, async (signal) => {
      const endings: (number | string | null)[] = [];
      for (const moment of MOMENTS) {
        const scene: Scene = { home: tempDir('caseboard-home-'), tmp: tempDir('caseboard-tmp-'), destination: tempDir('caseboard-usb-') };
        const result = await runAndStop(command(scene), scene, moment, signal);
        const label = `${what}, ${signal} ${typeof moment === 'number' ? `after ${moment} ms` : moment}: exit ${result.code ?? result.signal} ${result.stderr}`;
        endings.push(result.code ?? result.signal);
        // Finished (0), stopped by our handler after removing its copies (130, 143), or stopped before it had made any.
        expect([0, signal === 'SIGINT' ? 130 : 143, signal], label).toContain(result.code ?? result.signal);
        expect(result.stderr, label).not.toMatch(/^\s+at /m);

        // The destination, the system's temporary folder, the user data folder and the received file's folder hold no database but the case itself.
        const scanned = [...filesBelow(scene.destination), ...filesBelow(scene.tmp), ...filesBelow(scene.home, path.join(scene.home, 'private')), ...filesBelow(fixtures)];
        expect(scanned.filter((file) => file !== base && startsAsSqlite(file)), label).toEqual([]);
        // Nothing half-written is left at the destination: the export is there whole, or nothing is.
        expect(readdirSync(scene.destination).filter((name) => name !== 'shared.caseboard.enc'), label).toEqual([]);
        if (result.code === 0 && what === 'an encrypted export') expect(readdirSync(scene.destination), label).toEqual(['shared.caseboard.enc']);
        if (result.code !== null && result.code !== 0) expect(filesBelow(path.join(scene.home, 'private')), label).toEqual([]);

        // The next start removes whatever a process that could not clean up left in the private folder.
        const next = spawnSync(process.execPath, [cliPath, '--help'], { env: env(scene), encoding: 'utf8', timeout: 20_000 });
        expect(next.status, label).toBe(0);
        expect(filesBelow(path.join(scene.home, 'private')), label).toEqual([]);
        if (existsSync(path.join(scene.home, 'private'))) expect(readdirSync(path.join(scene.home, 'private')), label).toEqual([]);
      }
      // At least one stop landed in the middle of the work, where the cleanup ran and set the usual exit code.
      expect(endings).toContain(signal === 'SIGINT' ? 130 : 143);
    }, 300_000);
  }
});
