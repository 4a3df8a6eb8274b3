import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { SCHEMA_VERSION } from '../../db/core/migrations';
import { newId } from '../../db/core/clock';
import { runCaseOperationAsync } from '../../db/host/operations';
import { entityHasWords, entityIdsWithWord, someEntitiesWithWords } from '../../db/model/name-index';
import { TRIGRAM_REFRESH_ROWS } from '../../db/model/trigram-catch-up';
import { RENUMBER_PIECE_ROWS } from '../../db/model/name-order';
import { createSampleCase } from '../../db/host/sample-case';
import anyAscii from 'any-ascii';
import { nameKey } from '../../shared/name-key';
import type { OpInput } from '../../shared/contract';
import { context, newCase, run } from '../helpers/model';
import { toOlderSchema } from '../helpers/older-schema';
import { tempDir } from '../helpers/temp';

/** What the index must hold, read afresh from the entities and their aliases: a row per entity and one per alias. */
function expectedIndex(db: CaseDb): string[] {
  const rows = db
    .prepare(
      `SELECT id AS entity_id, NULL AS alias_id, name, '' AS alias, concat_ws(char(10), subtype, description, tags) AS other, name_key FROM entities
       UNION ALL SELECT entity_id, id, '', name, '', name_key FROM entity_aliases`,
    )
    .all();
  return rows.map((r) => JSON.stringify(r)).sort();
}

function actualIndex(db: CaseDb): string[] {
  return db
    .prepare('SELECT entity_id, alias_id, name, alias, other, name_key FROM entity_search')
    .all()
    .map((r) => JSON.stringify(r))
    .sort();
}

/**
 * Terms of a trigram index, leaving out those that span two lines (where
 * aliases and keys meet): by row and column in a small case, and in a large
 * one each term's count of rows and of instances per column.
 */
function indexTerms(db: CaseDb, table: string, rows: number): string[] {
  const exact = rows <= 2000;
  db.exec(`DROP TABLE IF EXISTS temp.terms; CREATE VIRTUAL TABLE temp.terms USING fts5vocab(${table.startsWith('temp.') ? 'temp' : 'main'}, ${table.replace(/^temp\./, '')}, '${exact ? 'instance' : 'col'}')`);
  const term = exact ? "DISTINCT doc || ' ' || col || ' ' || term" : "col || ' ' || term || ' ' || doc || ' ' || cnt";
  return (db.prepare(`SELECT ${term} FROM temp.terms WHERE instr(term, char(10)) = 0`).pluck().all() as string[]).sort();
}

/**
 * The index's rows agree with the entities, nothing waits for the trigram
 * index after an operation, every entity has one label and the labels follow
 * the grid's order by name, and the trigram index holds for each label
 * exactly the terms of that entity's name, aliases, other text and keys (read
 * back and compared with an index written afresh from the entities).
 */
function expectIndexTrue(db: CaseDb, step: string): void {
  expect(actualIndex(db), step).toEqual(expectedIndex(db));
  expect(db.prepare('SELECT (SELECT count(*) FROM entity_search WHERE indexed = 0) + (SELECT count(*) FROM entity_search_removed)').pluck().get(), step).toBe(0);
  const labels = db.prepare('SELECT l.label FROM entities e LEFT JOIN entity_labels l ON l.entity_id = e.id ORDER BY e.name COLLATE NOCASE, e.id').pluck().all() as (number | null)[];
  expect(labels.filter((l) => l === null), `${step}: entities without a label`).toEqual([]);
  expect(labels.every((l, i) => i === 0 || (l as number) > (labels[i - 1] as number)), `${step}: labels in name order`).toBe(true);
  expect(db.prepare('SELECT count(*) FROM entity_labels').pluck().get(), step).toBe(labels.length);
  db.exec(`DROP TABLE IF EXISTS temp.fresh; CREATE VIRTUAL TABLE temp.fresh USING fts5 (name, alias, other, key, tokenize = 'trigram remove_diacritics 1');
    INSERT INTO temp.fresh (rowid, name, alias, other, key)
      SELECT l.label, e.name, coalesce((SELECT group_concat(a.name, char(10)) FROM entity_aliases a WHERE a.entity_id = e.id), ''), concat_ws(char(10), e.subtype, e.description, e.tags),
        e.name_key || coalesce((SELECT group_concat(char(10) || a.name_key, '') FROM entity_aliases a WHERE a.entity_id = e.id), '')
      FROM entities e JOIN entity_labels l ON l.entity_id = e.id`);
  const fresh = indexTerms(db, 'temp.fresh', labels.length);
  expect(fresh.length, step).toBeGreaterThan(0);
  expect(indexTerms(db, 'entity_search_fts', labels.length), `${step}: what the trigram index holds`).toEqual(fresh);
  expect(db.prepare("SELECT count(*) FROM entity_search_fts WHERE entity_search_fts MATCH '\"\"' OR rowid > -9007199254740991").pluck().get(), step).toBe(labels.length);
  expect(() => db.prepare("INSERT INTO entity_search_fts (entity_search_fts, rank) VALUES ('integrity-check', 0)").run(), step).not.toThrow();
  db.exec('DROP TABLE temp.terms; DROP TABLE temp.fresh');
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The quick filter as it was before the index: every word LIKE one of the fields or an alias. */
function quickByLike(db: CaseDb, text: string): string[] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '').slice(0, 10);
  const params: string[] = [];
  const clauses = words.map((word) => {
    const like = `%${escapeLike(word)}%`;
    params.push(like, like, like, like, like);
    return "(e.name LIKE ? ESCAPE '\\' OR e.subtype LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\' OR e.tags LIKE ? ESCAPE '\\' OR e.id IN (SELECT entity_id FROM entity_aliases WHERE name LIKE ? ESCAPE '\\'))";
  });
  return (db.prepare(`SELECT e.id FROM entities e ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY e.id`).pluck().all(...params) as string[]).sort();
}

