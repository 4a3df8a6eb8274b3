import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile, type CaseDb } from '../../db/core/case-file';
import { storeAttachment, sha256Hex } from '../../db/evidence/attachments';
import { NameMatcher, ruleFor } from '../../db/evidence/mention-matcher';
import { refreshMentions, sentenceAround } from '../../db/evidence/mentions';
import { runCaseOperationAsync } from '../../db/host/operations';
import type { OpInput } from '../../shared/contract';
import { mentionTally, type Mention } from '../../shared/mentions';
import { launchBrowser } from '../helpers/browser';
import { makeEvidenceFiles, type EvidenceFiles } from '../helpers/evidence-files';
import { BEIHANG, changeSetOf, context, MAI, newCase, run } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

const HIT = {
  type: 'organisation' as const,
  subtype: 'university',
  name: 'Harbin Institute of Technology',
  country: 'CN',
  aliases: [{ name: 'HIT' }, { name: '哈尔滨工业大学', language: 'zh' }],
};

/** A web page as an investigator saves it: English, Chinese and Russian, with a line break inside a name and "hit" as a verb. */
const ARTICLE = [
  'Beihang University and the Moscow Aviation Institute (MAI) signed a joint programme in 2019.',
  'The deal was a hit with students; HIT, the Harbin Institute of\nTechnology, followed.',
  '哈尔滨工业大学与莫斯科航空学院签署了合作协议。北京航空航天大学也参加了。',
  'Представители МАИ и Московского авиационного института, а также московский авиационный институт (МАИ) приехали.',
  'Beihangs and the MAIL office are not mentions, nor is Mai in running text.',
].join('\n');

function matcherFor(names: Record<string, string[]>): NameMatcher {
  return new NameMatcher(Object.entries(names).flatMap(([entityId, list]) => list.map((name) => ({ entityId, name }))));
}

function found(matcher: NameMatcher, text: string): string[] {
  return matcher.find(text).map((h) => `${h.entityId}:${text.slice(h.start, h.end)}`);
}

describe('the name matcher', () => {
  it('sorts names into rules: CJK as substrings, short capitals, other words', () => {
    expect(ruleFor('北京航空航天大学')).toBe('substring');
    expect(ruleFor('HIT')).toBe('capitals');
    expect(ruleFor('МАИ')).toBe('capitals');
    expect(ruleFor('BUAA')).toBe('capitals');
    expect(ruleFor('NUDT')).toBe('capitals');
    expect(ruleFor('Bauman')).toBe('word');
    expect(ruleFor('Beihang University')).toBe('word');
    expect(ruleFor('Hit')).toBe('word');
  });

  it('finds Chinese names inside longer runs of characters', () => {
    const m = matcherFor({ hit: ['哈尔滨工业大学'], buaa: ['北京航空航天大学'] });
    expect(found(m, '据报道，哈尔滨工业大学的代表与北京航空航天大学签约。')).toEqual(['hit:哈尔滨工业大学', 'buaa:北京航空航天大学']);
  });

  it('finds Latin and Cyrillic names as whole words in any case, never inside a longer word', () => {
    const m = matcherFor({ mai: ['Московский авиационный институт', 'Moscow Aviation Institute'], bh: ['Beihang'] });
    expect(found(m, 'московский авиационный институт и МОСКОВСКИЙ АВИАЦИОННЫЙ ИНСТИТУТ; the moscow aviation institute; Beihang, Beihangs, xBeihang')).toEqual([
      'mai:московский авиационный институт',
      'mai:МОСКОВСКИЙ АВИАЦИОННЫЙ ИНСТИТУТ',
      'mai:moscow aviation institute',
      'bh:Beihang',
    ]);
  });

  it('finds short all-capital aliases only as whole words in capitals: HIT, not hit or Hit', () => {
    const m = matcherFor({ hit: ['HIT'], mai: ['MAI', 'МАИ'] });
    expect(found(m, 'It was a hit. Hit or miss. HIT signed; HITS and MAIL do not count, nor does Mai or маи, but МАИ does and (MAI) does.')).toEqual(['hit:HIT', 'mai:МАИ', 'mai:MAI']);
  });

  it('matches whitespace in a name against a line break and keeps the longest of one entity’s overlapping names', () => {
    const m = matcherFor({ hit: ['Harbin Institute of Technology', 'Harbin'], city: ['Harbin'] });
    expect(found(m, 'the Harbin Institute of\nTechnology')).toEqual(['hit:Harbin Institute of\nTechnology', 'city:Harbin']);
  });

  it('gives offsets into the text as stored, also after letters whose lower case is longer', () => {
    const m = matcherFor({ mai: ['MAI'], bh: ['Beihang University'] });
    const text = 'İstanbul 𝒳 İİ — MAI and beihang university';
    for (const hit of m.find(text)) expect(text.slice(hit.start, hit.end)).toBe(hit.text);
    expect(found(m, text)).toEqual(['mai:MAI', 'bh:beihang university']);
  });
});

