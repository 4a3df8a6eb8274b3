import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { runCaseOperation } from '../../db/host/operations';
import { contentDigest } from '../helpers/content-digest';
import { context, count, newCase } from '../helpers/model';
import { queryPlan, recordStatements } from '../helpers/query-plans';

const ctx = context('Importer');
const LINK_MAP = { from: 'from', to: 'to', type: 'type', notes: 'notes' };
const LINK_TYPES = ['owns', 'supplies', 'partner of', 'employs'];

/** Entities named `Hub`, `Leaf 0`… and `Feeder 0`…, imported the way a user imports them. */
function entities(db: CaseDb, leaves: number, feeders: number): void {
  const rows = ['name,type,country,aliases', 'Hub Holdings,organisation,CN,HUB'];
  for (let i = 0; i < leaves; i += 1) rows.push(`Leaf ${i},organisation,RU,L-${i}`);
  for (let i = 0; i < feeders; i += 1) rows.push(`Feeder ${i},organisation,KZ,F-${i}`);
  const report = runCaseOperation(db, 'exchange.importCsv', { text: `${rows.join('\n')}\n`, kind: 'entities', map: {} }, ctx);
  expect(report.imported).toBe(1 + leaves + feeders);
}

function importLinks(db: CaseDb, rows: string[], onMatch: 'skip' | 'update' | 'new' = 'skip') {
  return runCaseOperation(db, 'exchange.importCsv', { text: `from,to,type,notes\n${rows.join('\n')}\n`, kind: 'links', map: LINK_MAP, onMatch }, ctx);
}

/** The links between two entities named as the file names them, with their notes. */
function linksBetween(db: CaseDb, from: string, to: string): { type: string; notes: string | null }[] {
  return db
    .prepare('SELECT l.type, l.notes FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE f.name = ? AND t.name = ? ORDER BY l.type, l.notes')
    .all(from, to) as { type: string; notes: string | null }[];
}

