import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { linkHash, LinksAlongFrom, LINKS_READ_PER_END } from '../../db/exchange/link-matches';
import { newCase, run } from '../helpers/model';

/** A case of `n` organisations, "Works 0" to "Works n-1"; returns their IDs by number. */
function caseWithEntities(n: number): { db: CaseDb; ids: string[] } {
  const { db } = newCase();
  const rows = ['name,type'];
  for (let i = 0; i < n; i += 1) rows.push(`Works ${i},organisation`);
  run(db, 'exchange.importCsv', { text: `${rows.join('\n')}\n`, kind: 'entities', map: {} });
  const byNumber = new Map((db.prepare('SELECT name, id FROM entities').raw().all() as [string, string][]).map(([name, id]) => [Number(name.slice(6)), id]));
  return { db, ids: Array.from({ length: n }, (_, i) => byNumber.get(i) as string) };
}

function link(db: CaseDb, fromId: string, toId: string, type: string): { id: string; row: number } {
  const { id } = run(db, 'links.create', { fields: { fromId, toId, type } });
  return { id, row: db.prepare('SELECT rowid FROM links WHERE id = ?').pluck().get(id) as number };
}

/** Two link types whose hashes with this to end are the same, found by trying types until two meet. */
function typesSharingAHash(to: string): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i += 1) {
    const type = `supplies ${i}`;
    const hash = linkHash(to, type);
    const other = seen.get(hash);
    if (other !== undefined) return [other, type];
    seen.set(hash, type);
  }
}

describe('matching links along their from end', () => {
  it('matches the links of an entity with many links by their to end and type, never by a hash they happen to share', () => {
    const { db, ids } = caseWithEntities(LINKS_READ_PER_END + 10);
    const hub = ids[0] as string;
    const target = ids[1] as string;
    const [first, second] = typesSharingAHash(target);
    expect(linkHash(target, first)).toBe(linkHash(target, second));
    const shared = link(db, hub, target, first);
    for (let i = 2; i < ids.length; i += 1) link(db, hub, ids[i] as string, i % 2 ? 'owns' : 'владеет');
    const along = new LinksAlongFrom(db);

    // The hub's links are listed in memory once it is found with more than LINKS_READ_PER_END of them.
    expect(along.find(hub, target, first.toUpperCase())).toBe(shared.id);
    expect(along.find(hub, target, second)).toBeNull();
    expect(along.find(hub, ids[3] as string, 'OWNS')).not.toBeNull();
    expect(along.find(hub, ids[3] as string, 'owned by')).toBeNull();
    expect(along.find(hub, ids[2] as string, 'владеет')).not.toBeNull();
    expect(along.find(hub, ids[2] as string, 'ВЛАДЕЕТ')).toBeNull();
    expect(along.find(ids[2] as string, hub, 'владеет')).toBeNull();

    // A link written after the list was made is added to it, after the one already there under the same hash.
    const added = link(db, hub, target, second);
    along.added(added.row, hub, target, second);
    expect(along.find(hub, target, second)).toBe(added.id);
    expect(along.find(hub, target, first)).toBe(shared.id);
    const again = link(db, hub, target, first.toUpperCase());
    along.added(again.row, hub, target, first.toUpperCase());
    expect(along.find(hub, target, first)).toBe(shared.id);
  });

  it('reads the links of an entity with few links from the index, those written meanwhile included', () => {
    const { db, ids } = caseWithEntities(4);
    const along = new LinksAlongFrom(db);
    expect(along.find(ids[0] as string, ids[1] as string, 'owns')).toBeNull();
    const owns = link(db, ids[0] as string, ids[1] as string, 'Owns');
    expect(along.find(ids[0] as string, ids[1] as string, 'OWNS')).toBe(owns.id);
    expect(along.find(ids[1] as string, ids[0] as string, 'owns')).toBeNull();
  });
});
