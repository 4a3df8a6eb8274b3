import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { exportFtm } from '../../db/exchange/ftm';
import { runCaseOperation } from '../../db/host/operations';
import { assembleReport } from '../../db/reports/report-data';
import { addSanction } from '../../db/model/sanctions';
import { withLeftOut } from '../../db/share/share';
import { reportFields } from '../../shared/report';
import { renderReportHtml } from '../../shared/report-html';
import { changeSetOf, context, newCase, run } from '../helpers/model';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'opensanctions-stc.ftm.json');
const text = readFileSync(FIXTURE, 'utf8');
const ctx = context('Importer');

interface FtmLine {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

function parseLines(ndjson: string): FtmLine[] {
  return ndjson
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FtmLine);
}

/** A line's properties with each list sorted: FtM properties are sets of values. */
function propertySets(line: FtmLine): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(line.properties)
      .map(([k, v]) => [k, [...v].sort()] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function importFixture(db: CaseDb, onMatch?: 'skip' | 'update' | 'new') {
  return runCaseOperation(db, 'exchange.importFtm', { text, ...(onMatch ? { onMatch } : {}) }, ctx);
}

function entityId(db: CaseDb, name: string): string {
  return db.prepare('SELECT id FROM entities WHERE name = ?').pluck().get(name) as string;
}

/** Every row of the tables an import writes, for comparing a case before and after. */
function dump(db: CaseDb): Record<string, unknown[]> {
  const tables = ['entities', 'entity_aliases', 'entity_identifiers', 'links', 'sanctions', 'change_sets'];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

describe('FollowTheMoney import of OpenSanctions lines', () => {
  it('imports companies, public bodies and people as entities, keeping FtM ids, extra properties and countries as ISO codes', () => {
    const { db } = newCase();
    const report = importFixture(db);
    expect(report.errors).toEqual([]);
    expect(report.total).toBe(9);
    expect(report.imported).toBe(9);
    const stc = run(db, 'entities.get', { id: entityId(db, 'Special Technology Center') });
    expect(stc).toMatchObject({ type: 'organisation', subtype: 'company', country: 'RU' });
    expect(stc.aliases.map((a) => a.name)).toEqual(['STC', 'Специальный технологический центр', 'OOO Spetsialny Tekhnologichesky Tsentr']);
    expect(stc.identifiers.map((i) => [i.key, i.value])).toEqual([
      ['ftm', 'NK-stc7Hq2kLpW4xVd9RzA3cB'],
      ['website', 'http://www.stc-spb.ru'],
      ['address', 'Gzhatskaya ul. 21, St. Petersburg, 195220'],
      ['INN', '7802198567'],
    ]);
    const kept = JSON.parse(db.prepare('SELECT ftm_properties FROM entities WHERE id = ?').pluck().get(stc.id) as string) as Record<string, string[]>;
    expect(kept).toMatchObject({ jurisdiction: ['ru'], topics: ['sanction', 'export.control', 'mil'], incorporationDate: ['2001-04-18'] });
    // A public body with only a jurisdiction gets it as its country.
    expect(run(db, 'entities.get', { id: entityId(db, 'State Administration of Science, Technology and Industry for National Defence') })).toMatchObject({ subtype: 'government agency', country: 'CN' });
    const petrov = entityId(db, 'Ivan Sergeyevich Petrov');
    expect(run(db, 'entities.get', { id: petrov })).toMatchObject({ type: 'person', country: 'RU' });
    expect(JSON.parse(db.prepare('SELECT ftm_properties FROM entities WHERE id = ?').pluck().get(petrov) as string)).toMatchObject({ position: ['Chief designer, Special Technology Center'], country: ['suhh'] });
    // What is not kept as given is named in the report.
    expect(report.notices?.some((n) => /Line 4: the country "suhh" is not an ISO 3166 country code/.test(n))).toBe(true);
    expect(report.notices?.some((n) => /Not kept: the top-level fields caption .*datasets .*first_seen/.test(n))).toBe(true);
  });

  it('stores only real ISO codes as the country, through the shared country lookup, and names the others', () => {
    const { db } = newCase();
    const line = JSON.stringify({ id: 'Q-ks', schema: 'PublicBody', properties: { name: ['Ministry of Defence of Kosovo'], country: ['xk'], jurisdiction: ['zz'] } });
    const report = runCaseOperation(db, 'exchange.importFtm', { text: line }, ctx);
    expect(report.imported).toBe(1);
    expect(db.prepare('SELECT country, ftm_properties FROM entities').get()).toEqual({ country: null, ftm_properties: JSON.stringify({ country: ['xk'], jurisdiction: ['zz'] }) });
    expect(report.notices).toEqual([expect.stringMatching(/^Line 1: the country "xk" is not an ISO 3166 country code/)]);
    expect(parseLines(exportFtm(db).text)[0]?.properties).toEqual({ name: ['Ministry of Defence of Kosovo'], country: ['xk'], jurisdiction: ['zz'] });
  });

  it('imports Membership and Employment as "member of" and "works for" links with their dates, keeping schema, role and status', () => {
    const { db } = newCase();
    importFixture(db);
    const links = db
      .prepare('SELECT f.name AS from_name, l.type, t.name AS to_name, l.start_date, l.end_date, l.notes, l.ftm_schema, l.ftm_id, l.ftm_properties FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id ORDER BY l.rowid')
      .all();
    expect(links).toEqual([
      {
        from_name: 'Special Technology Center',
        type: 'member of',
        to_name: 'Peter the Great St. Petersburg Polytechnic University',
        start_date: '2001',
        end_date: null,
        notes: "STC was set up inside the university's technical departments.",
        ftm_schema: 'Membership',
        ftm_id: 'NK-member-stc-spbpu',
        ftm_properties: JSON.stringify({ role: ['Structural unit'], sourceUrl: ['https://www.spbstu.ru/structure/'] }),
      },
      {
        from_name: 'Ivan Sergeyevich Petrov',
        type: 'works for',
        to_name: 'Special Technology Center',
        start_date: '2015-03',
        end_date: '2021-11-30',
        notes: null,
        ftm_schema: 'Employment',
        ftm_id: 'NK-employ-petrov-stc',
        ftm_properties: JSON.stringify({ role: ['Chief designer'], status: ['former'] }),
      },
      {
        from_name: 'State Administration of Science, Technology and Industry for National Defence',
        type: 'Cooperation agreement',
        to_name: 'Peter the Great St. Petersburg Polytechnic University',
        start_date: '2019-09',
        end_date: null,
        notes: null,
        ftm_schema: 'UnknownLink',
        ftm_id: 'NK-unknown-sastind-spbpu',
        ftm_properties: JSON.stringify({ role: ['Cooperation agreement'] }),
      },
    ]);
  });

  it('imports Sanction lines as sanction records on the sanctioned entity, the authority as text', () => {
    const { db } = newCase();
    importFixture(db);
    const stc = run(db, 'entities.get', { id: entityId(db, 'Special Technology Center') });
    expect(stc.sanctions).toEqual([
      {
        id: expect.any(String),
        entityId: stc.id,
        authority: 'Office of Foreign Assets Control',
        program: 'RUSSIA-EO14024',
        startDate: '2022-06-28',
        endDate: null,
        reason: 'Operating or having operated in the technology sector of the Russian Federation economy.',
        sourceUrl: 'https://ofac.treasury.gov/recent-actions/20220628',
        list: 'us_ofac_sdn',
      },
      expect.objectContaining({ authority: 'Council of the European Union', startDate: '2023-02', endDate: '2025-03-15', list: 'eu_fsf' }),
    ]);
    // No "sanctioned" link is made up between the authority and the entity.
    expect(db.prepare("SELECT count(*) FROM links WHERE type = 'sanctioned'").pluck().get()).toBe(0);
  });

  it('matches everything on a second import of the same file and changes nothing', () => {
    const { db } = newCase();
    importFixture(db);
    const before = dump(db);
    const again = importFixture(db);
    expect(again).toMatchObject({ total: 9, imported: 0, errors: [], matched: { skipped: 9, updated: 0, addedAnyway: 0 } });
    expect(dump(db)).toEqual(before);
  });

  it('updates the matched items with --on-match update, and adds them again with new', () => {
    const { db } = newCase();
    importFixture(db);
    const renamed = text.replace('"name": ["Special Technology Center"]', '"name": ["Special Technological Centre"]').replace('"program": ["RUSSIA-EO14024"]', '"program": ["RUSSIA-EO14024", "CAATSA - RUSSIA"]');
    const updated = runCaseOperation(db, 'exchange.importFtm', { text: renamed, onMatch: 'update' }, ctx);
    expect(updated).toMatchObject({ imported: 0, matched: { skipped: 0, updated: 9, addedAnyway: 0 } });
    expect(db.prepare('SELECT count(*) FROM entities').pluck().get()).toBe(4);
    expect(entityId(db, 'Special Technological Centre')).toBeTruthy();
    expect(db.prepare('SELECT ftm_properties FROM sanctions WHERE ftm_id = ?').pluck().get('NK-sanc-ofac-stc-2022')).toContain('CAATSA - RUSSIA');
    const before = (table: string) => new Set(db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]);
    const [entitiesBefore, linksBefore, sanctionsBefore] = [before('entities'), before('links'), before('sanctions')];
    const added = importFixture(db, 'new');
    expect(added).toMatchObject({ imported: 9, matched: { addedAnyway: 9 } });
    expect(db.prepare('SELECT count(*) FROM entities').pluck().get()).toBe(8);
    // The links and sanctions added anyway name the entities added anyway beside them, not those already holding their ids.
    const newEntities = [...before('entities')].filter((id) => !entitiesBefore.has(id));
    const newLinks = (db.prepare('SELECT id, from_id, to_id FROM links').raw().all() as string[][]).filter(([id]) => !linksBefore.has(id as string));
    const newSanctions = (db.prepare('SELECT id, entity_id FROM sanctions').raw().all() as string[][]).filter(([id]) => !sanctionsBefore.has(id as string));
    expect(newEntities).toHaveLength(4);
    expect(newLinks.length).toBeGreaterThan(0);
    expect(newSanctions.length).toBeGreaterThan(0);
    for (const [, from, to] of newLinks) expect([newEntities.includes(from as string), newEntities.includes(to as string)]).toEqual([true, true]);
    for (const [, entity] of newSanctions) expect(newEntities.includes(entity as string)).toBe(true);
  });
});

describe('FollowTheMoney export', () => {
  it('writes back every line it imported: ids, schemata and properties, Sanction included', () => {
    const { db } = newCase();
    importFixture(db);
    const { text: exported, leftOut } = exportFtm(db);
    expect(leftOut).toBe(0);
    const input = parseLines(text);
    const output = new Map(parseLines(exported).map((l) => [l.id, l]));
    expect([...output.keys()].sort()).toEqual(input.map((l) => l.id).sort());
    for (const line of input) {
      const back = output.get(line.id);
      expect(back?.schema, line.id).toBe(line.schema);
      expect(back && propertySets(back), line.id).toEqual(propertySets(line));
    }
  });

  it('imports its own export into a new case as the same case, and exports it the same again', () => {
    const { db } = newCase('first.caseboard');
    importFixture(db);
    const first = exportFtm(db).text;
    const { db: second } = newCase('second.caseboard');
    const report = runCaseOperation(second, 'exchange.importFtm', { text: first }, ctx);
    expect(report.errors).toEqual([]);
    expect(report.imported).toBe(9);
    const again = exportFtm(second).text;
    expect(parseLines(again).map((l) => [l.id, l.schema, propertySets(l)])).toEqual(parseLines(first).map((l) => [l.id, l.schema, propertySets(l)]));
    // And importing the export into the case it came from matches every line.
    expect(runCaseOperation(db, 'exchange.importFtm', { text: first }, ctx)).toMatchObject({ imported: 0, matched: { skipped: 9 } });
  });

  it('writes a sanction record added in the case as a Sanction pointing at the entity', () => {
    const { db } = newCase();
    const hit = run(db, 'entities.create', { fields: { type: 'organisation', subtype: 'university', name: 'Harbin Institute of Technology', country: 'CN' } });
    db.transaction(() => addSanction(db, hit.id, { authority: 'U.S. Department of Commerce', program: 'Entity List', startDate: '2020', reason: 'Procuring items for China\'s military.' }, changeSetOf(db, 'Analyst One')))();
    const lines = parseLines(exportFtm(db).text);
    const sanction = lines.find((l) => l.schema === 'Sanction');
    expect(sanction?.properties).toEqual({ entity: [hit.id], authority: ['U.S. Department of Commerce'], program: ['Entity List'], startDate: ['2020'], reason: ["Procuring items for China's military."] });
    expect(lines.find((l) => l.id === hit.id)).toMatchObject({ schema: 'Organization', properties: { name: ['Harbin Institute of Technology'], country: ['cn'], classification: ['university'] } });
  });
});

describe('sanction records in the case', () => {
  it('are taken back by Undo of the import and brought back by Redo', () => {
    const { db } = newCase();
    importFixture(db);
    expect(db.prepare('SELECT count(*) FROM sanctions').pluck().get()).toBe(2);
    run(db, 'history.undo', {});
    expect(db.prepare('SELECT count(*) FROM sanctions').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM entities').pluck().get()).toBe(0);
    run(db, 'history.redo', {});
    expect(db.prepare('SELECT authority FROM sanctions ORDER BY start_date').pluck().all()).toEqual(['Office of Foreign Assets Control', 'Council of the European Union']);
  });

  it('go with their entity when it is deleted, and come back with Undo', () => {
    const { db } = newCase();
    importFixture(db);
    const stc = entityId(db, 'Special Technology Center');
    run(db, 'entities.delete', { id: stc, withLinks: true });
    expect(db.prepare('SELECT count(*) FROM sanctions').pluck().get()).toBe(0);
    run(db, 'history.undo', {});
    expect(run(db, 'entities.get', { id: stc }).sanctions.map((s) => s.authority)).toEqual(['Office of Foreign Assets Control', 'Council of the European Union']);
  });

  it('move to the surviving entity of a merge, with the FtM id and kept properties', () => {
    const { db } = newCase();
    importFixture(db);
    const stc = entityId(db, 'Special Technology Center');
    const twin = run(db, 'entities.create', { fields: { type: 'organisation', name: 'STC (St Petersburg)' } });
    run(db, 'entities.merge', { survivorId: twin.id, mergedId: stc });
    expect(run(db, 'entities.get', { id: twin.id }).sanctions).toHaveLength(2);
    // So do the FtM id and the properties kept from the import.
    expect(db.prepare('SELECT ftm_schema, ftm_properties FROM entities WHERE id = ?').get(twin.id)).toMatchObject({ ftm_schema: 'Company', ftm_properties: expect.stringContaining('"topics"') });
    expect(run(db, 'entities.get', { id: twin.id }).identifiers.map((i) => i.key)).toContain('ftm');
  });

  it('make "sanctioned" a filter of the entities grid: the Sanctions column is blank for the others and names the authorities', () => {
    const { db } = newCase();
    importFixture(db);
    const page = run(db, 'entities.page', { startRow: 0, endRow: 50, sort: [], filter: { sanctions: { filterType: 'text', type: 'notBlank' } }, quick: '' });
    expect(page.rows.map((r) => [r.name, r.sanctions])).toEqual([['Special Technology Center', 'Council of the European Union; Office of Foreign Assets Control']]);
    const ofac = run(db, 'entities.page', { startRow: 0, endRow: 50, sort: [], filter: { sanctions: { filterType: 'text', type: 'contains', filter: 'Foreign Assets' } }, quick: '' });
    expect(ofac.total).toBe(1);
  });

  it('are printed in the entity profile of a briefing, escaped', () => {
    const { db } = newCase();
    importFixture(db);
    const data = assembleReport(db, reportFields.parse({ name: 'STC', title: 'STC briefing' }), { exportedAt: '2025-01-01T00:00:00.000Z', hashCaseFile: false });
    const html = renderReportHtml(data, { pageChrome: 'css' });
    expect(html).toContain('Sanctions');
    expect(html).toContain('Office of Foreign Assets Control');
    expect(html).toContain('RUSSIA-EO14024');
    expect(html).toContain('(since 28 June 2022)');
    expect(html).toContain('used by the Russian armed forces &lt;in Ukraine&gt;.');
    expect(html).not.toContain('<in Ukraine>');
  });
});

describe('FollowTheMoney export that leaves notes out', () => {
  it('drops every note, the ones kept without a column and in the history too', () => {
    const { db } = newCase();
    const line = { id: 'acme-ltd', schema: 'Company', properties: { name: ['Acme Ltd'], notes: ['First note', 'Second note, kept beside the first'], topics: ['sanction'] } };
    const report = runCaseOperation(db, 'exchange.importFtm', { text: `${JSON.stringify(line)}\n` }, ctx);
    expect(report.errors).toEqual([]);
    expect(exportFtm(db).text).toContain('Second note, kept beside the first');
    const redacted = withLeftOut(db, { omitNotes: true }, (copy) => ({
      ftm: exportFtm(copy).text,
      history: (copy.prepare('SELECT group_concat(coalesce(before_json, \'\') || coalesce(after_json, \'\')) FROM audit_events').pluck().get() as string | null) ?? '',
    }));
    expect(redacted.ftm).not.toContain('note');
    expect(redacted.ftm).toContain('"topics":["sanction"]');
    expect(redacted.history).not.toContain('Second note');
  });
});
