// `npm run bench:scale`: the case of a million entities (CASEBOARD_SCALE=100000 for a quick run), measured
// row by row against the goals it has to meet. The case is built once and cached (see scale-case.ts).
// CASEBOARD_SCALE_SKIP_FULL=1 leaves out `info --full`, CASEBOARD_SCALE_SKIP_RATIO=1 the import-against-insert
// run, and CASEBOARD_SCALE_RATIO_ROWS sets that run's size (the case's size unless set).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { openCaseFile, type CaseDb } from '../../../db/core/case-file';
import { runCaseOperation, type CaseOperationName } from '../../../db/host/operations';
import type { OpInput, OpOutput } from '../../../shared/contract';
import { DOCUMENTS, SCALE, entityName, importRatio, scaleCase, type BuildFigures, type CpuSeconds } from './scale-case';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'bin', 'caseboard.cjs');
const ctx = { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined };

function call<N extends CaseOperationName>(db: CaseDb, name: N, input: OpInput<N>): OpOutput<N> {
  return runCaseOperation(db, name, input, ctx);
}

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** An import's CPU time, user and system apart, when the build measured it. */
const cpuText = (cpu: CpuSeconds | undefined) => (cpu ? ` (CPU ${cpu.user.toFixed(1)} s user, ${cpu.system.toFixed(1)} s system)` : '');

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);

interface Row {
  what: string;
  measured: string;
  goal: string;
}
const rows: Row[] = [];
const record = (what: string, measured: string, goal: string) => {
  rows.push({ what, measured, goal });
  console.log(`${what}: ${measured} (goal ${goal})`);
};

let build: BuildFigures | null = null;
let file = '';

afterAll(() => {
  const width = Math.max(...rows.map((r) => r.what.length));
  const lines = [
    '',
    `A case of ${SCALE.toLocaleString('en')} entities, ${(2 * SCALE).toLocaleString('en')} aliases, ${SCALE.toLocaleString('en')} links, ${DOCUMENTS.toLocaleString('en')} documents${build ? ` (${(build.fileBytes / 1e9).toFixed(2)} GB)` : ''}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`,
    `${'what'.padEnd(width)} | measured | goal`,
    ...rows.map((r) => `${r.what.padEnd(width)} | ${r.measured} | ${r.goal}`),
  ];
  console.log(lines.join('\n'));
});

const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };

