import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { exportCsv } from '../../db/exchange/csv';
import { readCsv, type CsvFault } from '../../db/exchange/csv-reader';
import { exportFtm } from '../../db/exchange/ftm';
import { exportGexf, exportGraphml } from '../../db/exchange/graph-formats';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { CaseboardError } from '../../shared/errors';
import { neutraliseCell } from '../../shared/ops/exchange';
import { contentDigest } from '../helpers/content-digest';
import { context, newCase, reopen } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const opened: CaseDb[] = [];
afterEach(() => {
  while (opened.length) opened.pop()?.close();
});

function sample(): CaseDb {
  const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
  opened.push(db);
  return db;
}

function sha256(db: CaseDb): string {
  const hash = createHash('sha256').update(readFileSync(db.name));
  if (existsSync(`${db.name}-wal`)) hash.update(readFileSync(`${db.name}-wal`));
  return hash.digest('hex');
}

const ctx = context('Importer');

function count(db: CaseDb, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

function names(db: CaseDb): string[] {
  return (db.prepare('SELECT name FROM entities ORDER BY name').pluck().all() as string[]);
}

function read(text: string): { records: [number, string[]][]; faults: CsvFault[] } {
  const records: [number, string[]][] = [];
  const faults: CsvFault[] = [];
  readCsv(text, (r) => records.push([r.line, r.fields]), (f) => faults.push(f));
  return { records, faults };
}

describe('reading CSV', () => {
  it('reads quoted fields with commas, line breaks and doubled quotes, CRLF line ends, a byte-order mark, blank lines and rows of any length', () => {
    const text = '\ufeffname,notes\r\n"Beihang, University","says ""hello""\r\nand more"\r\nMAI\r\n\r\nHIT,a,b\r\nplain"quote,x,\r\n';
    const { records, faults } = read(text);
    expect(faults).toEqual([]);
    expect(records.map(([, fields]) => fields)).toEqual([['name', 'notes'], ['Beihang, University', 'says "hello"\r\nand more'], ['MAI'], ['HIT', 'a', 'b'], ['plain"quote', 'x', '']]);
    // Each record carries a line number that grows through the file, for row errors.
    const lines = records.map(([line]) => line);
    expect(lines[0]).toBe(1);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('reports a row it cannot read with its line, and keeps the good rows before and after it', () => {
    const text = 'name,type\nMAI,organisation\n"HIT,organisation\nTsinghua,organisation\n';
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 3, message: 'The row cannot be read as CSV: a quoted field opened on this line is never closed, so the row was skipped.' }]);
    expect(records).toEqual([
      [1, ['name', 'type']],
      [2, ['MAI', 'organisation']],
      [4, ['Tsinghua', 'organisation']],
    ]);
  });

  it('reads no more records than asked for', () => {
    const records: string[][] = [];
    readCsv('a\nb\nc\nd\n', (r) => records.push(r.fields), () => undefined, 2);
    expect(records).toEqual([['a'], ['b']]);
  });
});

function entityRows(count: number): string {
  const lines = ['name,type,country,aliases'];
  for (let i = 0; i < count; i += 1) lines.push(`Institute ${i},organisation,${i % 2 ? 'CN' : 'RU'},Inst ${i};Институт ${i}`);
  return `${lines.join('\n')}\n`;
}

