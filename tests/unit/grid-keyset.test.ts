import { describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { ANCHOR_STEP } from '../../db/core/keyset';
import { forgetCachedReads } from '../../db/core/read-cache';
import { nameKey } from '../../shared/name-key';
import { fillCase } from '../helpers/bulk';
import { newCase, run } from '../helpers/model';
import { queryPlan, recordStatements } from '../helpers/query-plans';

type Sort = { colId: string; sort: 'asc' | 'desc' }[];

const ENTITY_ORDER: Record<string, string> = { name: 'e.name', type: 'e.type', updatedAt: 'e.updated_at', country: 'e.country' };

/** The page as OFFSET reads it: the grid's order (column, then id, in the column's direction; NULLs last), counted from the first row. */
function byOffset(db: CaseDb, table: 'entities e' | 'links l', column: string, nullable: boolean, dir: 'asc' | 'desc', where: string, params: unknown[], start: number, rows: number): string[] {
  const id = table === 'entities e' ? 'e.id' : 'l.id';
  const d = dir.toUpperCase();
  return db.prepare(`SELECT ${id} FROM ${table} ${where} ORDER BY ${column} COLLATE NOCASE ${d}${nullable ? ' NULLS LAST' : ''}, ${id} ${d} LIMIT ? OFFSET ?`).pluck().all(...params, rows, start) as string[];
}

function entityPage(db: CaseDb, sort: Sort, start: number, rows: number, filter: Record<string, unknown> = {}): string[] {
  return run(db, 'entities.page', { startRow: start, endRow: start + rows, sort, filter } as never).rows.map((r) => r.id);
}

function linkPage(db: CaseDb, sort: Sort, start: number, rows: number): string[] {
  return run(db, 'links.page', { startRow: start, endRow: start + rows, sort } as never).rows.map((r) => r.id);
}

/**
 * A case of 3,600 entities and 4,000 links with ties on every sort key: names that differ only in case or not at
 * all, sixty update times, six types, every link updated at the same moment, and entities without a country.
 */
function caseWithTies(): CaseDb {
  const { db } = newCase();
  fillCase(db, 3000, 4000);
  const insert = db.prepare('INSERT INTO entities (id, type, name, name_key, country, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 600; i += 1) {
      const name = ['Harbin Works', 'HARBIN WORKS', 'harbin works', 'Aviation Polytechnic 1'][i % 4] as string;
      insert.run(newId(), i % 2 ? 'organisation' : 'person', name, nameKey(name), i % 3 === 0 ? null : 'KZ', '[]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:07.000Z');
    }
  })();
  return db;
}

/** Offsets a user reaches by scrolling, by dragging the scroll bar far down and back, and past the end. */
const OFFSETS = [0, 2 * ANCHOR_STEP + 17, 1, 99, ANCHOR_STEP - 1, ANCHOR_STEP, ANCHOR_STEP + 1, 3499, 3 * ANCHOR_STEP + 450, 2 * ANCHOR_STEP + 117, 2 * ANCHOR_STEP + 217, 3550, 3590, 3600, 5000, 1234];

