import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { LARGE_IMPORT_ROWS } from '../../db/exchange/large-import';
import { runCaseOperation, type OperationContext } from '../../db/host/operations';
import { contentDigest } from '../helpers/content-digest';
import { ftmDataSet, ftmWritten } from '../helpers/ftm-data-set';
import { BUILDING, ENTITIES_LEFT_OUT, LINKS_LEFT_OUT, plan, schema, watched } from '../helpers/large-import';
import { count, newCase, reopen, run } from '../helpers/model';
import { tempDir } from '../helpers/temp';

// Divisible by three, with half as many ownerships: both over the size of a large import.
const ENTITIES = 100_998;
const LINKS = ENTITIES / 2;
const SANCTIONS = Math.floor((ENTITIES - 3) / 50) + 1;

/** The data set as a file, in a folder of the test's own. */
function dataSetFile(): string {
  const file = path.join(tempDir('caseboard-ftm-large-'), 'opensanctions.ftm.json');
  writeFileSync(file, ftmDataSet(ENTITIES));
  return file;
}

function importFile(db: CaseDb, file: string, ctx: OperationContext, onMatch: 'skip' | 'update' = 'skip') {
  return runCaseOperation(db, 'exchange.importFtm', { path: file, onMatch }, ctx);
}

describe('a large FollowTheMoney import', () => {
  it('writes what an import keeping every index writes, and builds the indexes it left out again exactly as they were', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN' } });
    const before = schema(db);
    const { ctx, messages, totals } = watched();
    const file = dataSetFile();
    const report = importFile(db, file, ctx);
    expect(ENTITIES).toBeGreaterThan(LARGE_IMPORT_ROWS);
    expect(LINKS).toBeGreaterThan(LARGE_IMPORT_ROWS);
    expect(report).toMatchObject({ total: ENTITIES + LINKS + SANCTIONS, imported: ENTITIES + LINKS + SANCTIONS, errors: [] });
    // The indexes were left out: the import said so, with a bar that has no measure.
    expect(messages).toContain(BUILDING);
    expect(totals[messages.indexOf(BUILDING)]).toBe(0);

    expect(schema(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(plan(db, 'SELECT id FROM entities ORDER BY name COLLATE NOCASE, id LIMIT 5')).toMatch(/entities_name/);
    expect(plan(db, "SELECT id FROM links WHERE to_id = 'x'")).toMatch(/links_to/);
    expect(plan(db, 'SELECT entity_id FROM entity_degrees ORDER BY degree DESC, entity_id DESC LIMIT 5')).toMatch(/entity_degrees_by_degree/);

    // The same file into a case that keeps every index (an import that updates what it matches never leaves them out).
    const { db: kept } = newCase();
    run(kept, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN' } });
    const keeping = watched();
    importFile(kept, file, keeping.ctx, 'update');
    expect(keeping.messages).not.toContain(BUILDING);
    expect(ftmWritten(db)).toEqual(ftmWritten(kept));
    // Links added after the import are counted by the trigger that is back.
    const [first, second] = db.prepare("SELECT id FROM entities WHERE name IN ('Ivan Petrov 2', 'Harbin Institute of Technology') ORDER BY name").pluck().all() as [string, string];
    run(db, 'links.create', { fields: { fromId: first, toId: second, type: 'partner of' } });
    expect(db.prepare('SELECT degree FROM entity_degrees WHERE entity_id = ?').pluck().get(first)).toBe(1);

    // The grid and the quick filter read the case as before; the file opens again and one Undo takes the import back.
    const page = run(db, 'entities.page', { startRow: 0, endRow: 20, sort: [{ colId: 'name', sort: 'asc' }] });
    expect(page.rows.map((r) => r.id)).toEqual(db.prepare('SELECT id FROM entities ORDER BY name COLLATE NOCASE, id LIMIT 20').pluck().all());
    const turbine = run(db, 'entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'name', sort: 'asc' }], quick: 'turbine' });
    expect(turbine.total).toBe(db.prepare("SELECT count(*) FROM entities WHERE description LIKE '%turbine%'").pluck().get());
    const again = reopen(db);
    run(again, 'history.undo', {});
    run(again, 'history.undo', {});
    expect(count(again, 'entities')).toBe(1);
    expect(count(again, 'links')).toBe(0);
    expect(schema(again)).toEqual(before);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 240_000);

  it('leaves the case as it was, indexes and all, when it is cancelled while its links are written', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN' } });
    const before = schema(db);
    const digest = contentDigest(db);
    // Asked every 5,000 lines: about 32 times over the entities, once between the passes, and the 40th among the links.
    let leftOut: string[] = [];
    const { ctx, messages } = watched(40, () => {
      const now = schema(db);
      leftOut = before.filter((o) => !now.includes(o)).map((o) => o.split(' ')[1] ?? '');
    });
    expect(() => importFile(db, dataSetFile(), ctx)).toThrow('Cancelled by the test');
    expect(leftOut).toEqual([...ENTITIES_LEFT_OUT, ...LINKS_LEFT_OUT]);
    expect(messages).not.toContain(BUILDING);
    expect(schema(db)).toEqual(before);
    expect(contentDigest(db)).toBe(digest);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 240_000);
});
