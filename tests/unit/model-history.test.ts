import { describe, expect, it } from 'vitest';
import { UNDO_DEPTH } from '../../db/core/journal';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, reopen, run } from '../helpers/model';

interface Event {
  actor: string;
  action: string;
  item_type: string;
  summary: string;
  before_json: string | null;
  after_json: string | null;
}

function events(db: Parameters<typeof run>[0]): Event[] {
  return db.prepare('SELECT actor, action, item_type, summary, before_json, after_json FROM audit_events ORDER BY rowid').all() as Event[];
}

describe('audit log', () => {
  it('records who, what, and before/after for every kind of change', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI }, 'Bethany');
    run(db, 'entities.update', { id: mai.id, fields: { ...MAI, country: 'RU', description: 'Leads Russian aircraft-engine research.' } }, 'Bethany');
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' } });
    run(db, 'areas.tag', { areaId: areaId(db, 'aero-engines'), kind: 'link', itemId: link.id });
    run(db, 'citations.add', { target: { kind: 'link', id: link.id }, excerptId: addExcerpt(db, addSource(db), 'joint programme since 2017') });
    run(db, 'links.delete', { id: link.id });
    const log = events(db).filter((e) => e.item_type !== 'source');
    expect(log.map((e) => [e.action, e.item_type])).toEqual([
      ['create', 'entity'],
      ['update', 'entity'],
      ['create', 'entity'],
      ['create', 'link'],
      ['tag', 'link'],
      ['create', 'citation'],
      ['delete', 'link'],
    ]);
    expect(log[0]!.actor).toBe('Bethany');
    expect(log[0]!.summary).toBe('Created entity Moscow Aviation Institute');
    expect(JSON.parse(log[1]!.before_json!).description).toBe(MAI.description);
    expect(JSON.parse(log[1]!.after_json!).description).toBe('Leads Russian aircraft-engine research.');
    expect(log[4]!.summary).toBe('Tagged link Beihang University — joint programme — Moscow Aviation Institute with aero-engines');
    expect(log[6]!.after_json).toBeNull();
    // The history view lists them, filterable by item.
    const forLink = run(db, 'history.page', { startRow: 0, endRow: 100, itemId: link.id });
    expect(forLink.rows.map((r) => r.action)).toEqual(['delete', 'create', 'tag', 'create']);
  });

  it('a failed write leaves nothing behind: no row, no audit event, no change set', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    const before = [count(db, 'entities'), count(db, 'audit_events'), count(db, 'change_sets'), count(db, 'change_rows')];
    // The second excerpt does not exist: the link, its first citation and its tag must all roll back.
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const afterBeihang = [count(db, 'entities'), count(db, 'audit_events'), count(db, 'change_sets'), count(db, 'change_rows')];
    const excerpt = addExcerpt(db, addSource(db), 'quote');
    const afterSource = count(db, 'audit_events');
    const setsAfterSource = count(db, 'change_sets');
    expect(setsAfterSource).toBe(afterBeihang[2]! + 1);
    expect(() =>
      run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' }, excerptIds: [excerpt, '01a22253-531b-70fe-97e7-000000000000'], areaIds: [areaId(db, 'drones')] }),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect([count(db, 'links'), count(db, 'citations'), count(db, 'area_tags')]).toEqual([0, 0, 0]);
    expect(count(db, 'audit_events')).toBe(afterSource);
    expect(count(db, 'change_sets')).toBe(setsAfterSource);
    expect(before[0]).toBe(1);
  });
});

