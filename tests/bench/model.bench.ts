import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { saveMetrics } from '../../db/graph/graph';
import { runCaseOperation, type CaseOperationName } from '../../db/host/operations';
import type { OpInput } from '../../shared/contract';
import { fillCase } from '../helpers/bulk';
import { refreshNameIndex } from '../../db/model/name-index';

// A large case: 100,000 entities with 200,000 aliases, 300,000 links, area tags and citations.
const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-'));
const db = createCaseFile(path.join(folder, 'large.caseboard'), { title: 'Large case' });
const started = performance.now();
const { entityIds, linkIds } = fillCase(db, 100_000, 300_000);
console.log(`filled ${entityIds.length} entities and ${linkIds.length} links in ${Math.round(performance.now() - started)} ms`);
const area = (db.prepare("SELECT id FROM technology_areas WHERE name = 'aerospace and aeronautics'").get() as { id: string }).id;
const ctx = { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined };
const run = <N extends CaseOperationName>(name: N, input: OpInput<N>) => runCaseOperation(db, name, input, ctx);
// Network measures as the graph view stores them, for nine entities in ten (the rest count as not measured yet).
db.transaction(() => saveMetrics(db, entityIds.filter((_id, i) => i % 10 !== 9).map((id, i) => ({ id, degree: i % 17, betweenness: ((i * 7919) % 1000) / 1000, pagerank: ((i * 104729) % 100_000) / 1e7, community: null })), true))();
// Link filters of the graph and timeline: one link type, a period and a source grade (a few thousand links match).
const linkFilters = { linkTypes: ['joint programme'], period: { from: '2010-01-01', to: '2012-12-31' }, minReliability: 'B' as const, asOf: '2026-11-28' };

afterAll(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

const options = { time: 1500, warmupIterations: 2 };

describe('entities grid (100,000 entities)', () => {
  bench('first page, sorted by name', () => void run('entities.page', { startRow: 0, endRow: 100 }), options);
  bench('page 500, sorted by name descending', () => void run('entities.page', { startRow: 50_000, endRow: 50_100, sort: [{ colId: 'name', sort: 'desc' }] }), options);
  bench('filtered by technology area', () => void run('entities.page', { startRow: 0, endRow: 100, areaId: area }), options);
  bench('quick filter on names and aliases', () => void run('entities.page', { startRow: 0, endRow: 100, quick: 'Институт 4242' }), options);
  bench('first page, sorted by PageRank', () => void run('entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'pagerank', sort: 'desc' }] }), options);
  bench('page 500, sorted by PageRank', () => void run('entities.page', { startRow: 50_000, endRow: 50_100, sort: [{ colId: 'pagerank', sort: 'desc' }] }), options);
  bench('first page, sorted by degree', () => void run('entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'degree', sort: 'desc' }] }), options);
  bench('page 500, sorted by degree ascending', () => void run('entities.page', { startRow: 50_000, endRow: 50_100, sort: [{ colId: 'degree', sort: 'asc' }] }), options);
  bench('sorted by degree within a country', () => void run('entities.page', { startRow: 0, endRow: 100, sort: [{ colId: 'degree', sort: 'desc' }], filters: { countries: ['RU'] } }), options);
  bench('shared filters: entity type and country', () => void run('entities.page', { startRow: 0, endRow: 100, filters: { entityTypes: ['organisation'], countries: ['RU'] } }), options);
  bench('shared filters: link type, period and grade', () => void run('entities.page', { startRow: 0, endRow: 100, filters: linkFilters }), options);
  bench('shared filters: a country no entity has', () => void run('entities.page', { startRow: 0, endRow: 100, filters: { countries: ['US'] } }), options);
});

describe('links grid (300,000 links)', () => {
  bench('first page, newest first', () => void run('links.page', { startRow: 0, endRow: 100 }), options);
  bench('sorted by start date', () => void run('links.page', { startRow: 1000, endRow: 1100, sort: [{ colId: 'startDate', sort: 'asc' }] }), options);
  bench('filtered by technology area', () => void run('links.page', { startRow: 0, endRow: 100, areaId: area }), options);
  bench('sorted by the from entity’s name', () => void run('links.page', { startRow: 0, endRow: 100, sort: [{ colId: 'fromName', sort: 'asc' }] }), options);
  bench('shared filters: link type, period and grade', () => void run('links.page', { startRow: 0, endRow: 100, filters: linkFilters }), options);
  bench('shared filters: entity type of both ends', () => void run('links.page', { startRow: 0, endRow: 100, filters: { entityTypes: ['organisation', 'person'] } }), options);
  bench('shared filters: area and source grade', () => void run('links.page', { startRow: 0, endRow: 100, filters: { areaIds: [area], minReliability: 'B' } }), options);
});

describe('lookups', () => {
  bench('duplicate check across scripts', () => void run('entities.duplicates', { names: ['Московский авиационный институт', 'MAI'] }), options);
  bench('entity picker search', () => void run('entities.search', { text: 'Aviation 77' }), options);
  bench('entity picker search, a word inside names (lower case)', () => void run('entities.search', { text: 'olytechnic 4242' }), options);
  bench('entity picker search, two characters', () => void run('entities.search', { text: 'E7' }), options);
  bench('quick filter, a two-character word beside a longer one', () => void run('entities.page', { startRow: 0, endRow: 100, quick: 'E7 Институт' }), options);
  bench('links grid quick filter on the names at either end', () => void run('links.page', { startRow: 0, endRow: 100, quick: 'Aero-Engine 4242' }), options);
  bench('entity with links', () => void run('entities.get', { id: entityIds[123] as string }), options);
});

describe('name index (100,000 entities, 200,000 aliases)', () => {
  const size = () => (db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = 'entity_search' OR name LIKE 'entity_search\\_%' ESCAPE '\\'").pluck().get() as number) / 1e6;
  console.log(`name index: ${size().toFixed(1)} MB (entity_search with its indexes and the trigram index), file ${((db.prepare('PRAGMA page_count').pluck().get() as number) * (db.prepare('PRAGMA page_size').pluck().get() as number) / 1e6).toFixed(1)} MB`);
  bench(
    'build the trigram index over every name, alias and description',
    () => {
      db.transaction(() => {
        db.exec("INSERT INTO entity_search_fts (entity_search_fts) VALUES ('delete-all'); UPDATE entity_search SET indexed = 0;");
        refreshNameIndex(db);
      })();
    },
    { iterations: 2, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});

describe('writes with undo (one transaction each)', () => {
  bench(
    'tag a link, then undo',
    () => {
      run('areas.tag', { areaId: area, kind: 'link', itemId: linkIds[7] as string });
      run('history.undo', {});
    },
    options,
  );
});