describe(`a case of ${SCALE.toLocaleString('en')} entities`, () => {
  bench(
    'every row of the table',
    async () => {
      const built = await scaleCase();
      build = built.build;
      file = built.file;
      if (process.env.CASEBOARD_SCALE_BUILD_ONLY === '1') return;
      const at1m = SCALE >= 1_000_000;

      // Open to the first grid page, own file, warm (the first open warms the page cache and is not counted).
      const openSamples: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        openSamples.push(
          timed(() => {
            const db = openCaseFile(file);
            try {
              call(db, 'entities.page', { startRow: 0, endRow: 100 });
            } finally {
              db.close();
            }
          }),
        );
      }
      record('open to the first grid page (own file, warm), median of 3', ms(percentile(openSamples.slice(1), 50)), '≤ 1 s');

      // `caseboard info`, the whole command (Node.js start included).
      if (existsSync(path.join(root, 'dist', 'cli.cjs'))) {
        const infoSamples: number[] = [];
        let failed = '';
        for (let i = 0; i < 2 && !failed; i += 1) {
          const started = performance.now();
          const run = spawnSync(process.execPath, [cli, 'info', file], { encoding: 'utf8' });
          infoSamples.push(performance.now() - started);
          if (run.status !== 0) failed = `not measured: it failed (is dist/ built from this checkout?): ${run.stderr.trim()}`;
        }
        record('`caseboard info`, whole run, best of 2', failed || ms(Math.min(...infoSamples)), '≤ 1 s');
        if (process.env.CASEBOARD_SCALE_SKIP_FULL !== '1') {
          const started = performance.now();
          const full = spawnSync(process.execPath, [cli, 'info', file, '--full'], { encoding: 'utf8' });
          record('`caseboard info --full` (integrity check), whole run', `${ms(performance.now() - started)}${full.status === 0 ? '' : ` (exit ${full.status})`}`, 'on request, no goal');
        }
      } else record('`caseboard info`', 'not measured: dist/ is not built', '≤ 1 s');

      const db = openCaseFile(file);
      try {
        // The Overview, first screen: the first call warms the cache.
        const overview: number[] = [];
        for (let i = 0; i < 4; i += 1) overview.push(timed(() => call(db, 'case.overview', {})));
        record('Overview, the first screen, median of 3 warm', ms(percentile(overview.slice(1), 50)), '≤ 200 ms');

        // Grid quick filter: words that match many rows, few rows, and none, in three scripts.
        const words = ['Harbin', 'Trading', 'Ivanova', 'институт', '工业大学', 'LTD 4711', 'Bauman Works 77', 'nothing like this', 'Petrov 12345', '研究院'];
        const quick: number[] = [];
        for (const word of words) for (let i = 0; i < 2; i += 1) quick.push(timed(() => call(db, 'entities.page', { startRow: 0, endRow: 100, quick: word })));
        record(`grid quick filter, p95 of ${quick.length}`, ms(percentile(quick, 95)), '≤ 50 ms');

        // Entity picker / command palette lookup.
        const lookups: number[] = [];
        for (let i = 0; i < 30; i += 1) {
          const e = entityName((i * 33_331) % SCALE);
          const text = i % 3 === 0 ? e.name.slice(0, 6) : i % 3 === 1 ? e.aliases[0] : e.name;
          lookups.push(timed(() => call(db, 'entities.search', { text, limit: 20 })));
        }
        record(`entity picker / palette lookup, p50 of ${lookups.length}`, ms(percentile(lookups, 50)), '≤ 30 ms');

        // A grid page in the middle of the case, default order and by name.
        const middle = Math.floor(SCALE / 2);
        const deep: number[] = [];
        for (let i = 0; i < 10; i += 1) {
          const start = middle + i * 100;
          deep.push(timed(() => call(db, 'entities.page', { startRow: start, endRow: start + 100 })));
          deep.push(timed(() => call(db, 'entities.page', { startRow: start, endRow: start + 100, sort: [{ colId: 'name', sort: 'asc' }] })));
        }
        record(`grid page at row ${middle.toLocaleString('en')}, p95 of ${deep.length}`, ms(percentile(deep, 95)), '≤ 50 ms');

        // Full-text search over the documents.
        const queries = ['turbine', 'sanctions export', 'dual-use procurement', '"export licence"', '发动机', 'поставка', 'semicond', 'customs invoice', 'alloy', 'military cooperation'];
        const search: number[] = [];
        for (const query of queries) for (let i = 0; i < 2; i += 1) search.push(timed(() => call(db, 'search.query', { query, limit: 20 })));
        record(`full-text search, ${DOCUMENTS.toLocaleString('en')} documents, p95 of ${search.length}`, ms(percentile(search, 95)), '≤ 100 ms at 20,000 documents');
      } finally {
        db.close();
      }

      if (existsSync(path.join(root, 'dist', 'cli.cjs'))) {
        const samples: number[] = [];
        let failed = '';
        for (const query of ['turbine', 'Harbin export']) {
          const started = performance.now();
          const run = spawnSync(process.execPath, [cli, 'search', file, query], { encoding: 'utf8' });
          samples.push(performance.now() - started);
          if (run.status !== 0) failed = `not measured: it failed (is dist/ built from this checkout?): ${run.stderr.trim()}`;
        }
        record('`caseboard search`, whole run, worst of 2', failed || ms(Math.max(...samples)), '≤ 1 s');
      }

      record(
        `links CSV import (when the case was built, ${build.builtAt.slice(0, 10)}, load ${build.load})`,
        `${build.linksImportSeconds.toFixed(1)} s for ${SCALE.toLocaleString('en')}${cpuText(build.linksImportCpu)}`,
        at1m ? 'linear: ≤ 10.5× the time for 100,000' : 'the base of the 1M goal (×10.5)',
      );
      for (const d of build.documentsAdded ?? []) record(`${d.count.toLocaleString('en')} documents added to the cached case through the sources import (load ${d.load})`, `${d.seconds.toFixed(1)} s`, 'no goal of its own');
      for (const u of build.upgrades ?? []) record(`upgrade of the case from schema ${u.from} to ${u.to}, by opening it (load ${u.load})`, `${u.seconds.toFixed(1)} s`, 'no goal of its own');
      record(`entities CSV import (when built), with ${(2 * SCALE).toLocaleString('en')} aliases`, `${build.entitiesImportSeconds.toFixed(1)} s${cpuText(build.entitiesImportCpu)}`, 'no goal of its own');

      if (process.env.CASEBOARD_SCALE_SKIP_RATIO !== '1') record('entities CSV import vs bare insert, same run', importRatioRow(Math.min(SCALE, Number(process.env.CASEBOARD_SCALE_RATIO_ROWS ?? SCALE))), '≥ 0.6');
    },
    once,
  );
});

/** The table's row for importRatio: the import against the bare insert of `count` rows, with both times. */
function importRatioRow(count: number): string {
  const { bareMs, importMs } = importRatio(count);
  return `${(bareMs / importMs).toFixed(2)} (${count.toLocaleString('en')} rows: bare ${ms(bareMs)}, import ${ms(importMs)})`;
}
