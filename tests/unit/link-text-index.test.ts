import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { SCHEMA_VERSION } from '../../db/core/migrations/index';
import { newId } from '../../db/core/clock';
import { runCaseOperationAsync } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { linkGridWhere } from '../../db/model/links';
import { someLinksWithWords } from '../../db/model/name-index';
import { context, newCase, run } from '../helpers/model';
import { toOlderSchema } from '../helpers/older-schema';
import { tempDir } from '../helpers/temp';

/**
 * The index's rows agree with the links, nothing waits for the trigram index
 * after an operation, and the trigram index finds every row by its text and
 * holds no other.
 */
function expectIndexTrue(db: CaseDb, step: string): void {
  const expected = db.prepare("SELECT id, concat_ws(char(10), type, notes, tags) AS text FROM links ORDER BY id").all();
  const actual = db.prepare('SELECT link_id AS id, text FROM link_search ORDER BY link_id').all();
  expect(actual, step).toEqual(expected);
  expect(db.prepare('SELECT (SELECT count(*) FROM link_search WHERE indexed = 0) + (SELECT count(*) FROM link_search_removed)').pluck().get(), step).toBe(0);
  const find = db.prepare('SELECT rowid FROM link_search_fts WHERE link_search_fts MATCH ?').pluck();
  for (const row of db.prepare('SELECT id, text FROM link_search').all() as { id: number; text: string }[]) {
    const first = row.text.split('\n')[0] ?? '';
    if ([...first].length >= 3) expect(find.all(`"${first.replaceAll('"', '""')}"`), `${step}: ${first}`).toContain(row.id);
  }
  expect(db.prepare("SELECT count(*) FROM link_search_fts WHERE link_search_fts MATCH '\"\"' OR rowid > 0").pluck().get(), step).toBe(actual.length);
  expect(() => db.prepare("INSERT INTO link_search_fts (link_search_fts, rank) VALUES ('integrity-check', 0)").run(), step).not.toThrow();
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The links' quick filter as it was before the index: every word LIKE the type, the notes, the tags or the name of either end. */
function quickByLike(db: CaseDb, text: string): string[] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '').slice(0, 10);
  const params: string[] = [];
  const clauses = words.map((word) => {
    const like = `%${escapeLike(word)}%`;
    params.push(like, like, like, like, like);
    return "(l.type LIKE ? ESCAPE '\\' OR l.notes LIKE ? ESCAPE '\\' OR l.tags LIKE ? ESCAPE '\\' OR f.name LIKE ? ESCAPE '\\' OR t.name LIKE ? ESCAPE '\\')";
  });
  return (db.prepare(`SELECT l.id FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`).pluck().all(...params) as string[]).sort();
}

function quickFilter(db: CaseDb, text: string): string[] {
  const page = run(db, 'links.page', { startRow: 0, endRow: 1000, quick: text });
  expect(page.total, text).toBe(page.rows.length);
  return page.rows.map((r) => r.id).sort();
}

function fixture(): { db: CaseDb; id: (name: string) => string } {
  const { db } = newCase();
  const create = (name: string, country: string) => run(db, 'entities.create', { fields: { type: 'organisation', name, country } }).id;
  const beihang = create('Beihang University', 'CN');
  const mai = create('Moscow Aviation Institute', 'RU');
  const cagi = create('ЦАГИ', 'RU');
  const stc = create('Special Technology Centre', 'RU');
  const link = (fromId: string, toId: string, type: string, notes?: string, tags?: string[]) => run(db, 'links.create', { fields: { fromId, toId, type, ...(notes ? { notes } : {}), ...(tags ? { tags } : {}) } });
  link(beihang, mai, 'joint programme', "Master's programme in aircraft engines", ['aero-engines']);
  link(mai, cagi, 'партнёр', 'Совместные испытания в аэродинамической трубе Т-128');
  link(stc, mai, 'supplies', 'Orlan-10 airframes; 50% paid in advance', ['drones', 'sanctions_evasion']);
  link(beihang, cagi, 'visited', 'Delegation led by Prof. Müller');
  link(cagi, stc, 'of', 'Short type');
  const names = new Map((db.prepare('SELECT name, id FROM entities').raw().all() as [string, string][]).map(([name, id]) => [name, id]));
  return { db, id: (name) => names.get(name) as string };
}

const QUERIES = ['programme', 'PROGRAMME', 'joint', 'aircraft engines', 'aero-engines', 'партнёр', 'ПАРТНЁР', 'труб', 'Orlan-10', '50%', 'sanctions_evasion', '_', '%', 'of', 'visited beihang', 'beihang', 'Moscow supplies', 'Müller', 'T-128', 'Т-128', 'nothing', '"drones"', 'ЦАГИ партнёр', 'supplies nowhereatall', 'nowhereatall programme', 'programme zzz'];