describe('undo and redo', () => {
  it('undoes and redoes a create, an edit and a delete, as whole operations', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    run(db, 'entities.update', { id: mai.id, fields: { ...MAI, name: 'MAI (Moscow)', aliases: [{ name: 'МАИ', language: 'ru' }] } });
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Edited entity MAI (Moscow)');
    run(db, 'history.undo', {});
    const restored = run(db, 'entities.get', { id: mai.id });
    expect(restored.name).toBe('Moscow Aviation Institute');
    expect(restored.aliases.map((a) => a.name)).toEqual(['MAI', 'Московский авиационный институт']);
    run(db, 'history.redo', {});
    expect(run(db, 'entities.get', { id: mai.id }).aliases.map((a) => a.name)).toEqual(['МАИ']);
    run(db, 'history.undo', {});
    run(db, 'history.undo', {});
    expect(count(db, 'entities')).toBe(0);
    expect(count(db, 'entity_aliases')).toBe(0);
    expect(run(db, 'history.state', {})).toEqual({ undo: null, redo: expect.objectContaining({ summary: 'Created entity Moscow Aviation Institute' }) });
    expect(() => run(db, 'history.undo', {})).toThrow(expect.objectContaining({ code: 'conflict', message: 'There is nothing to undo.' }));
    run(db, 'history.redo', {});
    expect(run(db, 'entities.get', { id: mai.id }).name).toBe('Moscow Aviation Institute');
  });

  it('undoes deleting an entity that had links: entity, aliases, links, citations and tags all come back', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines')] });
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const excerpt = addExcerpt(db, addSource(db), 'joint programme since 2017');
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017' }, excerptIds: [excerpt], areaIds: [areaId(db, 'aero-engines')] });
    const snapshot = () => ['entities', 'entity_aliases', 'entity_identifiers', 'links', 'citations', 'area_tags'].map((t) => count(db, t));
    const before = snapshot();
    run(db, 'entities.delete', { id: mai.id, withLinks: true });
    expect(snapshot()).toEqual([1, 3, 0, 0, 0, 0]);
    run(db, 'history.undo', {});
    expect(snapshot()).toEqual(before);
    expect(run(db, 'links.get', { id: link.id })).toMatchObject({ startDate: '2017', citations: [expect.objectContaining({ excerptId: excerpt })], areas: [expect.objectContaining({ name: 'aero-engines' })] });
    const events = db.prepare("SELECT action, summary FROM audit_events WHERE action IN ('undo','redo')").all() as { action: string; summary: string }[];
    expect(events[0]).toEqual({ action: 'undo', summary: 'Undid: Deleted entity Moscow Aviation Institute and its 1 link' });
  });

  it('undo and redo work across closing and reopening the case file', () => {
    const { db: first } = newCase();
    const beihang = run(first, 'entities.create', { fields: BEIHANG });
    const mai = run(first, 'entities.create', { fields: MAI });
    const link = run(first, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' } });
    run(first, 'areas.tag', { areaId: areaId(first, 'aero-engines'), kind: 'link', itemId: link.id });
    let db = reopen(first);
    expect(run(db, 'history.state', {}).undo?.summary).toContain('Tagged link');
    run(db, 'history.undo', {});
    db = reopen(db);
    expect(run(db, 'links.get', { id: link.id }).areas).toEqual([]);
    expect(run(db, 'history.state', {}).redo?.summary).toContain('Tagged link');
    run(db, 'history.redo', {});
    db = reopen(db);
    expect(run(db, 'links.get', { id: link.id }).areas.map((a) => a.name)).toEqual(['aero-engines']);
  });

  it('a new change clears what could be redone', () => {
    const { db } = newCase();
    run(db, 'entities.create', { fields: MAI });
    run(db, 'history.undo', {});
    run(db, 'entities.create', { fields: BEIHANG });
    expect(run(db, 'history.state', {}).redo).toBeNull();
    expect(() => run(db, 'history.redo', {})).toThrow(expect.objectContaining({ message: 'There is nothing to redo.' }));
  });

  it('keeps at least the last 100 changes undoable', () => {
    const { db } = newCase();
    expect(UNDO_DEPTH).toBeGreaterThanOrEqual(100);
    const area = areaId(db, 'drones');
    const mai = run(db, 'entities.create', { fields: MAI });
    for (let i = 0; i < UNDO_DEPTH + 20; i += 1) run(db, i % 2 === 0 ? 'areas.tag' : 'areas.untag', { areaId: area, kind: 'entity', itemId: mai.id });
    expect(count(db, 'change_sets')).toBe(UNDO_DEPTH);
    for (let i = 0; i < 100; i += 1) run(db, 'history.undo', {});
    expect(run(db, 'history.state', {}).undo).not.toBeNull();
  });

  it('an operation that changes nothing adds no undo step', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'drones')] });
    run(db, 'areas.tag', { areaId: areaId(db, 'drones'), kind: 'entity', itemId: mai.id });
    expect(count(db, 'change_sets')).toBe(1);
  });

  /** An entity that cited an excerpt of a source, and then no longer did. */
  function citedThenRemoved() {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    const source = addSource(db);
    const excerpt = addExcerpt(db, source, 'quote');
    const citation = run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: excerpt });
    run(db, 'citations.remove', { id: citation.id! });
    return { db, source, excerpt };
  }

  it('undoes deleting a source before the citation removed earlier: each Undo takes back the change it names', () => {
    const { db, source } = citedThenRemoved();
    run(db, 'sources.delete', { id: source });
    expect(run(db, 'history.state', {}).undo?.summary).toContain('Deleted source');
    run(db, 'history.undo', {});
    expect([count(db, 'sources'), count(db, 'excerpts'), count(db, 'citations')]).toEqual([1, 1, 0]);
    expect(run(db, 'history.state', {}).undo?.summary).toContain('Removed a citation');
    run(db, 'history.undo', {});
    expect(count(db, 'citations')).toBe(1);
  });

  it('refuses to undo a citation whose excerpt was deleted outside the history since, and changes nothing', () => {
    const { db, excerpt } = citedThenRemoved();
    db.prepare('DELETE FROM excerpts WHERE id = ?').run(excerpt);
    expect(() => run(db, 'history.undo', {})).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('cannot be undone') }));
    expect(count(db, 'citations')).toBe(0);
    expect(run(db, 'history.state', {}).undo?.summary).toContain('Removed a citation');
  });
});
