import { describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { cachedCount } from '../../db/core/read-cache';
import { fillCase } from '../helpers/bulk';
import { addSource, newCase, run } from '../helpers/model';
import { recordStatements } from '../helpers/query-plans';

/** How many count(*) statements a piece of work ran over the given table. */
function countsRun(db: CaseDb, table: string, work: () => unknown): number {
  const { statements } = recordStatements(db, work);
  return statements.filter((s) => new RegExp(`^SELECT count\\(\\*\\) FROM ${table}\\b`).test(s.sql)).length;
}

const page = (startRow: number, quick = '') => ({ startRow, endRow: startRow + 50, quick });

describe('grid totals', () => {
  it('are counted once per filter while paging, and again after any write, Undo included', () => {
    const { db } = newCase();
    fillCase(db, 300, 200);
    expect(countsRun(db, 'entities', () => expect(run(db, 'entities.page', page(0)).total).toBe(300))).toBe(1);
    expect(countsRun(db, 'entities', () => run(db, 'entities.page', page(50)))).toBe(0);
    expect(countsRun(db, 'entities', () => run(db, 'entities.page', page(250)))).toBe(0);
    // Another filter is another count, kept in its turn.
    expect(countsRun(db, 'entities', () => run(db, 'entities.page', { ...page(0), filters: { entityTypes: ['person'] } }))).toBe(1);
    expect(countsRun(db, 'entities', () => run(db, 'entities.page', { ...page(0), filters: { entityTypes: ['person'] } }))).toBe(0);

    run(db, 'entities.create', { fields: { type: 'person', name: 'Liu Wei', country: 'CN' } });
    expect(countsRun(db, 'entities', () => expect(run(db, 'entities.page', page(0)).total).toBe(301))).toBe(1);
    expect(run(db, 'entities.page', { ...page(0), filters: { entityTypes: ['person'] } }).total).toBe(51);
    run(db, 'history.undo', {});
    expect(run(db, 'entities.page', page(0)).total).toBe(300);
    expect(run(db, 'entities.page', { ...page(0), filters: { entityTypes: ['person'] } }).total).toBe(50);
  });

  it('follow writes made by another connection (the writer, seen from the read thread)', () => {
    const { db, file } = newCase();
    fillCase(db, 40, 30);
    const reader = openCaseFile(file, { readonly: true });
    try {
      expect(run(reader, 'links.page', page(0)).total).toBe(30);
      expect(run(reader, 'sources.page', page(0)).total).toBe(1);
      addSource(db, 'Another report');
      const link = run(reader, 'links.page', page(0)).rows[0];
      run(db, 'links.delete', { id: link?.id as string });
      expect(run(reader, 'links.page', page(0)).total).toBe(29);
      expect(run(reader, 'sources.page', page(0)).total).toBe(2);
    } finally {
      reader.close();
    }
  });

  it('keep nothing counted inside a transaction that is rolled back', () => {
    const { db } = newCase();
    fillCase(db, 20, 10);
    const sql = 'SELECT count(*) FROM entities e';
    expect(cachedCount(db, sql)).toBe(20);
    expect(() =>
      db.transaction(() => {
        const insert = db.prepare("INSERT INTO entities (id, type, name, name_key, tags, created_at, updated_at) VALUES (?, 'person', ?, ?, '[]', 'x', 'x')");
        for (let i = 0; i < 5; i += 1) insert.run(`01938000-0000-7000-8000-00000000000${i}`, `Person ${i}`, `person ${i}`);
        expect(cachedCount(db, sql)).toBe(25);
        expect(run(db, 'entities.page', page(0)).total).toBe(25);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(cachedCount(db, sql)).toBe(20);
    expect(run(db, 'entities.page', page(0)).total).toBe(20);
  });
});