/** The picker as it was before the index: names and aliases LIKE the text, or sharing its name key. */
function pickerByLike(db: CaseDb, text: string): string[] {
  const like = `%${escapeLike(text.trim())}%`;
  const key = nameKey(text);
  return (
    db
      .prepare(
        `SELECT id FROM entities WHERE name LIKE ? ESCAPE '\\' OR name_key = ? AND ? <> ''
         UNION SELECT entity_id FROM entity_aliases WHERE name LIKE ? ESCAPE '\\' OR name_key = ? AND ? <> ''`,
      )
      .pluck()
      .all(like, key, key, like, key, key) as string[]
  ).sort();
}

/** Entities with a name or alias whose name key holds the text's key (of three characters or more). */
function byPartOfKey(db: CaseDb, text: string): string[] {
  const key = nameKey(text);
  if (key.length < 3) return [];
  return db.prepare('SELECT id FROM entities WHERE instr(name_key, ?) UNION SELECT entity_id FROM entity_aliases WHERE instr(name_key, ?)').pluck().all(key, key) as string[];
}

function quickFilter(db: CaseDb, text: string): string[] {
  return run(db, 'entities.page', { startRow: 0, endRow: 1000, quick: text })
    .rows.map((r) => r.id)
    .sort();
}

function picker(db: CaseDb, text: string): string[] {
  return run(db, 'entities.search', { text, limit: 50 })
    .map((r) => r.id)
    .sort();
}

const FIXTURE: OpInput<'entities.create'>['fields'][] = [
  { type: 'organisation', name: 'Beihang University', country: 'CN', description: 'Beijing University of Aeronautics and Astronautics; one of the Seven Sons of National Defence.', tags: ['seven-sons', 'aviation'], aliases: [{ name: '北京航空航天大学', language: 'zh' }, { name: '北航', language: 'zh' }, { name: 'BUAA' }] },
  { type: 'organisation', name: 'Harbin Institute of Technology', country: 'CN', subtype: 'university', aliases: [{ name: '哈尔滨工业大学', language: 'zh' }, { name: '哈工大', language: 'zh' }, { name: 'HIT' }] },
  { type: 'organisation', name: 'Moscow Aviation Institute', country: 'RU', aliases: [{ name: 'Московский авиационный институт', language: 'ru' }, { name: 'МАИ', language: 'ru' }, { name: 'MAI' }] },
  { type: 'organisation', name: 'Московский физико-технический институт', country: 'RU', description: 'Физтех; МФТИ', aliases: [{ name: 'Moscow Institute of Physics and Technology', language: 'en' }, { name: 'MIPT' }] },
  { type: 'organisation', name: 'ЦАГИ', country: 'RU', description: 'Central Aerohydrodynamic Institute (Zhukovsky)', aliases: [{ name: 'Центральный аэрогидродинамический институт', language: 'ru' }] },
  { type: 'organisation', name: 'École Polytechnique', country: 'FR', aliases: [{ name: 'Ecole polytechnique' }, { name: 'l’X' }] },
  { type: 'person', name: 'Jürgen Müller', country: 'DE', description: 'Procurement agent, 50% owner of a front company', tags: ['procurement'] },
  { type: 'person', name: 'Juergen Mueller', country: 'DE', description: 'Same man? Spelled as in the wire transfer_records' },
  { type: 'organisation', name: 'Special Technology Centre', country: 'RU', subtype: 'ООО', description: 'Saint Petersburg; makes the Orlan-10 drone', aliases: [{ name: 'Специальный технологический центр', language: 'ru' }, { name: 'STC' }] },
  { type: 'product', name: 'Orlan-10', country: 'RU', description: 'Орлан-10 unmanned aerial vehicle', tags: ['uav', 'drone'] },
  { type: 'organisation', name: 'Northwestern Polytechnical University', country: 'CN', aliases: [{ name: '西北工业大学', language: 'zh' }, { name: '西工大', language: 'zh' }, { name: 'NPU' }] },
  { type: 'person', name: 'Ли Вэй', country: 'CN', aliases: [{ name: '李伟', language: 'zh' }, { name: 'Li Wei' }] },
  { type: 'organisation', name: '"Quoted" Holdings AND Partners', country: 'GB', description: 'A name with quotes and an FTS5 operator in it', tags: ['shell'] },
];

