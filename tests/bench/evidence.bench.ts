import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import type { OperationContext } from '../../db/core/handler';
import { runCaseOperationAsync } from '../../db/host/operations';
import { launchBrowser } from '../helpers/browser';
import { repoRoot } from '../helpers/temp';

/**
 * Imports 1,000 generated documents (PDFs of three pages, web pages and text
 * files in English, Chinese and Russian) into a new case file, then measures
 * search latency by kind of query. Writes the figures to docs/performance.md.
 */

const DOCUMENTS = 1000;
const PDFS = 100;
const QUERY_ROUNDS = 25;

const EN = 'university aviation institute engine drone swarm sanctions export control programme research laboratory agreement student training wind tunnel turbine propulsion satellite materials'.split(' ');
const RU = 'университет авиационный институт двигатель беспилотник санкции экспорт программа исследование лаборатория соглашение студенты обучение аэродинамика турбина спутник материалы'.split(' ');
const ZH = ['哈尔滨工业大学', '北京航空航天大学', '北航', '西安工业大学', '航空发动机', '无人机', '制裁', '出口管制', '联合培养', '研究所', '风洞', '涡轮', '卫星', '材料', '合作协议'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function paragraph(next: () => number, words: string[], count: number, joiner: string): string {
  return Array.from({ length: count }, () => words[Math.floor(next() * words.length)]).join(joiner);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

describe('evidence at scale', () => {
  bench(
    `import ${DOCUMENTS} documents, then search them`,
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-'));
      try {
        const next = random(20240517);
        const files: string[] = [];
        const browser = await launchBrowser();
        const pdfStart = performance.now();
        try {
          // One tab for all of them: opening a tab per PDF costs more than printing it.
          const tab = await browser.newPage();
          for (let i = 0; i < PDFS; i += 1) {
            const pages = [paragraph(next, ZH, 40, ''), paragraph(next, EN, 120, ' '), paragraph(next, RU, 100, ' ')];
            const html = pages.map((p) => `<p style="break-after:page">Document ${i}. ${p}</p>`).join('');
            await tab.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>Report ${i}</title></head><body style="font-family:'Noto Sans','Noto Sans CJK SC',sans-serif">${html}</body></html>`);
            const file = path.join(dir, `report-${i}.pdf`);
            writeFileSync(file, await tab.pdf({ format: 'A4' }));
            files.push(file);
          }
        } finally {
          await browser.close();
        }
        const pdfMaking = performance.now() - pdfStart;
        for (let i = files.length; i < DOCUMENTS; i += 1) {
          const body = `Document ${i}.\n${paragraph(next, EN, 150, ' ')}\n${paragraph(next, RU, 120, ' ')}\n${paragraph(next, ZH, 50, '')}`;
          const file = path.join(dir, i % 2 ? `page-${i}.html` : `notes-${i}.txt`);
          writeFileSync(file, i % 2 ? `<!doctype html><html><head><title>Page ${i}</title><script>var x = 1;</script></head><body><p>${body.replace(/\n/g, '</p><p>')}</p></body></html>` : body);
          files.push(file);
        }

        const db = createCaseFile(path.join(dir, 'bench.caseboard'), { title: 'Benchmark' });
        const ctx: OperationContext = { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined };
        const perFile: number[] = [];
        const importStart = performance.now();
        for (const file of files) {
          const t = performance.now();
          await runCaseOperationAsync(db, 'attachments.add', { file: { path: file } }, ctx);
          perFile.push(performance.now() - t);
        }
        const importTotal = performance.now() - importStart;
        const pdfTimes = perFile.slice(0, PDFS).sort((a, b) => a - b);
        const otherTimes = perFile.slice(PDFS).sort((a, b) => a - b);

        const queries: Record<string, string[]> = {
          'English word (prefix, case- and accent-insensitive)': ['aviation', 'Engines', 'SANCTIONS', 'turbine', 'laboratory'],
          'Russian word (stemmed)': ['авиационного', 'университета', 'двигателей', 'санкциям', 'спутники'],
          'Chinese, 3+ characters (trigram index)': ['哈尔滨工业大学', '航空发动机', '出口管制', '合作协议', '研究所'],
          'Chinese, 2 characters (substring scan)': ['北航', '风洞', '制裁', '涡轮', '卫星'],
          'Mixed three-script query': ['aviation 哈尔滨工业大学 двигатель', 'drone 无人机', 'университет programme'],
        };
        const rows: string[] = [];
        const all: number[] = [];
        for (const [label, list] of Object.entries(queries)) {
          const times: number[] = [];
          let hits = 0;
          for (let round = 0; round < QUERY_ROUNDS; round += 1) {
            for (const query of list) {
              const t = performance.now();
              const result = await runCaseOperationAsync(db, 'search.query', { query, limit: 50 }, ctx);
              times.push(performance.now() - t);
              hits = Math.max(hits, result.total);
            }
          }
          times.sort((a, b) => a - b);
          all.push(...times);
          rows.push(`| ${label} | ${times.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${hits} |`);
        }
        all.sort((a, b) => a - b);
        const counts = db.prepare('SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM attachment_pages) AS pages, (SELECT count(*) FROM search_docs) AS docs').get() as { sources: number; pages: number; docs: number };
        db.close();
        const size = statSync(path.join(dir, 'bench.caseboard')).size;

        const report = `# Performance

Figures from \`npm run bench\` (tests/bench/evidence.bench.ts) on the development machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. The benchmark is not a timed test; it records what a user would feel. Load average when it finished: ${os.loadavg()[0]?.toFixed(1)} (other work shared the machine).

## Import of ${DOCUMENTS} documents

${DOCUMENTS} generated documents, each imported as a new source the way \`caseboard import\` does it (read, sniff, SHA-256, text extraction, one transaction with the search index and audit record per file): ${PDFS} PDFs of three pages (Chinese, English and Russian text, printed by Chromium) and ${DOCUMENTS - PDFS} web pages and text files with text in all three scripts.

| | |
|---|---|
| Whole import | ${(importTotal / 1000).toFixed(1)} s (${ms(importTotal / files.length)} per document on average) |
| PDF (3 pages), median / p95 | ${ms(percentile(pdfTimes, 50))} / ${ms(percentile(pdfTimes, 95))} |
| Web page or text file, median / p95 | ${ms(percentile(otherTimes, 50))} / ${ms(percentile(otherTimes, 95))} |
| Sources / attachment pages / index rows | ${counts.sources} / ${counts.pages} / ${counts.docs} |
| Case file size | ${(size / 1024 / 1024).toFixed(1)} MB |

(Generating the PDFs with Chromium took ${(pdfMaking / 1000).toFixed(1)} s and is not part of the import time.)

## Search latency over those ${DOCUMENTS} documents

Each query runs ${QUERY_ROUNDS} times through the \`search.query\` operation (ranking, snippets, first 50 hits and the total count).

| Kind of query | Runs | Median | p95 | Hits (total) |
|---|---|---|---|---|
${rows.join('\n')}
| All queries | ${all.length} | ${ms(percentile(all, 50))} | ${ms(percentile(all, 95))} | |

Chinese terms of one or two characters cannot use the trigram index and are found by a substring scan of the indexed text; everything else goes through the FTS5 indexes. Each index is read once per query for ranking, and snippets are made only for the hits shown, so a query that matches every document (as these generated ones do) costs about the same as one that matches few.
`;
        mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
        writeFileSync(path.join(repoRoot, 'docs', 'performance.md'), report);
        console.log(report);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