describe('large imports', () => {
  it('are undone in one step, also after the case is reopened, and redone to the same rows', () => {
    const { db: first } = newCase();
    const before = contentDigest(first);
    // More rows than one journal chunk holds, each with two aliases.
    const report = runCaseOperation(first, 'exchange.importCsv', { text: entityRows(6000), kind: 'entities', map: {} }, ctx);
    expect(report).toMatchObject({ total: 6000, imported: 6000, errors: [] });
    const imported = contentDigest(first);
    const db = reopen(first);
    expect(runCaseOperation(db, 'history.state', {}, ctx).undo?.summary).toBe('Imported 6000 entities from CSV');
    runCaseOperation(db, 'history.undo', {}, ctx);
    expect([count(db, 'entities'), count(db, 'entity_aliases')]).toEqual([0, 0]);
    expect(contentDigest(db)).toBe(before);
    const again = reopen(db);
    runCaseOperation(again, 'history.redo', {}, ctx);
    expect(contentDigest(again)).toBe(imported);
    runCaseOperation(again, 'history.undo', {}, ctx);
    expect(contentDigest(again)).toBe(before);
  });

  it('refuses to undo an import whose rows were changed outside the undo history, changing nothing', () => {
    const { db } = newCase();
    runCaseOperation(db, 'exchange.importCsv', { text: entityRows(10), kind: 'entities', map: {} }, ctx);
    db.prepare("DELETE FROM entity_aliases WHERE name = 'Inst 3'").run();
    const digest = contentDigest(db, { bookkeeping: true });
    expect(() => runCaseOperation(db, 'history.undo', {}, ctx)).toThrow(/cannot be undone/);
    expect(contentDigest(db, { bookkeeping: true })).toBe(digest);
  });

  it('reports progress, and a cancelled import leaves the case exactly as it was', () => {
    const { db } = newCase();
    runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name: 'Beihang University' } }, ctx);
    const digest = contentDigest(db, { bookkeeping: true });
    const progress: { done: number; total: number }[] = [];
    let checks = 0;
    const cancelling = {
      ...ctx,
      progress: (p: { done: number; total: number }) => progress.push(p),
      throwIfCancelled: () => {
        checks += 1;
        if (checks === 2) throw new CaseboardError('cancelled', 'The operation was cancelled.');
      },
    };
    const text = entityRows(12000);
    expect(() => runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, cancelling)).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect(progress.map((p) => p.total)).toEqual([text.length, text.length]);
    expect(progress[1]!.done).toBeGreaterThan(0);
    expect(progress[1]!.done).toBeLessThan(text.length);
    expect(contentDigest(db, { bookkeeping: true })).toBe(digest);
  });
});