describe('sentenceAround', () => {
  it('widens a mention to its sentence, trimmed', () => {
    const text = 'First sentence. The Moscow Aviation Institute signed it! Last one.';
    const start = text.indexOf('Moscow');
    const span = sentenceAround(text, start, start + 'Moscow Aviation Institute'.length);
    expect(text.slice(span.start, span.end)).toBe('The Moscow Aviation Institute signed it!');
  });
});

function call<N extends Parameters<typeof runCaseOperationAsync>[1]>(db: CaseDb, name: N, input: OpInput<N>) {
  return runCaseOperationAsync(db, name, input, context());
}

async function attachText(db: CaseDb, name: string, text: string, sourceId?: string) {
  return call(db, 'attachments.add', { ...(sourceId ? { sourceId } : {}), file: { name, base64: Buffer.from(text).toString('base64') } });
}

function places(list: { mentions: Mention[] }): string[] {
  return list.mentions.map((m) => `${m.entity.name}|${m.attachment.name}|${m.page ?? '-'}|${m.text}`);
}

function stored(db: CaseDb): unknown[] {
  return db.prepare('SELECT entity_id, attachment_id, page, char_start, char_end, text FROM mentions ORDER BY entity_id, attachment_id, page, char_start').all();
}

/** The mentions worked out from nothing, as a new case would: what the incremental upkeep must always agree with. */
function fromScratch(db: CaseDb): unknown[] {
  return db.transaction(() => {
    db.prepare("INSERT OR IGNORE INTO mention_dirty (kind, item_id) SELECT 'attachment', id FROM attachments").run();
    db.prepare("INSERT OR IGNORE INTO mention_dirty (kind, item_id) SELECT 'entity', id FROM entities").run();
    refreshMentions(db);
    return stored(db);
  })();
}

function expectUpToDate(db: CaseDb): void {
  expect(db.prepare('SELECT count(*) FROM mention_dirty').pluck().get()).toBe(0);
  const now = stored(db);
  expect(fromScratch(db)).toEqual(now);
}

async function caseWithArticle() {
  const { db, file } = newCase('mentions.caseboard');
  const mai = run(db, 'entities.create', { fields: MAI });
  const beihang = run(db, 'entities.create', { fields: BEIHANG });
  const hit = run(db, 'entities.create', { fields: HIT });
  const added = await attachText(db, 'partnerships.txt', ARTICLE);
  return { db, file, mai, beihang, hit, attachment: added.attachment, sourceId: added.sourceId };
}

