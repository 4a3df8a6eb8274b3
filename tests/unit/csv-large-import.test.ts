import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { LARGE_IMPORT_ROWS } from '../../db/exchange/large-import';
import { runCaseOperation, type OperationContext } from '../../db/host/operations';
import { BUILDING, ENTITIES_LEFT_OUT, plan, schema, watched } from '../helpers/large-import';
import { count, newCase, reopen, run } from '../helpers/model';

/**
 * A file of entities as a registry extract gives them: `rows` rows in Latin,
 * Cyrillic and Chinese script with aliases and descriptions, of which every
 * tenth repeats the name, type and country of the row five before it.
 */
function registry(rows: number, prefix = 'Firm'): string {
  const lines = ['name,type,country,aliases,description'];
  for (let i = 0; i < rows; i += 1) {
    const n = i % 10 === 9 ? i - 5 : i;
    const script = n % 3;
    const name = script === 0 ? `${prefix} ${n} Precision Machinery` : script === 1 ? `Завод ${prefix} ${n}` : `精密机械公司${prefix}${n}`;
    lines.push(`"${name}",organisation,${n % 2 ? 'CN' : 'RU'},"${prefix.toUpperCase()}-${n}; ${prefix} ${n} Ltd",${n % 4 === 0 ? `"Supplies ${n % 7 === 0 ? 'turbine' : 'bearing'} parts"` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function importEntities(db: CaseDb, text: string, ctx: OperationContext, onMatch: 'skip' | 'update' | 'new' = 'skip') {
  return runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {}, onMatch }, ctx);
}

describe('a large CSV import of entities', () => {
  it('builds the indexes it left out again, exactly as they were, and the case reads as before', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN' } });
    const before = schema(db);
    const rows = LARGE_IMPORT_ROWS + 2_000;
    const { ctx, messages, totals } = watched();
    const report = importEntities(db, registry(rows), ctx);

    // The indexes were left out (the import said so, with a bar that has no measure) and the rows were still matched by name key meanwhile.
    expect(messages).toContain(BUILDING);
    expect(totals[messages.indexOf(BUILDING)]).toBe(0);
    const repeats = Math.floor(rows / 10);
    expect(report.imported).toBe(rows - repeats);
    expect(report.matched?.skipped).toBe(repeats);
    expect(count(db, 'entities')).toBe(rows - repeats + 1);
    expect(count(db, 'entity_aliases')).toBe(2 * (rows - repeats));

    expect(schema(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(plan(db, 'SELECT id FROM entities ORDER BY name COLLATE NOCASE, id LIMIT 5')).toMatch(/entities_name/);
    expect(plan(db, "SELECT id FROM entities WHERE country = 'CN' COLLATE NOCASE ORDER BY country COLLATE NOCASE, id LIMIT 5")).toMatch(/entities_country/);
    expect(plan(db, "SELECT entity_id FROM entity_aliases WHERE name = 'x' COLLATE NOCASE")).toMatch(/entity_aliases_name/);

    // The grid's first page by name is the rows sorted by SQL, and the quick filter finds what LIKE finds.
    const page = run(db, 'entities.page', { startRow: 0, endRow: 20, sort: [{ colId: 'name', sort: 'asc' }] });
    const sorted = db.prepare('SELECT id FROM entities ORDER BY name COLLATE NOCASE, id LIMIT 20').pluck().all();
    expect(page.rows.map((r) => r.id)).toEqual(sorted);
    const turbine = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'name', sort: 'asc' }], quick: 'turbine' });
    expect(turbine.total).toBe(db.prepare("SELECT count(*) FROM entities WHERE description LIKE '%turbine%'").pluck().get());

    // The file opens again (its schema is checked to be exactly what the migrations wrote), and one Undo takes the import back.
    const again = reopen(db);
    run(again, 'history.undo', {});
    expect(count(again, 'entities')).toBe(1);
    expect(schema(again)).toEqual(before);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('leaves the case as it was, indexes and all, when it is cancelled after leaving them out', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN' } });
    const before = schema(db);
    // Asked at every 5,000 rows: the indexes are left out at the first, and the third cancels.
    let leftOut: string[] = [];
    const { ctx, messages } = watched(3, () => {
      const now = schema(db);
      leftOut = before.filter((o) => !now.includes(o));
    });
    expect(() => importEntities(db, registry(LARGE_IMPORT_ROWS + 2_000), ctx)).toThrow('Cancelled by the test');
    expect(leftOut.map((o) => o.split(' ')[1])).toEqual(ENTITIES_LEFT_OUT);
    expect(messages).not.toContain(BUILDING);
    expect(schema(db)).toEqual(before);
    expect(count(db, 'entities')).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(plan(db, 'SELECT id FROM entities ORDER BY name COLLATE NOCASE, id LIMIT 5')).toMatch(/entities_name/);
  });

  it('keeps its indexes into a case that already holds more entities, and for a small file', () => {
    const { db } = newCase();
    // 55,800 entities (a tenth of the rows repeat others).
    const first = watched();
    importEntities(db, registry(LARGE_IMPORT_ROWS + 12_000), first.ctx);
    expect(first.messages).toContain(BUILDING);

    // Enough rows to be large, but fewer than the case now holds.
    const second = watched();
    const more = importEntities(db, registry(LARGE_IMPORT_ROWS + 500, 'Plant'), second.ctx);
    expect(more.imported).toBeGreaterThan(LARGE_IMPORT_ROWS * 0.8);
    expect(second.messages).not.toContain(BUILDING);

    const small = watched();
    importEntities(db, registry(200, 'Works'), small.ctx);
    expect(small.messages).not.toContain(BUILDING);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps its indexes when it updates the entities it matches', () => {
    const { db } = newCase();
    const update = watched();
    const report = importEntities(db, registry(LARGE_IMPORT_ROWS + 2_000), update.ctx, 'update');
    expect(report.matched?.updated).toBe(Math.floor((LARGE_IMPORT_ROWS + 2_000) / 10));
    expect(update.messages).not.toContain(BUILDING);
  });

  it('sets the trigram index’s buffer back to its default after writing every entity’s row again', () => {
    const { db } = newCase();
    importEntities(db, registry(12_000), watched().ctx);
    // More than 10,000 entities waiting in a case of fewer: every entity was numbered afresh with a larger buffer.
    expect(db.prepare("SELECT v FROM entity_search_fts_config WHERE k = 'hashsize'").pluck().get()).toBe(1024 * 1024);
    const hits = db.prepare("SELECT count(*) FROM entity_search_fts WHERE entity_search_fts MATCH '\"Precision\"'").pluck().get() as number;
    expect(hits).toBe(db.prepare("SELECT count(*) FROM entities WHERE name LIKE '%Precision%'").pluck().get());
  });
});
