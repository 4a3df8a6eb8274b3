import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaseOperationAsync } from '../../db/host/operations';
import { assembleReport } from '../../db/reports/report-data';
import { getReport } from '../../db/reports/reports';
import type { CaseDb } from '../../db/core/case-file';
import type { CaseOperationName } from '../../db/core/handler';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { EMPTY_SCOPE, reportFileName } from '../../shared/report';
import { renderReportHtml } from '../../shared/report-html';
import { chromiumPath } from '../helpers/browser';
import type { Caller } from '../helpers/graph-sample';
import { context, newCase } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

const TITLE = 'Procurement networks around Harbin Institute of Technology and its partners in the Moscow aerospace cluster since 2011';
// The longest start of the title that fits the footer and ends at a whole word.
const FOOTER_TITLE = 'Procurement networks around Harbin Institute of Technology and its partners in…';

function callerFor(db: CaseDb): Caller {
  return <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
}

/** A briefing about one entity: one link, one cited excerpt, one source, and dates of every precision. */
async function oneOfEach(): Promise<{ db: CaseDb; file: string; reportId: string }> {
  const { db, file } = newCase('one-of-each.caseboard');
  const call = callerFor(db);
  const source = await call('sources.create', { kind: 'article', title: 'HIT and MAI sign an engine agreement', publishedDate: '2016-11-05', accessedAt: '2026-12-02T14:30', reliability: 'B' } as OpInput<'sources.create'>);
  const excerpt = await call('excerpts.create', { sourceId: source.id, fields: { quote: 'The two institutes agreed to train engine designers together.', credibility: 2 } } as OpInput<'excerpts.create'>);
  const hit = await call('entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology' }, excerptIds: [excerpt.id] } as OpInput<'entities.create'>);
  const mai = await call('entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute' } } as OpInput<'entities.create'>);
  await call('links.create', { fields: { fromId: hit.id, toId: mai.id, type: 'joint programme', startDate: '2017-03', endDate: '2019' }, excerptIds: [excerpt.id] } as OpInput<'links.create'>);
  const report = await call('reports.create', {
    fields: {
      name: 'One of each',
      title: TITLE,
      date: '2026-12-02',
      marking: 'TEST MARKING',
      scope: { ...EMPTY_SCOPE, entityIds: [hit.id], from: '2016-09', to: '2026' },
    },
  } as OpInput<'reports.create'>);
  return { db, file, reportId: report.id };
}

describe('briefing wording', () => {
  it('prints dates for people, counts with the right number and cuts the footer title at a word, in the PDF Chromium prints', async () => {
    const { db, file } = await oneOfEach();
    db.close();
    const pdf = path.join(tempDir('caseboard-report-wording-'), 'one.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--report', 'One of each', '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');

    expect(flat).toContain('1 entity, 1 link, 1 cited excerpt, 1 source');
    expect(flat).not.toMatch(/\b1 (entities|links|cited excerpts|sources)\b/);

    // The cover's date, the link's span, the scope's period, the source's dates and the export time, in words.
    expect(flat).toMatch(/Date 2 December 2026/i);
    expect(flat).toContain('March 2017 – 2019');
    expect(flat).toContain('Period: September 2016 to 2026');
    expect(flat).toContain('published 5 November 2016');
    expect(flat).toMatch(/Accessed 2 December 2026, 14:30 /i);
    expect(flat).toMatch(/Exported at \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d{2}:\d{2} UTC/i);
    expect(flat).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|2017-03|2016-09/);

    // The footer of every page carries the title cut after a whole word.
    const footers = text.split('\n').filter((line) => /Page \d+ of \d+/.test(line));
    expect(footers.length).toBeGreaterThanOrEqual(8);
    for (const line of footers) {
      expect(line).toContain(FOOTER_TITLE);
      expect(line).not.toContain(TITLE.slice(0, 80));
    }
  }, 60_000);

  it('says the same in the HTML file: counts, dates, sanctions and the footer title', async () => {
    const { db, reportId } = await oneOfEach();
    const data = assembleReport(db, getReport(db, reportId), { exportedAt: '2026-12-02T23:05:41.123Z', hashCaseFile: false });
    const [entity] = data.entities;
    if (!entity) throw new Error('the briefing has no entity');
    entity.sanctions = [{ authority: 'United States', program: 'Entity List', startDate: '2020-06', endDate: null, reason: null, sourceUrl: null, list: null }];
    const doc = renderReportHtml(data, { pageChrome: 'css' });
    expect(doc).toContain('<dd>1 entity, 1 link, 1 cited excerpt, 1 source</dd>');
    expect(doc).toContain('<dd>2 December 2026</dd>');
    expect(doc).toContain('<dd>2 December 2026, 23:05 UTC</dd>');
    expect(doc).toContain('<dd>2 December 2026, 14:30</dd>');
    expect(doc).toContain('(since June 2020)');
    expect(doc).toContain('<span class="dates">(March 2017 – 2019)</span>');
    expect(doc).toContain('@bottom-center { content: "Procurement networks around Harbin Institute of Technology and its partners in\\2026 "');
    const two = renderReportHtml({ ...data, sources: [...data.sources, ...data.sources] }, { pageChrome: 'css' });
    expect(two).toContain('1 cited excerpt, 2 sources');
  });

  it('names the exported file after the title, cut at a whole word', () => {
    const name = reportFileName(TITLE, 'pdf');
    expect(name).toBe('Procurement-networks-around-Harbin-Institute-of-Technology-and-its-partners-in.pdf');
    expect(reportFileName('Short title', 'html')).toBe('Short-title.html');
    expect(reportFileName('***', 'pdf')).toBe('briefing.pdf');
  });
});
