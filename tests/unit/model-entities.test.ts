import { describe, expect, it } from 'vitest';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';

describe('entities', () => {
  it('creates an entity with aliases in several scripts, identifiers, tags and areas, and reads it back', () => {
    const { db } = newCase();
    const created = run(db, 'entities.create', { fields: { ...MAI, tags: ['aero', ' aero ', ''] }, areaIds: [areaId(db, 'aero-engines')] });
    expect(created).toMatchObject({
      type: 'organisation',
      subtype: 'university',
      name: 'Moscow Aviation Institute',
      country: 'RU',
      tags: ['aero'],
      confidence: null,
      derivedConfidence: null,
      citations: [],
      linkCount: 0,
    });
    expect(created.aliases.map((a) => [a.name, a.language])).toEqual([
      ['MAI', null],
      ['Московский авиационный институт', 'ru'],
    ]);
    expect(created.identifiers.map((i) => [i.key, i.value])).toEqual([['website', 'https://mai.ru']]);
    expect(created.areas.map((a) => a.name)).toEqual(['aero-engines']);
    expect(run(db, 'entities.get', { id: created.id })).toEqual(created);
    expect(count(db, 'entity_aliases')).toBe(2);
  });

  it('edits fields and keeps, changes, adds and removes aliases and identifiers by id', () => {
    const { db } = newCase();
    const created = run(db, 'entities.create', { fields: MAI });
    const [mai, cyrillic] = created.aliases;
    const updated = run(db, 'entities.update', {
      id: created.id,
      fields: {
        ...MAI,
        country: 'ru',
        description: null,
        aliases: [{ id: cyrillic!.id, name: 'Московский авиационный институт', language: 'ru' }, { name: 'Moskovskiy aviatsionnyy institut', language: 'ru-Latn' }],
        identifiers: [],
        confidence: 'high',
      },
    });
    expect(updated.country).toBe('RU');
    expect(updated.description).toBeNull();
    expect(updated.confidence).toBe('high');
    expect(updated.aliases.map((a) => a.name)).toEqual(['Московский авиационный институт', 'Moskovskiy aviatsionnyy institut']);
    expect(updated.aliases[0]!.id).toBe(cyrillic!.id);
    expect(updated.aliases.some((a) => a.id === mai!.id)).toBe(false);
    expect(count(db, 'entity_identifiers')).toBe(0);
  });

  it('refuses invalid input with a message per field and stores nothing', () => {
    const { db } = newCase();
    expect(() => run(db, 'entities.create', { fields: { ...MAI, name: '  ' } })).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('name is required') }));
    expect(() => run(db, 'entities.create', { fields: { ...MAI, country: 'Russia' } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'entities.create', { fields: { ...MAI, aliases: [{ name: 'MAI', language: 'russian language' }] } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'entities.create', { fields: { ...MAI, type: 'company' as never } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(count(db, 'entities')).toBe(0);
    expect(count(db, 'change_sets')).toBe(0);
  });

  it('the schema itself refuses bad rows, under trusted_schema=OFF', () => {
    const { db } = newCase();
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    const insert = (type: string, country: string | null) =>
      db.prepare("INSERT INTO entities (id, type, name, name_key, country, created_at, updated_at) VALUES (?, ?, 'X', 'x', ?, 'now', 'now')").run(`id-${type}-${country}`, type, country);
    expect(() => insert('company', null)).toThrow(/CHECK/);
    expect(() => insert('organisation', 'Russia')).toThrow(/CHECK/);
    expect(() => insert('organisation', 'r1')).toThrow(/CHECK/);
    insert('organisation', 'RU');
    expect(() => db.prepare("INSERT INTO entity_aliases (id, entity_id, name, name_key) VALUES ('a', 'no-such-entity', 'MAI', 'mai')").run()).toThrow(/FOREIGN KEY/);
  });

  it('pages entities from SQL, sorted and filtered, with aliases searchable by the quick filter', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI, areaIds: [areaId(db, 'aero-engines')] });
    run(db, 'entities.create', { fields: BEIHANG, areaIds: [areaId(db, 'drones')] });
    run(db, 'entities.create', { fields: { type: 'person', name: 'Bethany Allen' } });
    const names = (input: Parameters<typeof run<'entities.page'>>[2]) => run(db, 'entities.page', input).rows.map((r) => r.name);
    expect(names({ startRow: 0, endRow: 100 })).toEqual(['Beihang University', 'Bethany Allen', 'Moscow Aviation Institute']);
    expect(names({ startRow: 0, endRow: 100, sort: [{ colId: 'name', sort: 'desc' }] })).toEqual(['Moscow Aviation Institute', 'Bethany Allen', 'Beihang University']);
    expect(names({ startRow: 1, endRow: 2 })).toEqual(['Bethany Allen']);
    expect(names({ startRow: 0, endRow: 100, quick: 'авиационный' })).toEqual(['Moscow Aviation Institute']);
    expect(names({ startRow: 0, endRow: 100, quick: '北京' })).toEqual(['Beihang University']);
    expect(names({ startRow: 0, endRow: 100, filter: { type: { filterType: 'text', type: 'equals', filter: 'person' } } })).toEqual(['Bethany Allen']);
    // An area filter includes the areas below it.
    expect(names({ startRow: 0, endRow: 100, areaId: areaId(db, 'aero-engines') })).toEqual(['Moscow Aviation Institute']);
    expect(names({ startRow: 0, endRow: 100, areaId: areaId(db, 'aerospace and aeronautics') })).toEqual(['Beihang University', 'Moscow Aviation Institute']);
    const page = run(db, 'entities.page', { startRow: 0, endRow: 100, quick: 'MAI' });
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ id: mai.id, aliases: 'MAI; Московский авиационный институт', citationCount: 0, linkCount: 0 });
    expect(() => run(db, 'entities.page', { startRow: 0, endRow: 10, sort: [{ colId: 'name_key', sort: 'asc' }] })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('finds entities for a picker by name, alias or transliteration', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    run(db, 'entities.create', { fields: BEIHANG });
    expect(run(db, 'entities.search', { text: 'MAI' })[0]).toMatchObject({ id: mai.id, alias: 'MAI' });
    expect(run(db, 'entities.search', { text: 'Moskovskiy aviatsionnyy institut' })[0]).toMatchObject({ id: mai.id, alias: 'Московский авиационный институт' });
    expect(run(db, 'entities.search', { text: 'buaa' }).map((m) => m.name)).toEqual(['Beihang University']);
    expect(run(db, 'entities.search', { text: 'Moscow', excludeId: mai.id })).toEqual([]);
  });

  it('deletes an entity without links at once, with its aliases, identifiers, citations and tags', () => {
    const { db } = newCase();
    const excerpt = addExcerpt(db, addSource(db), 'MAI is one of Russia’s leading aerospace institutes.');
    const mai = run(db, 'entities.create', { fields: MAI, excerptIds: [excerpt], areaIds: [areaId(db, 'aero-engines')] });
    expect(run(db, 'entities.delete', { id: mai.id })).toEqual({ id: mai.id, deletedLinks: 0 });
    for (const table of ['entities', 'entity_aliases', 'entity_identifiers', 'citations', 'area_tags']) expect(count(db, table), table).toBe(0);
    expect(() => run(db, 'entities.get', { id: mai.id })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('asks before deleting an entity that has links, then deletes it with its links', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017' } });
    expect(() => run(db, 'entities.delete', { id: mai.id })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('has 1 link') }));
    expect(count(db, 'entities')).toBe(2);
    expect(run(db, 'entities.delete', { id: mai.id, withLinks: true })).toEqual({ id: mai.id, deletedLinks: 1 });
    expect(count(db, 'links')).toBe(0);
    expect(count(db, 'entities')).toBe(1);
  });
});
