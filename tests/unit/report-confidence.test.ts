import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaseOperationAsync } from '../../db/host/operations';
import type { CaseOperationName } from '../../db/core/handler';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { EMPTY_SCOPE } from '../../shared/report';
import { chromiumPath } from '../helpers/browser';
import { context, newCase } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

/**
 * The sample's weakness in small: claims that rest on excerpts of one article graded B2, and one claim a
 * second source contradicts.
 */
async function oneArticle() {
  const { db, file } = newCase('one-article.caseboard');
  const call = <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
  const article = await call('sources.create', { kind: 'article', title: 'Defence universities help Russia', reliability: 'B' } as OpInput<'sources.create'>);
  const denial = await call('sources.create', { kind: 'official_document', title: 'University press office statement', reliability: 'C' } as OpInput<'sources.create'>);
  const quote = async (sourceId: string, text: string, credibility: number) =>
    (await call('excerpts.create', { sourceId, fields: { quote: text, credibility } } as OpInput<'excerpts.create'>)).id;
  const first = await quote(article.id, 'HIT and MAI run a joint engine programme.', 2);
  const second = await quote(article.id, 'The programme trains engine designers for both countries.', 2);
  const against = await quote(denial.id, 'HIT has no programme with any Russian institute.', 3);
  const hit = await call('entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology' }, excerptIds: [first] } as OpInput<'entities.create'>);
  const mai = await call('entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute' }, excerptIds: [second] } as OpInput<'entities.create'>);
  const link = await call('links.create', { fields: { fromId: hit.id, toId: mai.id, type: 'joint programme', startDate: '2017' }, excerptIds: [first, second] } as OpInput<'links.create'>);
  await call('citations.add', { target: { kind: 'link', id: link.id }, excerptId: against, stance: 'contradicts' });
  await call('reports.create', { fields: { name: 'Confidence', title: 'Engine programmes', date: '2026-12-02', scope: { ...EMPTY_SCOPE, entityIds: [hit.id, mai.id] } } } as OpInput<'reports.create'>);
  return { db, file, link: await call('links.get', { id: link.id }) };
}

describe('honest confidence in the briefing', () => {
  it('never reads "High" for one article, says what each level rests on, and lists the contested claim with both sides', async () => {
    const { db, file, link } = await oneArticle();
    // Two excerpts of one article are one source; a C3 denial at moderate strength lowers the level again.
    expect(link.confidenceBasis).toEqual({ level: 'low', sources: 1, grades: ['B2'], contradicting: 1, contradictingGrades: ['C3'] });
    db.close();
    const pdf = path.join(tempDir('caseboard-report-confidence-'), 'confidence.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--report', 'Confidence', '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const flat = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

    expect(flat).not.toMatch(/\bHigh\b/);
    expect(flat).toContain('Moderate — 1 source, B2');
    // The relationships table wraps the cell across lines; the words keep their order.
    expect(flat).toMatch(/Low — 1 source, B2; 1 .{0,80}contradicts, C3/);
    expect(flat).toContain('Contested claims');
    expect(flat).toMatch(/Harbin Institute of Technology — joint programme — Moscow Aviation Institute: supported by \[1, 2\]; contradicted by \[3\]/);
  }, 60_000);
});
