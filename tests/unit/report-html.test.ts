import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { describe, expect, it, vi } from 'vitest';
import { runCaseOperationAsync } from '../../db/host/operations';
import { assembleReport } from '../../db/reports/report-data';
import { getReport } from '../../db/reports/reports';
import type { CaseDb } from '../../db/core/case-file';
import type { CaseOperationName } from '../../db/core/handler';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { REPORT_CSP, escapeHtml, html, renderReportHtml, reportHeaderFooter, safeHref } from '../../shared/report-html';
import type { ReportData } from '../../shared/report';
import { context, newCase, run } from '../helpers/model';
import { seedReportSample, REPORT_MARKING, REPORT_TITLE } from '../helpers/report-sample';
import type { Caller } from '../helpers/graph-sample';

const HOSTILE = ['<img src=x onerror=alert(1)>', '</style><script>alert(2)</script>', 'javascript:alert(3)', '"><svg onload=alert(4)>', "'><iframe src=javascript:alert(5)>", '<object data=x></object><embed src=x>'];
const hostile = (i: number) => `${HOSTILE[i % HOSTILE.length] ?? ''} #${i}`;

function callerFor(db: CaseDb): Caller {
  return <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function elements(nodes: ChildNode[]): Element[] {
  const out: Element[] = [];
  for (const node of nodes) {
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      out.push(node as Element);
      out.push(...elements((node as Element).children));
    }
  }
  return out;
}

