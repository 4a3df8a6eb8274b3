import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { countryCode } from '../../db/exchange/countries';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { contentDigest } from '../helpers/content-digest';
import { context, newCase } from '../helpers/model';
import { repoRoot, tempDir } from '../helpers/temp';

const ctx = context('Importer');
const fixture = readFileSync(path.join(repoRoot, 'tests/fixtures/universities.csv'));
const UNIVERSITIES_MAP = { Name: 'name', 'Native name': 'alias', Abbreviation: 'alias', Country: 'country', Type: 'type', 'Tech focus': 'areas', Notes: 'notes' };

/** The file's bytes as the import form sends them. */
function bytes(buf: Buffer): { base64: string } {
  return { base64: buf.toString('base64') };
}

function entity(db: CaseDb, name: string): { id: string; country: string | null; notes: string | null; aliases: string[]; areas: string[] } {
  const row = db.prepare('SELECT id, country, notes FROM entities WHERE name = ?').get(name) as { id: string; country: string | null; notes: string | null } | undefined;
  if (!row) throw new Error(`${name} was not imported`);
  const aliases = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position').pluck().all(row.id) as string[];
  const areas = db.prepare('SELECT t.name FROM area_tags a JOIN technology_areas t ON t.id = a.area_id WHERE a.entity_id = ? ORDER BY t.name COLLATE NOCASE').pluck().all(row.id) as string[];
  return { ...row, aliases, areas };
}

