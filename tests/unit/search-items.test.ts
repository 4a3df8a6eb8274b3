import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../shared/evidence';
import { addExcerpt, addSource, BEIHANG, MAI, newCase, run } from '../helpers/model';
import { cliPath } from '../helpers/temp';

function caseWithItems() {
  const { db, file } = newCase('search-items.caseboard');
  const mai = run(db, 'entities.create', { fields: MAI });
  const beihang = run(db, 'entities.create', { fields: BEIHANG });
  run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', direction: 'directed', startDate: '2017', endDate: null, status: 'active', confidence: null, notes: 'An aircraft-engine master’s programme.', tags: [] } });
  addExcerpt(db, addSource(db, 'Beihang and MAI'), 'Beihang University and the Moscow Aviation Institute run a joint programme.');
  return { db, file, mai, beihang };
}

describe('search finds entities and links as well as documents', () => {
  it('finds an entity by an alias in another script, and a link by its type or notes', () => {
    const { db, mai } = caseWithItems();
    const byAlias = run(db, 'search.query', { query: 'авиационный' });
    expect(byAlias.items).toEqual([{ kind: 'entity', id: mai.id, name: 'Moscow Aviation Institute', detail: 'Organisation · RU' }]);
    const byType = run(db, 'search.query', { query: 'joint programme' });
    expect(byType.items.filter((i) => i.kind === 'link').map((i) => i.name)).toEqual(['Beihang University — joint programme — Moscow Aviation Institute']);
    expect(byType.hits.map((h) => h.kind)).toEqual(['excerpt']);
    expect(run(db, 'search.query', { query: 'master’s' }).items.map((i) => `${i.kind}: ${i.name}`)).toEqual(['link: Beihang University — joint programme — Moscow Aviation Institute']);
  });

  it('keeps to the kinds asked for', () => {
    const { db } = caseWithItems();
    const entities = run(db, 'search.query', { query: 'Moscow', kinds: ['entity'] });
    expect(entities.hits).toEqual([]);
    expect(entities.items.map((i) => i.kind)).toEqual(['entity']);
    const documents = run(db, 'search.query', { query: 'Moscow', kinds: ['excerpt'] });
    expect(documents.items).toEqual([]);
    expect(documents.hits.map((h) => h.kind)).toEqual(['excerpt']);
    const links = run(db, 'search.query', { query: 'Moscow', kinds: ['link'] });
    expect(links.items.map((i) => i.kind)).toEqual(['link']);
  });

  it('prints each hit with its kind on the command line, and in JSON', () => {
    const { db, file } = caseWithItems();
    db.close();
    const json = spawnSync(process.execPath, [cliPath, 'search', file, 'Moscow', '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    const result = JSON.parse(json.stdout) as SearchResult;
    expect([...new Set([...result.items.map((i) => i.kind), ...result.hits.map((h) => h.kind)])].sort()).toEqual(['entity', 'excerpt', 'link']);
    const plain = spawnSync(process.execPath, [cliPath, 'search', file, 'Moscow'], { encoding: 'utf8' });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('entity: Moscow Aviation Institute (Organisation · RU)');
    expect(plain.stdout).toContain('link: Beihang University — joint programme — Moscow Aviation Institute (2017–)');
    const bad = spawnSync(process.execPath, [cliPath, 'search', file, 'Moscow', '--kind', 'person'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('entity');
  });
});
