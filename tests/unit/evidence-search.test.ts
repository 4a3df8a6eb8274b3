import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { SearchHit } from '../../shared/evidence';
import type { OperationName } from '../../shared/operation-names';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import type { CaseOperationName, OperationContext } from '../../db/core/handler';
import { runCaseOperationAsync } from '../../db/host/operations';
import { buildSearchSql, snippetWords } from '../../db/evidence/search';
import { parseSearch } from '../../db/evidence/search-query';
import { parseOperationInput } from '../../shared/validate';
import { stemRussian } from '../../db/evidence/russian-stem';
import { launchBrowser } from '../helpers/browser';
import { makeEvidenceFiles, type EvidenceFiles } from '../helpers/evidence-files';

let browser: Browser;
let files: EvidenceFiles;
let dir: string;
let db: CaseDb;
let report: { sourceId: string; attachmentId: string };
let htmlSourceId: string;

const ctx: OperationContext = { actor: 'analyst', progress: () => undefined, throwIfCancelled: () => undefined };
function run<N extends CaseOperationName & OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  return runCaseOperationAsync(db, name, input, ctx);
}
const text = (hit: SearchHit) => hit.snippet.map((p) => p.text).join('');
const marked = (hit: SearchHit) => hit.snippet.filter((p) => p.hit).map((p) => p.text);
const search = async (query: string, extra: Partial<OpInput<'search.query'>> = {}) => (await run('search.query', { query, ...extra })).hits;
const reportPages = async (query: string) => (await search(query)).filter((h) => h.attachmentId === report.attachmentId && h.field === 'page').map((h) => h.page);