describe('mentions in a case file', () => {
  it('lists every entity’s mentions in attached text with exact offsets into the stored page', async () => {
    const { db, mai, hit, beihang, attachment } = await caseWithArticle();
    const all = run(db, 'mentions.list', {});
    const page = run(db, 'attachments.text', { id: attachment.id }).pages[0]?.text ?? '';
    for (const m of all.mentions) {
      expect(page.slice(m.start, m.end)).toBe(m.text);
      expect(m.page).toBeNull();
      expect(m.attachment).toEqual({ id: attachment.id, name: 'partnerships.txt' });
    }
    const ofHit = run(db, 'mentions.list', { entityId: hit.id });
    expect(ofHit.mentions.map((m) => m.text)).toEqual(['HIT', 'Harbin Institute of\nTechnology', '哈尔滨工业大学']);
    expect(mentionTally(ofHit)).toBe('Mentioned in 1 source, 3 places');
    const ofMai = run(db, 'mentions.list', { entityId: mai.id });
    expect(ofMai.mentions.map((m) => m.text)).toEqual(['Moscow Aviation Institute', 'MAI', 'московский авиационный институт']);
    const ofBeihang = run(db, 'mentions.list', { entityId: beihang.id });
    expect(ofBeihang.mentions.map((m) => m.text)).toEqual(['Beihang University', '北京航空航天大学']);
    expect(all.entities).toBe(3);
    expect(run(db, 'mentions.list', { attachmentId: attachment.id }).mentions).toHaveLength(all.mentions.length);
    expectUpToDate(db);
  });

  it('finds mentions by entity name or alias in any case, and says so when no entity has the name', async () => {
    const { db, mai } = await caseWithArticle();
    const byAlias = run(db, 'mentions.list', { entityName: 'московский АВИАЦИОННЫЙ институт' });
    expect(new Set(byAlias.mentions.map((m) => m.entity.id))).toEqual(new Set([mai.id]));
    expect(() => run(db, 'mentions.list', { entityName: 'Bauman University' })).toThrow(/No entity in the case is called "Bauman University"/);
  });

  it('gives the page of a paged file and offsets into that page', async () => {
    const { db, mai } = await caseWithArticle();
    const pages = ['Cover page without names.', 'Page two: cooperation with MAI and the Moscow Aviation Institute.'];
    db.transaction(() =>
      storeAttachment(db, changeSetOf(db), { name: 'report.pdf', bytes: Buffer.from('%PDF-1.4 stand-in'), mediaType: 'application/pdf', sha256: sha256Hex(Buffer.from('%PDF-1.4 stand-in')), text: { status: 'extracted', note: null, pages, pageCount: 2, title: null } }, undefined, false),
    )();
    const list = run(db, 'mentions.list', { entityId: mai.id });
    const inPdf = list.mentions.filter((m) => m.attachment.name === 'report.pdf');
    expect(inPdf.map((m) => [m.page, m.text, pages[1]?.slice(m.start, m.end)])).toEqual([
      [2, 'MAI', 'MAI'],
      [2, 'Moscow Aviation Institute', 'Moscow Aviation Institute'],
    ]);
    expect(mentionTally(list)).toBe('Mentioned in 2 sources, 5 places');
    expectUpToDate(db);
  });

  it('works out the mentions of entities a CSV import adds where text is attached, and clears the marks of an import where none is', async () => {
    const csv = 'name,type,country,aliases\nBeihang University,organisation,CN,北京航空航天大学\nBauman University,organisation,RU,МГТУ\n';
    const map = { name: 'name', type: 'type', country: 'country', aliases: 'aliases' };
    const { db, attachment, beihang } = await caseWithArticle();
    run(db, 'entities.delete', { id: beihang.id });
    expect(run(db, 'exchange.importCsv', { text: csv, kind: 'entities', map }).imported).toBe(2);
    expect(places(run(db, 'mentions.list', { attachmentId: attachment.id })).filter((p) => p.startsWith('Beihang') || p.startsWith('Bauman'))).toEqual([
      'Beihang University|partnerships.txt|-|Beihang University',
      'Beihang University|partnerships.txt|-|北京航空航天大学',
    ]);
    expectUpToDate(db);

    const bare = newCase('no-text.caseboard').db;
    expect(run(bare, 'exchange.importCsv', { text: csv, kind: 'entities', map }).imported).toBe(2);
    expect(bare.prepare('SELECT count(*) FROM mention_dirty').pluck().get()).toBe(0);
    expect(bare.prepare('SELECT count(*) FROM mentions').pluck().get()).toBe(0);
  });

  it('follows a rename, an alias added and removed, and a deleted entity', async () => {
    const { db, beihang, hit } = await caseWithArticle();
    const fields = run(db, 'entities.get', { id: beihang.id });
    run(db, 'entities.update', { id: beihang.id, fields: { ...fields, name: 'Beijing University of Aeronautics and Astronautics', aliases: [{ name: '北京航空航天大学' }] } });
    expect(places(run(db, 'mentions.list', { entityId: beihang.id }))).toEqual(['Beijing University of Aeronautics and Astronautics|partnerships.txt|-|北京航空航天大学']);
    expectUpToDate(db);

    const renamed = run(db, 'entities.get', { id: beihang.id });
    run(db, 'entities.update', { id: beihang.id, fields: { ...renamed, aliases: [...renamed.aliases, { name: 'Beihang University' }] } });
    expect(run(db, 'mentions.list', { entityId: beihang.id }).mentions.map((m) => m.text)).toEqual(['Beihang University', '北京航空航天大学']);
    expectUpToDate(db);

    run(db, 'entities.delete', { id: hit.id });
    expect(run(db, 'mentions.list', {}).mentions.some((m) => m.entity.id === hit.id)).toBe(false);
    expect(db.prepare('SELECT count(*) FROM mentions WHERE entity_id = ?').pluck().get(hit.id)).toBe(0);
    expectUpToDate(db);
  });

  it('follows attachments added and deleted, and Undo and Redo of each', async () => {
    const { db, mai, attachment } = await caseWithArticle();
    const before = run(db, 'mentions.list', { entityId: mai.id }).mentions.length;
    const second = await attachText(db, 'visit.html', '<html><body><p>A delegation from MAI visited Harbin.</p></body></html>');
    expect(run(db, 'mentions.list', { entityId: mai.id }).mentions.length).toBe(before + 1);
    expectUpToDate(db);

    run(db, 'attachments.delete', { id: attachment.id });
    expect(places(run(db, 'mentions.list', { entityId: mai.id }))).toEqual([`Moscow Aviation Institute|${second.attachment.name}|-|MAI`]);
    expectUpToDate(db);

    run(db, 'history.undo', {});
    expect(run(db, 'mentions.list', { entityId: mai.id }).mentions.length).toBe(before + 1);
    expectUpToDate(db);
    run(db, 'history.redo', {});
    expect(run(db, 'mentions.list', { entityId: mai.id }).mentions.length).toBe(1);
    expectUpToDate(db);

    const fields = run(db, 'entities.get', { id: mai.id });
    run(db, 'entities.update', { id: mai.id, fields: { ...fields, aliases: [] } });
    expect(run(db, 'mentions.list', { entityId: mai.id }).mentions).toEqual([]);
    run(db, 'history.undo', {});
    expect(run(db, 'mentions.list', { entityId: mai.id }).mentions.map((m) => m.text)).toEqual(['MAI']);
    expectUpToDate(db);
  });

  it('works out on a read-only connection what a write outside the operations left marked, without writing', async () => {
    const { db, file, hit } = await caseWithArticle();
    db.prepare("INSERT INTO entity_aliases (id, entity_id, name, name_key, position) VALUES ('alias-hgd', ?, '哈工大', '哈工大', 9)").run(hit.id);
    await attachText(db, 'weibo.txt', '哈工大的学生 in Harbin');
    db.prepare("INSERT INTO entity_aliases (id, entity_id, name, name_key, position) VALUES ('alias-hgd2', ?, 'Harbin', 'harbin', 10)").run(hit.id);
    expect(db.prepare('SELECT count(*) FROM mention_dirty').pluck().get()).toBe(1);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const reader = openCaseFile(file, { readonly: true });
    try {
      const texts = run(reader, 'mentions.list', { entityId: hit.id }).mentions.map((m) => m.text);
      expect(texts).toContain('哈工大');
      expect(texts).toContain('Harbin');
      expect(reader.prepare('SELECT count(*) FROM mention_dirty').pluck().get()).toBe(1);
    } finally {
      reader.close();
    }
    // The writer works the marks off when it next reads.
    expect(run(db, 'mentions.list', { entityId: hit.id }).mentions.map((m) => m.text)).toContain('Harbin');
    expectUpToDate(db);
  });

  it('turns a mention into an excerpt with its page and offsets, which Undo takes back', async () => {
    const { db, mai, attachment, sourceId } = await caseWithArticle();
    const mention = run(db, 'mentions.list', { entityId: mai.id }).mentions.find((m) => m.text === 'московский авиационный институт');
    if (!mention) throw new Error('no mention');
    const excerpt = run(db, 'mentions.excerpt', { entityId: mai.id, attachmentId: attachment.id, page: mention.page, start: mention.start, end: mention.end, credibility: 2 });
    const page = run(db, 'attachments.text', { id: attachment.id }).pages[0]?.text ?? '';
    expect(excerpt.quote).toBe('Представители МАИ и Московского авиационного института, а также московский авиационный институт (МАИ) приехали.');
    expect(page.slice(excerpt.charStart ?? 0, excerpt.charEnd ?? 0)).toBe(excerpt.quote);
    expect(excerpt).toMatchObject({ sourceId, attachmentId: attachment.id, page: null, credibility: 2 });

    const exact = run(db, 'mentions.excerpt', { entityId: mai.id, attachmentId: attachment.id, page: null, start: mention.start, end: mention.end, span: 'mention' });
    expect(exact).toMatchObject({ quote: 'московский авиационный институт', charStart: mention.start, charEnd: mention.end, credibility: 3 });
    expect(run(db, 'history.state', {}).undo?.summary ?? '').toMatch(/mentioning “Moscow Aviation Institute”/);
    run(db, 'history.undo', {});
    expect(run(db, 'excerpts.list', { sourceId }).map((e) => e.quote)).toEqual([excerpt.quote]);

    expect(() => run(db, 'mentions.excerpt', { entityId: mai.id, attachmentId: attachment.id, page: null, start: mention.start + 1, end: mention.end })).toThrow(/no longer mentioned there/);
  });
});

