import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { assembleReport } from '../../db/reports/report-data';
import { LINK_TYPE_PALETTE, SHAPE_BY_TYPE, TYPE_COLOURS } from '../../shared/graph-style';
import { runCaseOperationAsync } from '../../db/host/operations';
import type { CaseOperationName } from '../../db/core/handler';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE, type PortionMarking } from '../../shared/report';
import { renderReportHtml } from '../../shared/report-html';
import { chromiumPath } from '../helpers/browser';
import { context, newCase } from '../helpers/model';
import { seedReportSample } from '../helpers/report-sample';
import { cliPath, tempDir } from '../helpers/temp';

interface Printed {
  file: string;
  pages: string[];
  /** The same briefing exported as an HTML file. */
  html: string;
}

/** The sample case's briefing printed by the command line, read back page by page. */
function printSample(): Printed {
  const dir = tempDir('caseboard-report-briefing-');
  const file = path.join(dir, 'sample.caseboard');
  const made = spawnSync(process.execPath, [cliPath, 'sample', file], { encoding: 'utf8' });
  expect(made.status).toBe(0);
  const pdf = path.join(dir, 'sample.pdf');
  const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--chromium', chromiumPath()], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  // pdftotext separates pages with a form feed.
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
  const html = path.join(dir, 'sample.html');
  const exported = spawnSync(process.execPath, [cliPath, 'report', file, html], { encoding: 'utf8' });
  expect(exported.stderr).toBe('');
  return { file, pages, html: readFileSync(html, 'utf8') };
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the briefing PDF', () => {
  let printed: Printed;
  beforeAll(() => {
    printed = printSample();
  }, 90_000);

  it('draws the network in the graph view’s shapes and colours, with a legend of entity types and link types', () => {
    const page = printed.pages.find((p) => /\d Network graph/.test(p));
    expect(page).toBeDefined();
    const text = flat(page ?? '');
    // Entity types by shape, link types most frequent first with their counts, as the graph view ranks them.
    expect(text).toContain('ENTITIES Organisation Person Product or technology');
    expect(text).toMatch(/LINKS sanctioned \(3\) co-founded \(2\) cooperation agreement \(2\) joint programme \(2\) member of \(2\) part of \(2\) developed \(1\) joint centre \(1\) visited \(1\) works for \(1\)/);

    const db = openCaseFile(printed.file, { readonly: true });
    try {
      const data = assembleReport(db, { title: 'Network', author: null, date: null, marking: null, summary: null, scope: EMPTY_SCOPE, sections: DEFAULT_REPORT_SECTIONS, findings: [] }, { exportedAt: '2026-12-02T10:00:00Z', hashCaseFile: false });
      const doc = renderReportHtml(data, { pageChrome: 'css' });
      const svg = doc.slice(doc.indexOf('<svg class="picture"'), doc.indexOf('</svg>', doc.indexOf('<svg class="picture"')));
      // Organisations are squares (four corners) in the organisation blue; people circles in the person colour.
      const nodes = [...svg.matchAll(/<path d="([^"]+)" fill="(#[0-9a-f]{6})" class="node"\/>/g)].map((m) => ({ d: m[1] ?? '', fill: m[2] ?? '' }));
      expect(nodes).toHaveLength(data.graph.nodes.length);
      data.graph.nodes.forEach((n, i) => {
        expect(nodes[i]?.fill).toBe(TYPE_COLOURS[n.type]);
        const corners = nodes[i]?.d.split(' L').length;
        if (SHAPE_BY_TYPE[n.type] === 'square') expect(corners).toBe(4);
        if (SHAPE_BY_TYPE[n.type] === 'circle') expect(nodes[i]?.d).toMatch(/ a[\d.]+,[\d.]+ 0 1,0 /);
      });
      expect(nodes.filter((n) => n.fill === TYPE_COLOURS.organisation).length).toBeGreaterThan(10);
      // The most frequent link type takes the palette's first colour, the next ones the following colours.
      const strokes = [...svg.matchAll(/<line [^>]*stroke="([^"]+)" class="edge"/g)].map((m) => m[1]);
      const sanctioned = data.graph.edges.map((e, i) => (e.type === 'sanctioned' ? strokes[i] : null)).filter(Boolean);
      expect(sanctioned).toEqual([LINK_TYPE_PALETTE[0], LINK_TYPE_PALETTE[0], LINK_TYPE_PALETTE[0]]);
      const coFounded = data.graph.edges.map((e, i) => (e.type === 'co-founded' ? strokes[i] : null)).filter(Boolean);
      expect(coFounded).toEqual([LINK_TYPE_PALETTE[1], LINK_TYPE_PALETTE[1]]);
    } finally {
      db.close();
    }
  });

  it('lists on its own contents page the page each section starts on, and that is the page its heading prints on', () => {
    const contentsPage = printed.pages.findIndex((p) => /^\s*Contents\s*$/m.test(p));
    expect(contentsPage).toBe(1);
    const entries = [...(printed.pages[contentsPage] ?? '').matchAll(/^\s*([0-9]|A)\s{2,}(\S.*?)\s{2,}(\d+)\s*$/gm)].map((m) => ({ no: m[1] ?? '', label: m[2] ?? '', page: Number(m[3]) }));
    expect(entries.map((e) => e.label)).toEqual(['Executive summary', 'Key findings', 'Entity profiles', 'Relationships', 'Network graph', 'Timeline', 'Evidence', 'Sources', 'Provenance']);
    for (const entry of entries) {
      const heading = new RegExp(`^\\s*${entry.no} ${entry.label}\\s*$`, 'm');
      const on = printed.pages.map((p, i) => (heading.test(p) ? i + 1 : null)).filter((n) => n !== null);
      expect({ section: entry.label, pages: on }).toEqual({ section: entry.label, pages: [entry.page] });
    }
    // The marks the first printing is read back by are gone from the PDF.
    expect(printed.pages.join('')).not.toContain('QQPAGEMARK');
  });

  it('keeps page numbers and page marks out of the HTML file, which has no pages', () => {
    const doc = printed.html;
    expect(doc).toContain('<h2>Contents</h2>');
    expect(doc).toContain('<a href="#s-graph">Network graph</a>');
    expect(doc).not.toContain('QQPAGEMARK');
    expect(doc).not.toContain('data-page-of');
  });
});

