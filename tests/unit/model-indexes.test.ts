import { forgetCachedReads } from '../../db/core/read-cache';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import type { CaseOperationName } from '../../db/host/operations';
import type { OpInput } from '../../shared/contract';
import { fillCase } from '../helpers/bulk';
import { areaId, run } from '../helpers/model';
import { queryPlan, recordStatements } from '../helpers/query-plans';

let db: CaseDb;
let entityId: string;
let linkId: string;
let folder: string;

// Enough rows that SQLite's planner has something to choose between; no ANALYZE, as in a user's case file.
beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-indexes-'));
  db = createCaseFile(path.join(folder, 'indexes.caseboard'), { title: 'Indexes' });
  const filled = fillCase(db, 3000, 9000);
  entityId = filled.entityIds[42] as string;
  linkId = filled.linkIds[42] as string;
});

afterAll(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The plan of every statement one operation runs, except the small ones about the taxonomy itself. */
function plansOf<N extends CaseOperationName>(name: N, input: OpInput<N>): string[][] {
  // Totals are kept until the case changes: forget them, so that each read shows the plan of its count.
  forgetCachedReads(db);
  const { statements } = recordStatements(db, () => run(db, name, input));
  return statements.filter((s) => !/technology_areas\s+WHERE id = \?|WITH RECURSIVE below|SELECT total_changes\(\)/.test(s.sql)).map((s) => queryPlan(db, s));
}

/** A step that reads a whole big table without an index. */
const FULL_SCAN = /^SCAN (e|l|f|t|entities|links|entity_aliases|citations|area_tags|audit_events)$/;
/** A step that sorts all the rows found rather than reading them in order from an index. */
const FULL_SORT = /^USE TEMP B-TREE FOR ORDER BY$/;

function expectIndexed(plans: string[][]): void {
  for (const plan of plans) {
    expect(plan.filter((step) => FULL_SCAN.test(step)), plan.join(' | ')).toEqual([]);
  }
}

describe('the grids and lookups that must stay fast use indexes', () => {
  it.each([
    ['name', 'asc'],
    ['name', 'desc'],
    ['type', 'asc'],
    ['country', 'asc'],
    ['updatedAt', 'desc'],
  ] as const)('an entities page sorted by %s %s reads in index order', (colId, sort) => {
    const [page, count] = plansOf('entities.page', { startRow: 200, endRow: 300, sort: [{ colId, sort }] });
    expect(page!.some((step) => step.startsWith('SCAN e USING') && step.includes('INDEX')), page!.join(' | ')).toBe(true);
    expect(page!.filter((step) => FULL_SORT.test(step))).toEqual([]);
    expect(count!.join(' ')).toMatch(/USING COVERING INDEX/);
  });

  it.each([
    ['updatedAt', 'desc'],
    ['startDate', 'asc'],
    ['type', 'asc'],
  ] as const)('a links page sorted by %s %s reads in index order', (colId, sort) => {
    const plans = plansOf('links.page', { startRow: 500, endRow: 600, sort: [{ colId, sort }] });
    expect(plans[0]!.filter((step) => FULL_SORT.test(step)), plans[0]!.join(' | ')).toEqual([]);
    expectIndexed(plans.slice(2));
  });

  it('the details of a page are looked up by id, with counts from the foreign-key indexes and the kept degrees', () => {
    const plans = plansOf('entities.page', { startRow: 0, endRow: 100 });
    const details = plans[2]!.join(' | ');
    expect(details).toMatch(/SEARCH e USING INDEX sqlite_autoindex_entities_1 \(id=\?\)/);
    expect(details).toMatch(/SEARCH dg USING INDEX sqlite_autoindex_entity_degrees_1 \(entity_id=\?\)/);
    expect(details).toMatch(/citations_entity \(entity_id=\?\)/);
    expect(details).toMatch(/entity_aliases_entity \(entity_id=\?\)/);
    expectIndexed(plans.slice(2));
  });

  it('filtering by technology area goes through the tag index', () => {
    for (const name of ['entities.page', 'links.page'] as const) {
      const plans = plansOf(name, { startRow: 0, endRow: 100, areaId: areaId(db, 'aerospace and aeronautics') });
      expect(plans.flat().join(' | ')).toMatch(/area_tags USING (COVERING )?INDEX area_tags_area \(area_id=\?\)/);
    }
  });

  it('duplicate detection looks name keys up in the entity and alias indexes', () => {
    const plan = plansOf('entities.duplicates', { names: ['Московский авиационный институт', 'MAI'] }).flat().join(' | ');
    expect(plan).toMatch(/entities_name_key \(name_key=\?\)/);
    expect(plan).toMatch(/entity_aliases_name_key \(name_key=\?\)/);
  });

  it('an entity, a link and their history are read by index', () => {
    expectIndexed(plansOf('entities.get', { id: entityId }));
    expectIndexed(plansOf('links.get', { id: linkId }));
    expectIndexed(plansOf('entities.links', { id: entityId }));
    const history = plansOf('history.page', { startRow: 0, endRow: 100, itemId: entityId });
    expect(history.flat().join(' | ')).toMatch(/audit_events_item_id \(item_id=\?\)/);
  });
});
