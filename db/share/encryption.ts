import { randomBytes, scryptSync } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { CaseboardError } from '../../shared/errors';
import { writeOutputFile, type OutputOptions } from '../core/output-file';

/**
 * Passphrase encryption of exported case files.
 *
 * Layout: a fixed 48-byte header, then the file in 1 MiB chunks, each sealed
 * with XChaCha20-Poly1305. The whole header is the associated data of every
 * chunk, so changing any header byte fails authentication. A chunk's nonce is
 * the header's random prefix, the chunk's index and a last-chunk flag, so
 * chunks cannot be reordered, dropped or the file cut short unnoticed. The key
 * comes from scrypt with parameters the reader bounds before using them.
 */
const MAGIC = Buffer.from('CASEBOARD-ENC\u0000', 'latin1'); // 14 bytes
const FORMAT_VERSION = 1;
const HEADER_LENGTH = 48;
const TAG_LENGTH = 16;
const CHUNK_LOG2 = 20;
const DEFAULT_KDF = { log2N: 17, r: 8, p: 1 };
/** Readers refuse parameters that would need more memory or time than this. */
const MAX_KDF_MEMORY = 256 * 1024 * 1024;
const MIN_PASSPHRASE_LENGTH = 8;

interface Header {
  bytes: Buffer;
  log2N: number;
  r: number;
  p: number;
  chunkLog2: number;
  salt: Buffer;
  noncePrefix: Buffer;
}

function encodeHeader(salt: Buffer, noncePrefix: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 14);
  header.writeUInt8(DEFAULT_KDF.log2N, 15);
  header.writeUInt8(DEFAULT_KDF.r, 16);
  header.writeUInt8(DEFAULT_KDF.p, 17);
  header.writeUInt8(CHUNK_LOG2, 18);
  header.writeUInt8(0, 19);
  salt.copy(header, 20); // 16 bytes
  noncePrefix.copy(header, 36); // 12 bytes
  return header;
}

function decodeHeader(bytes: Buffer, name: string): Header {
  if (bytes.length < HEADER_LENGTH || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CaseboardError('not_a_case_file', `${name} is not an encrypted Caseboard case file.`);
  }
  const version = bytes.readUInt8(14);
  if (version !== FORMAT_VERSION) throw new CaseboardError('not_a_case_file', `${name} was encrypted by a newer version of Caseboard; update Caseboard to open it.`);
  const header = {
    bytes: bytes.subarray(0, HEADER_LENGTH),
    log2N: bytes.readUInt8(15),
    r: bytes.readUInt8(16),
    p: bytes.readUInt8(17),
    chunkLog2: bytes.readUInt8(18),
    salt: bytes.subarray(20, 36),
    noncePrefix: bytes.subarray(36, 48),
  };
  const memory = 128 * 2 ** header.log2N * header.r * header.p;
  const sane = header.log2N >= 10 && header.log2N <= 22 && header.r >= 1 && header.r <= 32 && header.p >= 1 && header.p <= 4 && memory <= MAX_KDF_MEMORY;
  if (!sane || header.chunkLog2 < 12 || header.chunkLog2 > 24 || bytes.readUInt8(19) !== 0) {
    throw new CaseboardError('not_a_case_file', `${name} is damaged (its encryption header is not valid).`);
  }
  return header;
}

function deriveKey(passphrase: string, header: Pick<Header, 'salt' | 'log2N' | 'r' | 'p'>): Uint8Array {
  const N = 2 ** header.log2N;
  return scryptSync(passphrase.normalize('NFC'), header.salt, 32, { N, r: header.r, p: header.p, maxmem: MAX_KDF_MEMORY + 1024 * 1024 });
}

function chunkNonce(prefix: Buffer, index: number, last: boolean): Uint8Array {
  const nonce = Buffer.alloc(24);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, 12);
  nonce.writeUInt8(last ? 1 : 0, 16);
  return nonce;
}

/** Whether a file starts like an encrypted case file (cheap; no passphrase needed). */
export function isEncryptedFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const start = Buffer.alloc(MAGIC.length);
    return readSync(fd, start, 0, MAGIC.length, 0) === MAGIC.length && start.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

export function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new CaseboardError('invalid_input', `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

/** Encrypts `source` into `target` with a key derived from the passphrase; `target` is written as every output is (see output-file). */
export function encryptFile(source: string, target: string, passphrase: string, options: OutputOptions = { replace: false }): void {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const header = encodeHeader(salt, randomBytes(12));
  const key = deriveKey(passphrase, { salt, ...DEFAULT_KDF });
  const chunkSize = 2 ** CHUNK_LOG2;
  const input = openSync(source, 'r');
  try {
    const size = fstatSync(input).size;
    const chunks = Math.max(1, Math.ceil(size / chunkSize));
    writeOutputFile(
      target,
      (out) => {
        writeSync(out, header);
        const plain = Buffer.alloc(chunkSize);
        for (let index = 0; index < chunks; index += 1) {
          const length = readFully(input, plain.subarray(0, Math.min(chunkSize, size - index * chunkSize)), index * chunkSize);
          const sealed = xchacha20poly1305(key, chunkNonce(header.subarray(36, 48), index, index === chunks - 1), header).encrypt(plain.subarray(0, length));
          writeSync(out, sealed);
        }
      },
      options,
    );
  } finally {
    closeSync(input);
  }
}

/**
 * Decrypts `source` into `target`, a new file (in the private folder: see
 * private-files). A wrong passphrase, a changed byte, a reordered or missing
 * chunk all fail with one clear error and no output file.
 */
export function decryptFile(source: string, target: string, passphrase: string): void {
  const name = source.split(/[\\/]/).pop() ?? source;
  const input = openSync(source, 'r');
  try {
    const size = fstatSync(input).size;
    const headerBytes = Buffer.alloc(HEADER_LENGTH);
    readFully(input, headerBytes, 0);
    const header = decodeHeader(headerBytes, name);
    const key = deriveKey(passphrase, header);
    const sealedChunk = 2 ** header.chunkLog2 + TAG_LENGTH;
    const body = size - HEADER_LENGTH;
    const chunks = Math.max(1, Math.ceil(body / sealedChunk));
    if (body < TAG_LENGTH || chunks > 0xffffffff) throw new CaseboardError('not_a_case_file', `${name} is damaged (it is cut short).`);
    writeOutputFile(
      target,
      (out) => {
        const sealed = Buffer.alloc(sealedChunk);
        for (let index = 0; index < chunks; index += 1) {
          const length = readFully(input, sealed.subarray(0, Math.min(sealedChunk, body - index * sealedChunk)), HEADER_LENGTH + index * sealedChunk);
          let plain: Uint8Array;
          try {
            plain = xchacha20poly1305(key, chunkNonce(header.noncePrefix, index, index === chunks - 1), header.bytes).decrypt(sealed.subarray(0, length));
          } catch {
            throw new CaseboardError('not_a_case_file', `${name} could not be decrypted: the passphrase is wrong or the file was changed.`);
          }
          writeSync(out, plain);
        }
      },
      { replace: false },
    );
  } finally {
    closeSync(input);
  }
}
