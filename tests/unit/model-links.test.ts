import { describe, expect, it } from 'vitest';
import { assessConfidence, citationStrength, deriveConfidence, describeBasis } from '../../shared/confidence';
import { addExcerpt, addSource, areaId, BEIHANG, count, MAI, newCase, run } from '../helpers/model';

function pair(db: Parameters<typeof run>[0]) {
  const mai = run(db, 'entities.create', { fields: MAI });
  const beihang = run(db, 'entities.create', { fields: BEIHANG });
  return { mai, beihang };
}

describe('links', () => {
  it('creates, edits and deletes a link with partial dates kept as entered', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017', notes: "Master's programme in aircraft engines" } });
    expect(link).toMatchObject({ from: { name: 'Beihang University' }, to: { name: 'Moscow Aviation Institute' }, type: 'joint programme', direction: 'directed', status: 'active', startDate: '2017', endDate: null });
    const edited = run(db, 'links.update', { id: link.id, fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017-09', endDate: '2024-05-16', status: 'ended', direction: 'mutual' } });
    expect(edited).toMatchObject({ startDate: '2017-09', endDate: '2024-05-16', status: 'ended', direction: 'mutual' });
    expect(run(db, 'entities.get', { id: mai.id }).linkCount).toBe(1);
    run(db, 'links.delete', { id: link.id });
    expect(count(db, 'links')).toBe(0);
  });

  it('refuses a link to itself, impossible dates and an end before the start, in the schema as well', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    const base = { fromId: beihang.id, toId: mai.id, type: 'visited' };
    expect(() => run(db, 'links.create', { fields: { ...base, toId: beihang.id } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'links.create', { fields: { ...base, startDate: '2023-02-30' } })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'links.create', { fields: { ...base, startDate: '2024', endDate: '2023-12' } })).toThrow(expect.objectContaining({ message: expect.stringContaining('end is before the start') }));
    // An end in the same year as a more precise start is fine.
    expect(run(db, 'links.create', { fields: { ...base, startDate: '2017-03', endDate: '2017' } }).endDate).toBe('2017');
    const raw = (start: string | null, end: string | null) =>
      db
        .prepare("INSERT INTO links (id, from_id, to_id, type, direction, start_date, end_date, status, created_at, updated_at) VALUES (?, ?, ?, 'x', 'directed', ?, ?, 'active', 'now', 'now')")
        .run(`${start}-${end}`, beihang.id, mai.id, start, end);
    expect(() => raw('17', null)).toThrow(/CHECK/);
    expect(() => raw('2017-3', null)).toThrow(/CHECK/);
    expect(() => raw('2024', '2023')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, created_at, updated_at) VALUES ('l', ?, ?, 'x', 'directed', 'active', 'n', 'n')").run(mai.id, mai.id)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, created_at, updated_at) VALUES ('l', ?, 'gone', 'x', 'directed', 'active', 'n', 'n')").run(mai.id)).toThrow(/FOREIGN KEY/);
  });

  it('sorts partial dates so that 2017 comes before 2017-03 and 2017-03-05', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    for (const startDate of ['2017-03-05', '2018', '2017', '2017-03', '2016-12-31']) run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: `t ${startDate}`, startDate } });
    const starts = run(db, 'links.page', { startRow: 0, endRow: 100, sort: [{ colId: 'startDate', sort: 'asc' }] }).rows.map((r) => r.startDate);
    expect(starts).toEqual(['2016-12-31', '2017', '2017-03', '2017-03-05', '2018']);
    const in2017 = run(db, 'links.page', { startRow: 0, endRow: 100, filter: { startDate: { filterType: 'text', type: 'startsWith', filter: '2017' } } });
    expect(in2017.total).toBe(3);
  });

  it('offers default link types plus the ones the investigator typed', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    expect(run(db, 'links.types', {})).toContain('joint programme');
    run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint master’s programme' } });
    expect(run(db, 'links.types', {})).toContain('joint master’s programme');
  });

  it('filters the links grid by technology area and by the entities’ names', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    const aero = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme' }, areaIds: [areaId(db, 'aero-engines')] });
    run(db, 'links.create', { fields: { fromId: mai.id, toId: beihang.id, type: 'visited' } });
    const page = run(db, 'links.page', { startRow: 0, endRow: 100, areaId: areaId(db, 'aero-engines') });
    expect(page.rows.map((r) => r.id)).toEqual([aero.id]);
    expect(page.rows[0]!.areas.map((a) => a.name)).toEqual(['aero-engines']);
    expect(run(db, 'links.page', { startRow: 0, endRow: 100, filter: { fromName: { filterType: 'text', type: 'contains', filter: 'Moscow' } } }).total).toBe(1);
  });
});

