import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCaseOperationAsync } from '../../db/host/operations';
import { assembleReport } from '../../db/reports/report-data';
import { getReport } from '../../db/reports/reports';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE, reportFields } from '../../shared/report';
import type { CaseOperationName } from '../../db/core/handler';
import { context, newCase, run } from '../helpers/model';
import { seedReportSample, REPORT_TITLE } from '../helpers/report-sample';
import type { Caller } from '../helpers/graph-sample';
import type { CaseDb } from '../../db/core/case-file';

function callerFor(db: CaseDb): Caller {
  return <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
}

async function sampleCase() {
  const { db, file } = newCase('report.caseboard');
  const sample = await seedReportSample(callerFor(db));
  return { db, file, sample };
}

describe('saved report definitions', () => {
  it('stores title, marking, scope, sections with notes and findings with their excerpts, and lists them by name', async () => {
    const { db, sample } = await sampleCase();
    const saved = getReport(db, sample.reportId);
    expect(saved.title).toBe(REPORT_TITLE);
    expect(saved.sections.map((s) => s.kind)).toEqual(DEFAULT_REPORT_SECTIONS.map((s) => s.kind));
    expect(saved.sections[1]?.notes).toMatch(/leads to corroborate/);
    expect(saved.findings.map((f) => f.excerptIds)).toEqual([[sample.excerptIds[0]], [sample.excerptIds[1], sample.excerptIds[0]], [sample.excerptIds[2]]]);
    expect(run(db, 'reports.list', {})).toEqual([{ id: saved.id, name: 'Aerospace briefing', title: REPORT_TITLE, updatedAt: saved.updatedAt }]);
  });

  it('refuses a second report with the same name and a finding citing a deleted excerpt, leaving the case as it was', async () => {
    const { db, sample } = await sampleCase();
    expect(() => run(db, 'reports.create', { fields: { ...sample.fields, name: 'aerospace BRIEFING' } })).toThrow(/already a report called/);
    expect(() => run(db, 'reports.create', { fields: { ...sample.fields, name: 'Other', findings: [{ text: 'x', excerptIds: ['01900000-0000-7000-8000-000000000000'] }] } })).toThrow(/no longer in the case/);
    expect(run(db, 'reports.list', {})).toHaveLength(1);
  });

  it('updates and deletes a report, and an excerpt deleted later drops out of its findings', async () => {
    const { db, sample } = await sampleCase();
    const fields = reportFields.parse({ ...sample.fields, title: 'Renamed briefing', sections: [{ kind: 'evidence', enabled: true, notes: null }] });
    const updated = run(db, 'reports.update', { id: sample.reportId, fields });
    expect(updated.title).toBe('Renamed briefing');
    // Sections missing from a definition come back switched off, so every kind is listed once.
    expect(updated.sections.map((s) => [s.kind, s.enabled])).toContainEqual(['summary', false]);
    run(db, 'excerpts.delete', { id: sample.excerptIds[2] as string });
    expect(getReport(db, sample.reportId).findings[2]?.excerptIds).toEqual([]);
    run(db, 'reports.delete', { id: sample.reportId });
    expect(run(db, 'reports.list', {})).toEqual([]);
    const events = db.prepare("SELECT action FROM audit_events WHERE item_type = 'report' ORDER BY at, rowid").all() as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
  });
});

