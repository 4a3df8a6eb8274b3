import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';

const POOL_BYTES = 16 * 4096;

/**
 * UUIDv7s for rows a bulk import adds, ordered within the import. The same
 * kind of ID as newId(), but the random bits come from a pool filled 4096 IDs
 * at a time: asking the system for 16 random bytes per row costs more than
 * inserting the row.
 */
export class ImportIds {
  private pool = Buffer.alloc(0);
  private offset = 0;
  private msecs = -1;
  private seq = 0;

  next(): string {
    if (this.offset + 16 > this.pool.length) {
      this.pool = randomBytes(POOL_BYTES);
      this.offset = 0;
    }
    const random = this.pool.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    const now = Date.now();
    if (now > this.msecs) {
      this.msecs = now;
      // A random start below 2^31 leaves room to count up within one millisecond.
      this.seq = random.readUInt32BE(6) & 0x7fffffff;
    } else {
      this.seq += 1;
    }
    return v7({ random, msecs: this.msecs, seq: this.seq });
  }
}