/** Queries of every shape: Latin in any case, Cyrillic, Chinese of one to four characters, accents, LIKE's wildcards, FTS5 syntax. */
const QUERIES = [
  'beihang', 'BEIHANG', 'Univ', 'university of', 'institut', 'INSTITUTE tech', 'sons', 'seven-sons', 'aviation', 'drone', 'uav', 'Orlan-10', 'orlan 10',
  'Московский', 'институт', 'МАИ', 'МФТИ', 'ЦАГИ', 'Физтех',
  '北京航空', '北航', '航', '大学', '哈工大', '工大', '李伟', '李',
  'École', 'Müller', 'Mueller', 'üll', 'X', 'l’X', 'a', 'ab', 'zz', 'of the',
  '50%', 'transfer_records', '_', '%', '"Quoted"', 'AND', 'AND Partners', 'NEAR', '"', 'ООО', 'university', 'procurement', 'Same man?', 'aviation institute moscow', 'московский ИНСТИТУТ', 'Beihang 北航 university',
];

/** Queries where case or accents differ from the stored text beyond ASCII: the index finds more than LIKE did. */
const FOLDED: [string, string[]][] = [
  ['москов', ['Moscow Aviation Institute', 'Московский физико-технический институт']],
  ['ЦЕНТРАЛЬНЫЙ', ['ЦАГИ']],
  ['muller', ['Jürgen Müller']],
  ['éCOLE', ['École Polytechnique']],
  ['jurgen', ['Jürgen Müller']],
];

function fixture(): CaseDb {
  const { db } = newCase();
  for (const fields of FIXTURE) run(db, 'entities.create', { fields });
  return db;
}