describe('portion marking', () => {
  it('prints each marked section’s and paragraph’s portion mark, raises a section to its highest paragraph, and carries the highest of them on every page, before the report’s own marking', async () => {
    const { db, file } = newCase('portions.caseboard');
    const call = <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
    const hit = await call('entities.create', { fields: { type: 'organisation', name: 'Harbin Institute of Technology' } } as OpInput<'entities.create'>);
    const mai = await call('entities.create', { fields: { type: 'organisation', name: 'Moscow Aviation Institute' } } as OpInput<'entities.create'>);
    await call('links.create', { fields: { fromId: hit.id, toId: mai.id, type: 'joint programme', startDate: '2017-03' } } as OpInput<'links.create'>);
    const marked: Record<string, PortionMarking | null> = { summary: 'UNCLASSIFIED', entities: 'CONFIDENTIAL', relationships: 'CONFIDENTIAL', graph: null };
    // Paragraphs marked on their own: one raises the summary to (C), one the unmarked graph section, and so every page, to (S).
    const notes: Record<string, string> = { graph: 'Drawn from the case as it stood.\n\n(S) The picture leaves out the liaison office.' };
    await call('reports.create', {
      fields: {
        name: 'Marked',
        title: 'Harbin and Moscow',
        marking: 'INVESTIGATORS ONLY',
        summary: 'Two institutes train engine designers together.\n\n(C) One of them trains the other’s drone engineers.',
        sections: DEFAULT_REPORT_SECTIONS.map((s) => ({ ...s, enabled: s.kind in marked, marking: marked[s.kind] ?? null, notes: notes[s.kind] ?? null })),
      },
    } as OpInput<'reports.create'>);
    db.close();
    const pdf = path.join(tempDir('caseboard-report-portions-'), 'marked.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--report', 'Marked', '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim() !== '');
    const all = pages.join('\n');
    expect(all).toMatch(/^\s*1 \(C\) Executive summary\s*$/m);
    expect(all).toMatch(/^\s*2 \(C\) Entity profiles\s*$/m);
    expect(all).toMatch(/^\s*3 \(C\) Relationships\s*$/m);
    expect(all).toMatch(/^\s*4 \(S\) Network graph\s*$/m);
    expect(all).toMatch(/^\s*\(C\) One of them trains the other’s drone engineers\.\s*$/m);
    expect(all).toMatch(/^\s*\(S\) The picture leaves out the liaison office\.\s*$/m);
    for (const [i, page] of pages.entries()) expect(page, `page ${i + 1}`).toContain('SECRET // INVESTIGATORS ONLY');
    expect(all).not.toContain('TOP SECRET');
  }, 60_000);
});

describe('key entity pages', () => {
  it('gives each chosen key entity a page: its names in every script with language, its links with dates and confidence, its evidence numbers', async () => {
    const { db, file } = newCase('key-entities.caseboard');
    const call = <N extends OperationName>(name: N, input: OpInput<N>) => runCaseOperationAsync(db, name as CaseOperationName & N, input, context()) as Promise<OpOutput<N>>;
    const sample = await seedReportSample(call);
    const beihang = sample.entities.get('Beihang University') as string;
    await call('reports.update', { id: sample.reportId, fields: { ...sample.fields, keyEntityIds: [beihang] } } as OpInput<'reports.update'>);
    db.close();
    const pdf = path.join(tempDir('caseboard-report-key-'), 'key.pdf');
    const result = spawnSync(process.execPath, [cliPath, 'report', file, pdf, '--report', sample.fields.name, '--chromium', chromiumPath()], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    const at = pages.findIndex((p) => /^\s*K1 Key entity: Beihang University\s*$/m.test(p));
    expect(at).toBeGreaterThan(1);
    const page = pages[at] ?? '';
    // Every name with its script and language.
    expect(page).toMatch(/北京航空航天大学\s+Chinese \(Han\)\s+zh-Hans/);
    expect(page).toMatch(/Beihang University \(main name\)\s+Latin/);
    // Its links with dates, confidence and what the confidence rests on, and evidence numbers.
    const text = flat(page);
    expect(text).toMatch(/Beihang University — joint programme \(both ways\) — Moscow 2017– Active High — 2 sources, B2, \[1, 4\]/);
    expect(text).toMatch(/Beihang Aero-Engine Research Institute — part of — Beihang undated Active Moderate — 1 source, \[4\]/);
    expect(text).toMatch(/Entity Moderate — 1 source, B2; evidence \[1\]/i);
    expect(text).toMatch(/Its links evidence \[1, 4\]/i);
    // The contents name it with the page it is on.
    expect(flat(pages[1] ?? '')).toContain(`K1 Key entity: Beihang University ${at + 1}`);
  }, 60_000);
});
