import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addExcerpt, addSource, areaId, BEIHANG, MAI, newCase, run } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

function caseboard(args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-'), CASEBOARD_DEBUG: '' }, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sampleCase(): string {
  const { db, file } = newCase('sample.caseboard');
  const mai = run(db, 'entities.create', { fields: { ...MAI, notes: 'Leads Russian aircraft-engine research.' }, areaIds: [areaId(db, 'aero-engines')] });
  const beihang = run(db, 'entities.create', { fields: BEIHANG });
  const excerpt = addExcerpt(db, addSource(db), 'joint Master’s programme since 2017', 2);
  run(db, 'links.create', { fields: { fromId: beihang.id, toId: mai.id, type: 'joint programme', startDate: '2017', notes: 'aircraft engines' }, excerptIds: [excerpt], areaIds: [areaId(db, 'aero-engines')] });
  db.close();
  return file;
}

describe('caseboard export', () => {
  it('writes the whole case model as documented JSON', () => {
    const file = sampleCase();
    const out = path.join(tempDir(), 'case.json');
    const result = caseboard(['export', file, out, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(readFileSync(out, 'utf8'));
    expect(data).toMatchObject({ format: 'caseboard-case-model', formatVersion: 1, case: { title: 'Defence universities and Russia' } });
    expect(data.sources).toHaveLength(1);
    expect(data.excerpts).toHaveLength(1);
    expect(data.entities.map((e: { name: string }) => e.name)).toEqual(['Moscow Aviation Institute', 'Beihang University']);
    expect(data.entities[0].aliases.map((a: { name: string }) => a.name)).toEqual(['MAI', 'Московский авиационный институт']);
    expect(data.entities[0].notes).toBe('Leads Russian aircraft-engine research.');
    expect(data.links[0]).toMatchObject({ type: 'joint programme', startDate: '2017', notes: 'aircraft engines', fromId: data.entities[1].id, toId: data.entities[0].id });
    expect(data.citations).toEqual([expect.objectContaining({ kind: 'link', itemId: data.links[0].id, excerptId: data.excerpts[0].id })]);
    expect(data.areas.find((a: { name: string }) => a.name === 'aero-engines')).toBeTruthy();
    expect(data.areaTags).toHaveLength(2);
  });

  it('counts every kind of item in caseboard info', () => {
    const result = caseboard(['info', sampleCase(), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).counts).toMatchObject({ entities: 2, aliases: 5, identifiers: 1, links: 1, citations: 1, areaTags: 2, areas: 13 });
  });

  it('exits 1 on a usage error, 2 for a file that is not a case file, and writes nothing', () => {
    const file = sampleCase();
    const out = path.join(tempDir(), 'case.json');
    expect(caseboard(['export', file, out]).code).toBe(1);
    expect(caseboard(['export', file, out, '--format', 'xml']).code).toBe(1);
    const notACase = path.join(tempDir(), 'notes.caseboard');
    writeFileSync(notACase, 'just some notes');
    const refused = caseboard(['export', notACase, out, '--format', 'json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^caseboard: .+\n$/);
    expect(caseboard(['export', path.join(tempDir(), 'missing.caseboard'), out, '--format', 'json']).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