beforeAll(async () => {
  browser = await launchBrowser();
  dir = path.join(os.tmpdir(), `caseboard-search-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  files = await makeEvidenceFiles(browser, dir);
  db = createCaseFile(path.join(dir, 'search.caseboard'), { title: 'Search' });
  const source = await run('sources.create', {
    kind: 'article',
    title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls",
    publisher: 'Radio Free Europe/Radio Liberty',
    reliability: 'B',
    notes: 'Reports preliminary ASPI findings on aero-engines and drones.',
  });
  const added = await run('attachments.add', { sourceId: source.id, file: { path: files.report } });
  report = { sourceId: source.id, attachmentId: added.attachment.id };
  htmlSourceId = (await run('attachments.add', { file: { path: files.html } })).sourceId;
  for (const file of [files.mhtml, files.text, files.markdown, files.png, files.corruptPdf, files.scan]) await run('attachments.add', { file: { path: file } });
  await run('excerpts.create', {
    sourceId: source.id,
    fields: { attachmentId: added.attachment.id, quote: 'Beihang University and the Moscow Aviation Institute have run a joint Master’s programme since 2017', page: 2, credibility: 2, comment: 'ASPI finding' },
  });
  const rumour = await run('sources.create', { kind: 'social_post', title: 'Forum post about drone swarms', reliability: 'E' });
  await run('excerpts.create', { sourceId: rumour.id, fields: { quote: 'Beihang engineers tested drone swarms with Russian partners', credibility: 5 } });
}, 90_000);

afterAll(async () => {
  db?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search in three scripts lands on the right page', () => {
  it('finds Chinese text with the trigram index, on page 1', async () => {
    expect(await reportPages('哈尔滨工业大学')).toEqual([1]);
    const hit = (await search('哈尔滨工业大学')).find((h) => h.field === 'page')!;
    expect(marked(hit).join('')).toContain('哈尔滨工业大学');
    // The same run of characters on a web page is found too.
    expect((await search('哈尔滨工业大学')).map((h) => h.sourceId)).toContain(htmlSourceId);
  });

  it('finds Chinese terms shorter than three characters, such as 北航', async () => {
    expect(await reportPages('北航')).toEqual([1]);
    const hit = (await search('北航')).find((h) => h.field === 'page')!;
    expect(marked(hit)).toContain('北航');
    expect(await reportPages('西安工业大学')).toEqual([]);
    expect((await search('西安工业大学')).length).toBe(1);
  });

  it('finds Russian words in their inflected forms, on page 3', async () => {
    expect(stemRussian('авиационный')).toBe(stemRussian('авиационного'));
    // The page says "Московского авиационного института" and "Баумана".
    expect(await reportPages('авиационный')).toEqual([3]);
    expect(await reportPages('Бауман')).toEqual([3]);
    expect(await reportPages('московский институт')).toEqual([3]);
    const hit = (await search('Бауман')).find((h) => h.field === 'page')!;
    expect(marked(hit)).toContain('Баумана');
  });

  it('finds Latin words whatever their case and accents, on page 2', async () => {
    expect(await reportPages('BEIHANG')).toEqual([2]);
    expect(await reportPages('cafe')).toEqual([2]);
    expect(await reportPages('CAFÉ')).toEqual([2]);
    expect(await reportPages('engines')).toEqual([2]);
    expect(await reportPages('"joint Master’s programme"')).toEqual([2]);
  });

  it('needs every word of the query, in any script, in the same place', async () => {
    expect(await reportPages('哈尔滨工业大学 2011')).toEqual([1]);
    expect(await reportPages('Beihang 哈尔滨工业大学')).toEqual([]);
  });
});

describe('what a search finds', () => {
  it('finds sources by title, notes and publisher, excerpts by quote, and attachments by name', async () => {
    const bySanctions = await search('sanctions');
    expect(bySanctions[0]).toMatchObject({ kind: 'source', field: 'source', sourceId: report.sourceId });
    expect((await search('Liberty'))[0]).toMatchObject({ field: 'source' });
    expect((await search('aero-engines'))[0]).toMatchObject({ field: 'source' });
    const excerpt = (await search('Beihang', { kinds: ['excerpt'] })).find((h) => h.credibility === 2)!;
    expect(excerpt).toMatchObject({ kind: 'excerpt', page: 2, attachmentId: report.attachmentId, attachmentName: 'defence-universities.pdf' });
    expect((await search('diagram')).map((h) => h.field)).toContain('attachment');
  });

  it('ranks a match in a title above a match in running text', async () => {
    const hits = await search('sanctions');
    expect(hits[0]!.field).toBe('source');
  });

  it('filters by kind of item, reliability grade and credibility grade', async () => {
    const all = await search('Beihang');
    expect(new Set(all.map((h) => h.kind))).toEqual(new Set(['attachment', 'excerpt']));
    // Sources bring their attached files, as they always have; attachments alone are the files only.
    const sources = await search('Beihang', { kinds: ['source'] });
    expect(new Set(sources.map((h) => h.kind))).toEqual(new Set(['attachment']));
    expect((await search('Radio Free Europe', { kinds: ['source'] })).map((h) => h.kind)).toContain('source');
    const attachments = await search('Beihang', { kinds: ['attachment'] });
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments.every((h) => h.kind === 'attachment' && (h.field === 'attachment' || h.field === 'page'))).toBe(true);
    const reliable = await search('Beihang', { reliability: ['A', 'B'] });
    expect(reliable.length).toBeGreaterThan(0);
    expect(reliable.every((h) => h.reliability === 'B')).toBe(true);
    const improbable = await search('Beihang', { credibility: [5] });
    expect(improbable.map((h) => [h.kind, h.reliability, h.credibility])).toEqual([['excerpt', 'E', 5]]);
  });

  it('highlights the matching words in a short snippet of the text around them', async () => {
    const hit = (await search('Moscow Aviation')).find((h) => h.field === 'page')!;
    expect(marked(hit)).toEqual(expect.arrayContaining(['Moscow', 'Aviation']));
    expect(text(hit).length).toBeLessThan(400);
  });

  it('does not find text that the reader never sees on a web page', async () => {
    expect(await search('evilMarker')).toEqual([]);
    expect(await search('beacon')).toEqual([]);
  });

  it('treats query syntax and wildcards as plain text', async () => {
    const beihang = await search('Beihang');
    const together = await search('Beihang Moscow');
    expect(beihang.length).toBeGreaterThan(together.length);
    expect(together.length).toBeGreaterThan(0);
    // Each query finds what its plain words find: FTS5 operators, quotes, column filters and marks are not obeyed.
    const plainEquivalents: [string, string][] = [
      ['^Beihang', 'Beihang'],
      ['Beihang*', 'Beihang'],
      ['"Beihang', 'Beihang'],
      ['Beihang"', 'Beihang'],
      ['(Beihang)', 'Beihang'],
      ['+Beihang', 'Beihang'],
      ['{Beihang}', 'Beihang'],
      ['Beihang AND Moscow', 'Beihang and Moscow'],
      ['Beihang NOT Moscow', 'Beihang not Moscow'],
      ['Beihang OR Moscow', 'Beihang or Moscow'],
      ['NEAR(Beihang Moscow)', '"NEAR Beihang" Moscow'],
      ['title:Defense', '"title Defense"'],
      ["'; DROP TABLE sources; --", 'drop table sources'],
    ];
    for (const [hostile, plain] of plainEquivalents) expect(await search(hostile), hostile).toEqual(await search(plain));
    // Were OR, NEAR or the column filter obeyed, these would find the places that mention Beihang or Defense.
    expect(await search('Beihang OR Zyxwvutsrq')).toEqual([]);
    expect(await search('NEAR(Beihang Moscow)')).toEqual([]);
    expect(await search('title:Defense')).toEqual([]);
    expect((await search('Defense')).length).toBeGreaterThan(0);
    // Lone operators and marks are words or nothing, never an error.
    for (const operator of ['AND', 'OR', 'NOT', 'NEAR']) expect(await search(operator), operator).toEqual(await search(operator.toLowerCase()));
    for (const nothing of ['"', '""', '*', '%', '_', '^', '(', ')', ':', '-', '+', '" "']) expect(await run('search.query', { query: nothing }), nothing).toEqual({ hits: [], total: 0, items: [] });
    expect((db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n).toBeGreaterThan(1);
    // A long query is searched as typed, up to the limit; beyond it the search says why it refuses.
    const long = `${'Beihang '.repeat(61)}Moscow`;
    expect(long.length).toBeLessThanOrEqual(500);
    expect(await search(long)).toEqual(together);
    await expect(run('search.query', { query: 'Beihang '.repeat(70) })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('The search is longer than 500 characters.') as unknown });
  });

  it('pages through results with a total', async () => {
    const first = await run('search.query', { query: 'Beihang', limit: 1 });
    const second = await run('search.query', { query: 'Beihang', limit: 1, offset: 1 });
    expect(first.total).toBeGreaterThan(1);
    expect(first.hits.length).toBe(1);
    expect(second.hits[0]).not.toEqual(first.hits[0]);
  });

  it("highlights in the page's snippets every word a prefix stands for, as matching the prefix itself did", async () => {
    const source = await run('sources.create', { kind: 'report', title: 'Engine programmes', reliability: 'C', notes: 'The engine works build engines; engineering staff moved to the Engineers Club.' });
    // Seventy words with one prefix: more than a snippet spells out.
    await run('sources.create', { kind: 'report', title: 'Catalogue', reliability: 'C', notes: Array.from({ length: 70 }, (_, i) => `zephyr${i}x`).join(' ') });
    for (const query of ['engines', 'Engineering programme', 'zephyr', 'Beihang', 'Moscow engines']) {
      const built = buildSearchSql(parseOperationInput('search.query', { query }), { rankIndex: true })!;
      const spelt = snippetWords(db, built.wordTerms);
      const asTyped = db.prepare(built.select).all(...built.selectParams(50, 0)) as { id: number; snip: string | null }[];
      const asSpelt = db.prepare(built.select).all(...built.selectParams(50, 0, spelt)) as { id: number; snip: string | null }[];
      expect(asSpelt, query).toEqual(asTyped);
      expect(asTyped.length, query).toBeGreaterThan(0);
    }
    expect(snippetWords(db, ['"engine"*'])).toBe('("engine" OR "engineering" OR "engineers" OR "engines")');
    expect(snippetWords(db, ['"zephyr"*'])).toBe('"zephyr"*');
    const hit = (await search('engines')).find((h) => h.sourceId === source.id);
    expect(hit && marked(hit)).toEqual(['engine', 'engines', 'engineering', 'Engineers']);
  });

  it('gives the same total from the page it ranks as from counting, on every page and past the last', async () => {
    for (const query of ['Beihang', 'drone', 'engine programme', 'nothing of the kind']) {
      const built = buildSearchSql(parseOperationInput('search.query', { query }), { rankIndex: true })!;
      const counted = (db.prepare(`SELECT count(*) AS n FROM (${built.count})`).get(...built.countParams) as { n: number }).n;
      for (const offset of [0, 1, counted, counted + 5]) expect((await run('search.query', { query, limit: 1, offset })).total, `${query} at ${offset}`).toBe(counted);
    }
  });

  it("ranks the places found off the narrow index, reading only the page's own rows whole", () => {
    for (const query of ['Beihang drone', 'Beihang', '哈尔滨工业大学']) {
      const built = buildSearchSql(parseOperationInput('search.query', { query }), { rankIndex: true })!;
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${built.select}`).all(...built.selectParams(50, 0)) as { detail: string }[]).map((p) => p.detail).join('\n');
      expect(plan, query).toMatch(/SEARCH d USING COVERING INDEX search_docs_rank \(id=\?\)/);
    }
  });

  it('finds and ranks for one term, read from its scores, what the same term twice finds by looking it up', async () => {
    // Found by the trigram index alone: the word is inside a longer one.
    const inside = await run('sources.create', { kind: 'report', title: 'Deliveries of microturbines', reliability: 'C' });
    await run('sources.create', { kind: 'report', title: 'Turbine blades', reliability: 'C' });
    const turbine = await run('search.query', { query: 'turbine', limit: 50 });
    expect(turbine.hits.map((h) => h.sourceId)).toContain(inside.id);
    expect(turbine.total).toBe(2);
    for (const query of ['turbine', 'Beihang', 'drone', 'engines', 'Moscow', '哈尔滨工业大学', 'Бауманский', '北航', '"export controls"', 'nothing of the kind']) {
      const once = await run('search.query', { query, limit: 50 });
      const twice = await run('search.query', { query: `${query} ${query}`, limit: 50 });
      expect(once.hits, query).toEqual(twice.hits);
      expect(once.total, query).toBe(twice.total);
    }
    expect((await run('search.query', { query: 'Beihang', limit: 50 })).total).toBeGreaterThan(1);
  });

  it('uses the full-text indexes rather than scanning the text', () => {
    const built = buildSearchSql(parseOperationInput('search.query', { query: 'Beihang 哈尔滨工业大学' }))!;
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${built.select}`).all(...built.selectParams(50, 0)) as { detail: string }[]).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/SCAN search_words VIRTUAL TABLE INDEX/);
    expect(plan).toMatch(/SCAN search_trigram VIRTUAL TABLE INDEX/);
    expect(plan).toMatch(/SEARCH s USING INDEX sqlite_autoindex_sources_1/);
    // Ranking reads each index once (materialised), never once per candidate.
    expect(plan).toMatch(/MATERIALIZE w/);
    expect(plan).toMatch(/MATERIALIZE t/);
  });
});

describe('query parsing', () => {
  it('sends each script to the index that can find it', () => {
    expect(parseSearch('Beihang 哈尔滨工业大学 北航 Бауман')).toEqual({
      terms: [
        { words: '"beihang"*', trigram: '"Beihang"', substring: null },
        { words: null, trigram: '"哈尔滨工业大学"', substring: null },
        { words: null, trigram: null, substring: '北航' },
        { words: '"баума"*', trigram: '"баума"', substring: null },
      ],
      highlights: ['Beihang', '哈尔滨工业大学', '北航', 'Бауман'],
    });
    expect(parseSearch('"joint programme" HIT').terms.map((t) => t.words)).toEqual(['"joint programme"', '"HIT"']);
  });
});
