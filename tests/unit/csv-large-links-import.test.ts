import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { LARGE_IMPORT_ROWS } from '../../db/exchange/large-import';
import { LINKS_READ_PER_END } from '../../db/exchange/link-matches';
import { runCaseOperation, type OperationContext } from '../../db/host/operations';
import { BUILDING, LINKS_LEFT_OUT, plan, schema, watched } from '../helpers/large-import';
import { count, newCase, reopen, run } from '../helpers/model';

const ENTITIES = 3_000;
const ROWS = LARGE_IMPORT_ROWS + 2_000;
const TYPES = ['owns', 'supplies', 'partner of', 'employs', 'director of'];

/** A case of ENTITIES organisations, imported from CSV, and a few links drawn by hand, one of which the file repeats. Returns the entities' IDs in the order of their names' numbers. */
function caseWithEntities(): { db: CaseDb; ids: string[] } {
  const { db } = newCase();
  const rows = ['name,type,country'];
  for (let i = 0; i < ENTITIES; i += 1) rows.push(`Works ${i},organisation,${i % 2 ? 'CN' : 'RU'}`);
  runCaseOperation(db, 'exchange.importCsv', { text: `${rows.join('\n')}\n`, kind: 'entities', map: {} }, watched().ctx);
  const byNumber = new Map((db.prepare('SELECT name, id FROM entities').raw().all() as [string, string][]).map(([name, id]) => [Number(name.slice(6)), id]));
  const ids = Array.from({ length: ENTITIES }, (_, i) => byNumber.get(i) as string);
  for (const [from, to, type] of [
    [0, 1, 'owns'],
    [0, 2, 'Supplies'],
    [5, 6, 'owns'],
    [7, 0, 'employs'],
  ] as const) {
    run(db, 'links.create', { fields: { fromId: ids[from] as string, toId: ids[to] as string, type } });
  }
  return { db, ids };
}

/**
 * A links file as a registry extract gives one: ROWS rows by entity ID, most
 * to a near entity, every fourth across the case; every tenth repeats the
 * row five before it with its type in capitals; entity 0 owns a link in every
 * fiftieth row (over a thousand in all), and every fiftieth row after those
 * repeats one of them in capitals, so the matches of an entity with many
 * links are found in memory; Cyrillic types that differ only in case, which
 * SQLite's NOCASE keeps apart; and the links drawn by hand, again.
 */