describe('citations and confidence', () => {
  it('grades each citation with source reliability and excerpt credibility, e.g. B2', () => {
    const { db } = newCase();
    const { mai, beihang } = pair(db);
    const rferl = addSource(db);
    const claim4 = addExcerpt(db, rferl, 'Beihang University and the Moscow Aviation Institute have run a joint Master’s programme since 2017.', 2, 1);
    const link = run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017' }, excerptIds: [claim4] });
    expect(link.citations).toHaveLength(1);
    expect(link.citations[0]).toMatchObject({ excerptId: claim4, grade: 'B2', reliability: 'B', credibility: 2, page: 1, sourceTitle: expect.stringContaining('Defense Universities') });
    // One source, however good its grade, is not corroboration.
    expect(link.derivedConfidence).toBe('moderate');
    expect(link.confidenceBasis).toEqual({ level: 'moderate', sources: 1, grades: ['B2'], contradicting: 0, contradictingGrades: [] });
    expect(run(db, 'links.page', { startRow: 0, endRow: 10 }).rows[0]).toMatchObject({ citationCount: 1, derivedConfidence: 'moderate', confidenceBasis: { sources: 1, grades: ['B2'] } });
  });

  it('an item without citations is unsourced: no derived confidence', () => {
    const { db } = newCase();
    const { mai } = pair(db);
    expect(run(db, 'entities.get', { id: mai.id })).toMatchObject({ citations: [], derivedConfidence: null });
  });

  it('derives confidence from independent sources and their grades, and lets the analyst override it', () => {
    expect(citationStrength('A', 1)).toBe('high');
    expect(citationStrength('B', 2)).toBe('high');
    expect(citationStrength('B', 3)).toBe('moderate');
    expect(citationStrength('C', 2)).toBe('moderate');
    expect(citationStrength('D', 1)).toBe('low');
    expect(citationStrength('F', 6)).toBe('low');
    expect(deriveConfidence([])).toBeNull();
    // One source is never high, and two excerpts of one article are one source.
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'A', credibility: 1 }])).toBe('moderate');
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'B', credibility: 2 }, { sourceId: 'a', reliability: 'A', credibility: 1 }])).toBe('moderate');
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'D', credibility: 4 }])).toBe('low');
    // Corroboration: a strong source and a second of moderate strength, or three of moderate strength.
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'B', credibility: 2 }, { sourceId: 'b', reliability: 'C', credibility: 3 }])).toBe('high');
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'B', credibility: 3 }, { sourceId: 'b', reliability: 'C', credibility: 3 }])).toBe('moderate');
    expect(deriveConfidence(['a', 'b', 'c'].map((sourceId) => ({ sourceId, reliability: 'C' as const, credibility: 3 })))).toBe('high');
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'E', credibility: 5 }, { sourceId: 'b', reliability: 'B', credibility: 2 }])).toBe('moderate');
    // Contradicting evidence lowers the level and is counted apart.
    const contested = assessConfidence([
      { sourceId: 'a', reliability: 'A', credibility: 2 },
      { sourceId: 'b', reliability: 'B', credibility: 2 },
      { sourceId: 'c', reliability: 'B', credibility: 3, stance: 'contradicts' },
    ]);
    expect(contested).toEqual({ level: 'moderate', sources: 2, grades: ['A2', 'B2'], contradicting: 1, contradictingGrades: ['B3'] });
    expect(describeBasis(contested!)).toBe('2 sources, A2, B2; 1 contradicts, B3');
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'B', credibility: 2 }, { sourceId: 'c', reliability: 'B', credibility: 2, stance: 'contradicts' }])).toBe('low');
    // A weak contradiction is shown but does not move the level.
    expect(deriveConfidence([{ sourceId: 'a', reliability: 'B', credibility: 2 }, { sourceId: 'c', reliability: 'E', credibility: 5, stance: 'contradicts' }])).toBe('moderate');
    expect(describeBasis({ sources: 1, grades: ['B2'], contradicting: 0, contradictingGrades: [] })).toBe('1 source, B2');

    const { db } = newCase();
    const { mai } = pair(db);
    const unattributed = addExcerpt(db, addSource(db), 'MAI leads Russian aircraft-engine research.', 3);
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: unattributed });
    expect(run(db, 'entities.get', { id: mai.id })).toMatchObject({ derivedConfidence: 'moderate', confidence: null });
    const aspi = addExcerpt(db, addSource(db, 'ASPI preliminary findings', 'B'), 'MAI is one of Russia’s leading aerospace institutes.', 2);
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: aspi });
    expect(run(db, 'entities.get', { id: mai.id }).derivedConfidence).toBe('high');
    const set = run(db, 'entities.update', { id: mai.id, fields: { ...MAI, confidence: 'low' } });
    expect(set).toMatchObject({ confidence: 'low', derivedConfidence: 'high' });
  });

  it('cites an excerpt as contradicting a claim, which lowers the derived confidence until it is cited in support again', () => {
    const { db } = newCase();
    const { mai } = pair(db);
    const first = addExcerpt(db, addSource(db, 'ASPI preliminary findings', 'B'), 'MAI trains engineers for the Russian air force.', 2);
    const second = addExcerpt(db, addSource(db, 'University prospectus', 'A'), 'MAI teaches aircraft design to military cadets.', 2);
    const denial = addExcerpt(db, addSource(db, 'MAI press office', 'B'), 'MAI has no military programmes.', 2);
    for (const excerptId of [first, second]) run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId });
    expect(run(db, 'entities.get', { id: mai.id }).derivedConfidence).toBe('high');
    const against = run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: denial, stance: 'contradicts' });
    const entity = run(db, 'entities.get', { id: mai.id });
    expect(entity.citations.find((c) => c.id === against.id)?.stance).toBe('contradicts');
    expect(entity.confidenceBasis).toMatchObject({ level: 'moderate', sources: 2, contradicting: 1 });
    run(db, 'citations.setStance', { id: against.id!, stance: 'supports' });
    expect(run(db, 'entities.get', { id: mai.id }).confidenceBasis).toMatchObject({ level: 'high', sources: 3, contradicting: 0 });
    expect(db.prepare("SELECT summary FROM audit_events ORDER BY rowid DESC LIMIT 1").pluck().get()).toMatch(/now cited in support/);
    expect(() => run(db, 'citations.setStance', { id: against.id!, stance: 'disputes' as never })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => run(db, 'citations.setStance', { id: '01a22253-531b-70fe-97e7-000000000000', stance: 'supports' })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('cites an excerpt once per item, removes citations, and refuses excerpts that do not exist', () => {
    const { db } = newCase();
    const { mai } = pair(db);
    const excerpt = addExcerpt(db, addSource(db), 'MAI leads Russian aircraft-engine research.');
    const first = run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: excerpt });
    expect(first.id).toBe(db.prepare('SELECT id FROM citations').pluck().get());
    expect(run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: excerpt }).id).toBeNull();
    expect(count(db, 'citations')).toBe(1);
    expect(() => run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: '01a22253-531b-70fe-97e7-000000000000' })).toThrow(expect.objectContaining({ code: 'not_found' }));
    run(db, 'citations.remove', { id: first.id! });
    expect(count(db, 'citations')).toBe(0);
    expect(() => db.prepare("INSERT INTO citations (id, excerpt_id, entity_id, link_id, created_at) VALUES ('c', ?, ?, NULL, 'n')").run('missing', mai.id)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO citations (id, excerpt_id, entity_id, link_id, created_at) VALUES ('c', ?, NULL, NULL, 'n')").run(excerpt)).toThrow(/CHECK/);
  });

  it('finds excerpts for the citation picker by quote or source title', () => {
    const { db } = newCase();
    const source = addSource(db);
    addExcerpt(db, source, 'HIT was sanctioned by the US government in 2020.', 2);
    addExcerpt(db, source, 'Vladimir Putin visited HIT in 2024.', 3);
    expect(run(db, 'citations.excerpts', { text: 'putin 2024' }).map((e) => e.grade)).toEqual(['B3']);
    expect(run(db, 'citations.excerpts', { text: 'Defense Universities' })).toHaveLength(2);
  });

  it('deleting a source removes its excerpts’ citations with them', () => {
    const { db } = newCase();
    const { mai } = pair(db);
    const source = addSource(db);
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: addExcerpt(db, source, 'quote') });
    run(db, 'sources.delete', { id: source });
    expect(count(db, 'citations')).toBe(0);
    expect(run(db, 'entities.get', { id: mai.id }).citations).toEqual([]);
  });
});