describe('the report model', () => {
  it('numbers evidence in the order the report cites it and resolves every citation to a row of the evidence table', async () => {
    const { db, sample } = await sampleCase();
    const data = assembleReport(db, getReport(db, sample.reportId), { exportedAt: '2025-03-20T12:00:00.000Z', hashCaseFile: true });
    expect(data.findings.map((f) => f.citations)).toEqual([[1], [2, 1], [3]]);
    const numbers = data.evidence.map((e) => e.number);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    const cited = [...data.findings.flatMap((f) => f.citations), ...data.entities.flatMap((e) => e.citations), ...data.links.flatMap((l) => l.citations)];
    for (const n of cited) expect(numbers).toContain(n);
    expect(data.evidence[0]).toMatchObject({ number: 1, grade: 'B2', location: 'para. 12', sourceNumber: 1 });
    expect(data.evidence[2]).toMatchObject({ number: 3, grade: 'B3' });
    // The sample's other two sources come in through the links' citations, after the findings' source.
    expect(data.sources.map((s) => s.number)).toEqual(data.sources.map((_, i) => i + 1));
  });

  it('lists entities with their names in every script, links with dates and areas, and the case file hash', async () => {
    const { db, file, sample } = await sampleCase();
    const data = assembleReport(db, getReport(db, sample.reportId), { exportedAt: '2025-03-20T12:00:00.000Z', hashCaseFile: true });
    expect(data.entities).toHaveLength(20);
    const beihang = data.entities.find((e) => e.name === 'Beihang University');
    expect(beihang?.aliases.map((a) => a.name)).toContain('北京航空航天大学');
    expect(beihang?.citations).toEqual([1]);
    expect(data.entities.find((e) => e.name === 'Moscow Aviation Institute')?.aliases.map((a) => a.name)).toContain('Московский авиационный институт');
    const programme = data.links.find((l) => l.from === 'Beihang University' && l.type === 'joint programme');
    expect(programme).toMatchObject({ to: 'Moscow Aviation Institute', startDate: '2017', direction: 'mutual' });
    expect(programme?.areas.map((a) => a.name)).toEqual(['aero-engines']);
    expect(data.links[0]?.startDate).toBe('2011');
    expect(data.provenance.caseSha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(data.graph.nodes).toHaveLength(20);
    expect(data.graph.edges).toHaveLength(17);
  });

  it('gives each bibliography entry its URL, accessed date, reliability and the SHA-256 of each attachment', async () => {
    const { db, sample } = await sampleCase();
    const data = assembleReport(db, getReport(db, sample.reportId), { exportedAt: '2025-03-20T12:00:00.000Z', hashCaseFile: false });
    const article = data.sources.find((s) => s.id === sample.articleId);
    expect(article).toMatchObject({ number: 1, url: 'https://www.rferl.org/a/china-defense-universities-russia-sanctions/33000000.html', accessedAt: '2025-03-14T10:20', reliability: 'B' });
    const stored = db.prepare('SELECT sha256, content FROM attachments WHERE source_id = ?').get(sample.articleId) as { sha256: string; content: Buffer };
    expect(article?.attachments.map((a) => a.sha256)).toEqual([stored.sha256]);
    expect(createHash('sha256').update(stored.content).digest('hex')).toBe(sample.attachmentSha256);
  });

  it('narrows to technology areas (sub-areas included), chosen entities and a time window', async () => {
    const { db, sample } = await sampleCase();
    const areas = run(db, 'areas.list', {});
    const aerospace = areas.find((a) => a.name === 'aerospace and aeronautics')?.id as string;
    const base = { ...getReport(db, sample.reportId) };
    const byArea = assembleReport(db, { ...base, scope: { ...EMPTY_SCOPE, areaIds: [aerospace] } }, { exportedAt: '2025-01-01T00:00:00.000Z', hashCaseFile: false });
    // drones, aero-engines and hydro-aerodynamics sit below aerospace: their links and both ends are in.
    expect(byArea.links.map((l) => l.type).sort()).toEqual(['developed', 'joint programme', 'joint programme', 'part of', 'part of']);
    expect(byArea.scope).toEqual(['Technology areas: aerospace and aeronautics']);
    const hit = sample.entities.get('Harbin Institute of Technology') as string;
    const byEntity = assembleReport(db, { ...base, scope: { ...EMPTY_SCOPE, entityIds: [hit] } }, { exportedAt: '2025-01-01T00:00:00.000Z', hashCaseFile: false });
    expect(byEntity.entities.map((e) => e.name)).toEqual(['Harbin Institute of Technology']);
    expect(byEntity.links).toHaveLength(6);
    const window = assembleReport(db, { ...base, scope: { ...EMPTY_SCOPE, from: '2020', to: '2023' } }, { exportedAt: '2025-01-01T00:00:00.000Z', hashCaseFile: false });
    const dated = window.links.filter((l) => l.startDate).map((l) => l.startDate);
    // Open links that started before the window still run through it; 2024 starts are after it.
    expect(dated).not.toContain('2024');
    expect(dated).toEqual(expect.arrayContaining(['2017', '2020', '2023']));
  });
});