describe('caseboard mentions', () => {
  let dir: string;
  let files: EvidenceFiles;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = tempDir('caseboard-mentions-cli-');
    browser = await launchBrowser();
    files = await makeEvidenceFiles(browser, dir);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function caseboard(...args: string[]) {
    const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: path.join(dir, 'home') } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('prints each mention as JSON with entity, source, attachment, page, offsets and text; plain text per entity; exit 3 for an unknown name', async () => {
    const caseFile = path.join(dir, 'cli.caseboard');
    expect(caseboard('new', caseFile).code).toBe(0);
    expect(caseboard('import', caseFile, files.report, files.html, files.markdown).code).toBe(0);
    const db = openCaseFile(caseFile);
    let pages: Map<string, string[]>;
    try {
      run(db, 'entities.create', { fields: HIT });
      run(db, 'entities.create', { fields: MAI });
      pages = new Map(
        (db.prepare('SELECT id FROM attachments').pluck().all() as string[]).map((id) => [id, run(db, 'attachments.text', { id }).pages.map((p) => p.text)]),
      );
    } finally {
      db.close();
    }

    const json = caseboard('mentions', caseFile, '--json');
    expect(json.code).toBe(0);
    const mentions = JSON.parse(json.stdout) as Mention[];
    for (const m of mentions) {
      expect(Object.keys(m)).toEqual(['entity', 'source', 'attachment', 'page', 'start', 'end', 'text']);
      expect(Object.keys(m.entity)).toEqual(['id', 'name']);
      expect(Object.keys(m.source)).toEqual(['id', 'title']);
      expect(Object.keys(m.attachment)).toEqual(['id', 'name']);
      expect(pages.get(m.attachment.id)?.[(m.page ?? 1) - 1]?.slice(m.start, m.end)).toBe(m.text);
    }
    const summary = mentions.map((m) => `${m.entity.name}|${m.attachment.name}|${m.page ?? '-'}|${m.text}`);
    expect(summary).toEqual([
      'Harbin Institute of Technology|saved-page.html|-|HIT',
      'Harbin Institute of Technology|saved-page.html|-|哈尔滨工业大学',
      'Harbin Institute of Technology|defence-universities.pdf|1|哈尔滨工业大学',
      'Harbin Institute of Technology|summary.md|-|HIT',
      'Moscow Aviation Institute|defence-universities.pdf|2|Moscow Aviation Institute',
    ]);

    const one = caseboard('mentions', caseFile, '--entity', 'moscow aviation institute', '--json');
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as Mention[]).map((m) => m.text)).toEqual(['Moscow Aviation Institute']);

    const plain = caseboard('mentions', caseFile, '--entity', 'HIT');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Harbin Institute of Technology: mentioned in 3 sources, 4 places\n');
    expect(plain.stdout).toMatch(/"哈尔滨工业大学" in defence-universities\.pdf \(source "[^"]+"\), page 1, characters \d+–\d+/);

    const unknown = caseboard('mentions', caseFile, '--entity', 'Bauman University');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('No entity in the case is called "Bauman University"');
    expect(caseboard('mentions', path.join(dir, 'missing.caseboard')).code).not.toBe(0);
  }, 60_000);
});