describe('the entities name index', () => {
  it('is kept true through create, edit, alias add and remove, delete, undo, redo and entity merge', () => {
    const db = fixture();
    expectIndexTrue(db, 'created');
    const id = (name: string) => db.prepare('SELECT id FROM entities WHERE name = ?').pluck().get(name) as string;
    const beihang = run(db, 'entities.get', { id: id('Beihang University') });
    run(db, 'entities.update', { id: beihang.id, fields: { ...beihang, name: 'Beihang University (BUAA)', description: 'Renamed', aliases: [...beihang.aliases.filter((a) => a.name !== 'BUAA'), { name: 'Beijing Aeronautics' }] } });
    expectIndexTrue(db, 'edited, one alias removed and one added');
    expect(quickFilter(db, 'BUAA')).toEqual([beihang.id]);
    expect(quickFilter(db, 'Aeronautics')).toEqual([beihang.id]);
    expect(quickFilter(db, 'National Defence')).toEqual([]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'edit undone');
    expect(quickFilter(db, 'National Defence')).toEqual([beihang.id]);
    run(db, 'history.redo', {});
    expectIndexTrue(db, 'edit redone');

    const mai = id('Moscow Aviation Institute');
    run(db, 'entities.delete', { id: mai });
    expectIndexTrue(db, 'deleted');
    expect(quickFilter(db, 'МАИ')).toEqual([]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'delete undone');
    expect(quickFilter(db, 'МАИ')).toEqual([mai]);

    const juergen = id('Juergen Mueller');
    run(db, 'entities.merge', { survivorId: id('Jürgen Müller'), mergedId: juergen });
    expectIndexTrue(db, 'merged');
    expect(quickFilter(db, 'Juergen')).toEqual([id('Jürgen Müller')]);
    expect(picker(db, 'juergen')).toEqual([id('Jürgen Müller')]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'merge undone');
    expect(quickFilter(db, 'Juergen')).toEqual([juergen]);
    run(db, 'history.redo', {});
    expectIndexTrue(db, 'merge redone');
  });

  it('is kept true through a CSV import and its undo', () => {
    const db = fixture();
    const rows = [
      'Научно-исследовательский институт 1,organisation,RU,НИИ-1;NII-1',
      'Xi’an Jiaotong University,organisation,CN,西安交通大学;西交大',
      'Moscow Aviation Institute,organisation,RU,Moskovskiy aviatsionnyy institut',
    ];
    const report = run(db, 'exchange.importCsv', { text: `name,type,country,aliases\n${rows.join('\n')}\n`, kind: 'entities', map: { name: 'name', type: 'type', country: 'country', aliases: 'aliases' } });
    expect(report.errors).toEqual([]);
    expectIndexTrue(db, 'imported');
    expect(quickFilter(db, '西交大')).toHaveLength(1);
    expect(quickFilter(db, 'нии-1')).toHaveLength(1);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'import undone');
    expect(quickFilter(db, '西交大')).toEqual([]);
  });

  it('catches up rows waiting across several pieces, with a rename and a removed alias written outside an operation among them, each row once', () => {
    const db = fixture();
    // Written outside an operation: a row of the fixture waits under its old id, and a removed one waits to leave the trigram index.
    const renamed = db.prepare("SELECT id FROM entities WHERE name = 'Beihang University'").pluck().get() as string;
    db.prepare("UPDATE entities SET name = 'Beihang Zephyrine University', name_key = ? WHERE id = ?").run(nameKey('Beihang Zephyrine University'), renamed);
    expect(db.prepare("DELETE FROM entity_aliases WHERE name = 'МАИ'").run().changes).toBe(1);
    expect(db.prepare('SELECT count(*) FROM entity_search_removed').pluck().get()).toBeGreaterThan(0);
    // Three rows of entity_search per entity, a row of the trigram index each: more entities than a piece holds, and not a whole number of pieces.
    const count = TRIGRAM_REFRESH_ROWS + 7;
    const lines = Array.from({ length: count }, (_, i) => `Piece Works ${i},organisation,RU,Пьес ${i};PW-${i}`);
    const report = run(db, 'exchange.importCsv', { text: `name,type,country,aliases\n${lines.join('\n')}\n`, kind: 'entities', map: { name: 'name', type: 'type', country: 'country', aliases: 'aliases' } });
    expect(report.imported).toBe(count);
    expect(db.prepare('SELECT count(*) FROM entity_search').pluck().get()).toBeGreaterThan(2 * TRIGRAM_REFRESH_ROWS);
    expectIndexTrue(db, 'caught up in pieces');
    expect(quickFilter(db, 'zephyrine')).toEqual([renamed]);
    expect(quickFilter(db, 'МАИ')).toEqual([]);
    expect(quickFilter(db, `PW-${count - 1}`)).toHaveLength(1);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'import undone');
  }, 90_000);

  it('numbers a case afresh in several pieces when an import adds more entities than a piece holds', () => {
    const db = fixture();
    const count = RENUMBER_PIECE_ROWS + 7;
    // Names that do not sort in the order the rows come in, so every piece holds labels from all over the order.
    const lines = Array.from({ length: count }, (_, i) => `Renumbered ${String((i * 7919) % count).padStart(6, '0')} Works,organisation,KZ,RW-${i}`);
    const report = run(db, 'exchange.importCsv', { text: `name,type,country,aliases\n${lines.join('\n')}\n`, kind: 'entities', map: { name: 'name', type: 'type', country: 'country', aliases: 'aliases' } });
    expect(report.imported).toBe(count);
    expectIndexTrue(db, 'numbered afresh in pieces');
    expect(quickFilter(db, 'RW-0')).toHaveLength(1);
    expect(quickFilter(db, `RW-${count - 1}`)).toHaveLength(1);
    expect(db.prepare("SELECT v FROM entity_search_fts_config WHERE k = 'hashsize'").pluck().get()).toBe(1024 * 1024);
  }, 180_000);

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
      const beihang = a.prepare("SELECT id FROM entities WHERE name = 'Beihang University'").pluck().get() as string;
      const entity = run(b, 'entities.get', { id: beihang });
      run(b, 'entities.update', { id: beihang, fields: { ...entity, description: 'Edited by Boris: strong in drone swarming.', aliases: [...entity.aliases, { name: 'Бэйханский университет', language: 'ru' }] } }, 'Boris');
      run(b, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Institute of Physics and Technology', country: 'RU', aliases: [{ name: 'МФТИ', language: 'ru' }] } }, 'Boris');
      b.pragma('wal_checkpoint(TRUNCATE)');
      b.close();
      await runCaseOperationAsync(a, 'merge.apply', { path: fileB, choices: { [`entities:${beihang}`]: 'theirs' } }, context('Alice'));
      expectIndexTrue(a, 'merged');
      expect(quickFilter(a, 'Бэйханский')).toEqual([beihang]);
      expect(quickFilter(a, 'МФТИ')).toHaveLength(1);
      run(a, 'history.undo', {}, 'Alice');
      expectIndexTrue(a, 'merge undone');
      expect(quickFilter(a, 'МФТИ')).toEqual([]);
    } finally {
      a.close();
      if (b.open) b.close();
    }
  });

  it('finds rows written outside an operation before the trigram index catches up, and catches up at the next operation', () => {
    const db = fixture();
    db.prepare("INSERT INTO entities (id, type, name, name_key, tags, created_at, updated_at) VALUES ('raw-1', 'organisation', 'Shenyang Aircraft Corporation', ?, '[]', 'now', 'now')").run(nameKey('Shenyang Aircraft Corporation'));
    db.prepare("INSERT INTO entity_aliases (id, entity_id, name, name_key, position) VALUES ('raw-a', 'raw-1', '沈阳飞机工业', ?, 0)").run(nameKey('沈阳飞机工业'));
    expect(db.prepare('SELECT count(*) FROM entity_search WHERE indexed = 0').pluck().get()).toBe(2);
    expect(quickFilter(db, 'aircraft')).toEqual(['raw-1']);
    expect(quickFilter(db, '飞机工业')).toEqual(['raw-1']);
    expect(picker(db, 'Aircraft Corp')).toEqual(['raw-1']);
    expect(someEntitiesWithWords(db, ['aircraft'], 10)).toEqual(['raw-1']);
    expect(someEntitiesWithWords(db, ['aircraft', 'shenyang', '沈阳'], 10)).toEqual(['raw-1']);
    // An alias removed, and a name changed, outside an operation: the entity is no longer found by what it lost, and still by what it has.
    expect(db.prepare("DELETE FROM entity_aliases WHERE name = 'BUAA'").run().changes).toBe(1);
    expect(db.prepare("UPDATE entities SET name = 'Harbin Polytechnic' WHERE name = 'Harbin Institute of Technology'").run().changes).toBe(1);
    expect(quickFilter(db, 'BUAA')).toEqual([]);
    expect(quickFilter(db, 'beihang')).toHaveLength(1);
    expect(quickFilter(db, 'институт')).toHaveLength(3);
    expect(quickFilter(db, 'Harbin Institute')).toEqual([]);
    expect(quickFilter(db, 'polytechnic')).toHaveLength(2);
    expect(quickFilter(db, '哈尔滨工业')).toHaveLength(1);
    expect(picker(db, 'BUAA')).toEqual([]);
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Aviation Industry Corporation of China' } });
    expectIndexTrue(db, 'caught up');
    expect(quickFilter(db, 'AIRCRAFT')).toEqual(['raw-1']);
  });

  it('is built for the entities already in a case when the case is upgraded', () => {
    const db = fixture();
    const file = db.name;
    // The case as schema 142 left it: a row of the trigram index per name and per alias, numbered as written.
    toOlderSchema(db, 142, 'INSERT INTO entity_search_fts (rowid, name, alias, other, key) SELECT id, name, alias, other, name_key FROM entity_search;');
    db.close();
    const upgraded = openCaseFile(file);
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expectIndexTrue(upgraded, 'upgraded');
      expect(quickFilter(upgraded, 'beihang')).toHaveLength(1);
      expect(quickFilter(upgraded, 'институт')).toHaveLength(3);
    } finally {
      upgraded.close();
    }
  });
});