describe('the links text index', () => {
  it('finds with the quick filter every link LIKE found, and no other where case and accents are ASCII', () => {
    const { db } = fixture();
    expectIndexTrue(db, 'created');
    let found = 0;
    for (const query of QUERIES) {
      const before = quickByLike(db, query);
      const now = quickFilter(db, query);
      expect(now, query).toEqual(expect.arrayContaining(before));
      if (/^[\x20-\x7e]*$/.test(query)) expect(now, query).toEqual(before);
      found += now.length;
    }
    expect(found).toBeGreaterThan(20);
    // What a search shows beside its documents: the same links, found without sorting or counting them.
    for (const query of QUERIES) {
      const words = query.trim().split(/\s+/).filter((w) => w !== '');
      const some = someLinksWithWords(db, words, 1000);
      if (words.every((w) => [...w].length >= 3)) expect(some?.sort(), query).toEqual(quickFilter(db, query));
      else expect(some, query).toBeNull();
    }
    const one = someLinksWithWords(db, ['moscow'], 1);
    expect(one).toHaveLength(1);
    expect(quickFilter(db, 'moscow')).toContain(one?.[0]);
    // Case and accents folded in every script, which LIKE did not.
    expect(quickFilter(db, 'ПАРТНЁР')).toHaveLength(1);
    expect(quickFilter(db, 'muller')).toHaveLength(1);
  });

  it('reads the indexes rather than every link when a word has three characters or more', () => {
    const { db } = fixture();
    const { where, params, from } = linkGridWhere(db, { filter: {}, quick: 'programme beihang' });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) ${from} ${where}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SCAN lf VIRTUAL TABLE INDEX/);
    expect(plan).not.toMatch(/SCAN l\b/);
  });

  it('is kept true through create, edit, delete, undo, redo, a CSV import and its undo', () => {
    const { db, id } = fixture();
    const link = run(db, 'links.page', { startRow: 0, endRow: 10, quick: 'Orlan' }).rows[0];
    if (!link) throw new Error('no link');
    run(db, 'links.update', { id: link.id, fields: { fromId: link.from.id, toId: link.to.id, type: 'supplied', notes: 'Kub-BLA loitering munitions', tags: ['loitering'] } });
    expectIndexTrue(db, 'edited');
    expect(quickFilter(db, 'Orlan')).toEqual([]);
    expect(quickFilter(db, 'kub-bla')).toEqual([link.id]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'edit undone');
    expect(quickFilter(db, 'Orlan')).toEqual([link.id]);
    run(db, 'history.redo', {});
    expectIndexTrue(db, 'edit redone');
    run(db, 'links.delete', { id: link.id });
    expectIndexTrue(db, 'deleted');
    expect(quickFilter(db, 'loitering')).toEqual([]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'delete undone');
    expect(quickFilter(db, 'loitering')).toEqual([link.id]);
    // Deleting an entity takes its links with it.
    run(db, 'entities.delete', { id: id('Special Technology Centre'), withLinks: true });
    expectIndexTrue(db, 'entity with its links deleted');
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'entity delete undone');

    const report = run(db, 'exchange.importCsv', { text: 'from,to,type,notes\nBeihang University,ЦАГИ,wind-tunnel tests,Испытания модели самолёта\n', kind: 'links', map: {} });
    expect(report.errors).toEqual([]);
    expectIndexTrue(db, 'imported');
    expect(quickFilter(db, 'САМОЛЁТА')).toHaveLength(1);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'import undone');
    expect(quickFilter(db, 'самолёта')).toEqual([]);
  });

  it('finds links written outside an operation before the trigram index catches up, and catches up at the next operation', () => {
    const { db, id } = fixture();
    db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, notes, tags, created_at, updated_at) VALUES ('raw-link', ?, ?, 'licensed', 'directed', 'active', 'Engine licence of 2019', '[]', 'now', 'now')").run(id('Beihang University'), id('Special Technology Centre'));
    expect(db.prepare('SELECT count(*) FROM link_search WHERE indexed = 0').pluck().get()).toBe(1);
    expect(quickFilter(db, 'licence')).toEqual(['raw-link']);
    expect(quickFilter(db, 'licence beihang')).toEqual(['raw-link']);
    // The indexes cannot say yet: a search falls back on the grid's quick filter.
    expect(someLinksWithWords(db, ['licence'], 10)).toBeNull();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Rostec' } });
    expectIndexTrue(db, 'caught up');
    expect(quickFilter(db, 'LICENCE')).toEqual(['raw-link']);
  });

  it('is kept true through a merge of two copies of a case, and its undo', async () => {
    const dir = tempDir();
    const base = path.join(dir, 'base.caseboard');
    const sample = createSampleCase(base);
    sample.pragma('wal_checkpoint(TRUNCATE)');
    sample.close();
    const fileA = path.join(dir, 'alice.caseboard');
    const fileB = path.join(dir, 'boris.caseboard');
    copyFileSync(base, fileA);
    copyFileSync(base, fileB);
    const a = openCaseFile(fileA);
    const b = openCaseFile(fileB);
    try {
      expectIndexTrue(a, 'sample');
      const [from, to] = b.prepare('SELECT id FROM entities ORDER BY id LIMIT 2').pluck().all() as string[];
      run(b, 'links.create', { fields: { fromId: from as string, toId: to as string, type: 'co-authored', notes: 'Статья о гиперзвуковых двигателях' } }, 'Boris');
      b.pragma('wal_checkpoint(TRUNCATE)');
      b.close();
      await runCaseOperationAsync(a, 'merge.apply', { path: fileB, choices: {} }, context('Alice'));
      expectIndexTrue(a, 'merged');
      expect(quickFilter(a, 'гиперзвуковых')).toHaveLength(1);
      run(a, 'history.undo', {}, 'Alice');
      expectIndexTrue(a, 'merge undone');
      expect(quickFilter(a, 'гиперзвуковых')).toEqual([]);
    } finally {
      a.close();
      if (b.open) b.close();
    }
  });

  it('is built for the links already in a case when the case is upgraded', () => {
    const { db } = fixture();
    const file = db.name;
    // The case as the schema before the index left it (and without what later migrations add).
    toOlderSchema(db, 140, 'INSERT INTO entity_search_fts (rowid, name, alias, other, key) SELECT id, name, alias, other, name_key FROM entity_search;');
    db.close();
    const upgraded = openCaseFile(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expectIndexTrue(upgraded, 'upgraded');
      expect(quickFilter(upgraded, 'programme')).toHaveLength(1);
    } finally {
      upgraded.close();
    }
  });

  it('reads pages and the total of a word thousands of links hold from one sorted list, the same as without the index, until the case changes', () => {
    const { db, id } = fixture();
    const ends = [id('Beihang University'), id('Moscow Aviation Institute'), id('ЦАГИ'), id('Special Technology Centre')];
    const insert = db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, notes, tags, created_at, updated_at) VALUES (?, ?, ?, ?, 'directed', 'active', ?, '[]', ?, ?)");
    db.transaction(() => {
      for (let i = 0; i < 2600; i += 1) {
        const at = `2026-02-${String(1 + (i % 27)).padStart(2, '0')}T00:00:00.000Z`;
        insert.run(newId(), ends[i % 4], ends[(i + 1) % 4], i % 3 ? 'shipment' : 'Shipments of parts', i % 5 === 0 ? `Invoice ${i}` : null, at, at);
      }
    })();
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Rostec' } });
    const reference = (order: string, extra = '') =>
      db.prepare(`SELECT l.id FROM links l WHERE (l.type LIKE '%shipment%' OR l.notes LIKE '%shipment%')${extra} ${order}`).pluck().all() as string[];
    for (const [sort, order] of [
      [[], 'ORDER BY l.updated_at COLLATE NOCASE DESC, l.id DESC'],
      [[{ colId: 'type', sort: 'asc' }], 'ORDER BY l.type COLLATE NOCASE ASC, l.id ASC'],
    ] as const) {
      const expected = reference(order);
      expect(expected).toHaveLength(2600);
      for (const start of [0, 900, 2550]) {
        const page = run(db, 'links.page', { startRow: start, endRow: start + 100, quick: 'SHIPMENT', sort: [...sort] });
        expect(page.total).toBe(2600);
        expect(page.rows.map((r) => r.id)).toEqual(expected.slice(start, start + 100));
      }
    }
    // A second word is tested on the links the first found.
    expect(quickFilter(db, 'shipment invoice')).toEqual(reference('', " AND l.notes LIKE '%invoice%'").sort());
    // A change is seen at once.
    const first = run(db, 'links.page', { startRow: 0, endRow: 1, quick: 'shipment' }).rows[0];
    if (!first) throw new Error('no first row');
    run(db, 'links.delete', { id: first.id });
    const after = run(db, 'links.page', { startRow: 0, endRow: 100, quick: 'shipment' });
    expect(after.total).toBe(2599);
    expect(after.rows.map((r) => r.id)).not.toContain(first.id);
  });
});

