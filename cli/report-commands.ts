import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openCaseFile } from '../db/core/case-file';
import { exportReport } from '../db/reports/handlers';
import { checkOutputPath } from '../db/core/output-file';
import { findChromium } from '../db/reports/pdf';
import { findReportByName } from '../db/reports/reports';
import { CaseboardError } from '../shared/errors';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE, type ReportFormat } from '../shared/report';
import type { ReportDefinitionInput } from '../db/reports/report-data';
import { getCaseDetails } from '../db/core/case-info';

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
      const chromium = format === 'pdf' ? findChromium(opts.chromium) : null;
      if (!existsSync(file)) throw new CaseboardError('not_a_case_file', `${file} does not exist.`);
      const db = openCaseFile(file, { readonly: true });
      try {
        let definition: ReportDefinitionInput;
        if (opts.report !== undefined) {
          const saved = findReportByName(db, opts.report);
          if (!saved) throw new CaseboardError('invalid_input', `There is no report called "${opts.report}" in ${path.basename(file)}.`);
          definition = saved;
        } else {
          const details = getCaseDetails(db);
          definition = { title: details.title, author: null, date: null, marking: details.marking, summary: details.description, scope: EMPTY_SCOPE, sections: DEFAULT_REPORT_SECTIONS, findings: [] };
        }
        if (opts.tag && opts.tag.length > 0) {
          const find = db.prepare('SELECT id FROM technology_areas WHERE name = ? COLLATE NOCASE');
          const areaIds = opts.tag.map((name) => {
            const row = find.get(name.trim()) as { id: string } | undefined;
            if (!row) throw new CaseboardError('invalid_input', `There is no technology area called "${name}" in ${path.basename(file)}.`);
            return row.id;
          });
          definition = { ...definition, scope: { ...definition.scope, areaIds } };
        }
        const showProgress = process.stderr.isTTY;
        const result = await exportReport(
          db,
          definition,
          format,
          target,
          {
            progress: (p) => {
              if (showProgress) process.stderr.write(`\r\u001b[K${p.message ?? ''}`);
            },
            throwIfCancelled: () => undefined,
          },
          chromium,
        );
        if (showProgress) process.stderr.write('\r\u001b[K');
        const pages = result.pages !== null ? `, ${result.pages} ${result.pages === 1 ? 'page' : 'pages'}` : '';
        process.stdout.write(`Exported ${path.basename(file)} to ${target} (${format.toUpperCase()}${pages}, ${(result.millis / 1000).toFixed(1)} s)\n`);
      } finally {
        db.close();
      }
    });
}