function linksFile(ids: string[]): string {
  const id = (i: number) => ids[((i % ENTITIES) + ENTITIES) % ENTITIES] as string;
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i += 1) {
    const before = rows[i - 5];
    if (i % 50 === 0) rows.push([id(0), id(1 + Math.floor(i / 50)), TYPES[i % 5] as string]);
    else if (i % 50 === 1 && i > 50 * (LINKS_READ_PER_END + 10)) rows.push([id(0), id(1 + Math.floor(i / 50) - 70), (TYPES[(i - 1 - 70 * 50) % 5] as string).toUpperCase()]);
    else if (i % 10 === 9 && before) rows.push([before[0] as string, before[1] as string, (before[2] as string).toUpperCase()]);
    else if (i % 1000 === 3) rows.push([id(i), id(i + 1), 'владеет']);
    else if (i % 1000 === 4) rows.push([id(i - 1), id(i), 'ВЛАДЕЕТ']);
    else rows.push([id(i), id(i % 4 === 0 ? i * 7 + 11 : i + 1 + (i % 3)), TYPES[Math.floor(i / ENTITIES) % 5] as string]);
  }
  rows.push([id(0), id(1), 'OWNS'], [id(0), id(2), 'supplies'], [id(7), id(0), 'Employs'], [id(5), id(6), 'owns']);
  return `from,to,type\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

function importLinks(db: CaseDb, text: string, ctx: OperationContext, onMatch: 'skip' | 'update' | 'new') {
  return runCaseOperation(db, 'exchange.importCsv', { text, kind: 'links', map: { from: 'from', to: 'to', type: 'type' }, onMatch }, ctx);
}

/** Every link as "from > to > type", sorted. */
function links(db: CaseDb): string[] {
  return db.prepare("SELECT from_id || ' > ' || to_id || ' > ' || type FROM links ORDER BY 1").pluck().all() as string[];
}

/** The kept degrees, and every entity's links counted afresh. */
function degrees(db: CaseDb): { kept: [string, number][]; counted: [string, number][] } {
  return {
    kept: db.prepare('SELECT entity_id, degree FROM entity_degrees ORDER BY entity_id').raw().all() as [string, number][],
    counted: db
      .prepare('SELECT id, n FROM (SELECT e.id, (SELECT count(*) FROM links WHERE from_id = e.id) + (SELECT count(*) FROM links WHERE to_id = e.id) AS n FROM entities e) WHERE n > 0 ORDER BY id')
      .raw()
      .all() as [string, number][],
  };
}

describe('a large CSV import of links', () => {
  it('matches rows as an import that keeps every index does, counts every entity’s links again, and puts the case back as it was', () => {
    const large = caseWithEntities();
    const before = schema(large.db);
    const degreesBefore = degrees(large.db).kept;
    const file = linksFile(large.ids);
    const { ctx, messages } = watched();
    const report = importLinks(large.db, file, ctx, 'skip');
    expect(messages).toContain(BUILDING);

    // The same file into the same case by an import that keeps its indexes (one that updates the links it matches), row by row along the kept degrees.
    const kept = caseWithEntities();
    const keptRun = watched();
    const reference = importLinks(kept.db, linksFile(kept.ids), keptRun.ctx, 'update');
    expect(keptRun.messages).not.toContain(BUILDING);

    // Entity 0 had more links than are read row by row, and rows repeating its links were still matched.
    const hubLinks = large.db.prepare('SELECT count(*) FROM links WHERE from_id = ?').pluck().get(large.ids[0]) as number;
    expect(hubLinks).toBeGreaterThan(LINKS_READ_PER_END * 10);
    expect(report.errors).toEqual([]);
    expect(report.imported).toBe(reference.imported);
    expect(report.matched?.skipped).toBe(reference.matched?.updated);
    expect(report.matched?.skipped).toBeGreaterThan(ROWS / 10);
    const rename = (ids: string[]) => new Map(ids.map((id, i) => [id, `E${i}`]));
    const named = (db: CaseDb, ids: string[]) => links(db).map((l) => l.replace(/[0-9a-f-]{36}/g, (id) => rename(ids).get(id) ?? id)).sort();
    expect(named(large.db, large.ids)).toEqual(named(kept.db, kept.ids));
    // Types that differ only in Cyrillic case are two links, as SQLite's NOCASE has it: three pairs of entities (the rows come round every 3,000), each with both.
    expect(large.db.prepare("SELECT type, count(*) FROM links WHERE type IN ('владеет', 'ВЛАДЕЕТ') GROUP BY type ORDER BY type").raw().all()).toEqual([
      ['ВЛАДЕЕТ', 3],
      ['владеет', 3],
    ]);

    // The kept degrees are every entity's links, the indexes and trigger are back as they were, and the case is whole.
    const after = degrees(large.db);
    expect(after.kept).toEqual(after.counted);
    expect(after.kept.length).toBeGreaterThan(ENTITIES * 0.9);
    expect(schema(large.db)).toEqual(before);
    expect(large.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(large.db.pragma('foreign_key_check')).toEqual([]);
    expect(plan(large.db, "SELECT id FROM links WHERE to_id = 'x'")).toMatch(/links_to/);
    expect(plan(large.db, 'SELECT id FROM links ORDER BY updated_at COLLATE NOCASE, id LIMIT 5')).toMatch(/links_updated/);

    // A link drawn now is counted by the trigger again; the grid sorted by degree reads the counts.
    run(large.db, 'links.create', { fields: { fromId: large.ids[10] as string, toId: large.ids[20] as string, type: 'ships to' } });
    const drawn = degrees(large.db);
    expect(drawn.kept).toEqual(drawn.counted);
    const page = run(large.db, 'entities.page', { startRow: 0, endRow: 3, sort: [{ colId: 'degree', sort: 'desc' }] });
    expect(page.rows[0]?.id).toBe(large.ids[0]);

    // The file opens again (its schema is checked), and Undo takes the links drawn and the import back, counts and all.
    const again = reopen(large.db);
    run(again, 'history.undo', {});
    run(again, 'history.undo', {});
    expect(count(again, 'links')).toBe(4);
    expect(degrees(again).kept).toEqual(degreesBefore);
    expect(schema(again)).toEqual(before);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 120_000);

  it('adds every row when told to add the links it matches anyway', () => {
    const { db, ids } = caseWithEntities();
    const { ctx, messages } = watched();
    const report = importLinks(db, linksFile(ids), ctx, 'new');
    expect(messages).toContain(BUILDING);
    expect(report.imported).toBe(ROWS + 4);
    expect(report.matched?.addedAnyway).toBeGreaterThan(ROWS / 10);
    expect(count(db, 'links')).toBe(ROWS + 8);
    const after = degrees(db);
    expect(after.kept).toEqual(after.counted);
  });

  it('leaves the case as it was, indexes, trigger and counts, when it is cancelled after leaving them out', () => {
    const { db, ids } = caseWithEntities();
    const before = schema(db);
    const degreesBefore = degrees(db).kept;
    // Asked at every 5,000 rows: the indexes are left out at the first, and the third cancels.
    let leftOut: string[] = [];
    const { ctx, messages } = watched(3, () => {
      const now = schema(db);
      leftOut = before.filter((o) => !now.includes(o));
    });
    expect(() => importLinks(db, linksFile(ids), ctx, 'skip')).toThrow('Cancelled by the test');
    expect(leftOut.map((o) => o.split(' ')[1])).toEqual(LINKS_LEFT_OUT);
    expect(messages).not.toContain(BUILDING);
    expect(schema(db)).toEqual(before);
    expect(count(db, 'links')).toBe(4);
    expect(degrees(db).kept).toEqual(degreesBefore);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps its indexes into a case that already holds more links than the file', () => {
    const { db, ids } = caseWithEntities();
    const file = linksFile(ids);
    const first = watched();
    // Twice the file, every row added: more links than the file has rows.
    importLinks(db, file + file.slice(file.indexOf('\n') + 1), first.ctx, 'new');
    expect(first.messages).toContain(BUILDING);
    expect(count(db, 'links')).toBe(2 * (ROWS + 4) + 4);
    const second = watched();
    const report = importLinks(db, file.replaceAll(',owns\n', ',holds shares in\n'), second.ctx, 'skip');
    expect(report.imported).toBeGreaterThan(1_000);
    expect(second.messages).not.toContain(BUILDING);
    const after = degrees(db);
    expect(after.kept).toEqual(after.counted);
  });
});
