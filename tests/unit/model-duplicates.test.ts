import { describe, expect, it } from 'vitest';
import { nameKey } from '../../shared/name-key';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';

describe('name keys', () => {
  it('ignore case, accents, punctuation and spacing', () => {
    expect(nameKey('École Polytechnique')).toBe(nameKey('ecole  POLYTECHNIQUE'));
    expect(nameKey('Xi’an Technological University')).toBe(nameKey('Xian Technological University'));
    expect(nameKey('Orlan-10')).toBe(nameKey('Орлан-10'));
  });

  it('match Cyrillic with its Latin transliterations, whichever system was used', () => {
    const key = nameKey('Московский авиационный институт');
    expect(nameKey('Moskovskiy aviatsionnyy institut')).toBe(key);
    expect(nameKey('Moskovskij aviacionnyj institut')).toBe(key);
    expect(nameKey('Санкт-Петербургский политехнический университет Петра Великого')).toBe(nameKey('Sankt-Peterburgskiy politekhnicheskiy universitet Petra Velikogo'));
    expect(nameKey('Специальный технологический центр')).toBe(nameKey("Spetsial'nyy tekhnologicheskiy tsentr"));
  });

  it('match Chinese with its pinyin', () => {
    expect(nameKey('北京航空航天大学')).toBe(nameKey('Beijing Hangkong Hangtian Daxue'));
  });

  it('keep different names apart', () => {
    expect(nameKey('MAI')).not.toBe(nameKey('MIT'));
    expect(nameKey('Beihang University')).not.toBe(nameKey('Beijing University'));
  });
});

describe('duplicate warnings', () => {
  it('warns when a new entity matches an existing name or alias across scripts', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: { ...MAI, aliases: [{ name: 'MAI' }] } });
    run(db, 'entities.create', { fields: BEIHANG });
    const check = (...names: string[]) => run(db, 'entities.duplicates', { names }).map((d) => [d.name, d.matched, d.given]);
    expect(check('moscow aviation institute')).toEqual([['Moscow Aviation Institute', 'Moscow Aviation Institute', 'moscow aviation institute']]);
    expect(check('Skoltech', 'mai')).toEqual([['Moscow Aviation Institute', 'MAI', 'mai']]);
    expect(check('北京航空航天大学')).toEqual([['Beihang University', '北京航空航天大学', '北京航空航天大学']]);
    expect(check('Harbin Institute of Technology')).toEqual([]);
    // An entity is not its own duplicate while it is edited.
    expect(run(db, 'entities.duplicates', { names: ['MAI'], excludeId: mai.id })).toEqual([]);

    // Cyrillic name given, Latin transliteration stored as an alias (and the other way round).
    const { db: other } = newCase('other.caseboard');
    run(other, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute', aliases: [{ name: 'Moskovskiy aviatsionnyy institut', language: 'ru-Latn' }, { name: 'MAI' }] } });
    expect(run(other, 'entities.duplicates', { names: ['Московский авиационный институт'] }).map((d) => d.matched)).toEqual(['Moskovskiy aviatsionnyy institut']);
    expect(run(other, 'entities.duplicates', { names: ['МАИ'] }).map((d) => d.matched)).toEqual(['MAI']);
  });
});

describe('merging entities', () => {
  function twoMais(db: Parameters<typeof run>[0]) {
    const survivor = run(db, 'entities.create', { fields: { ...MAI, aliases: [{ name: 'MAI' }] }, areaIds: [areaId(db, 'aero-engines')] });
    const duplicate = run(db, 'entities.create', {
      fields: {
        type: 'organisation',
        name: 'Московский авиационный институт',
        country: 'RU',
        aliases: [{ name: 'МАИ', language: 'ru' }, { name: 'mai' }],
        identifiers: [{ key: 'registration number', value: '1027739374180' }],
        tags: ['engines'],
        notes: 'Found in the Russian press.',
      },
      areaIds: [areaId(db, 'aero-engines'), areaId(db, 'drones')],
    });
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const source = addSource(db);
    run(db, 'citations.add', { target: { kind: 'entity', id: duplicate.id }, excerptId: addExcerpt(db, source, 'MAI leads Russian aircraft-engine research.') });
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: duplicate.id, type: 'joint programme', startDate: '2017' } });
    const loop = run(db, 'links.create', { fields: { fromId: survivor.id, toId: duplicate.id, type: 'same as' } });
    return { survivor, duplicate, beihang, link, loop };
  }

  it('moves aliases, identifiers, links, citations and tags onto the survivor and records the decision', () => {
    const { db } = newCase();
    const { survivor, duplicate, link, loop } = twoMais(db);
    const merged = run(db, 'entities.merge', { survivorId: survivor.id, mergedId: duplicate.id });
    expect(merged.name).toBe('Moscow Aviation Institute');
    expect(merged.aliases.map((a) => a.name)).toEqual(['MAI', 'Московский авиационный институт', 'МАИ']);
    expect(merged.identifiers.map((i) => i.key)).toEqual(['website', 'registration number']);
    expect(merged.citations).toHaveLength(1);
    expect(merged.areas.map((a) => a.name).sort()).toEqual(['aero-engines', 'drones']);
    expect(merged.tags).toEqual(['engines']);
    expect(merged.notes).toBe('Found in the Russian press.');
    expect(run(db, 'links.get', { id: link.id }).to.id).toBe(survivor.id);
    expect(() => run(db, 'links.get', { id: loop.id })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => run(db, 'entities.get', { id: duplicate.id })).toThrow(expect.objectContaining({ code: 'not_found' }));
    const decision = db.prepare("SELECT summary, before_json FROM audit_events WHERE action = 'merge' AND item_id = ?").get(survivor.id) as { summary: string; before_json: string };
    expect(decision.summary).toBe('Merged entity Московский авиационный институт into Moscow Aviation Institute');
    expect(JSON.parse(decision.before_json).merged.name).toBe('Московский авиационный институт');
  });

  it('undoing a merge brings back both entities exactly as they were', () => {
    const { db } = newCase();
    const { survivor, duplicate, link, loop } = twoMais(db);
    const tables = ['entities', 'entity_aliases', 'entity_identifiers', 'links', 'citations', 'area_tags'];
    const dump = () => tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = dump();
    run(db, 'entities.merge', { survivorId: survivor.id, mergedId: duplicate.id });
    expect(count(db, 'entities')).toBe(2);
    run(db, 'history.undo', {});
    expect(dump()).toEqual(before);
    expect(run(db, 'links.get', { id: link.id }).to.id).toBe(duplicate.id);
    expect(run(db, 'links.get', { id: loop.id }).type).toBe('same as');
    run(db, 'history.redo', {});
    expect(count(db, 'entities')).toBe(2);
  });

  it('refuses to merge an entity into itself', () => {
    const { db } = newCase();
    const mai = run(db, 'entities.create', { fields: MAI });
    expect(() => run(db, 'entities.merge', { survivorId: mai.id, mergedId: mai.id })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
