import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { exportGexf, exportGraphml, REVERSE_EDGE_SUFFIX } from '../../db/exchange/graph-formats';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { context } from '../helpers/model';
import { repoRoot, tempDir } from '../helpers/temp';

const opened: CaseDb[] = [];
afterEach(() => {
  while (opened.length) opened.pop()?.close();
});

const ctx = context('Analyst');

interface Read {
  directed: boolean;
  nodes: Record<string, Record<string, unknown>>;
  edges: ({ source: string; target: string } & Record<string, unknown>)[];
}

/** The file as networkx reads it (the parser Gephi's users script with). */
function networkx(kind: 'gexf' | 'graphml', text: string): Read {
  const file = path.join(tempDir(), `graph.${kind}`);
  writeFileSync(file, text);
  const run = spawnSync('python3', [path.join(repoRoot, 'tests', 'fixtures', 'read-graph.py'), kind, file], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Read;
}

/**
 * The sample case with a mutual link, and an entity and a link carrying
 * technology areas (one nested), free tags, a description, dates, a
 * confidence and notes.
 */
function fixture() {
  const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
  opened.push(db);
  const id = (name: string) => db.prepare('SELECT id FROM entities WHERE name = ?').pluck().get(name) as string;
  const [beihang, bauman] = [id('Beihang University'), id('Bauman Moscow State Technical University')];
  const parent = runCaseOperation(db, 'areas.create', { name: 'Uncrewed systems', colour: '#336699' }, ctx);
  const child = runCaseOperation(db, 'areas.create', { name: 'Swarming', colour: '#6699cc', parentId: parent.id }, ctx);
  const link = runCaseOperation(
    db,
    'links.create',
    { fields: { fromId: beihang, toId: bauman, type: 'exchange programme', direction: 'mutual', startDate: '2019-09', endDate: '2024', status: 'ended', confidence: 'moderate', notes: 'Seen in two reports.', tags: ['students', 'swarming'] } },
    ctx,
  );
  for (const areaId of [parent.id, child.id]) runCaseOperation(db, 'areas.tag', { areaId, kind: 'link', itemId: link.id }, ctx);
  runCaseOperation(db, 'areas.tag', { areaId: child.id, kind: 'entity', itemId: beihang }, ctx);
  const entity = runCaseOperation(db, 'entities.get', { id: beihang }, ctx);
  runCaseOperation(db, 'entities.update', { id: beihang, fields: { ...entity, description: 'One of the "Seven Sons" & a drone school.\nSecond line.', notes: 'Ask the desk.', tags: ['aerospace', 'drones'] } }, ctx);
  return { db, beihang, bauman, link: link.id, areas: { parent: parent.name, child: child.name } };
}

/** What the case says each node and edge should carry, as the files write it. */
function expected(db: CaseDb) {
  const areaPath = (areaId: string): string => {
    const area = db.prepare('SELECT name, parent_id FROM technology_areas WHERE id = ?').get(areaId) as { name: string; parent_id: string | null };
    return area.parent_id ? `${areaPath(area.parent_id)} > ${area.name}` : area.name;
  };
  const areasOf = (column: string, id: string) => {
    const ids = db.prepare(`SELECT area_id FROM area_tags WHERE ${column} = ? ORDER BY rowid`).pluck().all(id) as string[];
    return ids.length ? { areas: ids.map((a) => db.prepare('SELECT name FROM technology_areas WHERE id = ?').pluck().get(a)).join('; '), area_paths: ids.map(areaPath).join('; ') } : {};
  };
  const tags = (json: string) => (JSON.parse(json) as string[]).join('; ') || undefined;
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const nodes = Object.fromEntries(
    (db.prepare('SELECT * FROM entities ORDER BY rowid').all() as Record<string, string | null>[]).map((e) => {
      const aliases = (db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position, id').pluck().all(e.id) as string[]).join('; ');
      return [
        String(e.id),
        clean({ label: e.name, type: e.type, subtype: e.subtype, country: e.country, aliases, description: e.description, confidence: e.confidence, tags: tags(String(e.tags)), notes: e.notes, ...areasOf('entity_id', String(e.id)) }),
      ];
    }),
  );
  const edges = (db.prepare('SELECT * FROM links ORDER BY rowid').all() as Record<string, string | null>[]).flatMap((l) => {
    const values = clean({
      link_id: l.id,
      type: l.type,
      direction: l.direction,
      mutual: l.direction === 'mutual',
      start: l.start_date,
      end: l.end_date,
      status: l.status,
      confidence: l.confidence,
      tags: tags(String(l.tags)),
      notes: l.notes,
      ...areasOf('link_id', String(l.id)),
    });
    const forward = { id: String(l.id), source: String(l.from_id), target: String(l.to_id), values };
    return l.direction === 'mutual' ? [forward, { id: `${String(l.id)}${REVERSE_EDGE_SUFFIX}`, source: String(l.to_id), target: String(l.from_id), values }] : [forward];
  });
  return { nodes, edges };
}

describe('graph exports read by networkx', () => {
  it.each(['gexf', 'graphml'] as const)('%s: every entity and link, a mutual link as two directed edges, and every field as a declared attribute', (kind) => {
    const { db, beihang, link } = fixture();
    const text = kind === 'gexf' ? exportGexf(db) : exportGraphml(db);
    const read = networkx(kind, text);
    const want = expected(db);
    expect(read.directed).toBe(true);
    expect(Object.keys(read.nodes).sort()).toEqual(Object.keys(want.nodes).sort());
    for (const [id, values] of Object.entries(want.nodes)) {
      // networkx names the GraphML label key "label" and the GEXF label attribute "label" alike.
      expect(read.nodes[id], id).toEqual(values);
    }
    expect(read.edges).toHaveLength(want.edges.length);
    const byId = new Map(read.edges.map((e) => [String(e.id ?? e.key), e]));
    for (const edge of want.edges) {
      const got = byId.get(edge.id);
      expect(got, edge.id).toBeDefined();
      const { source, target, id: _id, key: _key, label, ...values } = got ?? { source: '', target: '' };
      expect({ source, target }).toEqual({ source: edge.source, target: edge.target });
      if (kind === 'gexf') expect(label).toBe(edge.values.type);
      expect(values, edge.id).toEqual(edge.values);
    }
    // The fixture's fields, spelled out.
    expect(read.nodes[beihang]).toMatchObject({ description: 'One of the "Seven Sons" & a drone school.\nSecond line.', tags: 'aerospace; drones', areas: 'Swarming', area_paths: 'Uncrewed systems > Swarming', notes: 'Ask the desk.' });
    expect(byId.get(link)).toMatchObject({ mutual: true, start: '2019-09', end: '2024', confidence: 'moderate', tags: 'students; swarming', areas: 'Uncrewed systems; Swarming' });
    expect(byId.get(`${link}${REVERSE_EDGE_SUFFIX}`)).toMatchObject({ mutual: true, link_id: link });
  });

  it('declares every attribute with its type', () => {
    const { db } = fixture();
    const gexf = exportGexf(db);
    expect(gexf).toContain('<attribute id="e3" title="mutual" type="boolean"/>');
    expect(gexf).not.toContain('undirected');
    const graphml = exportGraphml(db);
    expect(graphml).toContain('<key id="n_area_paths" for="node" attr.name="area_paths" attr.type="string"/>');
    expect(graphml).toContain('<key id="e_mutual" for="edge" attr.name="mutual" attr.type="boolean"/>');
    expect(graphml).not.toContain('directed="false"');
  });
});
