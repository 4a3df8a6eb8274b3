import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, openCaseFile } from '../../db/core/case-file';
import { MIGRATIONS, SCHEMA_VERSION } from '../../db/core/migrations/index';
import { runCaseOperationAsync } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { exportCaseModel } from '../../db/model/export';
import { exportCaseFile } from '../../db/share/share';
import { CaseboardError } from '../../shared/errors';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE } from '../../shared/report';
import { chromiumPath } from '../helpers/browser';
import { contentDigest } from '../helpers/content-digest';
import { addSource, context, newCase, reopen, run } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

const QUOTE = 'Московский авиационный институт и Бэйханский университет с 2017 года ведут совместную магистерскую программу по авиадвигателям.';
const TRANSLATION = 'The Moscow Aviation Institute and Beihang University have run a joint master’s programme on aircraft engines since 2017.';

function excerptFields(extra: Record<string, unknown> = {}) {
  return { quote: QUOTE, credibility: 2, location: 'para. 3', ...extra };
}

function refusal(action: () => unknown): CaseboardError {
  try {
    action();
  } catch (error) {
    if (error instanceof CaseboardError) return error;
    throw error;
  }
  throw new Error('The operation was not refused.');
}

describe('an excerpt’s translation', () => {
  it('is kept with its language, read back after reopening, and found by search in either language', () => {
    const { db } = newCase('translation.caseboard');
    const sourceId = addSource(db);
    const created = run(db, 'excerpts.create', { sourceId, fields: excerptFields({ translation: `  ${TRANSLATION}  `, translationLanguage: 'en' }) });
    expect(created).toMatchObject({ quote: QUOTE, translation: TRANSLATION, translationLanguage: 'en' });
    const again = reopen(db);
    expect(run(again, 'excerpts.get', { id: created.id })).toMatchObject({ translation: TRANSLATION, translationLanguage: 'en' });
    const byTranslation = run(again, 'search.query', { query: 'aircraft engines master', kinds: ['excerpt'] }).hits;
    expect(byTranslation.map((h) => h.excerptId)).toEqual([created.id]);
    const byOriginal = run(again, 'search.query', { query: 'авиационный', kinds: ['excerpt'] }).hits;
    expect(byOriginal.map((h) => h.excerptId)).toEqual([created.id]);
  });

  it('is changed and removed by an edit, and Undo brings back the one before; search follows', () => {
    const { db } = newCase('translation-edit.caseboard');
    const sourceId = addSource(db);
    const created = run(db, 'excerpts.create', { sourceId, fields: excerptFields({ translation: TRANSLATION, translationLanguage: 'en' }) });
    const cleared = run(db, 'excerpts.update', { id: created.id, fields: { ...created, translation: '', translationLanguage: null } });
    expect(cleared).toMatchObject({ translation: null, translationLanguage: null });
    expect(run(db, 'search.query', { query: 'aircraft engines', kinds: ['excerpt'] }).hits).toEqual([]);
    run(db, 'history.undo', {});
    expect(run(db, 'excerpts.get', { id: created.id })).toMatchObject({ translation: TRANSLATION, translationLanguage: 'en' });
    expect(run(db, 'search.query', { query: 'aircraft engines', kinds: ['excerpt'] }).hits).toHaveLength(1);
  });

  it('refuses a language without a translation and a language code that is not one, and leaves the case as it was', () => {
    const { db } = newCase('translation-bad.caseboard');
    const sourceId = addSource(db);
    const before = contentDigest(db, { bookkeeping: true });
    const lonely = refusal(() => run(db, 'excerpts.create', { sourceId, fields: excerptFields({ translationLanguage: 'en' }) }));
    expect(lonely.code).toBe('invalid_input');
    expect(lonely.issues).toEqual([expect.objectContaining({ path: 'fields.translationLanguage', message: 'Give the translation whose language this is, or leave the language empty.' })]);
    const badCode = refusal(() => run(db, 'excerpts.create', { sourceId, fields: excerptFields({ translation: TRANSLATION, translationLanguage: 'English!' }) }));
    expect(badCode.issues).toEqual([expect.objectContaining({ path: 'fields.translationLanguage', message: 'Use a language code such as en, zh, ru or zh-Hans.' })]);
    expect(contentDigest(db, { bookkeeping: true })).toBe(before);
  });

  it('comes to a case file of the previous schema on opening, its excerpts without one and still searchable', () => {
    const file = path.join(tempDir(), 'before-translations.caseboard');
    const raw = new Database(file);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    for (const m of MIGRATIONS.filter((m) => m.version < 140)) {
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
    raw.prepare("INSERT INTO case_info (singleton, case_id, title, created_at, updated_at) VALUES (1, '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d', 'Older case', 'x', 'x')").run();
    raw.prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES ('0190b2a4-6f1e-7c3a-9b2d-000000000001', 'article', 'RFE/RL', 'B', 'x', 'x')").run();
    raw.prepare("INSERT INTO excerpts (id, source_id, quote, credibility, created_at, updated_at) VALUES ('0190b2a4-6f1e-7c3a-9b2d-000000000002', '0190b2a4-6f1e-7c3a-9b2d-000000000001', ?, 2, 'x', 'x')").run(QUOTE);
    raw.close();
    const db = openCaseFile(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const excerpt = run(db, 'excerpts.get', { id: '0190b2a4-6f1e-7c3a-9b2d-000000000002' });
      expect(excerpt).toMatchObject({ quote: QUOTE, translation: null, translationLanguage: null });
      expect(run(db, 'search.query', { query: 'авиационный', kinds: ['excerpt'] }).hits).toHaveLength(1);
      run(db, 'excerpts.update', { id: excerpt.id, fields: { ...excerpt, translation: TRANSLATION, translationLanguage: 'en' } });
      expect(run(db, 'search.query', { query: 'aircraft engines', kinds: ['excerpt'] }).hits).toHaveLength(1);
      expect(() => db.prepare("UPDATE excerpts SET translation = '' WHERE id = ?").run(excerpt.id)).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});

describe('translations in shared copies and merges', () => {
  /** The sample case copied to two investigators, each then translating claim 1 their own way. */
  function twoCopies(translationA: string | null, translationB: string | null) {
    const dir = tempDir();
    const base = path.join(dir, 'base.caseboard');
    const sample = createSampleCase(base);
    sample.pragma('wal_checkpoint(TRUNCATE)');
    sample.close();
    const [fileA, fileB] = [path.join(dir, 'alice.caseboard'), path.join(dir, 'boris.caseboard')];
    copyFileSync(base, fileA);
    copyFileSync(base, fileB);
    const a = openCaseFile(fileA);
    const b = openCaseFile(fileB);
    const claim = a.prepare("SELECT id FROM excerpts WHERE location = 'claim 1'").pluck().get() as string;
    const translate = (db: typeof a, translation: string | null, actor: string) => {
      if (translation === null) return;
      const excerpt = run(db, 'excerpts.get', { id: claim }, actor);
      run(db, 'excerpts.update', { id: claim, fields: { ...excerpt, translation, translationLanguage: 'ru' } }, actor);
    };
    translate(a, translationA, 'Alice');
    translate(b, translationB, 'Boris');
    b.pragma('wal_checkpoint(TRUNCATE)');
    b.close();
    return { a, fileB, claim, dir };
  }

  it('offers two different translations of one excerpt as a conflict, and takes the other side’s when chosen', async () => {
    const { a, fileB, claim } = twoCopies('Перевод Алисы.', 'Перевод Бориса.');
    try {
      const plan = await runCaseOperationAsync(a, 'merge.plan', { path: fileB, choices: {} }, context('Alice'));
      const conflict = plan.conflicts.find((c) => c.key === `excerpts:${claim}`);
      expect(conflict?.kind).toBe('edited-both');
      expect(conflict?.ours?.translation).toBe('Перевод Алисы.');
      expect(conflict?.theirs?.translation).toBe('Перевод Бориса.');
      await runCaseOperationAsync(a, 'merge.apply', { path: fileB, choices: { [`excerpts:${claim}`]: 'theirs' } }, context('Alice'));
      expect(run(a, 'excerpts.get', { id: claim })).toMatchObject({ translation: 'Перевод Бориса.', translationLanguage: 'ru' });
      expect(run(a, 'search.query', { query: 'Бориса', kinds: ['excerpt'] }).hits.map((h) => h.excerptId)).toEqual([claim]);
    } finally {
      a.close();
    }
  });

  it('takes the translation only the other investigator added, without a conflict', async () => {
    const { a, fileB, claim } = twoCopies(null, 'Перевод Бориса.');
    try {
      const plan = await runCaseOperationAsync(a, 'merge.apply', { path: fileB, choices: {} }, context('Alice'));
      expect(plan.conflicts).toEqual([]);
      expect(run(a, 'excerpts.get', { id: claim })).toMatchObject({ translation: 'Перевод Бориса.', translationLanguage: 'ru' });
    } finally {
      a.close();
    }
  });

  it('is in the JSON export of the case model', () => {
    const { a, claim } = twoCopies('Перевод Алисы.', null);
    try {
      const data = exportCaseModel(a, '2026-12-03T07:00:00Z') as { excerpts: { id: string; translation: string | null; translationLanguage: string | null }[] };
      expect(data.excerpts.find((x) => x.id === claim)).toMatchObject({ translation: 'Перевод Алисы.', translationLanguage: 'ru' });
      expect(data.excerpts.filter((x) => x.translation === null).length).toBe(data.excerpts.length - 1);
    } finally {
      a.close();
    }
  });

  it('travels in a shared copy, also one without analyst notes', () => {
    const { a, claim, dir } = twoCopies('Перевод Алисы.', null);
    try {
      const target = path.join(dir, 'shared.caseboard');
      exportCaseFile(a, target, { omitNotes: true });
      const copy = openCaseFile(target);
      try {
        expect(run(copy, 'excerpts.get', { id: claim })).toMatchObject({ translation: 'Перевод Алисы.', translationLanguage: 'ru', comment: null });
      } finally {
        copy.close();
      }
    } finally {
      a.close();
    }
  });
});

describe('translations in the briefing', () => {
  it('prints the translation beside the original quote, with the language by name', async () => {
    const { db, file } = newCase('translated-briefing.caseboard');
    const sourceId = addSource(db);
    const mai = run(db, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute', country: 'RU' } });
    const excerpt = run(db, 'excerpts.create', { sourceId, fields: excerptFields({ translation: TRANSLATION, translationLanguage: 'en' }) });
    const plain = run(db, 'excerpts.create', { sourceId, fields: { quote: 'MAI trains engine designers.', credibility: 3 } });
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: excerpt.id });
    run(db, 'citations.add', { target: { kind: 'entity', id: mai.id }, excerptId: plain.id });
    // The entity's citations carry the translation for its panel.
    expect(run(db, 'entities.get', { id: mai.id }).citations.map((c) => [c.translation, c.translationLanguage])).toEqual([
      [TRANSLATION, 'en'],
      [null, null],
    ]);
    const sections = DEFAULT_REPORT_SECTIONS.map((s) => ({ ...s, enabled: s.kind === 'entities' || s.kind === 'evidence' }));
    run(db, 'reports.create', { fields: { name: 'Translated', title: 'Moscow Aviation Institute', scope: EMPTY_SCOPE, sections } });
    const { html } = run(db, 'reports.preview', { fields: { name: 'Translated', title: 'Moscow Aviation Institute', scope: EMPTY_SCOPE, sections } });
    expect(html).toContain('<span class="pair-label">Translation (English)</span>');
    expect(html).toContain(`<q lang="ru">${QUOTE}</q>`);
    // The excerpt without a translation prints as before: its quote alone.
    expect(html).toMatch(/<td><q>MAI trains engine designers\.<\/q><\/td>/);
    db.close();

    const pdf = path.join(tempDir('caseboard-translated-'), 'translated.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--report', 'Translated', '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    // Side by side: the original's first words and the translation's share a printed line.
    expect(text).toMatch(/ORIGINAL\s+TRANSLATION \(ENGLISH\)/);
    expect(text).toMatch(/“Московский авиационный.*“The Moscow Aviation/);
  }, 90_000);
});