describe('importing links from CSV in a large case', () => {
  it('reads a row’s ends and the link it may repeat along the entities’ indexes, never along every link of its type', () => {
    const { db } = newCase();
    entities(db, 40, 40);
    // A case with many links of each type, so a lookup by type would read a growing share of them per row.
    importLinks(
      db,
      Array.from({ length: 40 }, (_, i) => [`Hub Holdings,Leaf ${i},${LINK_TYPES[i % 4]},`, `Feeder ${i},Hub Holdings,${LINK_TYPES[i % 4]},`, `Feeder ${i},Leaf ${i},owns,`]).flat(),
    );
    const { result, statements } = recordStatements(db, () => importLinks(db, ['HUB,L-3,Employs,by alias', 'Feeder 7,Leaf 7,OWNS,', 'Leaf 1,Feeder 2,owns,new', '0193d6a0-0000-7000-8000-000000000000,Leaf 1,owns,']));
    expect(result.imported).toBe(1);
    const reads = [...new Map(statements.filter((s) => /^\s*SELECT/i.test(s.sql) && /\blinks\b/.test(s.sql)).map((s) => [s.sql, s])).values()];
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads) {
      const plan = queryPlan(db, statement).join('\n');
      expect(plan, statement.sql).not.toMatch(/links_type|SCAN links\b/);
    }
    // The duplicate check itself went along one end's links.
    expect(reads.map((s) => queryPlan(db, s).join('\n')).join('\n')).toMatch(/SEARCH links USING INDEX links_(from|to) \((from|to)_id=\?\)/);
  });

  it('checks an end named by its ID in the entities’ ID index alone, never reading the entity’s row', () => {
    const { db } = newCase();
    entities(db, 3, 3);
    const ids = new Map((db.prepare('SELECT name, id FROM entities').raw().all() as [string, string][]).map(([name, id]) => [name, id]));
    const { result, statements } = recordStatements(db, () =>
      importLinks(db, [`${ids.get('Leaf 0')},${ids.get('Feeder 0')},owns,`, `${ids.get('Hub Holdings')},Leaf 1,supplies,`, '0193d6a0-0000-7000-8000-000000000000,Leaf 2,owns,']),
    );
    expect(result.imported).toBe(2);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/is not an entity of the case/)]);
    const byId = [...new Map(statements.filter((s) => /^\s*SELECT\b.*\bFROM entities WHERE id = \?/is.test(s.sql)).map((s) => [s.sql, s])).values()];
    expect(byId.length).toBeGreaterThan(0);
    for (const statement of byId) expect(queryPlan(db, statement).join('\n'), statement.sql).toMatch(/^SEARCH entities USING COVERING INDEX sqlite_autoindex_entities_1 \(id=\?\)$/);
  });

  it('finds the link already in the case whichever end has more links, in any case of letters, and only that one', () => {
    const { db } = newCase();
    entities(db, 30, 30);
    const first = importLinks(db, Array.from({ length: 30 }, (_, i) => [`Hub Holdings,Leaf ${i},${LINK_TYPES[i % 4]},first`, `Feeder ${i},Hub Holdings,${LINK_TYPES[i % 4]},first`]).flat());
    expect(first.imported).toBe(60);
    const before = contentDigest(db);

    // The hub has sixty links, a leaf or a feeder one: the first row is looked up along the leaf's links, the second along the feeder's.
    const again = importLinks(db, ['Hub Holdings,Leaf 5,SUPPLIES,again', 'Feeder 7,Hub Holdings,Employs,again', 'HUB,L-9,supplies,again']);
    expect(again).toMatchObject({ imported: 0, matched: { skipped: 3, updated: 0, addedAnyway: 0 } });
    expect(contentDigest(db)).toBe(before);

    // Another type, or the other direction, is another link.
    const other = importLinks(db, ['Hub Holdings,Leaf 5,owns,other type', 'Leaf 5,Hub Holdings,supplies,other direction', 'Hub Holdings,Feeder 7,employs,other direction']);
    expect(other).toMatchObject({ imported: 3, matched: { skipped: 0 } });
    expect(linksBetween(db, 'Hub Holdings', 'Leaf 5')).toEqual([
      { type: 'owns', notes: 'other type' },
      { type: 'supplies', notes: 'first' },
    ]);
    expect(linksBetween(db, 'Leaf 5', 'Hub Holdings')).toEqual([{ type: 'supplies', notes: 'other direction' }]);

    // Updating reaches the matched link, from either end.
    const updated = importLinks(db, ['Hub Holdings,Leaf 9,supplies,updated from the leaf', 'Feeder 3,Hub Holdings,EMPLOYS,updated from the feeder'], 'update');
    expect(updated).toMatchObject({ imported: 0, matched: { updated: 2 } });
    expect(linksBetween(db, 'Hub Holdings', 'Leaf 9')).toEqual([{ type: 'supplies', notes: 'updated from the leaf' }]);
    expect(linksBetween(db, 'Feeder 3', 'Hub Holdings')).toEqual([{ type: 'employs', notes: 'updated from the feeder' }]);
    expect(count(db, 'links')).toBe(63);
  });

  it('journals a large import in batches of rows, not row by row, and takes it back in one undo step', () => {
    const { db } = newCase();
    const people = 1200;
    entities(db, people, 0);
    const before = contentDigest(db);
    const rows: string[] = [];
    for (let i = 0; i < 12_000; i += 1) rows.push(`Leaf ${i % people},Leaf ${(i + 1 + Math.floor(i / people)) % people},${LINK_TYPES[Math.floor(i / people) % 4] ?? ''},`);
    const report = importLinks(db, rows, 'new');
    expect(report.errors).toEqual([]);
    expect(report.imported).toBe(12_000);
    const after = contentDigest(db);

    const step = db.prepare("SELECT id, summary FROM change_sets WHERE state = 'done' ORDER BY seq DESC LIMIT 1").get() as { id: string; summary: string };
    expect(step.summary).toBe('Imported 12000 links from CSV');
    // 12,000 links, five thousand to a journal row: three rows, where a row per link would be 12,000.
    expect(db.prepare('SELECT count(*) FROM change_rows WHERE change_set_id = ?').pluck().get(step.id)).toBe(3);

    expect(runCaseOperation(db, 'history.undo', {}, ctx).redo?.summary).toBe('Imported 12000 links from CSV');
    expect(count(db, 'links')).toBe(0);
    expect(contentDigest(db)).toBe(before);
    runCaseOperation(db, 'history.redo', {}, ctx);
    expect(contentDigest(db)).toBe(after);
  });
});
