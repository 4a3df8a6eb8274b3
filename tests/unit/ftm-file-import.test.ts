import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { CHUNK_BYTES, forEachFtmLine, type FtmSource } from '../../db/exchange/ftm-lines';
import { runCaseOperation } from '../../db/host/operations';
import { context, count, newCase } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'opensanctions-stc.ftm.json');

function lines(source: FtmSource, options?: { chunkBytes?: number; maxLineBytes?: number }, wanted: ((line: number) => boolean) | null = null): [string, number][] {
  const seen: [string, number][] = [];
  forEachFtmLine(source, wanted, (text, line) => seen.push([text, line]), options);
  return seen;
}

/**
 * OpenSanctions-like lines: companies and people (Latin, Cyrillic and Chinese
 * names), ownerships that name entities further down the file, sanctions,
 * and one line that is not JSON. CR LF line ends, as a file saved on Windows.
 */
function dataSet(entities: number): string {
  const third = entities / 3;
  const person = (j: number) => `p-${3 * (j % third) + 2}`;
  const company = (j: number) => `cn-${3 * (j % third) + 1}`;
  const out: string[] = [];
  for (let i = 0; i < entities; i += 1) {
    if (i % 3 === 0) out.push(JSON.stringify({ id: `ru-inn-${i}`, schema: 'Company', properties: { name: [`ООО Волга Авиа ${i}`], alias: [`Volga Avia ${i} LLC`], jurisdiction: ['ru'], innCode: [`77${i}`] } }));
    else if (i % 3 === 1) out.push(JSON.stringify({ id: `cn-${i}`, schema: 'Company', properties: { name: [`哈尔滨航空科技 ${i}`], alias: [`Harbin Aero Technology ${i}`], country: ['cn'] } }));
    else out.push(JSON.stringify({ id: `p-${i}`, schema: 'Person', properties: { name: [`Ivan Petrov ${i}`], nationality: ['ru'], birthDate: ['1970-01-02'] }, datasets: ['us_ofac_sdn'] }));
    if (i % 2 === 0) out.push(JSON.stringify({ id: `own-${i}`, schema: 'Ownership', properties: { owner: [person(i * 7)], asset: [company(i + 5)], percentage: ['51'] } }));
    if (i % 50 === 2) out.push(JSON.stringify({ id: `san-${i}`, schema: 'Sanction', properties: { entity: [person(i + 11)], authority: ['OFAC'], program: ['RUSSIA-EO14024'], startDate: ['2022-03-01'] } }));
  }
  out.splice(7, 0, '{"id": "broken", "schema": "Company", ');
  return `${out.join('\r\n')}\r\n`;
}

/** What an import wrote, without the IDs it made up: entities by name, links and sanctions by the names they join. */
function written(db: CaseDb): Record<string, unknown[]> {
  return {
    entities: db.prepare('SELECT name, type, country, ftm_schema, ftm_properties FROM entities ORDER BY name').raw().all(),
    aliases: db.prepare('SELECT e.name, a.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id ORDER BY 1, 2').raw().all(),
    identifiers: db.prepare('SELECT e.name, i.key, i.value FROM entity_identifiers i JOIN entities e ON e.id = i.entity_id ORDER BY 1, 2, 3').raw().all(),
    links: db.prepare('SELECT f.name, t.name, l.type, l.ftm_id FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id ORDER BY 1, 2, 3').raw().all(),
    sanctions: db.prepare('SELECT e.name, s.authority, s.program, s.list, s.ftm_id FROM sanctions s JOIN entities e ON e.id = s.entity_id ORDER BY 1, 2').raw().all(),
  };
}

