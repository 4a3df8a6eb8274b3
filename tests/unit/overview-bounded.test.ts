import { describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { caseOverview } from '../../db/model/overview';
import { fillCase } from '../helpers/bulk';
import { newCase, run } from '../helpers/model';
import { queryPlan, recordStatements } from '../helpers/query-plans';

/** The unsourced claims as the Overview listed them before: every uncited entity and link sorted together. */
function unsourcedByFullSort(db: CaseDb): { entities: number; links: number; items: { kind: string; id: string; label: string; updatedAt: string }[] } {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const items = db
    .prepare(
      `SELECT * FROM (
         SELECT 'entity' AS kind, e.id, e.name AS label, e.updated_at FROM entities e
         WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.entity_id = e.id)
         UNION ALL
         SELECT 'link' AS kind, l.id, f.name || ' — ' || l.type || ' — ' || t.name AS label, l.updated_at FROM links l
         JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id
         WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.link_id = l.id)
       ) ORDER BY updated_at DESC, id DESC LIMIT 8`,
    )
    .all() as { kind: string; id: string; label: string; updated_at: string }[];
  return {
    entities: count('SELECT count(*) AS n FROM entities e WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.entity_id = e.id)'),
    links: count('SELECT count(*) AS n FROM links l WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.link_id = l.id)'),
    items: items.map((i) => ({ kind: i.kind, id: i.id, label: i.label, updatedAt: i.updated_at })),
  };
}

/** Cites an entity from the bulk case's excerpt, as citations.add would store it. */
function citeEntity(db: CaseDb, entityId: string): void {
  const excerpt = db.prepare('SELECT id FROM excerpts LIMIT 1').pluck().get() as string;
  db.prepare('INSERT INTO citations (id, excerpt_id, entity_id, created_at) VALUES (?, ?, ?, ?)').run(newId(), excerpt, entityId, '2026-01-01T00:00:00.000Z');
}

describe('the Overview from bounded reads', () => {
  it('lists and counts the same unsourced claims as sorting every entity and link did, ties included', () => {
    const { db } = newCase();
    const { entityIds, linkIds } = fillCase(db, 600, 900);
    // The newest entities (second 59) are cited in part; a few links are edited later than any entity.
    for (const [i, id] of entityIds.entries()) if (i % 60 === 59 && i % 120 !== 59) citeEntity(db, id);
    const touch = db.prepare('UPDATE links SET updated_at = ? WHERE id = ?');
    touch.run('2026-01-01T00:00:59.000Z', linkIds[3]);
    touch.run('2026-01-01T00:00:59.000Z', linkIds[10]); // cited (every tenth link is): never listed
    touch.run('2026-01-02T08:00:00.000Z', linkIds[7]);
    expect(caseOverview(db).unsourced).toEqual(unsourcedByFullSort(db));

    // After citing what was listed, the next newest take its place, and the counts follow.
    run(db, 'entities.update', { id: entityIds[1] as string, fields: { ...run(db, 'entities.get', { id: entityIds[1] as string }), description: 'Edited now' } });
    const listed = caseOverview(db).unsourced;
    expect(listed.items[0]?.id).toBe(entityIds[1]);
    citeEntity(db, entityIds[1] as string);
    db.prepare("INSERT INTO citations (id, excerpt_id, link_id, created_at) SELECT ?, id, ?, 'x' FROM excerpts LIMIT 1").run(newId(), linkIds[7]);
    expect(caseOverview(db).unsourced).toEqual(unsourcedByFullSort(db));
    expect(caseOverview(db).unsourced.items.map((i) => i.id)).not.toContain(entityIds[1]);
  });

  it('agrees on an empty case and on one where every claim is cited', () => {
    const { db } = newCase();
    expect(caseOverview(db).unsourced).toEqual({ entities: 0, links: 0, items: [] });
    const { entityIds, linkIds } = fillCase(db, 30, 20);
    for (const id of entityIds) citeEntity(db, id);
    db.prepare("INSERT INTO citations (id, excerpt_id, link_id, created_at) SELECT lower(hex(randomblob(16))), (SELECT id FROM excerpts LIMIT 1), l.id, 'x' FROM links l WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.link_id = l.id)").run();
    expect(linkIds.length).toBeGreaterThan(0);
    expect(caseOverview(db).unsourced).toEqual({ entities: 0, links: 0, items: [] });
    expect(caseOverview(db).unsourced).toEqual(unsourcedByFullSort(db));
  });

  it('reads the newest uncited items off the updated indexes, with no sort of every row', () => {
    const { db } = newCase();
    fillCase(db, 200, 300);
    const { statements } = recordStatements(db, () => caseOverview(db));
    const plans = statements.map((s) => ({ sql: s.sql, plan: queryPlan(db, s).join(' | ') }));
    const newest = plans.filter((p) => /ORDER BY [el]\.updated_at/.test(p.sql));
    expect(newest).toHaveLength(2);
    expect(newest[0]?.plan).toMatch(/SCAN e USING INDEX entities_updated/);
    expect(newest[1]?.plan).toMatch(/SCAN l USING INDEX links_updated/);
    // Nothing over the large tables sorts or groups through a temporary tree (sources and areas are few).
    const large = plans.filter((p) => /FROM (entities|links|citations)\b/.test(p.sql) && !p.sql.includes('WITH RECURSIVE'));
    expect(large.length).toBeGreaterThanOrEqual(6);
    for (const p of large) expect(p.plan, p.sql).not.toMatch(/TEMP B-TREE FOR (ORDER|GROUP) BY/);
  });

  it('counts again after a write, from this connection or another', () => {
    const { db, file } = newCase();
    fillCase(db, 50, 40);
    const before = caseOverview(db);
    run(db, 'entities.create', { fields: { type: 'person', name: 'Liu Wei', country: 'CN' } });
    const after = caseOverview(db);
    expect(after.totals.entities).toBe(before.totals.entities + 1);
    expect(after.entityTypes.find((t) => t.type === 'person')?.count).toBe((before.entityTypes.find((t) => t.type === 'person')?.count ?? 0) + 1);
    expect(after.unsourced.entities).toBe(before.unsourced.entities + 1);
    const other = openCaseFile(file);
    try {
      other.prepare('DELETE FROM entity_aliases WHERE entity_id IN (SELECT id FROM entities WHERE name = ?)').run('Liu Wei');
      other.prepare('DELETE FROM entities WHERE name = ?').run('Liu Wei');
    } finally {
      other.close();
    }
    expect(caseOverview(db).totals.entities).toBe(before.totals.entities);
    expect(caseOverview(db).unsourced).toEqual(before.unsourced);
  });
});
