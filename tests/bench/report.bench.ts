import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { assembleReport } from '../../db/reports/report-data';
import { exportReport } from '../../db/reports/handlers';
import { findChromium } from '../../db/reports/pdf';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE } from '../../shared/report';
import { renderReportHtml } from '../../shared/report-html';
import { fillCase } from '../helpers/bulk';

// A generated case sized for a briefing of about 100 pages: 220 entity profiles, 400 links, 200 cited excerpts.
const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-report-'));
const db = createCaseFile(path.join(folder, 'briefing.caseboard'), { title: 'Generated briefing case', marking: 'SENSITIVE' });
const { entityIds } = fillCase(db, 220, 400);
db.transaction(() => {
  const at = '2026-01-01T00:00:00.000Z';
  const source = newId();
  db.prepare("INSERT INTO sources (id, kind, title, url, reliability, created_at, updated_at) VALUES (?, 'report', 'Generated report', 'https://example.org/report', 'B', ?, ?)").run(source, at, at);
  const excerpt = db.prepare('INSERT INTO excerpts (id, source_id, quote, credibility, location, created_at, updated_at) VALUES (?, ?, ?, 2, ?, ?, ?)');
  const cite = db.prepare('INSERT INTO citations (id, excerpt_id, entity_id, created_at) VALUES (?, ?, ?, ?)');
  const describe = db.prepare('UPDATE entities SET description = ? WHERE id = ?');
  entityIds.forEach((entityId, i) => {
    describe.run(`Entity ${i} takes part in joint research on aero-engines and drones with several partners; 北京航空航天大学 and Московский авиационный институт appear among them.`, entityId);
    if (i < 200) {
      const id = newId();
      excerpt.run(id, source, `Passage ${i}: the institute described a joint programme with its partner, citing ties since ${2000 + (i % 25)}.`, `para. ${i + 1}`, at, at);
      cite.run(newId(), id, entityId, at);
    }
  });
})();
const definition = { title: 'Generated briefing', author: 'Bench', date: '2026-01-01', marking: 'SENSITIVE', summary: 'A generated case.', scope: EMPTY_SCOPE, sections: DEFAULT_REPORT_SECTIONS, findings: [] };
const ctx = { progress: () => undefined, throwIfCancelled: () => undefined };

afterAll(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('a briefing of about 100 pages', () => {
  bench('report data and HTML', () => void renderReportHtml(assembleReport(db, definition, { exportedAt: new Date().toISOString(), hashCaseFile: true }), { pageChrome: 'printer' }), { time: 2000, warmupIterations: 1 });
  bench(
    'PDF through Chromium (whole export)',
    async () => {
      const result = await exportReport(db, definition, 'pdf', undefined, ctx, findChromium());
      console.log(`PDF: ${result.pages ?? '?'} pages, ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ${(result.millis / 1000).toFixed(1)} s`);
    },
    { time: 0, iterations: 2, warmupIterations: 0 },
  );
});
