import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { LARGE_IMPORT_ROWS, LargeImport } from '../../db/exchange/large-import';
import { runCaseOperation, runCaseOperationAsync } from '../../db/host/operations';
import { refreshNameIndex } from '../../db/model/name-index';
import { nameKey } from '../../shared/name-key';
import { schema, watched } from '../helpers/large-import';
import { count, newCase, run } from '../helpers/model';

const AT = '2026-12-04T10:00:00.000Z';
const NEW_ENTITIES = 400;
const SCRIPTS = ['Firm', 'Завод', '精密机械公司'];

/** An ID of the test's own, the same in both cases compared, in the order the rows are written. */
const idOf = (kind: string, n: number) => `0193a000-0000-7000-8000-${kind}${String(n).padStart(11, '0')}`;

/** A case with ten entities, two aliases each, and five links, all in the trigram indexes and labelled, as any case is after an operation. */
function caseBefore(): CaseDb {
  const { db } = newCase();
  db.transaction(() => {
    for (let i = 0; i < 10; i += 1) {
      addEntity(db, idOf('a', i), `Old Works ${i}`, i % 2 ? 'Precision parts' : null);
      addAlias(db, idOf('b', 2 * i), idOf('a', i), `OW-${i}`);
      addAlias(db, idOf('b', 2 * i + 1), idOf('a', i), `Старый завод ${i}`);
    }
    for (let i = 0; i < 5; i += 1) addLink(db, idOf('c', i), idOf('a', i), idOf('a', i + 1), 'owns', null);
    refreshNameIndex(db);
    db.prepare('DELETE FROM mention_dirty').run();
  })();
  return db;
}

function addEntity(db: CaseDb, id: string, name: string, description: string | null, subtype: string | null = null, tags = '[]'): void {
  db.prepare('INSERT INTO entities (id, type, subtype, name, name_key, description, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    'organisation',
    subtype,
    name,
    nameKey(name),
    description,
    tags,
    AT,
    AT,
  );
}

function addAlias(db: CaseDb, id: string, entityId: string, name: string): void {
  db.prepare('INSERT INTO entity_aliases (id, entity_id, name, name_key) VALUES (?, ?, ?, ?)').run(id, entityId, name, nameKey(name));
}

function addLink(db: CaseDb, id: string, from: string, to: string, type: string, notes: string | null, tags = '[]'): void {
  db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, notes, tags, created_at, updated_at) VALUES (?, ?, ?, ?, 'directed', 'active', ?, ?, ?, ?)").run(
    id,
    from,
    to,
    type,
    notes,
    tags,
    AT,
    AT,
  );
}

/**
 * What an import writes, row by row, as SQL: new entities in three scripts
 * with and without subtypes, descriptions and tags; aliases of new entities
 * and of entities the case had; a new entity renamed and an old one given a
 * description after they were written; an alias removed; and links between
 * new and old entities with notes and tags.
 */
function writeRows(db: CaseDb): void {
  for (let i = 0; i < NEW_ENTITIES; i += 1) {
    const id = idOf('d', i);
    addEntity(db, id, `${SCRIPTS[i % 3] as string} ${i}`, i % 4 === 0 ? `Supplies turbine blades ${i}` : null, i % 5 === 0 ? 'university' : null, i % 7 === 0 ? '["drones"]' : '[]');
    for (let a = 0; a < i % 3; a += 1) addAlias(db, idOf('e', 3 * i + a), id, `${SCRIPTS[(i + a + 1) % 3] as string}-${i}-${a}`);
    if (i % 80 === 0) addAlias(db, idOf('f', i), idOf('a', i / 80), `Acquired name ${i}`);
  }
  db.prepare('UPDATE entities SET name = ?, name_key = ? WHERE id = ?').run('Renamed Turbine Works', nameKey('Renamed Turbine Works'), idOf('d', 3));
  db.prepare('UPDATE entities SET description = ? WHERE id = ?').run('Now a turbine maker', idOf('a', 2));
  db.prepare('DELETE FROM entity_aliases WHERE id = ?').run(idOf('e', 3 * 5 + 1));
  for (let i = 0; i < NEW_ENTITIES; i += 1) {
    const to = i % 9 === 0 ? idOf('a', i % 10) : idOf('d', (i + 1) % NEW_ENTITIES);
    addLink(db, idOf('g', i), idOf('d', i), to, i % 2 ? 'supplies' : 'владеет', i % 3 === 0 ? `Contract ${i} for turbine parts` : null, i % 11 === 0 ? '["aero-engines"]' : '[]');
  }
}

