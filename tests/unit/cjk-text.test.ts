import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpOutput } from '../../shared/contract';
import { ideographForRadical, joinSelectedLines, radicalsAsIdeographs } from '../../shared/cjk-text';
import type { OperationName } from '../../shared/operation-names';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import type { CaseOperationName, OperationContext } from '../../db/core/handler';
import { normaliseText } from '../../db/evidence/extract';
import { runCaseOperationAsync } from '../../db/host/operations';
import { launchBrowser } from '../helpers/browser';
import { htmlToPdf } from '../helpers/evidence-files';
import { tempDir } from '../helpers/temp';

describe('CJK radicals become the ideographs they stand for', () => {
  it('maps the CJK Radicals Supplement, which NFKC leaves alone', () => {
    expect('⻚'.normalize('NFKC')).toBe('⻚');
    expect(ideographForRadical('⻚')).toBe('页');
    expect(ideographForRadical('⻋')).toBe('车');
    expect(ideographForRadical('⺠')).toBe('民');
    // An equivalent outside the Basic Multilingual Plane stays one character.
    expect(ideographForRadical('⺇')).toBe('\u{20628}');
  });

  it('maps the Kangxi Radicals through NFKC and leaves other text as it is', () => {
    expect(ideographForRadical('⽇')).toBe('日');
    expect(ideographForRadical('⾴')).toBe('頁');
    expect(radicalsAsIdeographs('第⼆⻚ Page two, страница 2')).toBe('第二页 Page two, страница 2');
  });

  it('is part of the text stored for search', () => {
    expect(normaliseText('北京航空航天⼤学\r\n第⼆⻚')).toBe('北京航空航天大学\n第二页');
  });
});

describe('a quote selected across lines', () => {
  it('puts no space between CJK characters at a line break', () => {
    expect(joinSelectedLines('北京航空航天大学与莫斯科\n航空学院合作')).toBe('北京航空航天大学与莫斯科航空学院合作');
    expect(joinSelectedLines('合作。\n  第二')).toBe('合作。第二');
  });

  it('keeps one space between words of other scripts', () => {
    expect(joinSelectedLines('Moscow Aviation\nInstitute  and\n\nBeihang')).toBe('Moscow Aviation Institute and Beihang');
    expect(joinSelectedLines('Московский\nавиационный')).toBe('Московский авиационный');
    expect(joinSelectedLines('北航\nBeihang')).toBe('北航 Beihang');
    // Spaces on one line are the author's, not a line break.
    expect(joinSelectedLines('北航 莫斯科')).toBe('北航 莫斯科');
  });
});

describe('a Chinese PDF whose font emits radicals', () => {
  let browser: Browser;
  let db: CaseDb;
  const ctx: OperationContext = { actor: 'analyst', progress: () => undefined, throwIfCancelled: () => undefined };
  const run = <N extends CaseOperationName & OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> => runCaseOperationAsync(db, name, input, ctx);

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(() => {
    if (db?.open) db.close();
  });

  it('is found on page 2 by 第二页 typed with the ordinary ideographs', async () => {
    const dir = tempDir();
    const pdf = await htmlToPdf(
      browser,
      '<section style="break-after: page"><p>第一页：北航与莫斯科航空学院。</p></section><section><p>第⼆⻚：航空发动机硕士项目。</p></section>',
      path.join(dir, 'radicals.pdf'),
    );
    db = createCaseFile(path.join(dir, 'radicals.caseboard'), { title: 'Radicals' });
    const added = await run('attachments.add', { file: { path: pdf } });
    const pages = db.prepare('SELECT page, text FROM attachment_pages WHERE attachment_id = ? ORDER BY page').all(added.attachment.id) as { page: number; text: string }[];
    expect(pages[1]?.text).toContain('第二页');
    expect(pages.map((p) => p.text).join('')).not.toMatch(/[\u2E80-\u2FDF]/);
    const hits = (await run('search.query', { query: '第二页' })).hits.filter((h) => h.attachmentId === added.attachment.id && h.field === 'page');
    expect(hits.map((h) => h.page)).toEqual([2]);
  }, 60_000);
});
