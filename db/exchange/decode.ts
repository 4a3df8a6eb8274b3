import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { CaseboardError } from '../../shared/errors';
import { CSV_DELIMITERS, type CsvDelimiter } from '../../shared/ops/exchange';

/** A spreadsheet file as UTF-8 bytes, with the encoding it was read in. */
export interface DecodedFile {
  /** UTF-8 without a byte-order mark. */
  data: Buffer;
  /** The encoding's name as people know it: utf-8, utf-16le, windows-1251, gb18030, ... */
  encoding: string;
  /** Whether the encoding was found out rather than named by the investigator. */
  detected: boolean;
}

/** How much of a file the detector looks at: enough for a spreadsheet's character statistics. */
const SAMPLE_BYTES = 256 * 1024;

/**
 * Encodings chardet may name that spreadsheets investigators bring are saved in,
 * and the name iconv-lite reads each as. ISO-8859-1 is read as windows-1252, its
 * superset, which is what Excel writes on Western systems.
 */
const DETECTED: Record<string, string> = {
  'windows-1251': 'windows-1251',
  'KOI8-R': 'koi8-r',
  'ISO-8859-5': 'iso-8859-5',
  GB18030: 'gb18030',
  Big5: 'big5',
  Shift_JIS: 'shift_jis',
  'EUC-JP': 'euc-jp',
  'EUC-KR': 'euc-kr',
  'windows-1252': 'windows-1252',
  'ISO-8859-1': 'windows-1252',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
};

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(buf: Buffer, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

/** UTF-16 without a byte-order mark: most characters of a spreadsheet are ASCII, so every other byte is zero. */
function utf16WithoutBom(buf: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero += 1;
    if (buf[i + 1] === 0) oddZero += 1;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.6 && evenZero < pairs * 0.1) return 'utf-16le';
  if (evenZero > pairs * 0.6 && oddZero < pairs * 0.1) return 'utf-16be';
  return null;
}

/** The encoding a file without a byte-order mark that is not UTF-8 was most likely saved in. */
function guessEncoding(buf: Buffer): string {
  const utf16 = utf16WithoutBom(buf);
  if (utf16) return utf16;
  const sample = buf.length > SAMPLE_BYTES ? buf.subarray(0, SAMPLE_BYTES) : buf;
  for (const bytes of [wordsWithHighBytes(sample), sample]) {
    for (const match of chardet.analyse(bytes)) {
      const name = DETECTED[match.name];
      if (name && match.confidence > 0) return name;
    }
  }
  return 'windows-1252';
}

/**
 * The words of a sample that hold bytes above ASCII, a space between each.
 * A spreadsheet's Latin names, codes and links outweigh its few Cyrillic
 * words in chardet's letter statistics, and cp1251 would be taken for
 * Latin-1; the words that tell the encodings apart are these.
 */
function wordsWithHighBytes(sample: Buffer): Buffer {
  const parts: Buffer[] = [];
  const space = Buffer.from(' ');
  let start = -1;
  let high = false;
  for (let i = 0; i <= sample.length; i += 1) {
    const c = i < sample.length ? (sample[i] as number) : 0x20;
    const letter = c >= 0x80 || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (letter) {
      if (start < 0) start = i;
      if (c >= 0x80) high = true;
      continue;
    }
    if (start >= 0 && high) parts.push(sample.subarray(start, i), space);
    start = -1;
    high = false;
  }
  return Buffer.concat(parts);
}

function canonical(name: string): string {
  const lower = name.trim().toLowerCase();
  const aliases: Record<string, string> = { utf8: 'utf-8', cp1251: 'windows-1251', cp1252: 'windows-1252', utf16: 'utf-16le', 'utf-16': 'utf-16le', utf16le: 'utf-16le', utf16be: 'utf-16be', gbk: 'gb18030', gb2312: 'gb18030', latin1: 'windows-1252' };
  return aliases[lower] ?? lower;
}

/**
 * Reads a spreadsheet file's bytes as text: the encoding named, or the one its
 * byte-order mark says (UTF-8, UTF-16 LE or BE), or UTF-8 when the bytes are
 * valid UTF-8, or the one chardet finds most likely (cp1251, cp1252, GB18030,
 * ...). A UTF-8 file is passed on as it is, without a copy.
 */
export function decodeCsvBytes(buf: Buffer, encoding?: string): DecodedFile {
  let name: string;
  let detected = false;
  let body = buf;
  if (encoding) {
    name = canonical(encoding);
    if (!iconv.encodingExists(name)) throw new CaseboardError('invalid_input', `"${encoding}" is not an encoding Caseboard can read; try utf-8, utf-16le, windows-1251, windows-1252 or gb18030.`);
  } else {
    detected = true;
    if (startsWith(buf, UTF8_BOM)) {
      name = 'utf-8';
      body = buf.subarray(UTF8_BOM.length);
    } else if (startsWith(buf, [0xff, 0xfe])) {
      name = 'utf-16le';
    } else if (startsWith(buf, [0xfe, 0xff])) {
      name = 'utf-16be';
    } else if (isUtf8(buf)) {
      name = 'utf-8';
    } else {
      name = guessEncoding(buf);
    }
  }
  if (name === 'utf-8') {
    if (!detected && startsWith(body, UTF8_BOM)) body = body.subarray(UTF8_BOM.length);
    // Broken sequences in a file said to be UTF-8 become U+FFFD, as any text editor shows them.
    return { data: isUtf8(body) ? body : Buffer.from(body.toString('utf8'), 'utf8'), encoding: name, detected };
  }
  // iconv-lite drops a byte-order mark itself.
  return { data: Buffer.from(iconv.decode(body, name), 'utf8'), encoding: name, detected };
}

/** The delimiter the header and first rows of a file agree on: the one found the same number of times on most lines. */
export function sniffDelimiter(data: Buffer): CsvDelimiter {
  const head = data.subarray(0, 64 * 1024).toString('utf8');
  const lines: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === '\n' || ch === '\r')) {
      if (current.trim() !== '') lines.push(current);
      current = '';
      if (lines.length >= 20) break;
      continue;
    }
    if (!quoted) current += ch;
  }
  if (current.trim() !== '' && lines.length < 20) lines.push(current);
  let best: CsvDelimiter = 'comma';
  let bestScore = 0;
  for (const [name, delimiter] of Object.entries(CSV_DELIMITERS) as [CsvDelimiter, string][]) {
    const counts = lines.map((line) => line.split(delimiter).length - 1);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const agreeing = counts.filter((c) => c === header).length;
    // Lines that agree with the header count most; the number of columns breaks ties.
    const score = agreeing * 1000 + header;
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