describe('looking names up in the index', () => {
  it('finds with the quick filter every entity LIKE found, and no other where case and accents are ASCII', () => {
    const db = fixture();
    for (const query of QUERIES) {
      const before = quickByLike(db, query);
      const now = quickFilter(db, query);
      expect(now, query).toEqual(expect.arrayContaining(before));
      // Beyond what LIKE found, only what folding case in every script and accents adds.
      const extra = now.filter((id) => !before.includes(id));
      if (/^[\x20-\x7e]*$/.test(query)) expect(extra, query).toEqual([]);
    }
    // Looking every word up in the index finds the same entities as looking up the rarest and testing the others on its entities' rows.
    for (const query of QUERIES) {
      const words = query.trim().split(/\s+/).filter((w) => w !== '');
      const everyWord = words.map((word) => entityIdsWithWord(word));
      const all = db.prepare(`SELECT e.id FROM entities e ${everyWord.length ? `WHERE ${everyWord.map((w) => `e.id IN (${w.sql})`).join(' AND ')}` : ''} ORDER BY e.id`).pluck().all(...everyWord.flatMap((w) => w.params));
      expect(quickFilter(db, query).sort(), query).toEqual((all as string[]).sort());
    }
    // What a search shows beside its documents: the same entities, found without sorting or counting them.
    for (const query of QUERIES) {
      const words = query.trim().split(/\s+/).filter((w) => w !== '');
      expect(someEntitiesWithWords(db, words, 1000).sort(), query).toEqual(quickFilter(db, query));
    }
    // Nothing but the words' order changes the result; a word must be there whole.
    expect(quickFilter(db, 'tech institute')).toEqual(quickFilter(db, 'INSTITUTE tech'));
    expect(quickFilter(db, 'institute')).not.toEqual([]);
    expect(quickFilter(db, 'instituteX')).toEqual([]);
  });

  it('finds in the picker every entity LIKE or the name key found, and beyond those only names whose key holds the text\'s key', () => {
    const db = fixture();
    for (const query of QUERIES) {
      const before = pickerByLike(db, query);
      const now = picker(db, query);
      expect(now, query).toEqual(expect.arrayContaining(before));
      if (/^[\x20-\x7e]*$/.test(query)) expect(now, query).toEqual([...new Set([...before, ...byPartOfKey(db, query)])].sort());
    }
  });

  it('finds part of a name written in another script from its transliteration, in any romanisation, and names the alias', () => {
    const db = fixture();
    const found = (text: string) => run(db, 'entities.search', { text, limit: 10 }).map((m) => [m.name, m.alias]);
    for (const text of ['Moskovskiy aviatsionnyy', 'Moskovskij aviacionnyj', 'moskovsky aviacion', 'aviatsionnyy institut']) {
      expect(found(text), text).toEqual([['Moscow Aviation Institute', 'Московский авиационный институт']]);
    }
    expect(found('Tsentralnyy aerogidrodinamicheskiy')).toEqual([['ЦАГИ', 'Центральный аэрогидродинамический институт']]);
    expect(found('fiziko-tekhnicheskiy')).toEqual([['Московский физико-технический институт', null]]);
    expect(found('Beijing Hangkong')).toEqual([['Beihang University', '北京航空航天大学']]);
    expect(found('Spetsialnyy tekhnologicheskiy')).toEqual([['Special Technology Centre', 'Специальный технологический центр']]);
    // Part of the Latin name typed in Cyrillic finds it too.
    expect(found('Орлан')).toEqual([['Orlan-10', null]]);
    expect(found('Moskovskiy aviatsionnyy zavod')).toEqual([]);
  });

  it('keeps the keys in the index true when an alias or a name changes, and after undo', () => {
    const db = fixture();
    const mai = run(db, 'entities.search', { text: 'Moscow Aviation', limit: 1 })[0]?.id ?? '';
    const entity = run(db, 'entities.get', { id: mai });
    run(db, 'entities.update', { id: mai, fields: { ...entity, aliases: entity.aliases.filter((a) => a.name !== 'Московский авиационный институт') } });
    expectIndexTrue(db, 'alias removed');
    expect(run(db, 'entities.search', { text: 'Moskovskiy aviatsionnyy', limit: 5 })).toEqual([]);
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'undone');
    expect(run(db, 'entities.search', { text: 'Moskovskiy aviatsionnyy', limit: 5 }).map((m) => m.id)).toEqual([mai]);
  });

  it('finds names whatever their case in any script and their accents, which LIKE did not', () => {
    const db = fixture();
    const names = (ids: string[]) => ids.map((id) => db.prepare('SELECT name FROM entities WHERE id = ?').pluck().get(id)).sort();
    for (const [query, expected] of FOLDED) {
      expect(names(quickFilter(db, query)), query).toEqual(expected.sort());
      expect(names(quickByLike(db, query)).length, query).toBeLessThan(expected.length);
    }
  });

  it('finds two-character Chinese names and one-letter words, alone and beside longer words', () => {
    const db = fixture();
    const id = (name: string) => db.prepare('SELECT id FROM entities WHERE name = ?').pluck().get(name) as string;
    expect(quickFilter(db, '北航')).toEqual([id('Beihang University')]);
    expect(quickFilter(db, '北航 university')).toEqual([id('Beihang University')]);
    expect(quickFilter(db, '北航 Harbin')).toEqual([]);
    expect(run(db, 'entities.search', { text: '北航', limit: 5 })).toEqual([expect.objectContaining({ name: 'Beihang University', alias: '北航' })]);
    expect(run(db, 'entities.search', { text: '西工大', limit: 5 })).toEqual([expect.objectContaining({ name: 'Northwestern Polytechnical University', alias: '西工大' })]);
    expect(quickFilter(db, 'X polytechnique').sort()).toEqual([id('École Polytechnique')]);
  });

  it('ranks names that start with the text first and names the alias that matched', () => {
    const db = fixture();
    const found = run(db, 'entities.search', { text: 'mos', limit: 10 });
    expect(found[0]).toMatchObject({ name: 'Moscow Aviation Institute', alias: null });
    expect(found.find((f) => f.name === 'Московский физико-технический институт')).toMatchObject({ alias: 'Moscow Institute of Physics and Technology' });
    // Found in an alias by folding its case: the alias is the one that holds the text.
    expect(run(db, 'entities.search', { text: 'центральный', limit: 5 })).toEqual([expect.objectContaining({ name: 'ЦАГИ', alias: 'Центральный аэрогидродинамический институт' })]);
  });

  it('reads the index rather than every entity when a word has three characters or more', () => {
    const db = fixture();
    const plan = (words: string[]) => {
      const { clause, params } = entityHasWords(db, 'e.id', words);
      return (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM entities e WHERE ${clause}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    };
    for (const words of [['beihang'], ['beihang', '北航'], ['北航', 'university', 'of'], ['university', 'beihang', 'aero']]) {
      const detail = plan(words);
      // One word is looked up in the index, whatever the number of words: the others are tested on the entities it found.
      expect(detail.match(/VIRTUAL TABLE INDEX/g), words.join(' ')).toHaveLength(1);
      expect(detail, words.join(' ')).not.toMatch(/SCAN e\b/);
      // Only the rows not indexed yet are read row by row, off their own (partial) index, empty after every operation.
      expect(detail.replaceAll('SCAN s USING INDEX entity_search_not_indexed', ''), words.join(' ')).not.toMatch(/SCAN s\b/);
    }
  });
});

