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
 * LINKS_READ_PER_END links has its links read once into memory, and the links
 * the import adds from it are added there as they are written.
 */
export class LinksAlongFrom {
  private readonly first: Statement<[string, number]>;
  private readonly all: Statement<[string]>;
  /** Links from an entity with many links, by "to id, NUL, folded type", to a link's id. */
  private readonly many = new Map<string, Map<string, string>>();

  constructor(db: CaseDb) {
    this.first = db.prepare('SELECT id, to_id, type FROM links INDEXED BY links_from WHERE from_id = ? LIMIT ?').raw() as Statement<[string, number]>;
    this.all = db.prepare('SELECT id, to_id, type FROM links INDEXED BY links_from WHERE from_id = ?').raw() as Statement<[string]>;
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
      for (const [id, toId, linkType] of this.all.iterate(from) as Iterable<[string, string, string]>) {
        const key = `${toId}\u0000${foldAsciiCase(linkType)}`;
        if (!links.has(key)) links.set(key, id);
      }
      this.many.set(from, links);
    }
    return links.get(`${to}\u0000${folded}`) ?? null;
  }

  /** A link the import has just written. */
  added(id: string, from: string, to: string, type: string): void {
    const links = this.many.get(from);
    if (!links) return;
    const key = `${to}\u0000${foldAsciiCase(type)}`;
    if (!links.has(key)) links.set(key, id);
  }
}
