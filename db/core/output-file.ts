import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, readSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { copyContents, openNewFile, PrivateCopies, removeIfStopped, settled } from './private-files';

export interface OutputOptions {
  /** Replace an ordinary file already at the path (exports and reports); never a case file, a link, a device or a folder. */
  replace: boolean;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
const ENCRYPTED_MAGIC = Buffer.from('CASEBOARD-ENC\u0000', 'latin1');
// Where hard links cannot be made (FAT and exFAT drives, some network shares), a file is moved in by renaming.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

function refuse(message: string): CaseboardError {
  return new CaseboardError('invalid_input', message);
}

/** Whether a file starts as a database does (a case file, plain or encrypted, or any SQLite file). */
function holdsDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    const start = Buffer.alloc(SQLITE_MAGIC.length);
    const read = readSync(fd, start, 0, start.length, 0);
    return (read === SQLITE_MAGIC.length && start.equals(SQLITE_MAGIC)) || start.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC);
  } finally {
    closeSync(fd);
  }
}

function isFolder(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Refuses, with one sentence, an output path Caseboard must not write:
 * a link (it would write wherever the link points), a device, pipe or folder,
 * an existing case file (never replaced), any existing file unless the
 * command replaces files, and a folder that does not exist.
 */
export function checkOutputPath(target: string, options: OutputOptions): void {
  const name = path.basename(target);
  let stat: Stats;
  try {
    stat = lstatSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    const folder = path.dirname(target);
    // The folder itself may be reached through a link; only the file's own name must not be one.
    if (!isFolder(folder)) throw refuse(`The folder ${folder} does not exist.`);
    return;
  }
  if (stat.isSymbolicLink()) throw refuse(`${name} is a symbolic link; Caseboard does not write through links, so give the name of a new file.`);
  if (stat.isDirectory()) throw refuse(`${name} is a folder; give the name of a file to write.`);
  if (!stat.isFile()) throw refuse(`${name} is a device, pipe or socket, not a file; give the name of a file to write.`);
  if (holdsDatabase(target)) throw refuse(`${name} is an existing case file; Caseboard never replaces one, so choose another name.`);
  if (!options.replace) throw refuse(`${name} already exists; choose another name.`);
}

/** Puts a finished temporary file at `target`: linked, so nothing there is replaced, or renamed over an ordinary file the command may replace. */
function moveIntoPlace(temp: string, target: string, options: OutputOptions): void {
  try {
    linkSync(temp, target);
    rmSync(temp, { force: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code !== 'EEXIST' && !NO_LINKS.has(code)) throw error;
  }
  // Something is there now, or links cannot be made here: look again, as close to the rename as can be.
  checkOutputPath(target, options);
  renameSync(temp, target);
}

/**
 * Writes a new output file: built under an exclusive temporary name beside
 * it (mode 0600, never through a link, removed if the command is stopped or
 * fails), then moved into place, so `target` appears complete or not at all.
 */
export function writeOutputFile(target: string, write: (fd: number) => void, options: OutputOptions): string {
  const absolute = path.resolve(target);
  checkOutputPath(absolute, options);
  const temp = `${absolute}.writing-${process.pid}-${randomBytes(4).toString('hex')}`;
  let fd: number | null = null;
  removeIfStopped(temp);
  try {
    try {
      fd = openNewFile(temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw refuse(`The folder ${path.dirname(absolute)} does not exist.`);
      throw error;
    }
    write(fd);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    moveIntoPlace(temp, absolute, options);
    return absolute;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  } finally {
    settled(temp);
  }
}

/** Writes text or bytes as a new output file (see `writeOutputFile`). */
export function writeOutputBytes(target: string, data: string | Uint8Array, options: OutputOptions): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return writeOutputFile(
    target,
    (fd) => {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    },
    options,
  );
}

/**
 * Puts a finished file from the private folder at `target`: a hard link when
 * both are on one drive (nothing is copied, nothing replaced), else a copy
 * written as `writeOutputFile` writes. The private file is left for its owner to remove.
 */
export function publishFile(source: string, target: string, options: OutputOptions): string {
  const absolute = path.resolve(target);
  checkOutputPath(absolute, options);
  try {
    linkSync(source, absolute);
    return absolute;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code !== 'EEXIST' && !NO_LINKS.has(code)) throw error;
  }
  const from = openSync(source, 'r');
  try {
    return writeOutputFile(absolute, (fd) => copyContents(from, fd), options);
  } finally {
    closeSync(from);
  }
}

/** Builds a new file in the private folder and puts it at `target` only once it is complete; nothing there is ever replaced. */
export function buildNewFile(target: string, build: (file: string) => void): string {
  const absolute = path.resolve(target);
  checkOutputPath(absolute, { replace: false });
  const copies = PrivateCopies.make();
  try {
    const file = copies.pathFor(absolute);
    build(file);
    return publishFile(file, absolute, { replace: false });
  } finally {
    copies.remove();
  }
}