describe('CSV', () => {
  it('previews the first rows and suggests a mapping from the header', () => {
    const { db } = newCase();
    const text = 'Name,Kind,Country,Other names\nBeihang University,organisation,CN,BUAA;北京航空航天大学\nMoscow Aviation Institute,organisation,RU,MAI\n';
    const preview = runCaseOperation(db, 'exchange.previewCsv', { text, kind: 'entities', rows: 1 }, ctx);
    expect(preview.headers).toEqual(['Name', 'Kind', 'Country', 'Other names']);
    expect(preview.rows).toEqual([['Beihang University', 'organisation', 'CN', 'BUAA;北京航空航天大学']]);
    expect(preview.suggested).toEqual({ Name: 'name', Country: 'country' });
  });

  it('imports entities with a column mapping, reports bad rows by line and keeps the good ones, and one Undo takes it back', () => {
    const { db } = newCase();
    const text = [
      'Name,Kind,Country,Other names',
      'Beihang University,organisation,CN,BUAA;北京航空航天大学',
      ',organisation,CN,',
      'Moscow Aviation Institute,organisation,RU,MAI',
      'Harbin Institute of Technology,spaceship,CN,',
      'Orlan-10,product,Russia,',
      'Orlan-30,product,Ruritania,',
    ].join('\n');
    const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: { Name: 'name', Kind: 'type', Country: 'country', 'Other names': 'aliases' } }, ctx);
    expect(report).toMatchObject({ total: 6, imported: 3 });
    expect(report.errors.map((e) => e.row)).toEqual([3, 5, 7]);
    expect(report.errors[0]?.message).toMatch(/name is missing/i);
    expect(names(db)).toEqual(['Beihang University', 'Moscow Aviation Institute', 'Orlan-10']);
    const beihang = db.prepare("SELECT id FROM entities WHERE name = 'Beihang University'").pluck().get() as string;
    expect(runCaseOperation(db, 'entities.get', { id: beihang }, ctx).aliases.map((a) => a.name)).toEqual(['BUAA', '北京航空航天大学']);
    runCaseOperation(db, 'history.undo', {}, ctx);
    expect(names(db)).toEqual([]);
  });

  it('imports links between entities named in the case, and sources', () => {
    const db = sample();
    const links = 'from,to,type,start\nHarbin Institute of Technology,Moscow Aviation Institute,joint lab,2021\nNobody,Moscow Aviation Institute,visited,\n';
    const report = runCaseOperation(db, 'exchange.importCsv', { text: links, kind: 'links', map: {} }, ctx);
    expect(report.imported).toBe(1);
    expect(report.errors).toEqual([{ row: 3, message: 'From "Nobody" is not an entity of the case (by ID, name or alias).' }]);
    const sources = 'title,reliability,url\nASPI report,B,https://www.aspi.org.au/\nBad grade,Z,\n';
    const s = runCaseOperation(db, 'exchange.importCsv', { text: sources, kind: 'sources', map: {} }, ctx);
    expect(s.imported).toBe(1);
    expect(s.errors[0]?.row).toBe(3);
  });

  it('reports broken quoting row by row and still imports the rest', () => {
    const { db } = newCase();
    const text = 'name,type\n"Beihang University",organisation\n"MAI, organisation\nHarbin,organisation\n';
    const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, ctx);
    expect(report.imported).toBeGreaterThanOrEqual(1);
    expect(report.errors.length + report.imported).toBe(report.total);
  });

  it('round-trips the sample entities, links and sources through CSV', () => {
    const db = sample();
    const { db: target } = newCase('target.caseboard');
    for (const kind of ['sources', 'entities', 'links'] as const) {
      const report = runCaseOperation(target, 'exchange.importCsv', { text: exportCsv(db, kind), kind, map: {} }, ctx);
      expect(report.errors).toEqual([]);
    }
    const content = (d: CaseDb) => ({
      entities: d.prepare('SELECT id, type, subtype, name, name_key, country, description, notes, tags FROM entities ORDER BY id').all(),
      aliases: d.prepare('SELECT entity_id, name, position FROM entity_aliases ORDER BY entity_id, position').all(),
      links: d.prepare('SELECT id, from_id, to_id, type, direction, start_date, end_date, status, notes, tags FROM links ORDER BY id').all(),
      sources: d.prepare('SELECT id, kind, title, url, publisher, authors, published_date, language, reliability, notes FROM sources ORDER BY id').all(),
    });
    expect(content(target)).toEqual(content(db));
  });

  it('neutralises formula cells on export', () => {
    expect(['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx', 'plain'].map(neutraliseCell)).toEqual(["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tx", "'\rx", 'plain']);
    const { db } = newCase();
    runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name: '=HYPERLINK("http://evil","x")', notes: '+1' } }, ctx);
    const csv = exportCsv(db, 'entities');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csv).toContain(",'+1,");
  });

  it('gives back text that was neutralised on export when the CSV is imported again', () => {
    const { db } = newCase();
    const names = ['=HYPERLINK("http://evil","x")', "'Tis a name", "''=both", '-5 Institute', '@handle', 'plain'];
    for (const name of names) runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name, notes: `+${name}` } }, ctx);
    const { db: target } = newCase();
    const report = runCaseOperation(target, 'exchange.importCsv', { text: exportCsv(db, 'entities'), kind: 'entities', map: {} }, ctx);
    expect(report.errors).toEqual([]);
    const rows = (d: CaseDb) => d.prepare('SELECT name, notes FROM entities ORDER BY name').all();
    expect(rows(target)).toEqual(rows(db));
    expect((rows(target) as { name: string }[]).map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('refuses a mapping to an unknown field or without the required one, changing nothing', () => {
    const { db } = newCase();
    const before = sha256(db);
    expect(() => runCaseOperation(db, 'exchange.importCsv', { text: 'a,b\n1,2\n', kind: 'entities', map: { a: 'password' } }, ctx)).toThrow(/not a field/);
    expect(() => runCaseOperation(db, 'exchange.importCsv', { text: 'a,b\n1,2\n', kind: 'entities', map: { a: 'country' } }, ctx)).toThrow(/No column is mapped to name/);
    expect(sha256(db)).toBe(before);
  });
});

