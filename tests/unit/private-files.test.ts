import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import { loadOtherCaseSteps } from '../../db/merge/read';
import { checkOutputPath, writeOutputBytes } from '../../db/core/output-file';
import { PrivateCopies, privateFolder, sweepPrivateFolder } from '../../db/core/private-files';
import { checkCaseFile, checkCaseFileSteps, exportCaseFile, exportCaseFileSteps } from '../../db/share/share';
import { createSource } from '../../db/evidence/sources';
import { Workspace } from '../../db/host/workspace';
import { CaseboardError } from '../../shared/errors';
import { sourceFields } from '../../shared/schemas';
import { filesBelow, startsAsSqlite } from '../helpers/files-on-disk';
import { distDir, tempDir } from '../helpers/temp';
import { changeSetOf } from '../helpers/model';

const PASSPHRASE = 'correct horse battery staple';
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

let home: string;
const savedHome = process.env.CASEBOARD_HOME;
beforeEach(() => {
  home = tempDir('caseboard-home-');
  process.env.CASEBOARD_HOME = home;
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.CASEBOARD_HOME;
  else process.env.CASEBOARD_HOME = savedHome;
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string) => statSync(file).mode & 0o777;

function caseWithNotes(dir: string): CaseDb {
  const db = createCaseFile(path.join(dir, 'mine.caseboard'), { title: 'Defence universities', marking: 'SENSITIVE' });
  createSource(db, changeSetOf(db, 'analyst'), sourceFields.parse({ kind: 'article', title: 'Harbin Institute of Technology', reliability: 'B', notes: 'Private analyst note: do not share.' }));
  return db;
}

/** The pid of a process that has ended (and been reaped). */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the private folder', () => {
  it('is made inside the user data folder, open to its owner alone, and each copy in it is 0600', () => {
    const copies = PrivateCopies.make();
    try {
      expect(path.dirname(copies.folder)).toBe(path.join(home, 'private'));
      expect(privateFolder()).toBe(path.join(home, 'private'));
      expect(mode(privateFolder())).toBe(0o700);
      expect(mode(copies.folder)).toBe(0o700);
      expect(mode(copies.emptyFile('snapshot.caseboard'))).toBe(0o600);
      const received = path.join(tempDir(), 'received.caseboard');
      writeFileSync(received, 'bytes of a received file', { mode: 0o644 });
      expect(mode(copies.copyIn(received))).toBe(0o600);
    } finally {
      copies.remove();
    }
    expect(readdirSync(privateFolder())).toEqual([]);
  });

  it('is closed again when found open to others, and refused when it is a link or a file', () => {
    mkdirSync(path.join(home, 'private'), { mode: 0o755 });
    chmodSync(path.join(home, 'private'), 0o755);
    PrivateCopies.make().remove();
    expect(mode(path.join(home, 'private'))).toBe(0o700);

    const elsewhere = tempDir();
    chmodSync(elsewhere, 0o755);
    const linked = tempDir('caseboard-home-');
    symlinkSync(elsewhere, path.join(linked, 'private'));
    process.env.CASEBOARD_HOME = linked;
    expect(() => PrivateCopies.make()).toThrow(/is not a folder \(it is a link or a file\)/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(mode(elsewhere)).toBe(0o755);

    const file = tempDir('caseboard-home-');
    writeFileSync(path.join(file, 'private'), 'not a folder');
    process.env.CASEBOARD_HOME = file;
    expect(() => PrivateCopies.make()).toThrow(CaseboardError);
  });

  it('makes copies exclusively: a name already taken, even by a link, is never written through', () => {
    const copies = PrivateCopies.make();
    try {
      const outside = path.join(tempDir(), 'outside.txt');
      writeFileSync(outside, 'precious');
      symlinkSync(outside, copies.pathFor('planted.caseboard'));
      expect(() => copies.emptyFile('planted.caseboard')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      copies.emptyFile('once.caseboard');
      expect(() => copies.emptyFile('once.caseboard')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      expect(readFileSync(outside, 'utf8')).toBe('precious');
    } finally {
      copies.remove();
    }
  });

  it('is swept of what ended processes left, and only that, never following a link out of it', () => {
    const folder = path.join(home, 'private');
    mkdirSync(folder, { mode: 0o700 });
    const dead = path.join(folder, `${endedPid()}-0123456789abcdef`);
    mkdirSync(dead);
    writeFileSync(path.join(dead, 'received.caseboard'), SQLITE_MAGIC);
    const alive = path.join(folder, `${process.pid}-fedcba9876543210`);
    mkdirSync(alive);
    writeFileSync(path.join(alive, 'in-use.caseboard'), SQLITE_MAGIC);
    writeFileSync(path.join(folder, 'stray.caseboard'), SQLITE_MAGIC);
    const outside = tempDir();
    writeFileSync(path.join(outside, 'keep.txt'), 'kept');
    symlinkSync(outside, path.join(folder, 'link-out'));

    sweepPrivateFolder();
    expect(readdirSync(folder)).toEqual([path.basename(alive)]);
    expect(readdirSync(alive)).toEqual(['in-use.caseboard']);
    expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('is swept when a workspace starts', async () => {
    const dataDir = tempDir('caseboard-home-');
    const leftover = path.join(dataDir, 'private', `${endedPid()}-0123456789abcdef`);
    mkdirSync(leftover, { recursive: true });
    writeFileSync(path.join(leftover, 'snapshot.caseboard'), SQLITE_MAGIC);
    const workspace = new Workspace({ door: 'browser', dataDir, workerPath: path.join(distDir, 'db-worker.cjs') });
    try {
      expect(readdirSync(path.join(dataDir, 'private'))).toEqual([]);
    } finally {
      await workspace.dispose();
    }
  });
});

describe('plaintext copies of a case lie in the private folder only', () => {
  it('an encrypted export: the snapshot is made and redacted there, nothing but the encrypted file reaches the destination', () => {
    const dir = tempDir();
    const db = caseWithNotes(dir);
    const destination = tempDir('caseboard-usb-');
    const target = path.join(destination, 'shared.caseboard.enc');
    const steps = exportCaseFileSteps(db, target, { omitNotes: true, passphrase: PASSPHRASE });
    for (let step = steps.next(); !step.done; step = steps.next()) {
      // Between steps: the plaintext snapshot is in the private folder, and nowhere else.
      const copies = filesBelow(path.join(home, 'private'));
      expect(copies.some(startsAsSqlite)).toBe(true);
      for (const copy of copies) expect(mode(copy)).toBe(0o600);
      expect(readdirSync(destination)).toEqual([]);
    }
    db.close();
    expect(readdirSync(destination)).toEqual(['shared.caseboard.enc']);
    expect(startsAsSqlite(target)).toBe(false);
    expect(filesBelow(path.join(home, 'private'))).toEqual([]);
    expect(checkCaseFile(target, PASSPHRASE)).toMatchObject({ encrypted: true, integrity: 'ok' });
  });

  it('a check: the received main file alone is copied there, decrypted there, and removed after', () => {
    const dir = tempDir();
    const db = caseWithNotes(dir);
    const received = tempDir('caseboard-received-');
    const sealed = path.join(received, 'shared.caseboard.enc');
    exportCaseFile(db, sealed, { passphrase: PASSPHRASE });
    db.close();
    const steps = checkCaseFileSteps(sealed, PASSPHRASE);
    let paused = 0;
    for (let step = steps.next(); !step.done; step = steps.next()) {
      paused += 1;
      expect(filesBelow(path.join(home, 'private')).filter(startsAsSqlite)).toHaveLength(1);
      expect(readdirSync(received)).toEqual(['shared.caseboard.enc']);
    }
    expect(paused).toBeGreaterThan(0);
    expect(readdirSync(received)).toEqual(['shared.caseboard.enc']);
    expect(filesBelow(path.join(home, 'private'))).toEqual([]);
  });

  it('a merge: the other file is read from a private copy, removed after, even when it is refused', () => {
    const dir = tempDir();
    const db = caseWithNotes(dir);
    db.close();
    const received = tempDir('caseboard-received-');
    const theirs = path.join(received, 'theirs.caseboard');
    copyFileSync(path.join(dir, 'mine.caseboard'), theirs);
    const steps = loadOtherCaseSteps(theirs, undefined, path.join(dir, 'mine.caseboard'));
    for (let step = steps.next(); !step.done; step = steps.next()) {
      expect(filesBelow(path.join(home, 'private')).filter(startsAsSqlite)).toHaveLength(1);
      expect(readdirSync(received)).toEqual(['theirs.caseboard']);
    }
    expect(filesBelow(path.join(home, 'private'))).toEqual([]);
    writeFileSync(theirs, 'not a case file at all'.repeat(100));
    expect(() => [...loadOtherCaseSteps(theirs, undefined, null)]).toThrow(/theirs\.caseboard is not a Caseboard case file/);
    expect(filesBelow(path.join(home, 'private'))).toEqual([]);
  });
});

describe('output files', () => {
  it('are refused when the path is a link, a folder, a pipe or an existing case file, and left as they were', () => {
    const dir = tempDir();
    const elsewhere = path.join(tempDir(), 'elsewhere.txt');
    writeFileSync(elsewhere, 'precious');
    symlinkSync(elsewhere, path.join(dir, 'link.json'));
    symlinkSync(path.join(dir, 'nowhere.json'), path.join(dir, 'dangling.json'));
    mkdirSync(path.join(dir, 'folder.json'));
    spawnSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const db = caseWithNotes(dir);
    db.close();
    const before = readdirSync(dir).sort();
    const refusals: [string, RegExp][] = [
      ['link.json', /link\.json is a symbolic link/],
      ['dangling.json', /dangling\.json is a symbolic link/],
      ['folder.json', /folder\.json is a folder/],
      ['pipe.json', /pipe\.json is a device, pipe or socket/],
      ['mine.caseboard', /mine\.caseboard is an existing case file/],
      [path.join('no-such-folder', 'x.json'), /The folder .*no-such-folder does not exist/],
    ];
    for (const [name, message] of refusals) {
      expect(() => writeOutputBytes(path.join(dir, name), 'text', { replace: true })).toThrow(message);
      expect(() => checkOutputPath(path.join(dir, name), { replace: true })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(elsewhere, 'utf8')).toBe('precious');
    expect(existsSync(path.join(dir, 'nowhere.json'))).toBe(false);
  });

  it('replace an ordinary file only where the command does, and appear whole with mode 0600', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.json');
    writeFileSync(file, 'old');
    expect(() => writeOutputBytes(file, 'new', { replace: false })).toThrow(/out\.json already exists; choose another name/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    writeOutputBytes(file, 'new', { replace: true });
    expect(readFileSync(file, 'utf8')).toBe('new');
    const fresh = path.join(dir, 'fresh.json');
    writeOutputBytes(fresh, 'text', { replace: false });
    expect(mode(fresh)).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['fresh.json', 'out.json']);
    expect(sha256(fresh)).toBe(createHash('sha256').update('text').digest('hex'));
  });
});