function count(db: CaseDb, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** The universities spreadsheet as Russian Excel saves it: cp1251, semicolons, CRLF, cells quoted only when they must be. */
function asRussianExcel(): Buffer {
  const rows = parse(fixture, { relax_column_count: true }) as string[][];
  const cell = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  // cp1251 has no Chinese: this copy leaves the Chinese native names empty and writes the countries in Russian.
  const russian: Record<string, string> = { 中国: 'Китай', 俄罗斯: 'Россия' };
  const text = rows.map((row) => row.map((v) => cell(russian[v] ?? v.replace(/[\u4e00-\u9fff]+/g, ''))).join(';')).join('\r\n');
  return iconv.encode(`${text}\r\n`, 'win1251');
}

describe('importing a spreadsheet of universities as investigators have it', () => {
  it('takes country names in three languages, two alias columns and an areas column, and refuses only the ragged row', () => {
    const { db } = newCase();
    const report = runCaseOperation(db, 'exchange.importCsv', { ...bytes(fixture), kind: 'entities', map: UNIVERSITIES_MAP }, ctx);
    expect(report.total).toBe(16);
    expect(report.imported).toBe(15);
    expect(report.errors).toEqual([{ row: 16, message: expect.stringMatching(/^The row has 9 cells but the header has 8 columns/) }]);
    expect(report.unmapped).toEqual(['Website']);
    expect(report).toMatchObject({ encoding: 'utf-8', delimiter: 'comma' });
    expect(count(db, 'entities')).toBe(15);
    expect(db.prepare("SELECT name FROM entities WHERE name LIKE 'Kazan%'").get()).toBeUndefined();

    const beihang = entity(db, 'Beihang University');
    expect(beihang).toMatchObject({ country: 'CN', aliases: ['北京航空航天大学', 'BUAA'], areas: ['aero-engines', 'drones'] });
    expect(entity(db, 'Harbin Institute of Technology')).toMatchObject({ country: 'CN', areas: ['materials', 'space'] });
    for (const name of ['Northwestern Polytechnical University', 'Nanjing University of Aeronautics and Astronautics', 'Harbin Engineering University', 'Nanjing University of Science and Technology']) expect(entity(db, name).country).toBe('CN');
    for (const name of ['Moscow Aviation Institute', 'Peter the Great St. Petersburg Polytechnic University', 'Bauman Moscow State Technical University', 'St Petersburg State University', 'Skolkovo Institute of Science and Technology', 'Moscow Institute of Physics and Technology']) {
      expect(entity(db, name).country).toBe('RU');
    }
    expect(entity(db, 'Moscow Aviation Institute').aliases).toEqual(['Московский авиационный институт', 'MAI']);
    // Formula-looking cells are text: kept as written, never evaluated or shifted.
    expect(entity(db, 'Nanjing University of Science and Technology').notes).toBe('=HYPERLINK("https://www.njust.edu.cn","website")');
    expect(entity(db, 'Bauman Moscow State Technical University').notes).toBe('+7 499 263-63-91');
    expect(entity(db, 'Tomsk State University').notes).toBe('-');
    // Only real ISO codes are stored.
    expect(db.prepare('SELECT DISTINCT country FROM entities ORDER BY country').pluck().all()).toEqual(['CN', 'RU']);
    // Technology areas are real tags: a report on drones finds the universities tagged with it.
    const drones = db.prepare("SELECT e.name FROM area_tags a JOIN entities e ON e.id = a.entity_id JOIN technology_areas t ON t.id = a.area_id WHERE t.name = 'drones' ORDER BY e.name").pluck().all();
    expect(drones).toEqual(['Beihang University', 'Moscow Aviation Institute', 'Northwestern Polytechnical University']);
  });

  it('reads the same spreadsheet saved by Russian Excel (cp1251, semicolons) without garbling a letter', () => {
    const { db } = newCase();
    const report = runCaseOperation(db, 'exchange.importCsv', { ...bytes(asRussianExcel()), kind: 'entities', map: UNIVERSITIES_MAP }, ctx);
    expect(report).toMatchObject({ encoding: 'windows-1251', encodingDetected: true, delimiter: 'semicolon', delimiterDetected: true, imported: 15 });
    expect(entity(db, 'Peter the Great St. Petersburg Polytechnic University').aliases).toEqual(['Санкт-Петербургский политехнический университет Петра Великого', 'SPbPU']);
    expect(entity(db, 'Harbin Engineering University').country).toBe('CN');
    expect(JSON.stringify(db.prepare('SELECT name FROM entity_aliases').pluck().all())).not.toMatch(/\ufffd/);
  });

  it('reads a tab-separated file, a GB18030 file and UTF-16 files with a byte-order mark', () => {
    const rows = ['名称\t国家\t简称', '北京航空航天大学\t中国\t北航', '莫斯科航空学院\t俄罗斯\tMAI'];
    const map = { 名称: 'name', 国家: 'country', 简称: 'aliases' };
    const cases: [string, Buffer, string, string][] = [
      ['tsv', Buffer.from(`${rows.join('\n')}\n`), 'utf-8', 'tab'],
      ['gb18030', iconv.encode(`${rows.join('\r\n').replaceAll('\t', ',')}\r\n`, 'gb18030'), 'gb18030', 'comma'],
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${rows.join('\r\n')}\r\n`, 'utf-16le')]), 'utf-16le', 'tab'],
      ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(`${rows.join('\r\n')}\r\n`, 'utf-16be')]), 'utf-16be', 'tab'],
    ];
    for (const [label, buf, encoding, delimiter] of cases) {
      const { db } = newCase(`${label}.caseboard`);
      const report = runCaseOperation(db, 'exchange.importCsv', { ...bytes(buf), kind: 'entities', map }, ctx);
      expect(report, label).toMatchObject({ encoding, delimiter, imported: 2, errors: [] });
      expect(entity(db, '北京航空航天大学'), label).toMatchObject({ country: 'CN', aliases: ['北航'] });
      expect(entity(db, '莫斯科航空学院').country, label).toBe('RU');
    }
  });

  it('follows --encoding and --delimiter when the investigator names them', () => {
    const { db } = newCase();
    const buf = iconv.encode('name|country\nМАИ|Россия\n', 'koi8-r');
    const report = runCaseOperation(db, 'exchange.importCsv', { ...bytes(buf), kind: 'entities', map: {}, encoding: 'koi8-r', delimiter: 'pipe' }, ctx);
    expect(report).toMatchObject({ encoding: 'koi8-r', encodingDetected: false, delimiter: 'pipe', delimiterDetected: false, imported: 1 });
    expect(entity(db, 'МАИ').country).toBe('RU');
  });

  it('reports a country it does not know and every other problem of the row, storing no fake code', () => {
    const { db } = newCase();
    const text = 'name,country,type\nNarnia Institute,Narnia,spaceship\nZed Lab,ZZZ,organisation\n,Russia,person\n';
    const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, ctx);
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => e.row)).toEqual([2, 3, 4]);
    expect(report.errors[0]?.message).toMatch(/The country "Narnia" is not a country Caseboard knows; write an ISO code/);
    expect(report.errors[0]?.message).toMatch(/The type "spaceship" is not one of/);
    expect(report.errors[1]?.message).toMatch(/The country "ZZZ"/);
    expect(report.errors[2]?.message).toMatch(/The name is missing/);
    expect(count(db, 'entities')).toBe(0);
  });

  it('names the file\'s columns and the fields they can map to when no column maps to the name', () => {
    const { db } = newCase();
    const text = 'Название;Страна\nМАИ;Россия\n';
    expect(() => runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, ctx)).toThrow(
      /No column is mapped to name.*The file's columns are "Название", "Страна" \(read as utf-8, semicolon-separated.*the fields they can map to are id, name, type/,
    );
  });

  it('tags rows with technology areas by name or path, reports unknown ones, and creates them when asked', () => {
    const { db } = newCase();
    const text = 'name,areas\nCIAM,Aerospace and Aeronautics/Aero-engines\nTsAGI,hydro-aerodynamics;robotics\nKB Lab,drones/aero-engines\n';
    const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, ctx);
    expect(report.imported).toBe(1);
    expect(report.errors).toEqual([
      { row: 3, message: expect.stringMatching(/The technology area "robotics" is not in the case/) },
      { row: 4, message: expect.stringMatching(/aero-engines is not under drones/) },
    ]);
    expect(entity(db, 'CIAM').areas).toEqual(['aero-engines']);
    const again = runCaseOperation(db, 'exchange.importCsv', { text: 'name,areas\nTsAGI,hydro-aerodynamics;Robotics/Swarm robotics\n', kind: 'entities', map: {}, createAreas: true }, ctx);
    expect(again).toMatchObject({ imported: 1, createdAreas: ['Robotics', 'Swarm robotics'] });
    expect(entity(db, 'TsAGI').areas).toEqual(['hydro-aerodynamics', 'Swarm robotics']);
    expect(db.prepare("SELECT p.name FROM technology_areas c JOIN technology_areas p ON p.id = c.parent_id WHERE c.name = 'Swarm robotics'").pluck().get()).toBe('Robotics');
    // One Undo takes the areas back with the entity.
    runCaseOperation(db, 'history.undo', {}, ctx);
    expect(db.prepare("SELECT count(*) FROM technology_areas WHERE name IN ('Robotics', 'Swarm robotics')").pluck().get()).toBe(0);
  });

  it('imports links naming their ends by alias, and reports an ambiguous alias with its candidates', () => {
    const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
    try {
      runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name: 'Hanoi Institute of Technology', country: 'VN', aliases: [{ name: 'HIT', language: null }] } }, ctx);
      const text = 'from,to,type,start,areas\nBUAA,MAI,joint lab,2021,aero-engines\nHIT,Skoltech,agreement,2024,\nМосковский авиационный институт,XATU,visited,2019,\n';
      const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'links', map: {} }, ctx);
      expect(report.imported).toBe(2);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]?.row).toBe(3);
      expect(report.errors[0]?.message).toMatch(/From "HIT" names 2 entities: .*Harbin Institute of Technology \(organisation, CN; [0-9a-f-]{36}\).*Hanoi Institute of Technology \(organisation, VN;/);
      const link = db
        .prepare("SELECT f.name AS from_name, t.name AS to_name FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id WHERE l.type = 'joint lab'")
        .get();
      expect(link).toEqual({ from_name: 'Beihang University', to_name: 'Moscow Aviation Institute' });
      expect(db.prepare("SELECT t.name FROM area_tags a JOIN links l ON l.id = a.link_id JOIN technology_areas t ON t.id = a.area_id WHERE l.type = 'joint lab'").pluck().all()).toEqual(['aero-engines']);
    } finally {
      db.close();
    }
  });

  it('changes nothing when the same spreadsheet is imported again, and updates or adds anyway when asked', () => {
    const { db } = newCase();
    runCaseOperation(db, 'exchange.importCsv', { ...bytes(fixture), kind: 'entities', map: UNIVERSITIES_MAP }, ctx);
    const before = contentDigest(db);
    const again = runCaseOperation(db, 'exchange.importCsv', { ...bytes(fixture), kind: 'entities', map: UNIVERSITIES_MAP }, ctx);
    expect(again).toMatchObject({ imported: 0, matched: { skipped: 15, updated: 0, addedAnyway: 0 } });
    expect(contentDigest(db)).toBe(before);
    // The Cyrillic copy names the Chinese universities without their Chinese names: still the same entities.
    const russian = runCaseOperation(db, 'exchange.importCsv', { ...bytes(asRussianExcel()), kind: 'entities', map: UNIVERSITIES_MAP }, ctx);
    expect(russian.matched?.skipped).toBe(15);
    expect(contentDigest(db)).toBe(before);

    const updated = runCaseOperation(db, 'exchange.importCsv', { text: 'name,country,description\nBeihang University,China,Top aerospace university\n', kind: 'entities', map: {}, onMatch: 'update' }, ctx);
    expect(updated).toMatchObject({ imported: 0, matched: { updated: 1 } });
    expect(db.prepare("SELECT description FROM entities WHERE name = 'Beihang University'").pluck().get()).toBe('Top aerospace university');
    const added = runCaseOperation(db, 'exchange.importCsv', { text: 'name,country\nBeihang University,CN\n', kind: 'entities', map: {}, onMatch: 'new' }, ctx);
    expect(added).toMatchObject({ imported: 1, matched: { addedAnyway: 1 } });
    expect(count(db, 'entities')).toBe(16);
  });

  it('matches rows by an external identifier column', () => {
    const { db } = newCase();
    const map = { Name: 'name', 'Wikidata ID': 'identifiers', 'ROR ID': 'identifier' };
    runCaseOperation(db, 'exchange.importCsv', { text: 'Name,Wikidata ID,ROR ID\nBeihang University,Q1073208,00wk2mp56\n', kind: 'entities', map }, ctx);
    expect(db.prepare('SELECT key, value FROM entity_identifiers ORDER BY position').all()).toEqual([
      { key: 'Wikidata ID', value: 'Q1073208' },
      { key: 'ROR ID', value: '00wk2mp56' },
    ]);
    const renamed = runCaseOperation(db, 'exchange.importCsv', { text: 'Name,Wikidata ID,ROR ID\nBeijing University of Aeronautics and Astronautics,Q1073208,\n', kind: 'entities', map }, ctx);
    expect(renamed.matched?.skipped).toBe(1);
    expect(count(db, 'entities')).toBe(1);
  });

  it('previews the file: how it was read, the conversions and every error, writing nothing', () => {
    const { db } = newCase();
    const before = contentDigest(db, { bookkeeping: true });
    const preview = runCaseOperation(db, 'exchange.previewCsv', { ...bytes(asRussianExcel()), kind: 'entities', map: UNIVERSITIES_MAP, rows: 3 }, ctx);
    expect(preview).toMatchObject({ encoding: 'windows-1251', delimiter: 'semicolon', mappingProblem: null, partial: false });
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]?.[0]).toBe('Beihang University');
    expect(preview.conversions).toEqual(
      expect.arrayContaining([
        { column: 'Country', from: 'China', to: 'CN', rows: 2 },
        { column: 'Country', from: 'Китай', to: 'CN', rows: 2 },
        { column: 'Country', from: 'РФ', to: 'RU', rows: 1 },
        { column: 'Tech focus', from: 'Drones', to: 'drones', rows: 1 },
        { column: 'Type', from: 'university', to: 'organisation (university)', rows: 15 },
      ]),
    );
    expect(preview.check).toMatchObject({ total: 16, imported: 15, unmapped: ['Website'] });
    expect(preview.check?.errors.map((e) => e.row)).toEqual([16]);
    expect(contentDigest(db, { bookkeeping: true })).toBe(before);
    // A mapping without a name is described, not thrown, so the form can show it.
    const unmapped = runCaseOperation(db, 'exchange.previewCsv', { ...bytes(fixture), kind: 'entities', map: { Country: 'country' }, rows: 3 }, ctx);
    expect(unmapped.mappingProblem).toMatch(/No column is mapped to name/);
  });

  it('finds countries by code and by the names people write', () => {
    const cases: [string, string | null][] = [
      ['China', 'CN'], ["People's Republic of China", 'CN'], ['PRC', 'CN'], ['Russia', 'RU'], ['Russian Federation', 'RU'], ['Китай', 'CN'], ['КНР', 'CN'], ['Россия', 'RU'], ['РФ', 'RU'],
      ['中国', 'CN'], ['俄罗斯', 'RU'], ['cn', 'CN'], ['RUS', 'RU'], ['CHN', 'CN'], ['United States', 'US'], ['EU', 'EU'], ['ZZZ', null], ['ZZ', null], ['XK', null], ['Narnia', null], ['', null],
    ];
    expect(cases.map(([text]) => [text, countryCode(text)])).toEqual(cases);
  });
});
