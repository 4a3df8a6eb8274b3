import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';

/**
 * FollowTheMoney lines to import: text a form sent, or a file read from the
 * disk a piece at a time. An export of a large data set is larger than the
 * longest string JavaScript can hold (about 512 MB), and read whole it would
 * sit in memory for the length of the import.
 */
export type FtmSource = { text: string } | { path: string };

/** Bytes of a file read at a time. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** The longest line read from a file: FtM puts one item on a line, and no item is near this long. */
export const FTM_LINE_MAX_BYTES = 64 * 1024 * 1024;

/** How far into the source its end is: characters of text, or bytes of a file. */
export function ftmSourceLength(source: FtmSource): number {
  if ('text' in source) return source.text.length;
  const fd = openImportFile(source.path);
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/**
 * What a file was when an import began (its size and time of change), to be
 * compared after each pass: the passes read it again, so a file changed in
 * between would give them other lines. Text cannot change.
 */
export function ftmSourceStamp(source: FtmSource): string {
  if ('text' in source) return '';
  const fd = openImportFile(source.path);
  try {
    const { size, mtimeMs } = fstatSync(fd);
    return `${size}:${mtimeMs}`;
  } finally {
    closeSync(fd);
  }
}

/** Throws when the file is not as it was at `stamp` (see ftmSourceStamp). */
export function checkFtmSourceUnchanged(source: FtmSource, stamp: string): void {
  if ('path' in source && ftmSourceStamp(source) !== stamp) {
    throw new CaseboardError('invalid_input', `${path.basename(source.path)} changed while it was being imported, so nothing was imported. Import it again once it is complete.`);
  }
}

/**
 * Calls `each` with every line of the source whose number (from 1) `wanted`
 * accepts, or every line when `wanted` is null: its text without the line
 * break (a line ending in CR LF loses both, and the first line a byte order
 * mark), its number and how far into the source it ends. A file is decoded
 * as UTF-8, as FtM files are written.
 */
export function forEachFtmLine(
  source: FtmSource,
  wanted: ((line: number) => boolean) | null,
  each: (text: string, line: number, end: number) => void,
  { chunkBytes = CHUNK_BYTES, maxLineBytes = FTM_LINE_MAX_BYTES }: { chunkBytes?: number; maxLineBytes?: number } = {},
): void {
  if ('text' in source) {
    forEachTextLine(source.text, wanted, each);
    return;
  }
  const fd = openImportFile(source.path);
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    // Bytes of a line begun in an earlier piece, and where in the file they start.
    let carry: Buffer | null = null;
    let base = 0;
    let line = 0;
    const emit = (data: Buffer, start: number, stop: number) => {
      line += 1;
      if (wanted && !wanted(line)) return;
      let from = start;
      let to = stop;
      if (to > from && data[to - 1] === 0x0d) to -= 1;
      if (line === 1 && to - from >= 3 && data[from] === 0xef && data[from + 1] === 0xbb && data[from + 2] === 0xbf) from += 3;
      each(data.toString('utf8', from, to), line, base + Math.min(stop + 1, data.length));
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) break;
      const data: Buffer = carry ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        emit(data, start, nl);
        start = nl + 1;
      }
      // The rest of the piece is the start of a line: copied, as the piece is read into again.
      base += start;
      carry = start < data.length ? Buffer.from(data.subarray(start)) : null;
      if (carry && carry.length > maxLineBytes) {
        throw new CaseboardError('invalid_input', `Line ${line + 1} of ${path.basename(source.path)} is longer than ${Math.round(maxLineBytes / 1024 / 1024)} MB. A FollowTheMoney file holds one item on each line; is this a JSON lines file?`);
      }
    }
    if (carry) emit(carry, 0, carry.length);
  } finally {
    closeSync(fd);
  }
}

function forEachTextLine(text: string, wanted: ((line: number) => boolean) | null, each: (text: string, line: number, end: number) => void): void {
  let start = 0;
  for (let line = 1; ; line += 1) {
    const nl = text.indexOf('\n', start);
    const stop = nl === -1 ? text.length : nl;
    if (!wanted || wanted(line)) {
      let raw = text.slice(start, stop);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      if (line === 1 && raw.startsWith('\uFEFF')) raw = raw.slice(1);
      each(raw, line, stop);
    }
    if (nl === -1) return;
    start = nl + 1;
  }
}

/** Opens a file an import names for reading; one that cannot be opened is named in the message. */
export function openImportFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch {
    throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read.`);
  }
}
