import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { findChromium, printReportsWith, withCaseFile, type OpenedCase } from '../db/host/case-files';
import { checkOutputPath } from '../db/host/output-files';
import type { OpInput } from '../shared/contract';
import { CaseboardError } from '../shared/errors';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE, type ReportFormat } from '../shared/report';

interface ReportOptions {
  report?: string;
  tag?: string[];
  chromium?: string;
}

function formatOf(out: string): ReportFormat {
  const ext = path.extname(out).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new CaseboardError('invalid_input', 'The output file must end in .pdf or .html.');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Names compared as SQLite's NOCASE does: ASCII letters only. */
function sameName(a: string, b: string): boolean {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return fold(a) === fold(b);
}

/** The report to print: one saved in the case by name, or every section of the whole case; limited to areas by name. */
async function reportSource(opened: OpenedCase, file: string, opts: ReportOptions): Promise<Omit<OpInput<'reports.export'>, 'format' | 'path'>> {
  let source: Omit<OpInput<'reports.export'>, 'format' | 'path'>;
  if (opts.report !== undefined) {
    const name = opts.report.trim();
    const saved = (await opened.run('reports.list', {})).find((report) => sameName(report.name, name));
    if (!saved) throw new CaseboardError('invalid_input', `There is no report called "${opts.report}" in ${path.basename(file)}.`);
    source = { id: saved.id };
  } else {
    const details = await opened.run('case.get', {});
    // The name is never printed; a report made here is not saved.
    source = { fields: { name: details.title.slice(0, 200), title: details.title, marking: details.marking, summary: details.description, scope: EMPTY_SCOPE, sections: DEFAULT_REPORT_SECTIONS, findings: [] } };
  }
  if (opts.tag && opts.tag.length > 0) {
    const areas = await opened.run('areas.list', {});
    const areaIds = opts.tag.map((name) => {
      const area = areas.find((a) => sameName(a.name, name.trim()));
      if (!area) throw new CaseboardError('invalid_input', `There is no technology area called "${name}" in ${path.basename(file)}.`);
      return area.id;
    });
    source = { ...source, areaIds };
  }
  return source;
}

/** `caseboard report`: a briefing to PDF or self-contained HTML without the UI. */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('Export a briefing of the case to PDF (printed by Chromium) or to one self-contained HTML file.')
    .argument('<case>', 'case file')
    .argument('<out>', 'file to write: .pdf or .html (an ordinary file there is replaced; never a case file, a link, a device or a folder)')
    .option('--report <name>', 'a report saved in the case (default: every section, the whole case)')
    .option('--tag <area>', 'limit to a technology area and its sub-areas (repeat for more)', collect)
    .option('--chromium <path>', 'Chromium or Chrome to print the PDF with (default: CASEBOARD_CHROMIUM, then the usual system paths)')
    .action(async (file: string, out: string, opts: ReportOptions) => {
      const format = formatOf(out);
      const target = path.resolve(out);
      if (path.resolve(file) === target) throw new CaseboardError('invalid_input', 'Choose an output file other than the case file.');
      checkOutputPath(target, { replace: true });
      // Find the printer before opening anything, so a missing Chromium fails fast and clearly.
      if (format === 'pdf') printReportsWith(findChromium(opts.chromium));
      if (!existsSync(file)) throw new CaseboardError('not_a_case_file', `${file} does not exist.`);
      await withCaseFile(file, { readonly: true }, async (opened) => {
        const source = await reportSource(opened, file, opts);
        const showProgress = process.stderr.isTTY;
        const result = await opened.run('reports.export', { ...source, format, path: target }, (p) => {
          if (showProgress) process.stderr.write(`\r\u001b[K${p.message ?? ''}`);
        });
        if (showProgress) process.stderr.write('\r\u001b[K');
        const pages = result.pages !== null ? `, ${result.pages} ${result.pages === 1 ? 'page' : 'pages'}` : '';
        process.stdout.write(`Exported ${path.basename(file)} to ${target} (${format.toUpperCase()}${pages}, ${(result.millis / 1000).toFixed(1)} s)\n`);
      });
    });
}
