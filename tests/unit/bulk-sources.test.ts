import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { runCaseOperationAsync } from '../../db/host/operations';
import type { BulkSelectionInput } from '../../shared/bulk';
import { contentDigest } from '../helpers/content-digest';
import { addExcerpt, addSource, areaId, BEIHANG, context, count, MAI, newCase, reopen, run } from '../helpers/model';

function ids(db: CaseDb, sql: string, ...params: unknown[]): string[] {
  return db.prepare(sql).pluck().all(...params) as string[];
}

/** A reading list as an investigator keeps it: articles of several grades, one with a file and excerpts that entities cite. */
async function readingList() {
  const { db, file } = newCase('sources.caseboard');
  const article = addSource(db, "China's Defense Universities Help Russia Offset Sanctions", 'B');
  const report = addSource(db, 'Beihang and MAI: a joint drone programme', 'C');
  const blog = addSource(db, 'Drone engineers trained in Beijing, a blog post', 'E');
  const filing = addSource(db, 'Customs filing of a Moscow drone maker', 'C');
  const attached = await runCaseOperationAsync(
    db,
    'attachments.add',
    { sourceId: report, file: { name: 'report.txt', base64: Buffer.from('Beihang and MAI run a joint engineering programme.\n').toString('base64') } },
    context(),
  );
  const quote = addExcerpt(db, report, 'Beihang and MAI run a joint engineering programme.');
  const second = addExcerpt(db, report, 'The programme trains drone engineers.', 3);
  const kept = addExcerpt(db, article, 'Universities help offset sanctions.');
  const beihang = run(db, 'entities.create', { fields: BEIHANG, excerptIds: [quote, kept] });
  const mai = run(db, 'entities.create', { fields: MAI, excerptIds: [second] });
  run(db, 'areas.tag', { areaId: areaId(db, 'drones'), kind: 'excerpt', itemId: second });
  return { db, file, article, report, blog, filing, attachment: attached.attachment.id, quote, second, kept, beihang, mai };
}

const GRADE_C: BulkSelectionInput = { matching: { filter: { reliability: { filterType: 'text', type: 'equals', filter: 'C' } } } };

describe('bulk actions on sources', () => {
  it('tags every source the grid filters match, found again in the database, less the rows unticked, as one undo step', async () => {
    const { db, article, report, blog, filing } = await readingList();
    const drones = areaId(db, 'drones');
    const before = contentDigest(db);
    const sets = count(db, 'change_sets');
    // The grid's count for the same filters is what the action works on.
    const page = run(db, 'sources.page', { startRow: 0, endRow: 100, sort: [], filter: GRADE_C.matching.filter });
    expect(page.rows.map((s) => s.id).sort()).toEqual([report, filing].sort());
    expect(run(db, 'bulk.tag', { kind: 'source', selection: GRADE_C, areaId: drones })).toEqual({ items: page.total, changed: 2 });
    expect(ids(db, 'SELECT source_id FROM area_tags WHERE area_id = ? AND source_id IS NOT NULL ORDER BY source_id', drones)).toEqual([report, filing].sort());
    expect(count(db, 'change_sets')).toBe(sets + 1);
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Tagged 2 sources with drones');
    // Quick text and the shared filters (grade B or better) choose as the grid does; an unticked row is left alone.
    const nuclear = areaId(db, 'nuclear');
    expect(run(db, 'bulk.tag', { kind: 'source', selection: { matching: { quick: 'drone' }, except: [filing] }, areaId: nuclear })).toEqual({ items: 2, changed: 2 });
    expect(ids(db, 'SELECT source_id FROM area_tags WHERE area_id = ? ORDER BY source_id', nuclear)).toEqual([report, blog].sort());
    expect(run(db, 'bulk.untag', { kind: 'source', selection: { matching: { filters: { minReliability: 'B' } } }, areaId: nuclear })).toEqual({ items: 1, changed: 0 });
    expect(run(db, 'bulk.untag', { kind: 'source', selection: { ids: [report, blog, article] }, areaId: nuclear })).toEqual({ items: 3, changed: 2 });
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Removed nuclear from 2 sources');
    // Three steps: the untag that changed nothing leaves none in History.
    for (let i = 0; i < 3; i += 1) run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
  });

  it('asks before deleting: the preview counts the files, excerpts, citations and tags that go, and Undo brings them all back', async () => {
    const { db, article, report, blog, filing, quote, second, kept, beihang, mai } = await readingList();
    const selection = { ids: [report, blog] };
    expect(run(db, 'bulk.preview', { kind: 'source', selection })).toEqual({
      kind: 'source',
      items: 2,
      names: ['Beihang and MAI: a joint drone programme', 'Drone engineers trained in Beijing, a blog post'],
      links: 0,
      attachments: 1,
      excerpts: 2,
      citations: 2,
      tags: 1,
    });
    const before = contentDigest(db);
    expect(run(db, 'bulk.delete', { kind: 'source', selection })).toEqual({ items: 2, changed: 2 });
    expect(ids(db, 'SELECT id FROM sources ORDER BY id')).toEqual([article, filing].sort());
    expect(count(db, 'attachments')).toBe(0);
    expect(ids(db, 'SELECT id FROM excerpts')).toEqual([kept]);
    // The entities stay, each without the citations of the deleted excerpts.
    expect(run(db, 'entities.get', { id: beihang.id }).citations.map((c) => c.excerptId)).toEqual([kept]);
    expect(run(db, 'entities.get', { id: mai.id }).citations).toEqual([]);
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Deleted 2 sources');
    const events = db.prepare("SELECT item_id FROM audit_events WHERE action = 'delete' AND item_type = 'source' ORDER BY item_id").pluck().all() as string[];
    expect(events).toEqual([report, blog].sort());
    run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
    expect(run(db, 'entities.get', { id: mai.id }).citations.map((c) => c.excerptId)).toEqual([second]);
    expect(ids(db, 'SELECT id FROM excerpts ORDER BY id')).toEqual([quote, second, kept].sort());
    // The undone state is what the file holds.
    expect(contentDigest(reopen(db))).toBe(before);
  });

  it('refuses clearly and leaves the case as it was: nothing matching, sources gone, citing from sources, an unknown column', async () => {
    const { db, blog, quote } = await readingList();
    const drones = areaId(db, 'drones');
    run(db, 'sources.delete', { id: blog });
    const before = contentDigest(db);
    const refused = (fn: () => unknown, code: string, message: string) => expect(fn).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }));
    refused(() => run(db, 'bulk.delete', { kind: 'source', selection: { matching: { quick: 'Tsinghua' } } }), 'not_found', 'No sources match the filters any more. Nothing was changed.');
    refused(() => run(db, 'bulk.tag', { kind: 'source', selection: { ids: [blog] }, areaId: drones }), 'not_found', 'None of the selected sources is in the case any more');
    refused(() => run(db, 'bulk.tag', { kind: 'source', selection: { ids: [] }, areaId: drones }), 'invalid_input', 'Select at least one row');
    refused(() => run(db, 'bulk.cite', { kind: 'source' as 'entity', selection: { matching: {} }, excerptIds: [quote] }), 'invalid_input', 'Only entities and links cite excerpts');
    refused(() => run(db, 'bulk.tag', { kind: 'source', selection: { matching: { filter: { country: { filterType: 'text', type: 'equals', filter: 'RU' } } } }, areaId: drones }), 'invalid_input', 'The grid has no column called "country".');
    expect(contentDigest(db)).toBe(before);
  });
});
