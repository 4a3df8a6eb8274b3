import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { runCaseOperation } from '../../db/host/operations';
import { CaseboardError } from '../../shared/errors';
import type { BulkSelectionInput } from '../../shared/bulk';
import { fillCase } from '../helpers/bulk';
import { contentDigest } from '../helpers/content-digest';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';

function ids(db: CaseDb, sql: string, ...params: unknown[]): string[] {
  return db.prepare(sql).pluck().all(...params) as string[];
}

const RU: BulkSelectionInput = { matching: { filter: { country: { filterType: 'text', type: 'equals', filter: 'RU' } } } };

/** A small case as an investigator builds it: two universities, a lab, links between them citing an article. */
function smallCase() {
  const { db, file } = newCase();
  const source = addSource(db);
  const quote = addExcerpt(db, source, 'Beihang and MAI run a joint engineering programme.');
  const second = addExcerpt(db, source, 'The programme trains drone engineers.', 3, 4);
  const mai = run(db, 'entities.create', { fields: MAI });
  const beihang = run(db, 'entities.create', { fields: BEIHANG, excerptIds: [quote] });
  const lab = run(db, 'entities.create', { fields: { type: 'organisation', subtype: 'lab', name: 'Laboratory of UAV Propulsion', country: 'RU' } });
  const joint = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2019' }, excerptIds: [quote] });
  const partOf = run(db, 'links.create', { fields: { fromId: lab.id, toId: mai.id, type: 'part of' } });
  return { db, file, quote, second, mai, beihang, lab, joint, partOf };
}