describe('grid pages read from a kept row (keyset) at any offset', () => {
  it('give the entities OFFSET gives, for each sort that reads by keyset, in any order of requests, ties included', () => {
    const db = caseWithTies();
    for (const colId of ['name', 'type', 'updatedAt']) {
      for (const dir of ['asc', 'desc'] as const) {
        forgetCachedReads(db);
        for (const start of OFFSETS) {
          for (const rows of [1, 100]) {
            expect(entityPage(db, [{ colId, sort: dir }], start, rows), `${colId} ${dir} at ${start}`).toEqual(byOffset(db, 'entities e', ENTITY_ORDER[colId] as string, false, dir, '', [], start, rows));
          }
        }
      }
    }
    // Scrolling through every row, page after page, gives each row once.
    forgetCachedReads(db);
    const seen: string[] = [];
    for (let start = 0; start < 3600; start += 250) seen.push(...entityPage(db, [], start, 250));
    expect(seen).toEqual(byOffset(db, 'entities e', 'e.name', false, 'asc', '', [], 0, 3600));
  });

  it('give the same rows with a column filter, and a sort on a column with NULLs still reads as before', () => {
    const db = caseWithTies();
    const filter = { type: { filterType: 'text', type: 'equals', filter: 'organisation' } };
    for (const start of OFFSETS) {
      expect(entityPage(db, [{ colId: 'name', sort: 'desc' }], start, 100, filter)).toEqual(byOffset(db, 'entities e', 'e.name', false, 'desc', 'WHERE e.type = ? COLLATE NOCASE', ['organisation'], start, 100));
      // Country is empty for some entities: sorted with NULLs last, read by OFFSET as before.
      expect(entityPage(db, [{ colId: 'country', sort: 'asc' }], start, 100)).toEqual(byOffset(db, 'entities e', 'e.country', true, 'asc', '', [], start, 100));
    }
    const blank = { country: { filterType: 'text', type: 'blank' } };
    const noCountry = "WHERE (e.country IS NULL OR e.country = '' OR e.country = '[]')";
    for (const start of [0, 150, 199, 250]) expect(entityPage(db, [{ colId: 'updatedAt', sort: 'asc' }], start, 50, blank)).toEqual(byOffset(db, 'entities e', 'e.updated_at', false, 'asc', noCountry, [], start, 50));
  });

  it('give the links OFFSET gives, newest first and by type, with a sort on dates (NULLs last) unchanged', () => {
    const db = caseWithTies();
    for (const start of OFFSETS) {
      expect(linkPage(db, [], start, 100)).toEqual(byOffset(db, 'links l', 'l.updated_at', false, 'desc', '', [], start, 100));
      expect(linkPage(db, [{ colId: 'type', sort: 'asc' }], start, 100)).toEqual(byOffset(db, 'links l', 'l.type', false, 'asc', '', [], start, 100));
      expect(linkPage(db, [{ colId: 'startDate', sort: 'desc' }], start, 100)).toEqual(byOffset(db, 'links l', 'l.start_date', true, 'desc', '', [], start, 100));
    }
  });

  it('stay right after writes: the kept rows are forgotten when the case changes, on this connection or another', () => {
    const db = caseWithTies();
    const deep = 3 * ANCHOR_STEP + 10;
    const sort: Sort = [{ colId: 'name', sort: 'asc' }];
    const check = () => {
      for (const start of [deep, deep - 500, 10, deep + 100]) expect(entityPage(db, sort, start, 100)).toEqual(byOffset(db, 'entities e', 'e.name', false, 'asc', '', [], start, 100));
    };
    check();
    // Entities added in front of every kept row, through an operation.
    for (const name of ['AAA Aerospace', 'aaa aerospace', '0 Zero Institute']) run(db, 'entities.create', { fields: { type: 'organisation', name } });
    check();
    // Deleted, renamed to the far end, through another connection (another window, the command line).
    const other = openCaseFile(db.name);
    try {
      // Entities of the tie on "Harbin Works", which sorts before the deep page: ten deleted, ten renamed to the end.
      const firstTwenty = other.prepare("SELECT id FROM entities WHERE name = 'harbin works' COLLATE NOCASE ORDER BY id LIMIT 20").pluck().all() as string[];
      other.transaction(() => {
        for (const id of firstTwenty.slice(0, 10)) other.prepare('DELETE FROM entities WHERE id = ?').run(id);
        for (const id of firstTwenty.slice(10)) other.prepare("UPDATE entities SET name = 'Zz ' || name WHERE id = ?").run(id);
      })();
    } finally {
      other.close();
    }
    check();
    const links = linkPage(db, [], deep, 100);
    // A link edited on this connection moves to the top of the newest first.
    db.prepare("UPDATE links SET updated_at = '2026-06-01T00:00:00.000Z' WHERE id = ?").run(links[0]);
    expect(linkPage(db, [], 0, 1)).toEqual([links[0]]);
    expect(linkPage(db, [], deep, 100)).toEqual(byOffset(db, 'links l', 'l.updated_at', false, 'desc', '', [], deep, 100));
  });

  it('start a deep page from the kept row before it, along the sort’s index, walking fewer rows than a step', () => {
    const db = caseWithTies();
    const sort: Sort = [{ colId: 'name', sort: 'asc' }];
    entityPage(db, sort, 3 * ANCHOR_STEP + 100, 100);
    const { statements } = recordStatements(db, () => entityPage(db, sort, 3 * ANCHOR_STEP + 300, 100));
    const reads = statements.filter((s) => /LIMIT \? OFFSET \?/.test(s.sql) && /FROM entities e/.test(s.sql));
    const page = reads[reads.length - 1];
    expect(page).toBeDefined();
    if (!page) return;
    // The rest of the kept row's tie, then the rows past its name: each a seek into the name index.
    expect(reads.map((s) => queryPlan(db, s).join('\n')).join('\n')).toMatch(/SEARCH e USING (COVERING )?INDEX entities_name \(name=\? AND id>\?\)/);
    for (const read of reads) expect(queryPlan(db, read).join('\n')).toMatch(/SEARCH e USING (COVERING )?INDEX entities_name \(name/);
    // LIMIT, then OFFSET: the rows walked before the page are fewer than a step.
    expect(page.params[page.params.length - 1]).toBeLessThanOrEqual(ANCHOR_STEP);
    expect(page.params[page.params.length - 2]).toBe(100);
  });
});

describe('grid pages on the read thread', () => {
  it('keep their rows and totals across its read transactions, and forget them when the writer commits', () => {
    const { db, file } = newCase();
    fillCase(db, 3000, 10);
    const reader = openCaseFile(file, { readonly: true });
    // As the read worker runs every read: in a deferred transaction of its read-only connection.
    const read = (start: number) => reader.transaction(() => entityPage(reader, [], start, 100)).deferred();
    try {
      const deep = 2 * ANCHOR_STEP + 500;
      expect(read(deep)).toEqual(byOffset(reader, 'entities e', 'e.name', false, 'asc', '', [], deep, 100));
      const { result, statements } = recordStatements(reader, () => read(deep + 100));
      expect(result).toEqual(byOffset(reader, 'entities e', 'e.name', false, 'asc', '', [], deep + 100, 100));
      // Started from the last page's kept row, and the total not counted again.
      const pages = statements.filter((s) => /LIMIT \? OFFSET \?/.test(s.sql));
      expect(pages.every((s) => (s.params[s.params.length - 1] as number) <= ANCHOR_STEP)).toBe(true);
      expect(statements.filter((s) => /^SELECT count\(\*\) FROM entities e/.test(s.sql))).toEqual([]);
      // The writer adds entities that sort first: the next read transaction reads the case anew.
      for (const name of ['AAA Aerospace', '0 Zero Institute']) run(db, 'entities.create', { fields: { type: 'organisation', name } });
      expect(read(deep + 100)).toEqual(byOffset(reader, 'entities e', 'e.name', false, 'asc', '', [], deep + 100, 100));
      expect(reader.transaction(() => run(reader, 'entities.page', { startRow: 0, endRow: 10 }).total).deferred()).toBe(3002);
    } finally {
      reader.close();
    }
  });
});