/** What the triggers write for the rows: the name index's and the links' text index's rows (in the order each item's rows were written), the marks for the mentions, the labels given up and the links counted. */
function derived(db: CaseDb): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).raw().all();
  return {
    entitySearch: all('SELECT entity_id, alias_id, name, alias, other, name_key, indexed FROM entity_search ORDER BY entity_id, id'),
    mentionMarks: all('SELECT kind, item_id FROM mention_dirty ORDER BY kind, item_id'),
    labels: all('SELECT entity_id, label FROM entity_labels ORDER BY entity_id'),
    labelsRemoved: all('SELECT id FROM entity_search_removed ORDER BY id'),
    linkSearch: all('SELECT link_id, text FROM link_search ORDER BY id'),
    degrees: all('SELECT entity_id, degree FROM entity_degrees ORDER BY entity_id'),
  };
}

/** What the trigram indexes find for a few words, once they have caught up. */
function found(db: CaseDb): Record<string, unknown[]> {
  db.transaction(() => refreshNameIndex(db))();
  const entities = (word: string) =>
    db
      .prepare('SELECT l.entity_id FROM entity_search_fts f CROSS JOIN entity_labels l WHERE f.entity_search_fts MATCH ? AND l.label = f.rowid ORDER BY l.label')
      .pluck()
      .all(`"${word}"`);
  const links = (word: string) => db.prepare('SELECT s.link_id FROM link_search_fts f CROSS JOIN link_search s ON s.id = f.rowid WHERE f.link_search_fts MATCH ? ORDER BY s.link_id').pluck().all(`"${word}"`);
  return {
    // A large import puts its links' rows in the trigram index itself; left waiting, they are put in as the index catches up.
    linkRows: db.prepare('SELECT link_id, text, indexed FROM link_search ORDER BY id').raw().all(),
    turbine: entities('turbine'),
    zavod: entities('завод'),
    acquired: entities('Acquired'),
    chinese: entities('精密机械'),
    university: entities('university'),
    drones: entities('drones'),
    renamed: entities('Renamed'),
    removedAlias: entities('-5-1'),
    linkTurbine: links('turbine'),
    linkEngines: links('aero-engines'),
    linkOwns: links('владеет'),
  };
}

