import { below } from './random';

/** SQLite database header fields a hostile file may set to anything (offset, width in bytes). */
export const HEADER_FIELDS: Record<string, [number, 1 | 2 | 4]> = {
  pageSize: [16, 2],
  writeVersion: [18, 1],
  readVersion: [19, 1],
  reservedSpace: [20, 1],
  maxPayloadFraction: [21, 1],
  minPayloadFraction: [22, 1],
  leafPayloadFraction: [23, 1],
  changeCounter: [24, 4],
  pageCount: [28, 4],
  freelistTrunk: [32, 4],
  freelistCount: [36, 4],
  schemaCookie: [40, 4],
  schemaFormat: [44, 4],
  cacheSize: [48, 4],
  largestRootPage: [52, 4],
  textEncoding: [56, 4],
  userVersion: [60, 4],
  incrementalVacuum: [64, 4],
  applicationId: [68, 4],
  versionValidFor: [92, 4],
  sqliteVersion: [96, 4],
};

const INTERESTING = [0, 1, 2, 3, 4, 5, 7, 8, 16, 100, 127, 128, 255, 256, 512, 1024, 4096, 32768, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe];

function interesting(random: () => number, width: 1 | 2 | 4): number {
  const max = 2 ** (8 * width) - 1;
  const pick = random() < 0.7 ? (INTERESTING[below(random, INTERESTING.length)] as number) : Math.floor(random() * max);
  return Math.min(pick, max);
}

function writeField(bytes: Buffer, offset: number, width: 1 | 2 | 4, value: number): void {
  if (width === 1) bytes.writeUInt8(value, offset);
  else if (width === 2) bytes.writeUInt16BE(value, offset);
  else bytes.writeUInt32BE(value >>> 0, offset);
}

export type Mutation = (bytes: Buffer, random: () => number, pageSize: number) => { bytes: Buffer; what: string };

/** The ways the fuzzer damages a case file, each named for the report. */
export const MUTATIONS: Record<string, Mutation> = {
  bitFlips(bytes, random) {
    const out = Buffer.from(bytes);
    const flips = 1 + below(random, 8);
    for (let i = 0; i < flips; i += 1) {
      const at = below(random, out.length);
      out[at] = (out[at] as number) ^ (1 << below(random, 8));
    }
    return { bytes: out, what: `${flips} bit flips` };
  },
  headerBitFlips(bytes, random) {
    const out = Buffer.from(bytes);
    const at = 16 + below(random, 84);
    out[at] = (out[at] as number) ^ (1 << below(random, 8));
    return { bytes: out, what: `bit flip in header byte ${at}` };
  },
  truncate(bytes, random, pageSize) {
    // Mostly on or near a page boundary, where a cut-short file is most plausible.
    const pages = Math.floor(bytes.length / pageSize);
    const length = random() < 0.6 ? below(random, pages) * pageSize + (random() < 0.5 ? 0 : below(random, pageSize)) : below(random, bytes.length);
    return { bytes: bytes.subarray(0, Math.max(length, 1)), what: `truncated to ${length}` };
  },
  scribblePage(bytes, random, pageSize) {
    const out = Buffer.from(bytes);
    const pages = Math.floor(out.length / pageSize);
    const page = below(random, pages);
    const start = page * pageSize + (page === 0 ? 100 : 0) + below(random, pageSize / 2);
    const length = 1 + below(random, pageSize / 2);
    const fill = below(random, 3);
    for (let i = start; i < Math.min(start + length, out.length); i += 1) out[i] = fill === 0 ? 0 : fill === 1 ? 0xff : below(random, 256);
    return { bytes: out, what: `scribbled ${length} bytes on page ${page + 1}` };
  },
  btreeHeader(bytes, random, pageSize) {
    // Page type, first freeblock, cell count, cell content start, fragmented bytes, right child.
    const out = Buffer.from(bytes);
    const pages = Math.floor(out.length / pageSize);
    const page = below(random, pages);
    const base = page * pageSize + (page === 0 ? 100 : 0);
    const offset = below(random, 12);
    out[base + offset] = below(random, 256);
    return { bytes: out, what: `b-tree header byte ${offset} of page ${page + 1}` };
  },
  cellPointer(bytes, random, pageSize) {
    const out = Buffer.from(bytes);
    const pages = Math.floor(out.length / pageSize);
    const page = below(random, pages);
    const base = page * pageSize + (page === 0 ? 100 : 0);
    const at = base + 8 + 2 * below(random, 16);
    out.writeUInt16BE(interesting(random, 2), at);
    return { bytes: out, what: `cell pointer at ${at} on page ${page + 1}` };
  },
  copyPage(bytes, random, pageSize) {
    const out = Buffer.from(bytes);
    const pages = Math.floor(out.length / pageSize);
    const from = below(random, pages);
    const to = 1 + below(random, pages - 1);
    out.copy(out, to * pageSize, from * pageSize, (from + 1) * pageSize);
    return { bytes: out, what: `page ${from + 1} copied over page ${to + 1}` };
  },
  schemaPage(bytes, random, pageSize) {
    // sqlite_schema lives on page 1: damage its cells, where the CREATE statements are.
    const out = Buffer.from(bytes);
    const start = 100 + below(random, pageSize - 100);
    const length = 1 + below(random, 64);
    for (let i = start; i < Math.min(start + length, pageSize); i += 1) out[i] = below(random, 256);
    return { bytes: out, what: `${length} random bytes in the schema page at ${start}` };
  },
  headerField(bytes, random) {
    const out = Buffer.from(bytes);
    const names = Object.keys(HEADER_FIELDS);
    const name = names[below(random, names.length)] as string;
    const [offset, width] = HEADER_FIELDS[name] as [number, 1 | 2 | 4];
    const value = interesting(random, width);
    writeField(out, offset, width, value);
    return { bytes: out, what: `header ${name} = ${value}` };
  },
};

/** One mutated copy of `bytes`: one to three mutations in a row. */
export function mutate(bytes: Buffer, random: () => number, pageSize: number): { bytes: Buffer; what: string } {
  const names = Object.keys(MUTATIONS);
  let current = bytes;
  const done: string[] = [];
  const rounds = random() < 0.75 ? 1 : 2 + below(random, 2);
  for (let i = 0; i < rounds; i += 1) {
    const name = names[below(random, names.length)] as string;
    const result = (MUTATIONS[name] as Mutation)(current, random, pageSize);
    current = result.bytes;
    done.push(`${name}: ${result.what}`);
  }
  return { bytes: current, what: done.join('; ') };
}