/** Everything in the document that could run or load: scripts, frames, plugins, handlers, script URLs. */
function activeContent(doc: string): string[] {
  const found: string[] = [];
  for (const el of elements(parseDocument(doc).children)) {
    if (['script', 'iframe', 'object', 'embed', 'frame', 'base', 'form', 'link'].includes(el.name)) found.push(`<${el.name}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(name)) found.push(`${el.name}[${name}]`);
      if (/^\s*(javascript|vbscript|data):/i.test(value) && name !== 'content') found.push(`${el.name}[${name}=${value}]`);
      if (['src', 'srcset', 'action', 'formaction', 'xlink:href', 'background', 'poster'].includes(name)) found.push(`${el.name}[${name}]`);
    }
  }
  return found;
}

async function hostileCase(): Promise<ReportData> {
  const { db } = newCase('hostile.caseboard');
  const call = callerFor(db);
  await run(db, 'case.update', { title: hostile(0), marking: hostile(1), description: hostile(2) });
  const source = await call('sources.create', { kind: 'web_page', title: hostile(0), url: 'https://example.org/', publisher: hostile(1), authors: [hostile(2)], reliability: 'C', notes: hostile(3) } as OpInput<'sources.create'>);
  // The contract refuses such a URL; a case file received from someone else may still hold one.
  db.prepare("UPDATE sources SET url = 'javascript:alert(3)' WHERE id = ?").run(source.id);
  const attached = await call('attachments.add', { sourceId: source.id, file: { name: hostile(5), base64: Buffer.from('text').toString('base64') } } as OpInput<'attachments.add'>);
  const excerpt = await call('excerpts.create', { sourceId: source.id, fields: { attachmentId: attached.attachment.id, quote: hostile(0), location: hostile(1), comment: hostile(2), credibility: 4 } } as OpInput<'excerpts.create'>);
  const a = await call('entities.create', {
    fields: { type: 'organisation', subtype: hostile(1), name: hostile(0), aliases: [{ name: hostile(2) }, { name: hostile(3), language: 'zh' }], identifiers: [{ key: hostile(4), value: hostile(5) }], description: hostile(1), notes: hostile(2), tags: [hostile(3)] },
    excerptIds: [excerpt.id],
  } as OpInput<'entities.create'>);
  const b = await call('entities.create', { fields: { type: 'person', name: hostile(4) } } as OpInput<'entities.create'>);
  await call('links.create', { fields: { fromId: a.id, toId: b.id, type: hostile(5), startDate: '2020', notes: hostile(0) }, excerptIds: [excerpt.id] } as OpInput<'links.create'>);
  await call('areas.create', { name: hostile(1), colour: '#123456' } as OpInput<'areas.create'>);
  const report = await call('reports.create', {
    fields: {
      name: hostile(0),
      title: hostile(1),
      author: hostile(2),
      marking: hostile(3),
      summary: `${hostile(4)}\n\n${hostile(5)}`,
      findings: [{ text: hostile(0), excerptIds: [excerpt.id] }],
      sections: ['summary', 'findings', 'entities', 'relationships', 'graph', 'timeline', 'evidence', 'bibliography'].map((kind, i) => ({ kind, enabled: true, notes: hostile(i) })),
    },
  } as OpInput<'reports.create'>);
  return assembleReport(db, getReport(db, report.id), { exportedAt: '2025-01-01T00:00:00.000Z', hashCaseFile: true });
}

describe('report HTML', () => {
  it('escapes every interpolation by construction', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p title="${'" onmouseover="x'}">${'<b>'}${html`<i>kept</i>`}</p>`.value).toBe('<p title="&quot; onmouseover=&quot;x">&lt;b&gt;<i>kept</i></p>');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('https://example.org/a?b=<c>')).toBe('https://example.org/a?b=%3Cc%3E');
  });

  it('prints hostile text in every field as text: no script, frame, plugin, handler or script URL survives', async () => {
    const data = await hostileCase();
    for (const chrome of ['css', 'printer'] as const) {
      const doc = renderReportHtml(data, { pageChrome: chrome });
      expect(activeContent(doc)).toEqual([]);
      expect(doc).not.toMatch(/<script/i);
      expect(doc).not.toMatch(/<img/i);
      expect(doc).not.toMatch(/href="javascript:/i);
      // The hostile text is there, as text a reader can see.
      expect(doc).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(doc).toContain('&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(doc).toContain('javascript:alert(3)');
      // One style element, never closed early by a marking.
      expect(doc.match(/<\/style>/g)).toHaveLength(1);
      const parsed = elements(parseDocument(doc).children);
      expect(parsed.filter((e) => e.name === 'style')).toHaveLength(1);
      expect(parsed.find((e) => e.name === 'meta' && e.attribs['http-equiv'] === 'Content-Security-Policy')?.attribs.content).toBe(REPORT_CSP);
    }
    const { header, footer } = reportHeaderFooter(data);
    expect(activeContent(header + footer)).toEqual([]);
    expect(footer).toContain('class="pageNumber"');
  });

  it('renders the sample briefing: cover, contents, numbered sections, notes as callouts, footnote citations into the evidence table', async () => {
    const { db } = newCase('report-html.caseboard');
    const sample = await seedReportSample(callerFor(db));
    const data = assembleReport(db, getReport(db, sample.reportId), { exportedAt: '2025-03-20T12:00:00.000Z', hashCaseFile: true });
    const doc = renderReportHtml(data, { pageChrome: 'css' });
    expect(activeContent(doc)).toEqual([]);
    const parsed = elements(parseDocument(doc).children);
    const text = (el: Element): string => el.children.map((c) => (c.type === 'text' ? (c as unknown as { data: string }).data : c.type === 'tag' ? text(c as Element) : '')).join('');
    expect(text(parsed.find((e) => e.name === 'h1') as Element)).toBe(REPORT_TITLE);
    expect(parsed.filter((e) => e.name === 'h2').map(text)).toEqual(['Contents', '1Executive summary', '2Key findings', '3Entity profiles', '4Relationships', '5Network graph', '6Timeline', '7Evidence', '8Sources', 'AProvenance']);
    expect(parsed.filter((e) => e.attribs.class === 'callout')).toHaveLength(1);
    // Every footnote link lands on a row of the evidence table.
    const rows = new Set(parsed.filter((e) => e.name === 'tr' && e.attribs.id?.startsWith('ev-')).map((e) => e.attribs.id));
    const targets = parsed.filter((e) => e.name === 'a' && e.attribs.href?.startsWith('#ev-')).map((e) => e.attribs.href?.slice(1));
    expect(targets.length).toBeGreaterThan(5);
    for (const t of targets) expect(rows).toContain(t);
    expect(doc).toContain(sample.attachmentSha256);
    expect(doc).toContain(data.provenance.caseSha256 as string);
    expect(doc).toContain('<span lang="zh-Hans">北京航空航天大学</span>');
    expect(doc).toContain('Московский авиационный институт');
    expect(doc).toContain(`@top-center { content: "SENSITIVE \\2014  INVESTIGATORS ONLY"`);
    expect(doc).toContain(REPORT_MARKING);
    // The graph and timeline are inline SVG: sharp at any zoom, nothing to fetch.
    expect(parsed.filter((e) => e.name === 'svg' && e.attribs.class === 'picture')).toHaveLength(2);
  });

  it('is a pure function of its data: not of the clock, time zone, locale or chance, and it leaves its data alone', async () => {
    const { db } = newCase('pure.caseboard');
    const sample = await seedReportSample(callerFor(db));
    const data = assembleReport(db, getReport(db, sample.reportId), { exportedAt: '2025-03-20T12:00:00.000Z', hashCaseFile: false });
    const before = structuredClone(data);
    const first = renderReportHtml(data, { pageChrome: 'printer' });
    expect(data).toEqual(before);

    // Another day, another time zone, other chance, and no locale to consult: the same document.
    const zone = process.env.TZ;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2049-12-31T23:30:00.000Z'));
      process.env.TZ = 'Pacific/Kiritimati';
      vi.spyOn(Math, 'random').mockReturnValue(0.987654321);
      const noLocale = () => {
        throw new Error('the report consulted the locale');
      };
      vi.spyOn(String.prototype, 'localeCompare').mockImplementation(noLocale);
      vi.spyOn(Number.prototype, 'toLocaleString').mockImplementation(noLocale);
      vi.spyOn(Date.prototype, 'toLocaleString').mockImplementation(noLocale);
      vi.spyOn(Date.prototype, 'toLocaleDateString').mockImplementation(noLocale);
      vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(noLocale);
      vi.spyOn(Intl, 'NumberFormat').mockImplementation(noLocale);
      // Frozen all the way down, so that writing to the data throws rather than passing unseen.
      expect(renderReportHtml(deepFreeze(structuredClone(data)), { pageChrome: 'printer' })).toBe(first);
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }

    // What the document says follows the data: its dates come from the export, not from the clock.
    const later = renderReportHtml({ ...data, date: null, provenance: { ...data.provenance, exportedAt: '2031-07-04T08:00:00.000Z' } }, { pageChrome: 'printer' });
    expect(later).not.toBe(first);
    expect(later).toContain('<dd>4 July 2031</dd>');
    expect(later).toContain('<dd>4 July 2031, 08:00 UTC</dd>');
    expect(first).not.toContain('July 2031');
    const retitled = renderReportHtml({ ...data, title: 'Another briefing altogether' }, { pageChrome: 'printer' });
    expect(retitled).toContain('Another briefing altogether');
    expect(first).not.toContain('Another briefing altogether');
    expect(data.evidence.length).toBeGreaterThan(0);
    const quoted = data.evidence[0];
    const requoted = renderReportHtml({ ...data, evidence: data.evidence.map((e, i) => (i === 0 ? { ...e, quote: 'A quote no source ever gave' } : e)) }, { pageChrome: 'printer' });
    expect(requoted).toContain('A quote no source ever gave');
    expect(requoted).not.toContain(escapeHtml(quoted?.quote ?? ''));
  });
});
