import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { runCaseOperationAsync, type CaseOperationName } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { addReferenceList } from '../../db/screening/lists';
import { contract, type OpInput } from '../../shared/contract';
import type { OperationTraits } from '../../shared/operation';
import { contentDigest } from '../helpers/content-digest';
import { areaId, context, count } from '../helpers/model';
import { repoRoot, tempDir } from '../helpers/temp';

/** Every operation that changes the case file; a new one must get a recipe below. */
const WRITING = (Object.keys(contract) as (keyof typeof contract)[]).filter((name): name is CaseOperationName & keyof typeof contract => !name.startsWith('app.') && contract[name].writes);

const opened: CaseDb[] = [];
// Reference lists live in the user data folder: one for the whole file, so every case can be screened against it.
let savedHome: string | undefined;
beforeAll(async () => {
  savedHome = process.env.CASEBOARD_HOME;
  process.env.CASEBOARD_HOME = mkdtempSync(path.join(os.tmpdir(), 'caseboard-home-'));
  await addReferenceList([path.join(repoRoot, 'tests', 'fixtures', 'screening', 'watchlist.ftm.json')], { name: 'US Entity List', version: '2026-11-30' });
});
afterAll(() => {
  rmSync(process.env.CASEBOARD_HOME as string, { recursive: true, force: true });
  if (savedHome === undefined) delete process.env.CASEBOARD_HOME;
  else process.env.CASEBOARD_HOME = savedHome;
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function call<N extends CaseOperationName>(db: CaseDb, name: N, input: OpInput<N>) {
  return runCaseOperationAsync(db, name, input, context('Analyst One'));
}

function one(db: CaseDb, sql: string, ...params: unknown[]): string {
  return db.prepare(sql).pluck().get(...params) as string;
}

/**
 * The sample case with what it lacks besides: an attached file, a saved
 * report whose finding cites an excerpt, and the graph's saved places. Undo
 * starts from a history of real changes, as a user's would.
 */
async function filledCase(): Promise<{ db: CaseDb; file: string }> {
  const file = path.join(tempDir(), 'filled.caseboard');
  const db = createSampleCase(file);
  opened.push(db);
  const source = one(db, 'SELECT id FROM sources ORDER BY id LIMIT 1');
  const excerpt = one(db, 'SELECT id FROM excerpts WHERE source_id = ? ORDER BY id LIMIT 1', source);
  await call(db, 'attachments.add', { sourceId: source, file: { name: 'notes.txt', base64: Buffer.from('Beihang University and the Moscow Aviation Institute signed a joint programme.\n').toString('base64') } });
  await call(db, 'reports.create', { fields: { name: 'Briefing', title: 'Defence universities', findings: [{ text: 'Beihang works with MAI.', excerptIds: [excerpt] }] } });
  const entities = db.prepare('SELECT id FROM entities ORDER BY id').pluck().all() as string[];
  await call(db, 'graph.savePositions', { positions: entities.map((id, i) => ({ id, x: i, y: -i, pinned: i === 0 })) });
  await call(db, 'graph.saveMetrics', { metrics: entities.map((id, i) => ({ id, degree: i, betweenness: 0, pagerank: 0.1, community: 1 })), replace: true });
  await call(db, 'screening.run', {});
  return { db, file };
}

/** A copy of the case someone else worked on apart: what merge.apply brings in. */
async function otherCopy(file: string): Promise<string> {
  const other = path.join(path.dirname(file), 'other.caseboard');
  const here = openCaseFile(file);
  here.pragma('wal_checkpoint(TRUNCATE)');
  here.close();
  copyFileSync(file, other);
  const there = openCaseFile(other);
  try {
    const entity = one(there, "SELECT id FROM entities WHERE name = 'Beihang University'");
    const fields = await runCaseOperationAsync(there, 'entities.get', { id: entity }, context('Boris'));
    await runCaseOperationAsync(there, 'entities.update', { id: entity, fields: { ...fields, description: 'Edited by Boris: strong in drone swarming.' } }, context('Boris'));
    await runCaseOperationAsync(there, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Institute of Physics and Technology', country: 'RU' } }, context('Boris'));
    await runCaseOperationAsync(there, 'sources.create', { kind: 'report', title: 'Московский физико-технический институт: отчёт', reliability: 'C' }, context('Boris'));
    there.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    there.close();
  }
  return other;
}

/** Text as Windows-1251 bytes (Cyrillic letters and ASCII only). */
function cp1251(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (code === 0x401) return 0xa8;
    if (code === 0x451) return 0xb8;
    return code;
  }));
}