describe('FollowTheMoney files read a piece at a time', () => {
  it('reads the same lines from a file as from its text, across pieces, with CR LF ends, a byte order mark and characters split between pieces', () => {
    const text = ['{"a": "ООО Волга"}', '', 'x'.repeat(5000), '{"b": "哈尔滨航空"}', 'é'.repeat(3001), 'last line without an end'].join('\r\n');
    const file = path.join(tempDir(), 'lines.ftm.json');
    writeFileSync(file, `\uFEFF${text}`);
    const expected = lines({ text });
    expect(expected.map(([, line]) => line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(expected[0]?.[0]).toBe('{"a": "ООО Волга"}');
    // Pieces of 7 and 4,096 bytes split the two-byte and three-byte characters and the long lines.
    for (const chunkBytes of [7, 4096, 1 << 20]) expect(lines({ path: file }, { chunkBytes })).toEqual(expected);
    expect(lines({ text: `\uFEFF${text}` })).toEqual(expected);
    expect(lines({ path: file }, { chunkBytes: 7 }, (line) => line % 2 === 0)).toEqual(expected.filter(([, line]) => line % 2 === 0));
  });

  it('refuses a file whose line is longer than any item, saying which line', () => {
    const file = path.join(tempDir(), 'one-line.json');
    writeFileSync(file, `{"id": "a", "schema": "Company"}\n[${'1,'.repeat(3000)}1]\n`);
    expect(() => lines({ path: file }, { chunkBytes: 1024, maxLineBytes: 4096 })).toThrow(/Line 2 of one-line\.json is longer than .* one item on each line/);
    expect(lines({ path: file }, { chunkBytes: 1024, maxLineBytes: 8192 })).toHaveLength(2);
  });

  it('imports a file of several pieces as it imports the same text: entities first, then the links and sanctions that name entities further down', () => {
    const text = dataSet(24_000);
    const folder = tempDir();
    const file = path.join(folder, 'opensanctions.ftm.json');
    writeFileSync(file, text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(CHUNK_BYTES);
    const fromFile = newCase('file.caseboard').db;
    const fromText = newCase('text.caseboard').db;
    const byFile = runCaseOperation(fromFile, 'exchange.importFtm', { path: file }, context());
    const byText = runCaseOperation(fromText, 'exchange.importFtm', { text }, context());
    expect(byFile).toEqual(byText);
    expect(byFile.errors).toEqual([{ row: 8, message: 'The line is not valid JSON.' }]);
    expect(byFile.total).toBe(24_000 + 12_000 + 480 + 1);
    expect(byFile.imported).toBe(byFile.total - 1);
    expect(written(fromFile)).toEqual(written(fromText));
    expect(count(fromFile, 'links')).toBe(12_000);
    expect(count(fromFile, 'sanctions')).toBe(480);

    const fixture = readFileSync(FIXTURE, 'utf8');
    const fixtureFile = path.join(folder, 'stc.ftm.json');
    writeFileSync(fixtureFile, fixture);
    const a = newCase('fixture-file.caseboard').db;
    const b = newCase('fixture-text.caseboard').db;
    expect(runCaseOperation(a, 'exchange.importFtm', { path: fixtureFile }, context())).toEqual(runCaseOperation(b, 'exchange.importFtm', { text: fixture }, context()));
    expect(written(a)).toEqual(written(b));
  });

  it('imports nothing from a file that changes while it is read, and says so', () => {
    const file = path.join(tempDir(), 'growing.ftm.json');
    writeFileSync(file, dataSet(12_000));
    const { db } = newCase();
    const changeSets = count(db, 'change_sets');
    let appended = false;
    const ctx = {
      ...context(),
      progress: () => {
        if (appended) return;
        appended = true;
        appendFileSync(file, `${JSON.stringify({ id: 'late', schema: 'Company', properties: { name: ['Written meanwhile'] } })}\n`);
      },
    };
    expect(() => runCaseOperation(db, 'exchange.importFtm', { path: file }, ctx)).toThrow(/growing\.ftm\.json changed while it was being imported, so nothing was imported/);
    expect(appended).toBe(true);
    expect(count(db, 'entities')).toBe(0);
    expect(count(db, 'change_sets')).toBe(changeSets);
  });

  it('says a file that is not there cannot be read', () => {
    const { db } = newCase();
    expect(() => runCaseOperation(db, 'exchange.importFtm', { path: path.join(tempDir(), 'missing.ftm.json') }, context())).toThrow(/missing\.ftm\.json cannot be read/);
  });
});
