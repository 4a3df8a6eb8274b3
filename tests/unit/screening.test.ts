import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { runCaseOperationAsync, type CaseOperationName } from '../../db/host/operations';
import Database from 'better-sqlite3';
import { addReferenceList, listsFolder, ListReader, referenceLists } from '../../db/screening/lists';
import type { OpInput } from '../../shared/contract';
import { DEFAULT_THRESHOLD, type ScreeningHit } from '../../shared/ops/screening';
import { context, newCase } from '../helpers/model';
import { cliPath, distDir, repoRoot, tempDir } from '../helpers/temp';

const FIXTURES = path.join(repoRoot, 'tests', 'fixtures', 'screening');
const WATCHLIST = path.join(FIXTURES, 'watchlist.ftm.json');

interface Labelled {
  key: string;
  type: 'organisation' | 'person';
  name: string;
  country: string;
  aliases: string[];
  identifiers?: { key: string; value: string }[];
  match: string | null;
  nearMisses: string[];
}
const LABELLED = (JSON.parse(readFileSync(path.join(FIXTURES, 'labelled.json'), 'utf8')) as { entities: Labelled[] }).entities;

let savedHome: string | undefined;
beforeEach(() => {
  savedHome = process.env.CASEBOARD_HOME;
  process.env.CASEBOARD_HOME = tempDir('caseboard-home-');
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.CASEBOARD_HOME;
  else process.env.CASEBOARD_HOME = savedHome;
});

function call<N extends CaseOperationName>(db: CaseDb, name: N, input: OpInput<N>) {
  return runCaseOperationAsync(db, name, input, context('Analyst One'));
}

/** A case holding the labelled entities, by their key. */
async function labelledCase(): Promise<{ db: CaseDb; ids: Map<string, string> }> {
  const { db } = newCase('screening.caseboard');
  const ids = new Map<string, string>();
  for (const e of LABELLED) {
    const created = await call(db, 'entities.create', {
      fields: { type: e.type, name: e.name, country: e.country, aliases: e.aliases.map((name) => ({ name, language: null })), identifiers: e.identifiers ?? [] },
    });
    ids.set(e.key, created.id);
  }
  return { db, ids };
}

async function withWatchlist(name = 'US Entity List', version = '2026-11-30') {
  return addReferenceList([WATCHLIST], { name, version });
}

function hitOf(hits: readonly ScreeningHit[], entityId: string, entryId: string): ScreeningHit | undefined {
  return hits.find((h) => h.entity.id === entityId && h.entry.id === entryId);
}

