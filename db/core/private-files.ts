import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { defaultDataDir } from './data-dir';

/**
 * The private folder: the one place where plaintext copies of a case may lie
 * while Caseboard works on them (an export's snapshot before it is redacted
 * and encrypted, a received file decrypted or copied to be checked or merged).
 * It sits in the user data folder, is open to its owner alone (0700), and each
 * piece of work gets a folder of its own inside it, named after the process,
 * that is removed when the work ends, when the command line is interrupted,
 * and at the next start if the process died. Never a destination folder, never
 * the system's temporary folder.
 */
const FOLDER_NAME = 'private';
const WORK_FOLDER = /^(\d+)-[0-9a-f]{16}$/;
const CHUNK = 1024 * 1024;
// Not on Windows, where links are not followed by open anyway.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/** Where the private folder of a user data folder is. */
export function privateFolder(dataDir = defaultDataDir()): string {
  return path.join(dataDir, FOLDER_NAME);
}

/** Creates the private folder, or makes sure the one there is a real folder of ours that only we may enter. */
function openPrivateFolder(dataDir = defaultDataDir()): string {
  const folder = privateFolder(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatSync(folder);
  if (stat.isSymbolicLink() || !stat.isDirectory()) throw new CaseboardError('internal', `${folder} is not a folder (it is a link or a file); remove it so that Caseboard can keep its private copies there.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new CaseboardError('internal', `${folder} belongs to another user; remove it so that Caseboard can keep its private copies there.`);
  if (process.platform !== 'win32' && (stat.mode & 0o777) !== 0o700) chmodSync(folder, 0o700);
  return folder;
}

/** Creates a new file that did not exist, never through a link, readable by its owner only; returns its descriptor. */
export function openNewFile(file: string): number {
  return openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
}

/** Copies what `from` holds, from its start, to `to`. */
export function copyContents(from: number, to: number): void {
  const buffer = Buffer.alloc(CHUNK);
  for (let position = 0; ; ) {
    const read = readSync(from, buffer, 0, CHUNK, position);
    if (read === 0) return;
    for (let written = 0; written < read; ) written += writeSync(to, buffer, written, read - written);
    position += read;
  }
}

// ---------------------------------------------------------------------------
// What to remove if the process is stopped before its work ends.

const pending = new Set<string>();
let removeOnSignals = false;
let listening = false;

function removePending(): void {
  for (const entry of pending) {
    try {
      rmSync(entry, { recursive: true, force: true });
    } catch {
      // Best effort while stopping: the next start sweeps what is left.
    }
  }
  pending.clear();
}

const onInterrupt = () => {
  removePending();
  process.exit(130);
};
const onTerminate = () => {
  removePending();
  process.exit(143);
};

// Listening only while there is something to remove: otherwise a signal stops the process as it always did.
function listenWhilePending(): void {
  if (!removeOnSignals) return;
  if (pending.size > 0 && !listening) {
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    listening = true;
  } else if (pending.size === 0 && listening) {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    listening = false;
  }
}

/** Removes `entry` (a file or a folder) if the process is stopped before `settled` is called for it. */
export function removeIfStopped(entry: string): void {
  pending.add(entry);
  listenWhilePending();
}

/** The work on `entry` has ended: it was removed, or it is complete and stays. */
export function settled(entry: string): void {
  pending.delete(entry);
  listenWhilePending();
}

/**
 * Called once by the command line: SIGINT and SIGTERM remove every private
 * copy and unfinished output first, then exit with 130 or 143.
 */
export function removeLeftoversWhenStopped(): void {
  if (removeOnSignals) return;
  removeOnSignals = true;
  process.on('exit', removePending);
  listenWhilePending();
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what processes that have ended left in the private folder (a kill
 * or a crash gives them no time to). Work folders of running processes stay.
 * Touches nothing outside the folder, and nothing at all if it is not a real
 * folder of ours. Never fails: a start must not be stopped by it.
 */
export function sweepPrivateFolder(dataDir = defaultDataDir()): void {
  try {
    const folder = privateFolder(dataDir);
    const stat = lstatSync(folder);
    const uid = process.getuid?.();
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) return;
    for (const name of readdirSync(folder)) {
      const owner = WORK_FOLDER.exec(name);
      if (owner && isRunning(Number(owner[1]))) continue;
      // rmSync removes a link itself, never what it points to.
      rmSync(path.join(folder, name), { recursive: true, force: true });
    }
  } catch {
    // No private folder yet, or one we may not read: nothing to sweep.
  }
}

// ---------------------------------------------------------------------------

/** A folder of one's own in the private folder, for the plaintext copies one piece of work makes. */
export class PrivateCopies {
  private constructor(readonly folder: string) {}

  static make(dataDir?: string): PrivateCopies {
    const folder = path.join(openPrivateFolder(dataDir), `${process.pid}-${randomBytes(8).toString('hex')}`);
    // Without `recursive`, mkdir fails if the name is taken: the folder is ours alone.
    mkdirSync(folder, { mode: 0o700 });
    removeIfStopped(folder);
    return new PrivateCopies(folder);
  }

  /** Where a copy called `name` goes; named as the file it copies, so that messages name the file the user chose. */
  pathFor(name: string): string {
    return path.join(this.folder, path.basename(name));
  }

  /** An empty file made exclusively, for SQLite to write into (VACUUM INTO accepts an empty file). */
  emptyFile(name: string): string {
    const file = this.pathFor(name);
    closeSync(openNewFile(file));
    return file;
  }

  /** Copies a received file, its main file alone (never a log or journal beside it), into a private file of the same name. */
  copyIn(source: string): string {
    const file = this.pathFor(source);
    let from: number;
    try {
      // Non-blocking, so that a pipe given as a case file is refused rather than waited on.
      from = openSync(source, constants.O_RDONLY | NON_BLOCKING);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CaseboardError('not_a_case_file', `${path.basename(source)} does not exist.`);
      if (code === 'EISDIR') throw new CaseboardError('not_a_case_file', `${path.basename(source)} is not a file.`);
      throw error;
    }
    try {
      if (!fstatSync(from).isFile()) throw new CaseboardError('not_a_case_file', `${path.basename(source)} is not a file.`);
      const to = openNewFile(file);
      try {
        copyContents(from, to);
      } finally {
        closeSync(to);
      }
    } finally {
      closeSync(from);
    }
    return file;
  }

  /** SQLite gives a database's log and index the database's own mode; this makes sure of it. */
  secure(file: string): void {
    if (process.platform === 'win32') return;
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      try {
        chmodSync(`${file}${suffix}`, 0o600);
      } catch {
        // Not there (yet): nothing to protect.
      }
    }
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
    settled(this.folder);
  }
}

/** Runs `work` with a private folder of its own, removed afterwards whatever happens. */
export function withPrivateCopies<T>(work: (copies: PrivateCopies) => T): T {
  const copies = PrivateCopies.make();
  try {
    return work(copies);
  } finally {
    copies.remove();
  }
}

/**
 * Long work on private copies is written as steps (a generator that yields
 * between them). Run in one go where nothing else can happen anyway...
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** ...or with a turn of the event loop between steps, so that Ctrl+C stops the work there and removes its copies. */
export async function runStepsInterruptibly<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