describe('name keys of plain ASCII names', () => {
  /** The key as it was worked out before plain ASCII names took a shorter way. */
  function keyTheLongWay(name: string): string {
    const fold = (word: string) =>
      word
        .replace(/j/g, 'y')
        .replace(/shch/g, 'sh')
        .replace(/kh/g, 'h')
        .replace(/ts/g, 'c')
        .replace(/(?:iy|yy|ii|yi)$/, 'y')
        .replace(/(?:iy|yy)(?=[aeiou])/g, 'y')
        .replace(/ye/g, 'e');
    return anyAscii(name.normalize('NFKC'))
      .toLowerCase()
      .replace(/['`"’ʹʺ]/g, '')
      .split(/[^a-z0-9]+/)
      .filter((word) => word !== '')
      .map(fold)
      .join('');
  }

  it('are the keys the long way gives, for transliterations, punctuation and every printable character', () => {
    const names = [
      'Moskovskiy aviatsionnyy institut', 'Moskovskij aviacionnyj institut', "Spetsial'nyy tekhnologicheskiy tsentr", 'Shchukin Yevgeny', 'Khrunichev', 'Tsinghua University',
      'Beijing Hangkong Hangtian Daxue', 'MAI', 'Orlan-10', 'Xi`an "Jiaotong" University', 'AO "NII Polyus" im. M.F. Stelmakha', 'Zhukovskiy & Partners, Ltd.', 'iiyy yiyo',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i += 1) names.push(Array.from({ length: 1 + Math.floor(random() * 24) }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''));
    for (const name of names) expect(nameKey(name), name).toBe(keyTheLongWay(name));
  });
});

describe('a quick filter that thousands of entities match', () => {
  /** A case of 2,680 entities that hold "harbin" (in a name, an alias or a description), in several scripts, and 320 that do not. */
  function bigFixture(): CaseDb {
    const { db } = newCase();
    const insert = db.prepare("INSERT INTO entities (id, type, name, name_key, country, description, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?)");
    const alias = db.prepare('INSERT INTO entity_aliases (id, entity_id, name, name_key, position) VALUES (?, ?, ?, ?, 0)');
    const types = ['organisation', 'person', 'product'];
    db.transaction(() => {
      for (let i = 0; i < 3000; i += 1) {
        const id = newId();
        const name = i % 5 === 0 ? `Хабинский завод ${i}` : i % 5 === 1 ? `哈尔滨 ${i}` : i % 5 === 2 ? `HARBIN Works ${i}` : `Nanjing Trading ${i}`;
        const at = `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`;
        insert.run(id, types[i % 3], name, nameKey(name), i % 7 === 0 ? null : ['CN', 'RU', 'HK'][i % 3], i % 5 === 3 && i < 2600 ? 'office in harbin' : null, at, at);
        if (i % 5 !== 2 && i % 5 !== 3 && i < 2600) alias.run(newId(), id, i % 2 ? `Harbin Plant ${i}` : `Harbín ${i}`, nameKey('Harbin'));
      }
    })();
    // Any operation brings the trigram index up to date with rows written by SQL.
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Placeholder' } });
    return db;
  }

  /** The page as SQL finds it without the index: every entity holding the word in any case or accent, in the grid's order. */
  function reference(db: CaseDb, order: string, where = ''): string[] {
    const has = "(lower(e.name) LIKE '%harbin%' OR lower(coalesce(e.description, '')) LIKE '%harbin%' OR EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id AND replace(lower(a.name), 'í', 'i') LIKE '%harbin%'))";
    return db.prepare(`SELECT e.id FROM entities e WHERE ${has}${where} ${order}`).pluck().all() as string[];
  }

  it('reads every page and the total from one sorted list of the matching entities, the same as without the index, until the case changes', () => {
    const db = bigFixture();
    const sorts: [OpInput<'entities.page'>['sort'], string][] = [
      [[], 'ORDER BY e.name COLLATE NOCASE ASC, e.id ASC'],
      [[{ colId: 'name', sort: 'desc' }], 'ORDER BY e.name COLLATE NOCASE DESC, e.id DESC'],
      [[{ colId: 'country', sort: 'asc' }], 'ORDER BY e.country COLLATE NOCASE ASC NULLS LAST, e.id ASC'],
      [[{ colId: 'updatedAt', sort: 'desc' }, { colId: 'type', sort: 'asc' }], 'ORDER BY e.updated_at COLLATE NOCASE DESC, e.type COLLATE NOCASE ASC, e.id DESC'],
    ];
    for (const [sort, order] of sorts) {
      const expected = reference(db, order);
      expect(expected.length).toBe(2680);
      for (const start of [0, 100, 1300, 2550]) {
        const page = run(db, 'entities.page', { startRow: start, endRow: start + 100, quick: 'Harbin', sort });
        expect(page.total, `${order} at ${start}`).toBe(2680);
        expect(page.rows.map((r) => r.id), `${order} at ${start}`).toEqual(expected.slice(start, start + 100));
      }
    }
    // With a column filter beside it.
    const works = run(db, 'entities.page', { startRow: 0, endRow: 1000, quick: 'harbin', filter: { name: { filterType: 'text', type: 'contains', filter: 'works' } } });
    expect(works.rows.map((r) => r.id)).toEqual(reference(db, 'ORDER BY e.name COLLATE NOCASE ASC, e.id ASC', " AND e.name LIKE '%works%'"));
    expect(works.total).toBe(600);
    // A change is seen at once: a renamed entity leaves the list, and a new one joins it.
    const first = run(db, 'entities.page', { startRow: 0, endRow: 1, quick: 'harbin' }).rows[0];
    if (!first) throw new Error('no first row');
    run(db, 'entities.update', { id: first.id, fields: { ...run(db, 'entities.get', { id: first.id }), name: 'Renamed', aliases: [], description: null } as never });
    run(db, 'entities.create', { fields: { type: 'person', name: 'AAA Harbin newcomer' } });
    const after = run(db, 'entities.page', { startRow: 0, endRow: 5, quick: 'harbin' });
    expect(after.total).toBe(2680);
    expect(after.rows[0]?.name).toBe('AAA Harbin newcomer');
    expect(after.rows.map((r) => r.id)).not.toContain(first.id);
    // A search's first entities with the words: as many as asked, each one the quick filter finds.
    const all = new Set(reference(db, 'ORDER BY e.id'));
    const some = someEntitiesWithWords(db, ['harbin'], 10);
    expect(some).toHaveLength(10);
    for (const id of some) expect(all.has(id)).toBe(true);
    expect(someEntitiesWithWords(db, ['Harbin', 'works', '12'], 1000).sort()).toEqual(run(db, 'entities.page', { startRow: 0, endRow: 1000, quick: 'Harbin works 12' }).rows.map((r) => r.id).sort());
  });

  it('reads pages by name straight off the index in the grid’s order, with more words, a column filter and a country beside the word', () => {
    const db = bigFixture();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    const cases: { quick: string; sort: OpInput<'entities.page'>['sort']; filter?: OpInput<'entities.page'>['filter']; where: string; order: string }[] = [
      { quick: 'harbin', sort: [{ colId: 'name', sort: 'asc' }], where: '', order: 'ORDER BY e.name COLLATE NOCASE ASC, e.id ASC' },
      { quick: 'Harbin plant', sort: [], where: " AND EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id AND lower(a.name) LIKE '%plant%')", order: 'ORDER BY e.name COLLATE NOCASE ASC, e.id ASC' },
      { quick: 'harbin', sort: [{ colId: 'name', sort: 'desc' }], filter: { country: { filterType: 'text', type: 'equals', filter: 'RU' } }, where: " AND e.country = 'RU'", order: 'ORDER BY e.name COLLATE NOCASE DESC, e.id DESC' },
    ];
    for (const c of cases) {
      const expected = reference(db, c.order, c.where);
      expect(expected.length, c.quick).toBeGreaterThan(300);
      for (const start of [0, 150, expected.length - 40]) {
        const page = run(db, 'entities.page', { startRow: start, endRow: start + 100, quick: c.quick, sort: c.sort, ...(c.filter ? { filter: c.filter } : {}) });
        expect(page.rows.map((r) => r.id), `${c.quick} at ${start}`).toEqual(expected.slice(start, start + 100));
        expect(page.total, `${c.quick} at ${start}`).toBe(expected.length);
      }
    }
    // The page comes off the trigram index in its own order: nothing is sorted.
    const detail = plan("SELECT l.entity_id FROM entity_search_fts f CROSS JOIN entity_labels l CROSS JOIN entities e WHERE f.entity_search_fts MATCH 'harbin' AND l.label = f.rowid AND e.id = l.entity_id ORDER BY f.rowid LIMIT 100");
    expect(detail).toMatch(/VIRTUAL TABLE INDEX/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('gives a new entity a label between its neighbours, and spreads a stretch again when no room is left between them', () => {
    const db = fixture();
    const labelOf = (name: string) => db.prepare('SELECT l.label FROM entity_labels l JOIN entities e ON e.id = l.entity_id WHERE e.name = ?').pluck().get(name) as number;
    const beihang = labelOf('Beihang University');
    // Each name sorts just before the one made before it, halving the room below it each time, until a stretch is spread again.
    const spreads: number[] = [];
    for (let i = 0; i < 70; i += 1) {
      const before = db.prepare('SELECT label FROM entity_labels ORDER BY label').pluck().all() as number[];
      run(db, 'entities.create', { fields: { type: 'organisation', name: `Beihang Gap ${String(99 - i).padStart(2, '0')}` } });
      const moved = (db.prepare('SELECT label FROM entity_labels ORDER BY label').pluck().all() as number[]).filter((l) => !before.includes(l));
      if (moved.length > 1) spreads.push(i);
      expect(db.prepare('SELECT count(*) FROM entity_search WHERE indexed = 0').pluck().get()).toBe(0);
    }
    expect(spreads.length, 'stretches spread again').toBeGreaterThan(0);
    expect(labelOf('Beihang University')).not.toBe(beihang);
    expectIndexTrue(db, 'after 70 names, each before the last');
    const page = run(db, 'entities.page', { startRow: 0, endRow: 100, quick: 'beihang' });
    expect(page.rows.map((r) => r.name)).toEqual([...Array.from({ length: 70 }, (_, i) => `Beihang Gap ${String(30 + i).padStart(2, '0')}`), 'Beihang University']);
    // Names that differ only in case sort as the grid sorts them (ASCII case aside, then by ID).
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'beihang gap 50' } });
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Éclair Beihang' } });
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'éclair Beihang' } });
    expectIndexTrue(db, 'names that differ in case');
    const byName = run(db, 'entities.page', { startRow: 0, endRow: 200, quick: 'beihang' }).rows.map((r) => r.id);
    expect(byName).toEqual(db.prepare("SELECT e.id FROM entities e WHERE e.name LIKE '%beihang%' OR e.name LIKE '%Beihang%' ORDER BY e.name COLLATE NOCASE, e.id").pluck().all());
    run(db, 'history.undo', {});
    expectIndexTrue(db, 'undone');
  });

  it('numbers again an entity whose label went missing, on either side of one waiting, instead of failing the write', () => {
    const db = fixture();
    // Labels taken away by SQL with nothing marked waiting: not something the triggers leave, but a write must still go through.
    db.exec("DELETE FROM entity_labels WHERE entity_id IN (SELECT id FROM entities WHERE name IN ('Beihang University', 'École Polytechnique'))");
    // Right before the one without a label, and right after the other.
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'Beihang Aeronautics' } });
    run(db, 'entities.create', { fields: { type: 'organisation', name: 'École Zénith' } });
    expectIndexTrue(db, 'numbered again');
    expect(quickFilter(db, 'beihang')).toHaveLength(2);
    expect(quickFilter(db, 'polytechnique')).toHaveLength(1);
  });
});
