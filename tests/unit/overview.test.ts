import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { getCaseInfo } from '../../db/core/case-info';
import { createSampleCase } from '../../db/host/sample-case';
import type { CaseOverview } from '../../shared/ops/model';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const PERSON = { type: 'person' as const, name: 'Liu Wei', country: 'CN' };

/** Each figure of the overview is what the grid shows when the figure's filter is set. */
function expectGridsAgree(db: CaseDb, overview: CaseOverview): void {
  const page = { startRow: 0, endRow: 1, sort: [], filter: {}, quick: '' };
  const totals = (filters: Record<string, unknown>) => ({
    entities: run(db, 'entities.page', { ...page, filters }).total,
    links: run(db, 'links.page', { ...page, filters }).total,
    sources: run(db, 'sources.page', { ...page, filters }).total,
  });
  for (const area of overview.areas) expect(totals({ areaIds: [area.id] }), area.name).toEqual({ entities: area.entities, links: area.links, sources: area.sources });
  for (const t of overview.entityTypes) expect(totals({ entityTypes: [t.type] }).entities, t.type).toBe(t.count);
  // A grade opens the sources graded so or better: the sum of the bars up to it.
  let orBetter = 0;
  for (const r of overview.reliability) {
    orBetter += r.count;
    expect(totals({ minReliability: r.grade }).sources, r.grade).toBe(orBetter);
  }
}