type Recipe = (db: CaseDb, file: string) => Promise<unknown>;

const ids = {
  source: (db: CaseDb) => one(db, 'SELECT id FROM sources ORDER BY id LIMIT 1'),
  excerpt: (db: CaseDb) => one(db, 'SELECT id FROM excerpts WHERE id IN (SELECT excerpt_id FROM citations) ORDER BY id LIMIT 1'),
  entity: (db: CaseDb) => one(db, "SELECT id FROM entities WHERE name = 'Beihang University'"),
  linkedEntity: (db: CaseDb) => one(db, 'SELECT from_id FROM links ORDER BY id LIMIT 1'),
  link: (db: CaseDb) => one(db, 'SELECT id FROM links WHERE id IN (SELECT link_id FROM citations) ORDER BY id LIMIT 1'),
  citation: (db: CaseDb) => one(db, 'SELECT id FROM citations ORDER BY id LIMIT 1'),
  area: (db: CaseDb) => one(db, 'SELECT area_id FROM area_tags ORDER BY id LIMIT 1'),
  attachment: (db: CaseDb) => one(db, 'SELECT id FROM attachments LIMIT 1'),
  report: (db: CaseDb) => one(db, 'SELECT id FROM reports LIMIT 1'),
};

/** One run of each undoable writing operation on the filled case, as a user would make it. */
const RECIPES: Partial<Record<CaseOperationName, Recipe>> = {
  'case.update': (db) => call(db, 'case.update', { title: 'Defence universities and Russia, revised', marking: 'OFFICIAL-SENSITIVE', description: 'Who works with whom.' }),
  'sources.create': (db) => call(db, 'sources.create', { kind: 'article', title: 'Harbin Institute of Technology and its partners', reliability: 'C', authors: ['Петр Иванов'] }),
  'sources.update': async (db) => {
    const source = await call(db, 'sources.get', { id: ids.source(db) });
    return call(db, 'sources.update', { id: source.id, fields: { ...source, title: `${source.title} (revised)`, reliability: 'A' } });
  },
  'sources.delete': (db) => call(db, 'sources.delete', { id: ids.source(db) }),
  'attachments.add': (db) => call(db, 'attachments.add', { file: { name: 'письмо.txt', base64: Buffer.from('Письмо о сотрудничестве МАИ и Бэйхан.\n').toString('base64') } }),
  'attachments.delete': (db) => call(db, 'attachments.delete', { id: ids.attachment(db) }),
  'excerpts.create': (db) => call(db, 'excerpts.create', { sourceId: ids.source(db), fields: { quote: 'A new passage that matters.', credibility: 3, attachmentId: ids.attachment(db), page: 1 } }),
  'excerpts.update': async (db) => {
    const excerpt = await call(db, 'excerpts.get', { id: ids.excerpt(db) });
    return call(db, 'excerpts.update', { id: excerpt.id, fields: { ...excerpt, comment: 'Checked against the original.', credibility: 1, translation: 'Письмо о сотрудничестве.', translationLanguage: 'ru' } });
  },
  'excerpts.delete': (db) => call(db, 'excerpts.delete', { id: ids.excerpt(db) }),
  'excerpts.claim': (db) =>
    call(db, 'excerpts.claim', {
      sourceId: ids.source(db),
      fields: { quote: 'Бэйхан', credibility: 2, attachmentId: ids.attachment(db), page: 1 },
      entity: { kind: 'existing', id: ids.entity(db), alias: { name: 'Бэйхан', language: 'ru' } },
    }),
  'mentions.excerpt': async (db) => {
    const [mention] = (await call(db, 'mentions.list', { entityId: ids.entity(db) })).mentions;
    if (!mention) throw new Error('The attached notes should mention Beihang University.');
    return call(db, 'mentions.excerpt', { entityId: mention.entity.id, attachmentId: mention.attachment.id, page: mention.page, start: mention.start, end: mention.end });
  },
  'entities.create': (db) => call(db, 'entities.create', { fields: { type: 'person', name: 'Иван Петров', country: 'RU', aliases: [{ name: 'Ivan Petrov', language: 'en' }] }, excerptIds: [ids.excerpt(db)], areaIds: [areaId(db, 'drones')] }),
  'entities.update': async (db) => {
    const entity = await call(db, 'entities.get', { id: ids.entity(db) });
    return call(db, 'entities.update', { id: entity.id, fields: { ...entity, description: 'One of the Seven Sons of National Defence.' } });
  },
  'entities.delete': (db) => call(db, 'entities.delete', { id: ids.linkedEntity(db), withLinks: true }),
  'entities.merge': (db) => {
    const [survivorId, mergedId] = db.prepare('SELECT id FROM entities ORDER BY id LIMIT 2').pluck().all() as [string, string];
    return call(db, 'entities.merge', { survivorId, mergedId });
  },
  'links.create': (db) => {
    const [fromId, toId] = db.prepare('SELECT id FROM entities ORDER BY id LIMIT 2').pluck().all() as [string, string];
    return call(db, 'links.create', { fields: { fromId, toId, type: 'a brand-new link type' }, excerptIds: [ids.excerpt(db)], areaIds: [] });
  },
  'links.update': async (db) => {
    const link = await call(db, 'links.get', { id: ids.link(db) });
    return call(db, 'links.update', { id: link.id, fields: { fromId: link.from.id, toId: link.to.id, type: link.type, direction: link.direction, status: 'ended', startDate: link.startDate, endDate: '2024', notes: 'Ended in 2024.' } });
  },
  'links.delete': (db) => call(db, 'links.delete', { id: ids.link(db) }),
  'citations.add': (db) => call(db, 'citations.add', { target: { kind: 'entity', id: ids.entity(db) }, excerptId: one(db, 'SELECT id FROM excerpts WHERE id NOT IN (SELECT excerpt_id FROM citations WHERE entity_id = ?) LIMIT 1', ids.entity(db)) }),
  'citations.remove': (db) => call(db, 'citations.remove', { id: ids.citation(db) }),
  'citations.setStance': (db) => call(db, 'citations.setStance', { id: ids.citation(db), stance: 'contradicts' }),
  'areas.create': (db) => call(db, 'areas.create', { name: 'rocketry', colour: '#123456', parentId: areaId(db, 'drones') }),
  'areas.update': (db) => call(db, 'areas.update', { id: areaId(db, 'drones'), name: 'unmanned aerial vehicles', colour: '#654321' }),
  'areas.merge': (db) => call(db, 'areas.merge', { fromId: ids.area(db), intoId: areaId(db, 'materials') }),
  'areas.delete': (db) => call(db, 'areas.delete', { id: ids.area(db), mode: 'untag', targetId: null }),
  'areas.tag': (db) => call(db, 'areas.tag', { areaId: areaId(db, 'nuclear'), kind: 'source', itemId: ids.source(db) }),
  'areas.untag': (db) => {
    const tag = db.prepare("SELECT area_id, coalesce(entity_id, link_id, source_id, excerpt_id) AS item, CASE WHEN entity_id IS NOT NULL THEN 'entity' WHEN link_id IS NOT NULL THEN 'link' WHEN source_id IS NOT NULL THEN 'source' ELSE 'excerpt' END AS kind FROM area_tags ORDER BY id LIMIT 1").get() as {
      area_id: string;
      item: string;
      kind: 'entity' | 'link' | 'source' | 'excerpt';
    };
    return call(db, 'areas.untag', { areaId: tag.area_id, kind: tag.kind, itemId: tag.item });
  },
  'bulk.tag': (db) => call(db, 'bulk.tag', { kind: 'entity', selection: { matching: { filter: { country: { filterType: 'text', type: 'equals', filter: 'CN' } } } }, areaId: areaId(db, 'nuclear') }),
  'bulk.untag': (db) =>
    call(db, 'bulk.untag', { kind: 'link', selection: { ids: db.prepare('SELECT link_id FROM area_tags WHERE link_id IS NOT NULL').pluck().all() as string[] }, areaId: one(db, 'SELECT area_id FROM area_tags WHERE link_id IS NOT NULL LIMIT 1') }),
  'bulk.cite': (db) => call(db, 'bulk.cite', { kind: 'link', selection: { matching: { quick: 'Beihang' } }, excerptIds: [ids.excerpt(db)], stance: 'contradicts' }),
  'bulk.setEntities': (db) => call(db, 'bulk.setEntities', { selection: { matching: { quick: 'university' }, except: [ids.entity(db)] }, type: 'organisation', country: 'CN' }),
  'bulk.setLinks': (db) => call(db, 'bulk.setLinks', { selection: { ids: db.prepare('SELECT id FROM links ORDER BY id LIMIT 3').pluck().all() as string[] }, type: 'cooperates with' }),
  'bulk.delete': (db) => call(db, 'bulk.delete', { kind: 'entity', selection: { matching: { filter: { country: { filterType: 'text', type: 'equals', filter: 'RU' } } } }, withLinks: true }),
  'reports.create': (db) => call(db, 'reports.create', { fields: { name: 'Second briefing', title: 'Drones', findings: [{ text: 'Two findings cite it.', excerptIds: [ids.excerpt(db), ids.excerpt(db)] }] } }),
  'reports.update': async (db) => {
    const report = await call(db, 'reports.get', { id: ids.report(db) });
    return call(db, 'reports.update', { id: report.id, fields: { ...report, title: 'Defence universities, revised', findings: [{ text: 'A finding rewritten.', excerptIds: [] }] } });
  },
  'reports.delete': (db) => call(db, 'reports.delete', { id: ids.report(db) }),
  'exchange.importCsv': (db) =>
    call(db, 'exchange.importCsv', {
      // As Russian Excel saves it: cp1251, semicolons, country names instead of codes.
      base64: cp1251('Название;Страна;Тип\r\nМосковский физико-технический институт;Россия;organisation\r\nHarbin Engineering University;China;organisation\r\n').toString('base64'),
      kind: 'entities',
      map: { Название: 'name', Страна: 'country', Тип: 'type' },
      onMatch: 'skip',
    }),
  'exchange.importFtm': (db) =>
    call(db, 'exchange.importFtm', {
      text: [
        JSON.stringify({ id: 'ofac-hit', schema: 'Company', properties: { name: ['Harbin Aerospace Components Ltd'], country: ['cn'] } }),
        JSON.stringify({ id: 'ofac-sanction', schema: 'Sanction', properties: { entity: ['ofac-hit'], authority: ['Office of Foreign Assets Control'], program: ['RUSSIA-EO14024'], startDate: ['2023-05-19'] } }),
        JSON.stringify({ id: 'person-1', schema: 'Person', properties: { name: ['Li Wei'], nationality: ['cn'] } }),
        JSON.stringify({ id: 'dir-1', schema: 'Directorship', properties: { director: ['person-1'], organization: ['ofac-hit'], startDate: ['2019'] } }),
      ].join('\n'),
      onMatch: 'skip',
    }),
  'screening.run': (db) => call(db, 'screening.run', { threshold: 0.5 }),
  'screening.decide': (db) => call(db, 'screening.decide', { id: one(db, "SELECT h.id FROM screening_hits h JOIN entities e ON e.id = h.entity_id WHERE e.name = 'Special Technology Center'"), decision: 'confirmed', note: 'Same INN as the registry extract.' }),
  'merge.apply': async (db, file) => call(db, 'merge.apply', { path: await otherCopy(file), choices: {}, mergeDuplicates: [] }),
};