describe('a large import leaves the triggers on new rows out', () => {
  it('writes for the rows it added what those triggers would have written, and puts them back', () => {
    const kept = caseBefore();
    kept.transaction(() => writeRows(kept))();

    const large = caseBefore();
    const before = schema(large);
    let leftOut: string[] = [];
    large.transaction(() => {
      const entities = new LargeImport(large, 'entities');
      const links = new LargeImport(large, 'links');
      expect(entities.decide(LARGE_IMPORT_ROWS)).toBe(true);
      expect(links.decide(LARGE_IMPORT_ROWS)).toBe(true);
      leftOut = before.filter((o) => !schema(large).includes(o)).map((o) => o.split(' ')[1] ?? '');
      writeRows(large);
      entities.finish();
      links.finish();
    })();
    expect(leftOut).toEqual(expect.arrayContaining(['entities_search_ai', 'entities_mentions_ai', 'entity_aliases_search_ai', 'entity_aliases_mentions_ai', 'links_search_ai']));
    expect(schema(large)).toEqual(before);

    const written = derived(large);
    // Every new entity, alias and link has its rows, and the old entities given an alias lost their labels.
    expect(written.entitySearch).toHaveLength(count(large, 'entities') + count(large, 'entity_aliases'));
    expect(written.linkSearch).toHaveLength(count(large, 'links'));
    expect(written.labels).toHaveLength(10 - NEW_ENTITIES / 80);
    expect(written).toEqual(derived(kept));
    expect(found(large)).toEqual(found(kept));
    expect(found(large).acquired).toHaveLength(NEW_ENTITIES / 80);
    expect(large.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps the triggers when SQLite might number new rows out of order, and still leaves the indexes out', () => {
    const db = caseBefore();
    const before = schema(db);
    db.transaction(() => {
      addEntity(db, idOf('h', 0), 'Last numbered works', null);
      db.prepare('UPDATE entities SET rowid = 9007199254740993 WHERE id = ?').run(idOf('h', 0));
      const entities = new LargeImport(db, 'entities');
      expect(entities.decide(LARGE_IMPORT_ROWS)).toBe(true);
      const now = schema(db);
      const leftOut = before.filter((o) => !now.includes(o)).map((o) => o.split(' ')[1]);
      expect(leftOut).toContain('entities_name');
      expect(leftOut).not.toContain('entities_search_ai');
      addEntity(db, idOf('h', 1), 'Written after it', null);
      entities.finish();
    })();
    expect(schema(db)).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM entity_search WHERE entity_id IN (?, ?)').pluck().get(idOf('h', 0), idOf('h', 1))).toBe(2);
  });

  it('finds the mentions in attached text of the entities a large CSV import adds, as an import that keeps them does', async () => {
    const names = (db: CaseDb) => db.prepare('SELECT e.name, m.text FROM mentions m JOIN entities e ON e.id = m.entity_id ORDER BY e.name, m.char_start').raw().all();
    const rows = ['name,type,aliases'];
    for (let i = 0; i < LARGE_IMPORT_ROWS + 1_000; i += 1) rows.push(`Kazan Works ${i},organisation,KW-${i}`);
    const file = `${rows.join('\n')}\n`;
    const article = 'Kazan Works 17 shipped parts to Kazan Works 40000; the invoice names KW-502 and KW-50207.';
    const withText = async (onMatch: 'skip' | 'update') => {
      const { db } = newCase();
      await runCaseOperationAsync(db, 'attachments.add', { file: { name: 'invoice.txt', base64: Buffer.from(article).toString('base64') } }, watched().ctx);
      const { ctx, messages } = watched();
      runCaseOperation(db, 'exchange.importCsv', { text: file, kind: 'entities', map: {}, onMatch }, ctx);
      return { db, leftOut: messages.includes('Building the indexes') };
    };
    const large = await withText('skip');
    const kept = await withText('update');
    expect(large.leftOut).toBe(true);
    expect(kept.leftOut).toBe(false);
    expect(names(large.db)).toEqual([
      ['Kazan Works 17', 'Kazan Works 17'],
      ['Kazan Works 40000', 'Kazan Works 40000'],
      ['Kazan Works 502', 'KW-502'],
      ['Kazan Works 50207', 'KW-50207'],
    ]);
    expect(names(large.db)).toEqual(names(kept.db));
    const quick = (db: CaseDb) => run(db, 'entities.page', { startRow: 0, endRow: 5, sort: [{ colId: 'name', sort: 'asc' }], quick: 'KW-5020' }).total;
    expect(quick(large.db)).toBe(11);

    // One Undo takes the import back with its mentions and its rows of the name index, and Redo brings them all back.
    run(large.db, 'history.undo', {});
    expect(names(large.db)).toEqual([]);
    expect(count(large.db, 'entity_search')).toBe(0);
    expect(quick(large.db)).toBe(0);
    run(large.db, 'history.redo', {});
    expect(names(large.db)).toEqual(names(kept.db));
    expect(count(large.db, 'entity_search')).toBe(count(kept.db, 'entity_search'));
    expect(quick(large.db)).toBe(11);
  }, 120_000);
});