describe('case.overview', () => {
  it('counts entities by type, sources by grade and items by technology area, sub-areas included', () => {
    const { db } = newCase();
    const rfe = addSource(db, 'RFE/RL article', 'B');
    addSource(db, 'Second article', 'B');
    addSource(db, 'Forum post', 'D');
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines')] });
    const beihang = run(db, 'entities.create', { fields: BEIHANG, areaIds: [areaId(db, 'aerospace and aeronautics')] });
    run(db, 'entities.create', { fields: PERSON });
    run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' }, areaIds: [areaId(db, 'drones')] });
    run(db, 'areas.tag', { areaId: areaId(db, 'drones'), kind: 'source', itemId: rfe });
    // A source counts in an area through a tagged excerpt too.
    const forum = db.prepare("SELECT id FROM sources WHERE title = 'Forum post'").pluck().get() as string;
    run(db, 'areas.tag', { areaId: areaId(db, 'nuclear'), kind: 'excerpt', itemId: addExcerpt(db, forum, 'A reactor test was reported.') });

    const overview = run(db, 'case.overview', {});
    expect(overview.title).toBe('Defence universities and Russia');
    expect(overview.totals).toMatchObject({ sources: 3, entities: 3, links: 1, excerpts: 1 });
    expect(overview.entityTypes).toEqual([
      { type: 'organisation', count: 2 },
      { type: 'person', count: 1 },
      { type: 'programme', count: 0 },
      { type: 'event', count: 0 },
      { type: 'product', count: 0 },
      { type: 'place', count: 0 },
    ]);
    expect(overview.reliability).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].map((grade) => ({ grade, count: { B: 2, D: 1 }[grade] ?? 0 })));

    const area = (name: string) => overview.areas.find((a) => a.name === name);
    // As the grids' area filter keeps them: the parent holds Beihang itself, MAI through
    // aero-engines, and the link and the source through drones; an entity also counts
    // in the area of a link it is an end of.
    expect(area('aerospace and aeronautics')).toMatchObject({ depth: 0, entities: 2, links: 1, sources: 1 });
    expect(area('aero-engines')).toMatchObject({ depth: 1, entities: 1, links: 0, sources: 0 });
    expect(area('drones')).toMatchObject({ depth: 1, entities: 2, links: 1, sources: 1 });
    expect(area('nuclear')).toMatchObject({ entities: 0, links: 0, sources: 1 });
    expect(area('materials')).toMatchObject({ entities: 0, links: 0, sources: 0 });
    expectGridsAgree(db, overview);
    // Parents come before their sub-areas.
    const names = overview.areas.map((a) => a.name);
    expect(names.indexOf('aerospace and aeronautics')).toBeLessThan(names.indexOf('drones'));
  });

  it('lists claims without citations until an excerpt supports them', () => {
    const { db } = newCase();
    const source = addSource(db);
    const mai = run(db, 'entities.create', { fields: MAI });
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' } });

    let unsourced = run(db, 'case.overview', {}).unsourced;
    expect(unsourced).toMatchObject({ entities: 2, links: 1 });
    expect(unsourced.items.map((i) => [i.kind, i.label])).toEqual(
      expect.arrayContaining([
        ['entity', 'Moscow Aviation Institute'],
        ['entity', 'Beihang University'],
        ['link', 'Beihang University — joint programme — Moscow Aviation Institute'],
      ]),
    );

    const excerpt = addExcerpt(db, source, 'MAI and Beihang run a joint programme since 2017.');
    run(db, 'citations.add', { target: { kind: 'link', id: link.id }, excerptId: excerpt });
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: excerpt });
    unsourced = run(db, 'case.overview', {}).unsourced;
    expect(unsourced).toMatchObject({ entities: 1, links: 0 });
    expect(unsourced.items).toEqual([expect.objectContaining({ kind: 'entity', id: beihang.id, label: 'Beihang University' })]);
  });

  it('shows the latest changes newest first, one line per operation, with undo as its own line', () => {
    const { db } = newCase();
    addSource(db, 'RFE/RL article');
    // One operation that records several events: the entity, its area tag and its citation.
    const source = addSource(db, 'Second article');
    run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines')], excerptIds: [addExcerpt(db, source, 'MAI leads engine research.')] }, 'Bethany');
    run(db, 'history.undo', {}, 'Bethany');

    const recent = run(db, 'case.overview', {}).recent;
    expect(recent.map((r) => r.summary)).toEqual(['Undid: Created entity Moscow Aviation Institute', 'Created entity Moscow Aviation Institute', 'Added source “Second article”', 'Added source “RFE/RL article”']);
    expect(recent[0]).toMatchObject({ actor: 'Bethany', action: 'undo' });
  });

  it('keeps at most ten recent changes and carries the handling marking', () => {
    const { db } = newCase();
    run(db, 'case.update', { marking: 'SENSITIVE' });
    for (let i = 1; i <= 12; i++) addSource(db, `Source ${i}`);
    const overview = run(db, 'case.overview', {});
    expect(overview.marking).toBe('SENSITIVE');
    expect(overview.recent).toHaveLength(10);
    expect(overview.recent[0]!.summary).toBe('Added source “Source 12”');
  });

  it('only reads: the audit log and every table stay as they were', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: MAI });
    const before = { events: count(db, 'audit_events'), sets: count(db, 'change_sets') };
    run(db, 'case.overview', {});
    expect({ events: count(db, 'audit_events'), sets: count(db, 'change_sets') }).toEqual(before);
  });

  it('does not hang on a hand-edited file whose areas form a loop', () => {
    const { db } = newCase();
    db.prepare('UPDATE technology_areas SET parent_id = ? WHERE id = ?').run(areaId(db, 'drones'), areaId(db, 'aerospace and aeronautics'));
    const overview = run(db, 'case.overview', {});
    expect(overview.areas.map((a) => a.name)).toContain('nuclear');
  });

  it('counts each area, type and grade as the grids filtered by it list them', () => {
    const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
    try {
      const overview = run(db, 'case.overview', {});
      expect(overview.areas.some((a) => a.entities > 0 && a.depth > 0)).toBe(true);
      expectGridsAgree(db, overview);
    } finally {
      db.close();
    }
  });

  it('agrees with the sample case', () => {
    const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
    try {
      const overview = run(db, 'case.overview', {});
      const { counts } = getCaseInfo(db);
      expect(overview.totals).toMatchObject({ sources: counts.sources, entities: counts.entities, links: counts.links, excerpts: counts.excerpts });
      expect(overview.entityTypes.reduce((sum, t) => sum + t.count, 0)).toBe(counts.entities);
      expect(overview.reliability.find((r) => r.grade === 'B')?.count).toBe(1);
      expect(overview.unsourced.links).toBe(0);
      const aeroEngines = overview.areas.find((a) => a.name === 'aero-engines');
      expect(aeroEngines?.links).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