/** Operations the contract says Undo cannot take back: what the test checks instead. */
const NOT_UNDOABLE: Partial<Record<CaseOperationName, Recipe>> = {
  'graph.savePositions': (db) => call(db, 'graph.savePositions', { positions: [{ id: ids.entity(db), x: 42, y: 24, pinned: true }] }),
  'graph.clearPositions': (db) => call(db, 'graph.clearPositions', { keepPinned: false }),
  'graph.saveMetrics': (db) => call(db, 'graph.saveMetrics', { metrics: [{ id: ids.entity(db), degree: 9, betweenness: 0.5, pagerank: 0.2, community: 2 }], replace: true }),
  'history.undo': (db) => call(db, 'history.undo', {}),
  'history.redo': (db) => call(db, 'history.redo', {}),
};

function undoable(name: CaseOperationName): boolean {
  const entry: OperationTraits = contract[name];
  return entry.undo?.possible !== false;
}

describe('every writing operation can be undone and redone', () => {
  it('has a recipe for every writing operation of the contract, and the contract agrees with the recipes on which can be undone', () => {
    expect(WRITING.length).toBeGreaterThan(30);
    expect(WRITING.filter((name) => !RECIPES[name] && !NOT_UNDOABLE[name])).toEqual([]);
    expect(WRITING.filter((name) => undoable(name) !== Boolean(RECIPES[name]))).toEqual([]);
    for (const name of WRITING.filter((n) => !undoable(n))) expect((contract[name] as OperationTraits).undo?.why.length).toBeGreaterThan(10);
  });

  for (const name of WRITING.filter((n) => RECIPES[n])) {
    it(`${name}: Undo gives back the case as it was, Redo as the operation left it`, async () => {
      const { db, file } = await filledCase();
      const before = contentDigest(db);
      const sets = count(db, 'change_sets');
      await (RECIPES[name] as Recipe)(db, file);
      const after = contentDigest(db);
      expect(after).not.toBe(before);
      // One operation, one undo step, and the step is named.
      expect(count(db, 'change_sets')).toBe(sets + 1);
      const named = (await call(db, 'history.state', {})).undo?.summary;
      expect(named).toBeTruthy();
      expect(named).not.toBe(name);
      const events = count(db, 'audit_events');
      const undone = await call(db, 'history.undo', {});
      expect(contentDigest(db)).toBe(before);
      expect(undone.redo?.summary).toBe(named);
      expect(count(db, 'audit_events')).toBeGreaterThan(events);
      await call(db, 'history.redo', {});
      expect(contentDigest(db)).toBe(after);
      expect((await call(db, 'history.state', {})).undo?.summary).toBe(named);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    });
  }

  for (const name of WRITING.filter((n) => n.startsWith('graph.'))) {
    it(`${name} is view data: Undo after it takes back the last change to the case, which it names, and leaves the graph as saved`, async () => {
      const { db, file } = await filledCase();
      const caseOnly = () => contentDigest(db, { bookkeeping: false, leaveOut: ['graph_positions', 'graph_metrics'] });
      const beforeEdit = caseOnly();
      await (RECIPES['entities.update'] as Recipe)(db, file);
      const named = (await call(db, 'history.state', {})).undo?.summary;
      const sets = count(db, 'change_sets');
      await (NOT_UNDOABLE[name] as Recipe)(db, file);
      expect(count(db, 'change_sets')).toBe(sets);
      expect((await call(db, 'history.state', {})).undo?.summary).toBe(named);
      const graph = () => [db.prepare('SELECT * FROM graph_positions ORDER BY entity_id').all(), db.prepare('SELECT * FROM graph_metrics ORDER BY entity_id').all()];
      const saved = graph();
      const undone = await call(db, 'history.undo', {});
      expect(undone.redo?.summary).toBe(named);
      expect(graph()).toEqual(saved);
      // Everything but the view data is as it was before the edit Undo named.
      expect(caseOnly()).toBe(beforeEdit);
    });
  }

  it('history.undo and history.redo step through the history: Redo takes back exactly the Undo before it', async () => {
    const { db, file } = await filledCase();
    const before = contentDigest(db);
    await (RECIPES['sources.create'] as Recipe)(db, file);
    const after = contentDigest(db);
    const named = (await call(db, 'history.state', {})).undo?.summary;
    const sets = count(db, 'change_sets');
    await (NOT_UNDOABLE['history.undo'] as Recipe)(db, file);
    expect(contentDigest(db)).toBe(before);
    await (NOT_UNDOABLE['history.redo'] as Recipe)(db, file);
    expect(contentDigest(db)).toBe(after);
    expect(count(db, 'change_sets')).toBe(sets);
    expect((await call(db, 'history.state', {})).undo?.summary).toBe(named);
  });

  it('create an entity, create a source, delete the source: Undo brings the source back and keeps the entity', async () => {
    const { db } = await filledCase();
    const entity = await call(db, 'entities.create', { fields: { type: 'organisation', name: 'Harbin Engineering University', country: 'CN' } });
    const source = await call(db, 'sources.create', { kind: 'report', title: 'ASPI: China Defence Universities Tracker', reliability: 'B' });
    await call(db, 'sources.delete', { id: source.id });
    const state = await call(db, 'history.state', {});
    expect(state.undo?.summary).toContain('Deleted source “ASPI');
    await call(db, 'history.undo', {});
    expect((await call(db, 'sources.get', { id: source.id })).title).toBe('ASPI: China Defence Universities Tracker');
    expect((await call(db, 'entities.get', { id: entity.id })).name).toBe('Harbin Engineering University');
    expect((await call(db, 'history.state', {})).undo?.summary).toContain('Added source “ASPI');
  });
});
