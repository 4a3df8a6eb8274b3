import { describe, expect, it } from 'vitest';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';

describe('technology areas', () => {
  it('every case starts with the taxonomy the investigators track, parents before children', () => {
    const { db } = newCase();
    const areas = run(db, 'areas.list', {});
    const names = areas.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['drones', 'aero-engines', 'hydro-aerodynamics', 'advanced weapons', 'hypersonics', 'nuclear']));
    const aero = areas.find((a) => a.name === 'aero-engines')!;
    const parent = areas.find((a) => a.id === aero.parentId)!;
    expect(parent.name).toBe('aerospace and aeronautics');
    expect(names.indexOf(parent.name)).toBeLessThan(names.indexOf('aero-engines'));
    expect(aero.colour).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('adds, renames, recolours and re-parents areas; refuses duplicates and cycles', () => {
    const { db } = newCase();
    const turbines = run(db, 'areas.create', { name: 'turbines', colour: '#AA3300', parentId: areaId(db, 'aero-engines') });
    expect(turbines).toMatchObject({ name: 'turbines', colour: '#aa3300' });
    expect(() => run(db, 'areas.create', { name: 'Drones', colour: '#000000' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => run(db, 'areas.create', { name: 'x', colour: 'red' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(run(db, 'areas.update', { id: turbines.id, name: 'gas turbines', colour: '#123456', parentId: null })).toMatchObject({ name: 'gas turbines', colour: '#123456' });
    expect(() => run(db, 'areas.update', { id: areaId(db, 'aerospace and aeronautics'), parentId: areaId(db, 'drones') })).toThrow(expect.objectContaining({ message: expect.stringContaining('under itself') }));
    expect(() => db.prepare("UPDATE technology_areas SET colour = 'blue' WHERE id = ?").run(turbines.id)).toThrow(/CHECK/);
  });

  it('tags sources, excerpts, entities and links, counts them per area, and untags', () => {
    const { db } = newCase();
    const source = addSource(db);
    const excerpt = addExcerpt(db, source, 'The cooperation is concentrated in aeronautics and drone technology.');
    const mai = run(db, 'entities.create', { fields: MAI });
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' } });
    const drones = areaId(db, 'drones');
    for (const [kind, itemId] of [['source', source], ['excerpt', excerpt], ['entity', mai.id], ['link', link.id]] as const) {
      expect(run(db, 'areas.tag', { areaId: drones, kind, itemId })).toEqual({ changed: true });
      expect(run(db, 'areas.tag', { areaId: drones, kind, itemId })).toEqual({ changed: false });
      expect(run(db, 'areas.ofItem', { kind, itemId }).map((a) => a.name)).toEqual(['drones']);
    }
    expect(run(db, 'areas.list', {}).find((a) => a.id === drones)!.counts).toEqual({ source: 1, excerpt: 1, entity: 1, link: 1 });
    expect(run(db, 'areas.untag', { areaId: drones, kind: 'link', itemId: link.id })).toEqual({ changed: true });
    expect(run(db, 'links.get', { id: link.id }).areas).toEqual([]);
    expect(() => run(db, 'areas.tag', { areaId: drones, kind: 'entity', itemId: link.id })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('merges two areas: tags and sub-areas move to the survivor without duplicates', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines'), areaId(db, 'hypersonics')] });
    const beihang = run(db, 'entities.create', { fields: BEIHANG, areaIds: [areaId(db, 'hypersonics')] });
    const child = run(db, 'areas.create', { name: 'scramjets', colour: '#111111', parentId: areaId(db, 'hypersonics') });
    run(db, 'areas.merge', { fromId: areaId(db, 'hypersonics'), intoId: areaId(db, 'aero-engines') });
    expect(run(db, 'entities.get', { id: mai.id }).areas.map((a) => a.name)).toEqual(['aero-engines']);
    expect(run(db, 'entities.get', { id: beihang.id }).areas.map((a) => a.name)).toEqual(['aero-engines']);
    expect(run(db, 'areas.list', {}).find((a) => a.id === child.id)!.parentId).toBe(areaId(db, 'aero-engines'));
    expect(run(db, 'areas.list', {}).some((a) => a.name === 'hypersonics')).toBe(false);
  });

  it('deletes an area with a choice of what happens to its tags', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines')] });
    const beihang = run(db, 'entities.create', { fields: BEIHANG, areaIds: [areaId(db, 'drones')] });
    const orlan = run(db, 'entities.create', { fields: { type: 'product', subtype: 'UAV', name: 'Orlan-10' }, areaIds: [areaId(db, 'space')] });
    // Tags move to the parent.
    run(db, 'areas.delete', { id: areaId(db, 'aero-engines'), mode: 'parent' });
    expect(run(db, 'entities.get', { id: mai.id }).areas.map((a) => a.name)).toEqual(['aerospace and aeronautics']);
    // Tags move to another area.
    run(db, 'areas.delete', { id: areaId(db, 'space'), mode: 'area', targetId: areaId(db, 'drones') });
    expect(run(db, 'entities.get', { id: orlan.id }).areas.map((a) => a.name)).toEqual(['drones']);
    // Tags are removed; sub-areas move up.
    const tagsBefore = count(db, 'area_tags');
    run(db, 'areas.delete', { id: areaId(db, 'drones'), mode: 'untag' });
    expect(run(db, 'entities.get', { id: beihang.id }).areas).toEqual([]);
    expect(count(db, 'area_tags')).toBe(tagsBefore - 2);
    expect(() => run(db, 'areas.delete', { id: areaId(db, 'nuclear'), mode: 'parent' })).toThrow(expect.objectContaining({ message: expect.stringContaining('no parent') }));
    const parent = areaId(db, 'aerospace and aeronautics');
    run(db, 'areas.delete', { id: parent, mode: 'untag' });
    expect(run(db, 'areas.list', {}).find((a) => a.name === 'hydro-aerodynamics')!.parentId).toBeNull();
    expect(run(db, 'entities.get', { id: mai.id }).areas).toEqual([]);
  });
});
