import type { Statement } from 'better-sqlite3';
import type { CaseDb } from '../core/case-file';

/**
 * Links with more than this many links from the same entity are matched in
 * memory: reading them all for every new row from that entity would make an
 * import quadratic in its links.
 */
export const LINKS_READ_PER_END = 64;

/** Text folded as SQLite's NOCASE folds it: ASCII letters only ("OWNS" is "owns", "ВЛАДЕЕТ" is not "владеет"). */
export function foldAsciiCase(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : text;
}

/**
 * The link a row of a large import matches (same from, same to, same type in
 * any case of ASCII letters), found along the from end alone. A large links
 * import leaves the index of links by their to end and the kept degrees out
 * while it writes (see LargeImport), so the row-by-row choice of the end with
 * fewer links cannot be made. Most entities have a few links: those are read
 * from the index of links by their from end, which holds the links this
 * import has written as well. An entity found with more than
 * LINKS_READ_PER_END links has its links listed once in memory, and the links
 * the import adds from it are added there as they are written.
 *
 * That list holds no text: each link is a small hash of its to end and type
 * and the link's row number, about 70 bytes a link where the IDs themselves
 * took about 240, so a file of a million links from a few entities stays
 * within the memory an import is allowed. A link whose hash matches is read by its
 * row number and compared in full, so two links that share a hash are never
 * taken for one another.
 */
export class LinksAlongFrom {
  private readonly first: Statement<[string, number]>;
  private readonly all: Statement<[string]>;
  private readonly byRow: Statement<[number]>;
  /** Links from an entity with many links: linkHash of the to end and folded type, to the row number of each link with it (a list when several share it). */
  private readonly many = new Map<string, Map<number, number | number[]>>();

  constructor(db: CaseDb) {
    this.first = db.prepare('SELECT id, to_id, type FROM links INDEXED BY links_from WHERE from_id = ? LIMIT ?').raw() as Statement<[string, number]>;
    this.all = db.prepare('SELECT rowid, to_id, type FROM links INDEXED BY links_from WHERE from_id = ?').raw() as Statement<[string]>;
    this.byRow = db.prepare('SELECT id, to_id, type FROM links WHERE rowid = ?').raw() as Statement<[number]>;
  }

  /** The ID of a link of the case from `from` to `to` with this type, or null. */
  find(from: string, to: string, type: string): string | null {
    const folded = foldAsciiCase(type);
    let links = this.many.get(from);
    if (!links) {
      const rows = this.first.all(from, LINKS_READ_PER_END + 1) as [string, string, string][];
      if (rows.length <= LINKS_READ_PER_END) {
        for (const [id, toId, linkType] of rows) if (toId === to && foldAsciiCase(linkType) === folded) return id;
        return null;
      }
      links = new Map();
      for (const [row, toId, linkType] of this.all.iterate(from) as Iterable<[number, string, string]>) remember(links, linkHash(toId, foldAsciiCase(linkType)), row);
      this.many.set(from, links);
    }
    const rows = links.get(linkHash(to, folded));
    if (rows === undefined) return null;
    if (typeof rows === 'number') return this.linkAt(rows, to, folded);
    for (const row of rows) {
      const id = this.linkAt(row, to, folded);
      if (id !== null) return id;
    }
    return null;
  }

  /** A link the import has just written, as row number `row` of the links. */
  added(row: number, from: string, to: string, type: string): void {
    const links = this.many.get(from);
    if (links) remember(links, linkHash(to, foldAsciiCase(type)), row);
  }

  /** The ID of the link at this row number if it goes to `to` with this folded type, or null. */
  private linkAt(row: number, to: string, folded: string): string | null {
    const link = this.byRow.get(row) as [string, string, string] | undefined;
    return link && link[1] === to && foldAsciiCase(link[2]) === folded ? link[0] : null;
  }
}

/** Adds a link's row number under its hash, after any row already there (the first one written is the one matched). */
function remember(links: Map<number, number | number[]>, hash: number, row: number): void {
  const rows = links.get(hash);
  if (rows === undefined) links.set(hash, row);
  else if (typeof rows === 'number') links.set(hash, [rows, row]);
  else rows.push(row);
}

/**
 * A 30-bit FNV-1a hash of a link's to end and folded type: an integer that
 * small is kept in a map without an object of its own.
 */
export function linkHash(to: string, foldedType: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < to.length; i += 1) hash = Math.imul(hash ^ to.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash, 0x01000193);
  for (let i = 0; i < foldedType.length; i += 1) hash = Math.imul(hash ^ foldedType.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}