describe('bulk actions on a selection', () => {
  it('tags every entity the grid filters match, found in the database, less the rows unticked, as one undo step', () => {
    const { db } = newCase('bulk.caseboard');
    const { entityIds } = fillCase(db, 1200, 600);
    const nuclear = areaId(db, 'nuclear');
    const before = contentDigest(db);
    const sets = count(db, 'change_sets');
    const russian = ids(db, "SELECT id FROM entities WHERE country = 'RU' ORDER BY id");
    const already = new Set(ids(db, 'SELECT entity_id FROM area_tags WHERE area_id = ? AND entity_id IS NOT NULL', nuclear));
    expect(already.size).toBeGreaterThan(0);
    // Unticked after "select all": one already tagged, two not.
    const unticked = [russian.find((id) => already.has(id)) as string, ...russian.filter((id) => !already.has(id)).slice(0, 2)];
    const fresh = russian.filter((id) => !already.has(id) && !unticked.includes(id));
    const result = run(db, 'bulk.tag', { kind: 'entity', selection: { ...RU, except: unticked }, areaId: nuclear });
    expect(result).toEqual({ items: russian.length - 3, changed: fresh.length });
    const tagged = ids(db, 'SELECT entity_id FROM area_tags WHERE area_id = ? AND entity_id IS NOT NULL ORDER BY entity_id', nuclear);
    expect(tagged).toEqual([...already, ...fresh].sort());
    expect(tagged).not.toContain(unticked[1]);
    expect(tagged.filter((id) => !russian.includes(id)).every((id) => already.has(id))).toBe(true);
    expect(entityIds.length).toBe(1200);
    expect(count(db, 'change_sets')).toBe(sets + 1);
    expect(run(db, 'history.state', {}).undo?.summary).toBe(`Tagged ${fresh.length} entities with nuclear`);
    // Tagging again changes only the two unticked rows not tagged before; taking the area off changes every one of them.
    expect(run(db, 'bulk.tag', { kind: 'entity', selection: RU, areaId: nuclear }).changed).toBe(2);
    expect(run(db, 'bulk.untag', { kind: 'entity', selection: RU, areaId: nuclear })).toEqual({ items: russian.length, changed: russian.length });
    run(db, 'history.undo', {});
    run(db, 'history.undo', {});
    run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
  });

  it('reports its progress through a long selection, and a cancel half way leaves the case as it was', () => {
    const { db } = newCase('cancel.caseboard');
    fillCase(db, 1500, 10);
    const before = contentDigest(db);
    const sets = count(db, 'change_sets');
    const reports: { done: number; total: number; message?: string | undefined }[] = [];
    const ctx = {
      actor: 'Analyst One',
      progress: (p: { done: number; total: number; message?: string }) => reports.push(p),
      // Cancelled once two reports have gone out: at row 1,000 of 1,500.
      throwIfCancelled: () => {
        if (reports.length >= 2) throw new CaseboardError('cancelled', 'The operation was cancelled; the case file was left as it was.');
      },
    };
    expect(() => runCaseOperation(db, 'bulk.setEntities', { selection: { matching: {} }, type: 'place', country: 'KZ' }, ctx)).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect(reports).toEqual([
      { done: 0, total: 1500, message: 'Setting fields' },
      { done: 500, total: 1500, message: 'Setting fields' },
    ]);
    expect(contentDigest(db)).toBe(before);
    expect(count(db, 'change_sets')).toBe(sets);
  });

  it('reads the quick filter and the shared filters of the grid as the grid does', () => {
    const { db, mai, beihang, lab, joint, partOf } = smallCase();
    const drones = areaId(db, 'drones');
    run(db, 'bulk.tag', { kind: 'entity', selection: { matching: { quick: 'university' } }, areaId: drones });
    expect(run(db, 'areas.ofItem', { kind: 'entity', itemId: beihang.id }).map((a) => a.name)).toEqual(['drones']);
    expect(run(db, 'areas.ofItem', { kind: 'entity', itemId: lab.id })).toEqual([]);
    // The shared filters choose links by type, and the grid's count agrees with what the action touched.
    const selection = { matching: { filters: { linkTypes: ['part of'] } } };
    const page = run(db, 'links.page', { startRow: 0, endRow: 100, filters: { linkTypes: ['part of'] } });
    const result = run(db, 'bulk.tag', { kind: 'link', selection, areaId: drones });
    expect(result.items).toBe(page.total);
    expect(run(db, 'areas.ofItem', { kind: 'link', itemId: partOf.id }).map((a) => a.name)).toEqual(['drones']);
    expect(run(db, 'areas.ofItem', { kind: 'link', itemId: joint.id })).toEqual([]);
    expect(mai.id).toBeTruthy();
  });

  it('asks before deleting: the preview says how many entities, links and citations go, and Undo brings them all back', () => {
    const { db, mai, beihang, lab } = smallCase();
    const selection = { ids: [mai.id, lab.id] };
    const preview = run(db, 'bulk.preview', { kind: 'entity', selection });
    // Both links touch MAI; Beihang's own citation stays, the joint programme's goes with its link.
    expect(preview).toEqual({ kind: 'entity', items: 2, names: ['Laboratory of UAV Propulsion', 'Moscow Aviation Institute'], links: 2, citations: 1, tags: 0, attachments: 0, excerpts: 0 });
    const before = contentDigest(db);
    expect(() => run(db, 'bulk.delete', { kind: 'entity', selection })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('have 2 links') }));
    expect(contentDigest(db)).toBe(before);
    expect(run(db, 'bulk.delete', { kind: 'entity', selection, withLinks: true })).toEqual({ items: 2, changed: 2, deletedLinks: 2 });
    expect(ids(db, 'SELECT id FROM entities')).toEqual([beihang.id]);
    expect(count(db, 'links')).toBe(0);
    expect(count(db, 'citations')).toBe(1);
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Deleted 2 entities and their 2 links');
    run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
  });

  it('says clearly when nothing is selected or nothing matches any more, and changes nothing', () => {
    const { db, mai } = smallCase();
    const drones = areaId(db, 'drones');
    const before = contentDigest(db);
    expect(() => run(db, 'bulk.tag', { kind: 'entity', selection: { ids: [] }, areaId: drones })).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('Select at least one row') }));
    expect(() => run(db, 'bulk.delete', { kind: 'entity', selection: { matching: { quick: 'Tsinghua' } } })).toThrow(expect.objectContaining({ code: 'not_found', message: 'No entities match the filters any more. Nothing was changed.' }));
    run(db, 'entities.delete', { id: mai.id, withLinks: true });
    const afterDelete = contentDigest(db);
    expect(() => run(db, 'bulk.setEntities', { selection: { ids: [mai.id] }, country: 'CN' })).toThrow(expect.objectContaining({ code: 'not_found', message: expect.stringContaining('None of the selected entities') }));
    expect(() => run(db, 'bulk.setEntities', { selection: { ids: [mai.id] } })).toThrow(expect.objectContaining({ message: expect.stringContaining('Choose a type or a country') }));
    expect(() => run(db, 'bulk.setEntities', { selection: { ids: [mai.id] }, country: 'Russia' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'bulk.tag', { kind: 'link', selection: { matching: { filter: { nope: { filterType: 'text', type: 'equals', filter: 'x' } } } }, areaId: drones })).toThrow(
      expect.objectContaining({ message: 'The grid has no column called "nope".' }),
    );
    expect(contentDigest(db)).toBe(afterDelete);
    expect(before).not.toBe(afterDelete);
  });

  it('cites several excerpts from every selected link at once; a citation already there is kept, not doubled', () => {
    const { db, quote, second, joint, partOf } = smallCase();
    const result = run(db, 'bulk.cite', { kind: 'link', selection: { ids: [joint.id, partOf.id] }, excerptIds: [quote, second] });
    expect(result).toEqual({ items: 2, changed: 2 });
    expect(ids(db, 'SELECT excerpt_id FROM citations WHERE link_id = ? ORDER BY excerpt_id', joint.id)).toEqual([quote, second].sort());
    expect(ids(db, 'SELECT excerpt_id FROM citations WHERE link_id = ? ORDER BY excerpt_id', partOf.id)).toEqual([quote, second].sort());
    expect(run(db, 'history.state', {}).undo?.summary).toBe('2 links: cited 2 excerpts');
    expect(run(db, 'bulk.cite', { kind: 'link', selection: { ids: [joint.id, partOf.id] }, excerptIds: [quote] }).changed).toBe(0);
    const link = run(db, 'links.get', { id: partOf.id });
    expect(link.citations.map((c) => c.excerptId).sort()).toEqual([quote, second].sort());
  });

  it('sets type and country of many entities, and a new link type on many links, each change in the audit log', () => {
    const { db, mai, beihang, lab, joint, partOf } = smallCase();
    const result = run(db, 'bulk.setEntities', { selection: { ids: [mai.id, lab.id, beihang.id] }, type: 'organisation', country: 'ru' });
    expect(result).toEqual({ items: 3, changed: 1 });
    expect(run(db, 'entities.get', { id: beihang.id }).country).toBe('RU');
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Set type Organisation, country RU on 1 entity');
    const events = db.prepare("SELECT before_json, after_json FROM audit_events WHERE item_id = ? AND action = 'update'").all(beihang.id) as { before_json: string; after_json: string }[];
    expect(events.map((e) => [JSON.parse(e.before_json).country, JSON.parse(e.after_json).country])).toEqual([['CN', 'RU']]);
    expect(run(db, 'bulk.setLinks', { selection: { ids: [joint.id, partOf.id] }, type: 'trains engineers for' })).toEqual({ items: 2, changed: 2 });
    expect(run(db, 'links.types', {})).toContain('trains engineers for');
    expect(run(db, 'links.get', { id: joint.id }).type).toBe('trains engineers for');
  });
});