describe('reference lists', () => {
  it('are read from FtM JSON lines into the user data folder, with their SHA-256, entity count and version', async () => {
    const added = await withWatchlist();
    expect(added).toMatchObject({ name: 'US Entity List', version: '2026-11-30', entities: 29 });
    expect(added.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(path.dirname(listsFolder())).toBe(process.env.CASEBOARD_HOME);
    expect(referenceLists().map((l) => l.name)).toEqual(['US Entity List']);
  });

  it('refuse a file with no FtM entities, and leave nothing half-built behind', async () => {
    const bad = path.join(tempDir(), 'export.csv');
    writeFileSync(bad, 'name;country\nHarbin Institute of Technology;CN\n');
    await expect(addReferenceList([bad], { name: 'Broken' })).rejects.toThrow(/no FollowTheMoney people, organisations/);
    expect(existsSync(listsFolder()) ? readdirSync(listsFolder()) : []).toEqual([]);
  });

  it('refuse a second list under a name already taken', async () => {
    await withWatchlist();
    await expect(withWatchlist()).rejects.toThrow(/already added/);
  });
});

describe('screening a case', () => {
  it('finds each labelled entity’s true entry across Latin, Chinese and Cyrillic, and ranks the near-misses below it', async () => {
    await withWatchlist();
    const { db, ids } = await labelledCase();
    const { hits: all } = await call(db, 'screening.run', { threshold: 0.3 });
    for (const e of LABELLED) {
      const entityId = ids.get(e.key) as string;
      const truth = e.match ? hitOf(all, entityId, e.match) : undefined;
      if (e.match) {
        expect(truth, `${e.name} should be found as ${e.match}`).toBeDefined();
        expect(truth?.score, e.name).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
      }
      for (const miss of e.nearMisses) {
        const near = hitOf(all, entityId, miss);
        if (near) {
          expect(near.score, `${e.name} ~ ${miss}`).toBeLessThan(truth?.score ?? DEFAULT_THRESHOLD);
          expect(near.score, `${e.name} ~ ${miss}`).toBeLessThan(DEFAULT_THRESHOLD);
        }
      }
    }
    // The Chinese-only and Cyrillic-only names are found through pinyin and the Russian romanisations, and say so.
    const beihang = hitOf(all, ids.get('buaa') as string, 'NK-Bh4zBUAA1nTcYe');
    expect(beihang?.matched).toEqual(['北京航空航天大学', 'Beijing Hangkong Hangtian Daxue']);
    expect(beihang?.why).toMatch(/pinyin/);
    const mai = hitOf(all, ids.get('mai') as string, 'NK-Mq5aMAI3hVu8Ks');
    expect(mai?.matched).toEqual(['Московский авиационный институт', 'Moskovskiy Aviatsionnyy Institut']);
    expect(mai?.why).toMatch(/romanisation/);
    const stc = hitOf(all, ids.get('stc-ru') as string, 'NK-stc7Hq2kLpW4xV');
    expect(stc?.why).toMatch(/agrees: country RU; type \(a company\); identifier innCode 7802198567/);
    expect(stc?.sanctions.map((s) => s.authority)).toEqual(['US Office of Foreign Assets Control', 'European Union']);
  });

  it('at the default threshold reports the true entries and no entity that is on no list', async () => {
    await withWatchlist();
    const { db, ids } = await labelledCase();
    const { hits, run } = await call(db, 'screening.run', {});
    expect(run).toMatchObject({ threshold: DEFAULT_THRESHOLD, entities: LABELLED.length, lists: [{ name: 'US Entity List', version: '2026-11-30' }] });
    const expected = LABELLED.filter((e) => e.match).map((e) => `${ids.get(e.key)}:${e.match}`);
    expect(hits.map((h) => `${h.entity.id}:${h.entry.id}`).sort()).toEqual(expected.sort());
  });

  it('keeps decisions when the case is screened again, and marks what changed', async () => {
    await withWatchlist();
    const { db, ids } = await labelledCase();
    const first = await call(db, 'screening.run', {});
    expect(first.hits.every((h) => h.change === 'new' && h.decision === 'open')).toBe(true);
    const ivanov = hitOf(first.hits, ids.get('ivanov') as string, 'NK-Iv2pPSI1965aBc') as ScreeningHit;
    await call(db, 'screening.decide', { id: ivanov.id, decision: 'dismissed', note: 'Our Ivanov was born in 1971; a namesake.' });

    // The Tsinghua entity gains an alias that is on the list, and the MAI entity loses its country.
    const tsinghua = await call(db, 'entities.get', { id: ids.get('tsinghua') as string });
    await call(db, 'entities.update', { id: tsinghua.id, fields: { ...tsinghua, aliases: [...tsinghua.aliases, { name: 'Tsinghua Tongfang Co., Ltd.', language: 'en' }] } });
    const mai = await call(db, 'entities.get', { id: ids.get('mai') as string });
    await call(db, 'entities.update', { id: mai.id, fields: { ...mai, country: null } });

    const second = await call(db, 'screening.run', {});
    const again = second.hits.find((h) => h.id === ivanov.id);
    expect(again).toMatchObject({ decision: 'dismissed', note: 'Our Ivanov was born in 1971; a namesake.', change: 'same' });
    expect(hitOf(second.hits, tsinghua.id, 'NK-Ts0qTSIN6vYm3n')?.change).toBe('new');
    expect(hitOf(second.hits, mai.id, 'NK-Mq5aMAI3hVu8Ks')?.change).toBe('changed');
    expect(second.run?.changed).toEqual({ new: 1, changed: 1, gone: 0 });
    expect(second.hits.filter((h) => h.change === 'same')).toHaveLength(first.hits.length - 1);
  });

  it('turns a confirmed hit into the entry’s sanction records on the entity, citing the list as a dataset source, in one undo step', async () => {
    await withWatchlist();
    const { db, ids } = await labelledCase();
    const { hits } = await call(db, 'screening.run', {});
    const stcId = ids.get('stc-ru') as string;
    const hit = hitOf(hits, stcId, 'NK-stc7Hq2kLpW4xV') as ScreeningHit;
    const confirmed = await call(db, 'screening.decide', { id: hit.id, decision: 'confirmed', note: 'Same INN as in the registry extract.' });
    expect(confirmed).toMatchObject({ decision: 'confirmed', decidedBy: 'Analyst One', note: 'Same INN as in the registry extract.' });

    const entity = await call(db, 'entities.get', { id: stcId });
    expect(entity.sanctions.map((s) => [s.authority, s.program, s.startDate, s.list])).toEqual([
      ['US Office of Foreign Assets Control', 'RUSSIA-EO14024', '2016-12-29', 'US Entity List'],
      ['European Union', 'Russia: Ukraine war', '2023-02-25', 'US Entity List'],
    ]);
    const cited = db
      .prepare('SELECT s.kind, s.title, x.quote FROM citations c JOIN excerpts x ON x.id = c.excerpt_id JOIN sources s ON s.id = x.source_id WHERE c.entity_id = ?')
      .get(stcId) as { kind: string; title: string; quote: string };
    expect(cited.kind).toBe('dataset');
    expect(cited.title).toBe('Reference list US Entity List (2026-11-30)');
    expect(cited.quote).toContain('[NK-stc7Hq2kLpW4xV]');
    expect(cited.quote).toContain('US Office of Foreign Assets Control, RUSSIA-EO14024, since 2016-12-29');

    // A second confirmation from the same list cites the same source, not a copy of it.
    const other = hitOf(hits, ids.get('stc-en') as string, 'NK-stc7Hq2kLpW4xV') as ScreeningHit;
    await call(db, 'screening.decide', { id: other.id, decision: 'confirmed' });
    expect(db.prepare("SELECT count(*) FROM sources WHERE kind = 'dataset'").pluck().get()).toBe(1);

    // A confirmed hit is taken back by Undo, with everything it added, in one step each.
    await expect(call(db, 'screening.decide', { id: hit.id, decision: 'dismissed' })).rejects.toThrow(/undo the confirmation/);
    await call(db, 'history.undo', {});
    await call(db, 'history.undo', {});
    expect((await call(db, 'entities.get', { id: stcId })).sanctions).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM citations WHERE entity_id = ?').pluck().get(stcId)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sources WHERE kind = 'dataset'").pluck().get()).toBe(0);
    expect((await call(db, 'screening.results', { entityId: stcId })).hits[0]?.decision).toBe('open');
  });

  it('compares dates the case holds with the entry’s: one that agrees raises the score, one that differs lowers it and says so', async () => {
    await withWatchlist();
    const { db } = newCase('dates.caseboard');
    const person = (name: string, identifiers: { key: string; value: string }[]) =>
      call(db, 'entities.create', { fields: { type: 'person', name, country: 'RU', aliases: [], identifiers } });
    const undated = await person('Иванов Пётр Сергеевич', []);
    const same = await person('Ivanov Pyotr Sergeyevich', [{ key: 'Date of birth', value: '1965-03-14' }]);
    const sameYear = await person('Пётр Сергеевич Иванов', [{ key: 'born', value: '1965' }]);
    const other = await person('Pyotr S. Ivanov', [{ key: 'Date of birth', value: '1971-09-02' }]);
    // Imported from FtM: the date stays among the entity's own properties, and is compared too.
    const line = JSON.stringify({ id: 'case-ivanov', schema: 'Person', properties: { name: ['Petr Sergeevich Ivanov'], country: ['ru'], birthDate: ['1971'] } });
    await call(db, 'exchange.importFtm', { text: `${line}\n` });
    const imported = db.prepare("SELECT id FROM entities WHERE name = 'Petr Sergeevich Ivanov'").pluck().get() as string;
    const { hits } = await call(db, 'screening.run', { threshold: 0.3 });
    const of = (id: string) => hitOf(hits, id, 'NK-Iv2pPSI1965aBc') as ScreeningHit;
    expect(of(undated.id).why).toMatch(/list entry born 1965-03-14 \(the case holds no date to compare\)/);
    expect(of(same.id).why).toMatch(/agrees: .*date of birth 1965-03-14/);
    expect(of(sameYear.id).why).toMatch(/agrees: .*date of birth 1965-03-14/);
    expect(of(other.id).why).toMatch(/differs: .*date of birth \(1971-09-02 in the case, 1965-03-14 on the list\)/);
    expect(of(imported).why).toMatch(/differs: .*date of birth \(1971 in the case, 1965-03-14 on the list\)/);
    // The same name, three ways: an agreeing date ranks above none, a differing one below, under the threshold.
    expect(of(same.id).score).toBeGreaterThan(of(undated.id).score - 0.001);
    expect(of(other.id).score).toBeLessThan(of(undated.id).score);
    expect(of(other.id).score).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('names the list that is missing, and asks for a list before the first run', async () => {
    const { db } = await labelledCase();
    await expect(call(db, 'screening.run', {})).rejects.toThrow(/No reference list is added yet/);
    await withWatchlist();
    await expect(call(db, 'screening.run', { lists: ['EU Consolidated'] })).rejects.toThrow(/no reference list called "EU Consolidated"/);
    expect(db.prepare('SELECT count(*) FROM screening_runs').pluck().get()).toBe(0);
  });
});

/** Made-up words from a counter, so filler entries share no word by chance: "Zubakor", "Zubelin", … */
function madeUpWord(i: number): string {
  const syllables = ['bak', 'lin', 'mor', 'tus', 'gev', 'ran', 'dok', 'pim', 'sel', 'fur'];
  let word = 'Zu';
  for (let n = i; ; n = Math.floor(n / 10)) {
    word += syllables[n % 10];
    if (n < 10) break;
  }
  return word;
}

/**
 * A list in which every word of "Kedr Volna" is common: 300 entries start
 * "Kedr Volgin", 300 end "Volna", so each of the name's keys is shared by
 * more than 250 entries and none is rare. The true entry is "Kedr Volna"
 * itself; "Kedr Volna Logistika" shares both words and one more.
 */
function commonWordsList(): string {
  const lines: string[] = [];
  const entry = (id: string, name: string) => JSON.stringify({ id, schema: 'Company', properties: { name: [name], country: ['ru'] } });
  for (let i = 0; i < 300; i += 1) lines.push(entry(`kv-a-${i}`, `Kedr Volgin ${madeUpWord(i)}`));
  for (let i = 0; i < 300; i += 1) lines.push(entry(`kv-b-${i}`, `${madeUpWord(1000 + i)} Volna`));
  lines.push(entry('kv-true', 'Kedr Volna'));
  lines.push(entry('kv-near', 'Kedr Volna Logistika'));
  const file = path.join(tempDir(), 'common-words.ftm.json');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('finding candidates in a large list', () => {
  it('finds a name made only of common words where its words meet, and ranks a near-miss sharing them below', async () => {
    await addReferenceList([commonWordsList()], { name: 'Common words' });
    const reader = new ListReader('Common words');
    try {
      // Every key of the name is common, so the rule for names of common words only is the one that finds it.
      expect(['kedr', 'volna', '^kedrvo'].map((k) => reader.keyCount(k) > 250)).toEqual([true, true, true]);
    } finally {
      reader.close();
    }
    const { db } = newCase('common-words.caseboard');
    const kedr = await call(db, 'entities.create', { fields: { type: 'organisation', name: 'Kedr Volna', country: 'RU', aliases: [], identifiers: [] } });
    const { hits: all } = await call(db, 'screening.run', { threshold: 0.3 });
    const truth = hitOf(all, kedr.id, 'kv-true');
    const near = hitOf(all, kedr.id, 'kv-near');
    expect(truth?.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    expect(near, 'the near-miss is among the candidates scored').toBeDefined();
    expect(near?.score).toBeLessThan(DEFAULT_THRESHOLD);
    expect(near?.score).toBeLessThan(truth?.score ?? 0);
    const { hits } = await call(db, 'screening.run', {});
    expect(hits.filter((h) => h.change !== 'gone').map((h) => h.entry.id)).toEqual(['kv-true']);
  });

  it('finds the same hits when posting lists are written in several parts', async () => {
    await addReferenceList([WATCHLIST], { name: 'Whole' });
    await addReferenceList([WATCHLIST], { name: 'In parts', postingsInMemory: 5 });
    const partsOf = (file: string) => {
      const list = new Database(file, { readonly: true });
      try {
        return list.prepare('SELECT name FROM list_info').pluck().get() === 'In parts' ? (list.prepare('SELECT max(part) + 1 FROM postings').pluck().get() as number) : 0;
      } finally {
        list.close();
      }
    };
    expect(Math.max(...readdirSync(listsFolder()).map((f) => partsOf(path.join(listsFolder(), f))))).toBeGreaterThan(1);
    const { db } = await labelledCase();
    const { hits } = await call(db, 'screening.run', { threshold: 0.3 });
    const byList = (list: string) => hits.filter((h) => h.entry.list === list).map((h) => `${h.entity.id}:${h.entry.id}:${h.score}`).sort();
    expect(byList('In parts').length).toBeGreaterThan(LABELLED.filter((e) => e.match).length - 1);
    expect(byList('In parts')).toEqual(byList('Whole'));
  });

  it('still screens against a list kept the earlier way, one index row per key and entry', async () => {
    await withWatchlist();
    const { db, ids } = await labelledCase();
    const before = (await call(db, 'screening.run', {})).hits.map((h) => `${h.entity.id}:${h.entry.id}:${h.score}`).sort();
    const [file] = readdirSync(listsFolder()).map((f) => path.join(listsFolder(), f));
    const list = new Database(file as string);
    list.exec('CREATE TABLE keys (key TEXT NOT NULL, entry INTEGER NOT NULL)');
    const insert = list.prepare('INSERT INTO keys (key, entry) VALUES (?, ?)');
    for (const row of list.prepare('SELECT key, entries FROM postings').all() as { key: string; entries: Buffer }[]) {
      for (let i = 0; i < row.entries.length; i += 4) insert.run(row.key, row.entries.readInt32LE(i));
    }
    list.exec('DROP TABLE postings; CREATE INDEX keys_key ON keys (key, entry)');
    list.close();
    const after = (await call(db, 'screening.run', {})).hits.map((h) => `${h.entity.id}:${h.entry.id}:${h.score}`).sort();
    expect(after).toEqual(before);
    expect(after.some((h) => h.startsWith(`${ids.get('hit')}:NK-3aDfHIT7rQ2mWx:`))).toBe(true);
  });
});

describe('caseboard lists and caseboard screen', () => {
  function cli(home: string, ...args: string[]) {
    const run = spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, CASEBOARD_HOME: home, CASEBOARD_DEBUG: '' }, encoding: 'utf8', timeout: 60_000 });
    return { code: run.status, out: run.stdout, err: run.stderr };
  }

  it('add, show and remove lists, screen a case as JSON in the documented shape, and record decisions', { timeout: 120_000 }, () => {
    if (!existsSync(path.join(distDir, 'cli.cjs'))) throw new Error('dist/cli.cjs is missing; run "npm run build" first.');
    const home = tempDir('caseboard-home-');
    const dir = tempDir();
    const file = path.join(dir, 'case.caseboard');
    expect(cli(home, 'lists', 'add', WATCHLIST, '--name', 'US Entity List', '--version', '2026-11-30').code).toBe(0);
    const shown = JSON.parse(cli(home, 'lists', '--json').out) as { name: string; version: string; sha256: string; entities: number; addedAt: string }[];
    expect(shown).toEqual([{ name: 'US Entity List', version: '2026-11-30', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown as string, entities: 29, addedAt: expect.any(String) as unknown as string }]);

    expect(cli(home, 'new', file).code).toBe(0);
    const ftm = path.join(dir, 'case.ftm.json');
    writeFileSync(ftm, `${JSON.stringify({ id: 'case-hit', schema: 'Organization', properties: { name: ['Harbin Institute of Technology'], alias: ['哈尔滨工业大学'], country: ['cn'] } })}\n${JSON.stringify({ id: 'case-mai', schema: 'Organization', properties: { name: ['Московский авиационный институт'], country: ['ru'] } })}\n`);
    expect(cli(home, 'import', file, ftm, '--format', 'ftm').code).toBe(0);

    const screened = cli(home, 'screen', file, '--json');
    expect(screened.code).toBe(0);
    const result = JSON.parse(screened.out) as { lists: unknown[]; hits: Record<string, unknown>[] };
    expect(Object.keys(result)).toEqual(['lists', 'hits']);
    expect(result.lists).toEqual([shown[0]]);
    expect(result.hits).toHaveLength(2);
    const hit = result.hits.find((h) => (h.entry as { id: string }).id === 'NK-Mq5aMAI3hVu8Ks') as Record<string, unknown>;
    expect(Object.keys(hit).slice(0, 7)).toEqual(['entity', 'entry', 'score', 'matched', 'why', 'sanctions', 'id']);
    expect(hit.entity).toEqual({ id: expect.any(String), name: 'Московский авиационный институт' });
    expect(hit.entry).toEqual({ list: 'US Entity List', id: 'NK-Mq5aMAI3hVu8Ks', names: ['Moscow Aviation Institute', 'Moskovskiy Aviatsionnyy Institut', 'MAI'] });
    expect(hit.matched).toEqual(['Московский авиационный институт', 'Moskovskiy Aviatsionnyy Institut']);
    expect(hit.sanctions).toEqual([
      { authority: 'US Bureau of Industry and Security', program: 'Entity List', startDate: '2022-06-28' },
      { authority: 'Ministry of Foreign Affairs of Ukraine', program: 'Sanctions of the NSDC', startDate: '2023-01-13' },
    ]);
    expect(typeof hit.score).toBe('number');

    const confirmed = cli(home, 'screen', file, '--confirm', String(hit.id).slice(0, 30), '--note', 'Checked against the MAI website.', '--json');
    expect(confirmed.code).toBe(0);
    expect((JSON.parse(confirmed.out) as { hits: { decision: string; note: string }[] }).hits).toEqual([expect.objectContaining({ decision: 'confirmed', note: 'Checked against the MAI website.' })]);
    // Screening again keeps the decision and says nothing changed.
    const again = cli(home, 'screen', file);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/2 hits at 0.8 or above; 0 new, 0 changed, 0 no longer found/);
    expect(again.out).toMatch(/2 hits are as before/);

    expect(cli(home, 'lists', 'remove', 'US Entity List').code).toBe(0);
    expect(JSON.parse(cli(home, 'lists', '--json').out)).toEqual([]);
  });

  it('exit 1 for usage errors and unknown names, 2 for a file that is not a case file', { timeout: 120_000 }, () => {
    const home = tempDir('caseboard-home-');
    const dir = tempDir();
    const file = path.join(dir, 'case.caseboard');
    const exit = (...args: string[]) => {
      const { code, err } = cli(home, ...args);
      return { code, err: err.trim() };
    };
    expect(exit('new', file).code).toBe(0);
    expect(exit('screen', file)).toEqual({ code: 1, err: 'caseboard: No reference list is added yet; add one with caseboard lists add or in the Screening view.' });
    expect(exit('lists', 'add', WATCHLIST, '--name', 'US Entity List').code).toBe(0);
    expect(exit('screen', file, '--threshold', '1.5')).toMatchObject({ code: 1, err: expect.stringMatching(/the threshold is a score from 0 to 1/) as unknown as string });
    expect(exit('screen', file, '--list', 'EU Consolidated')).toMatchObject({ code: 1, err: expect.stringMatching(/no reference list called "EU Consolidated"/) as unknown as string });
    expect(exit('screen', file, '--dismiss', 'no-such-hit')).toEqual({ code: 1, err: 'caseboard: There is no screening hit "no-such-hit" in this case.' });
    expect(exit('screen', file, '--note', 'a note alone')).toEqual({ code: 1, err: 'caseboard: --note goes with --confirm or --dismiss.' });
    expect(exit('lists', 'remove', 'EU Consolidated')).toEqual({ code: 1, err: 'caseboard: There is no reference list called "EU Consolidated".' });
    expect(exit('lists', 'add', path.join(dir, 'missing.json'), '--name', 'Missing')).toEqual({ code: 1, err: 'caseboard: missing.json cannot be read as a file.' });
    const notCase = path.join(dir, 'notes.txt');
    writeFileSync(notCase, 'not a case file');
    expect(exit('screen', notCase).code).toBe(2);
  });
});