describe('FollowTheMoney', () => {
  it('imports people, organisations, interval links with dates and sanctions; reports unknown schemata and missing references by line', () => {
    const { db } = newCase();
    const lines = [
      { id: 'hit', schema: 'Organization', properties: { name: ['Harbin Institute of Technology', 'HIT'], country: ['cn'] } },
      { id: 'us', schema: 'PublicBody', properties: { name: ['United States government'], country: ['us'] } },
      { id: 'putin', schema: 'Person', properties: { name: ['Vladimir Putin'], alias: ['Владимир Путин'] } },
      { id: 'v1', schema: 'UnknownLink', properties: { subject: ['putin'], object: ['hit'], role: ['visited'], startDate: ['2024-05-17'] } },
      { id: 's1', schema: 'Sanction', properties: { entity: ['hit'], authority: ['United States government'], startDate: ['2020'] } },
      { id: 'm1', schema: 'Membership', properties: { member: ['hit'], organization: ['nowhere'] } },
      { id: 'v2', schema: 'Vessel', properties: { name: ['Boaty'] } },
      'not json',
    ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
    const report = runCaseOperation(db, 'exchange.importFtm', { text: lines.join('\n') }, ctx);
    expect(report.imported).toBe(5);
    expect(report.errors.map((e) => e.row).sort()).toEqual([6, 7, 8]);
    expect(report.errors.find((e) => e.row === 6)?.message).toMatch(/nowhere is neither in the file nor in the case/);
    expect(report.errors.find((e) => e.row === 7)?.message).toMatch(/Vessel/);
    const visit = db.prepare("SELECT type, start_date FROM links WHERE type = 'visited'").get();
    expect(visit).toEqual({ type: 'visited', start_date: '2024-05-17' });
    // A Sanction is a sanction record on the entity it names, its authority kept as text.
    expect(db.prepare('SELECT authority, start_date FROM sanctions').get()).toEqual({ authority: 'United States government', start_date: '2020' });
  });

  it('round-trips the sample people and organisations and their links: case -> FtM -> case', () => {
    const db = sample();
    const { text, leftOut } = exportFtm(db);
    expect(leftOut).toBeGreaterThan(0);
    const { db: target } = newCase('ftm.caseboard');
    const report = runCaseOperation(target, 'exchange.importFtm', { text }, ctx);
    expect(report.errors).toEqual([]);
    const orgsAndPeople = (d: CaseDb) => d.prepare("SELECT id, type, name, country FROM entities WHERE type IN ('organisation','person') ORDER BY id").all();
    expect(orgsAndPeople(target)).toEqual(orgsAndPeople(db));
    const linkRows = (d: CaseDb) =>
      d.prepare("SELECT l.id, l.from_id, l.to_id, l.type, l.start_date FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE f.type IN ('organisation','person') AND t.type IN ('organisation','person') ORDER BY l.id").all();
    expect(linkRows(target)).toEqual(linkRows(db));
  });
});

describe('graph exports', () => {
  it('writes GEXF and GraphML with every entity, link and their attributes, escaped', () => {
    const db = sample();
    runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name: 'A & B <"quoted">' } }, ctx);
    const entities = db.prepare('SELECT count(*) FROM entities').pluck().get() as number;
    const links = db.prepare('SELECT count(*) FROM links').pluck().get() as number;
    const gexf = exportGexf(db);
    expect(gexf.match(/<node /g)).toHaveLength(entities);
    expect(gexf.match(/<edge /g)).toHaveLength(links);
    expect(gexf).toContain('label="A &amp; B &lt;&quot;quoted&quot;&gt;"');
    expect(gexf).toContain('title="country"');
    const graphml = exportGraphml(db);
    expect(graphml.match(/<node /g)).toHaveLength(entities);
    expect(graphml.match(/<edge /g)).toHaveLength(links);
    expect(graphml).toContain('<data key="e_start">2017</data>');
  });
});
