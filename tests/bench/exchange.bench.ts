import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import { newId, now } from '../../db/core/clock';
import { inChangeSet } from '../../db/core/journal';
import { importCsv } from '../../db/exchange/csv';
import { nameKey } from '../../shared/name-key';

// 1,000,000 entity rows: names in three scripts, a type, a country and a description, as a CSV export from another tool would hold.
// Both sides write into a fresh case file with the schema's own indexes and triggers on entities.
const ROWS = Number(process.env.CASEBOARD_BENCH_ROWS ?? 1_000_000);
const SCRIPTS = ['Institute of Aero-Engines', 'Московский институт', '航空发动机研究院'];
const rows: [string, string, string, string][] = [];
for (let i = 0; i < ROWS; i += 1) rows.push([`${SCRIPTS[i % 3] ?? ''} ${i}`, i % 5 === 0 ? 'person' : 'organisation', i % 2 ? 'CN' : 'RU', `Generated row ${i}`]);
const csv = `name,type,country,description\n${rows.map((r) => r.join(',')).join('\n')}\n`;

const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-'));
let n = 0;
function freshCase(): CaseDb {
  n += 1;
  return createCaseFile(path.join(folder, `bench-${n}.caseboard`), { title: 'Import benchmark' });
}

const rates: Record<string, number> = {};

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  const bare = rates['bare insert'];
  const imported = rates['CSV import'];
  if (bare && imported) console.log(`CSV import runs at ${(imported / bare).toFixed(2)} of the bare insert rate (the spec asks for at least 0.5).`);
});

// Each side runs exactly once: a million rows are their own warm-up. (The functions are async so that
// the runner does not call them once more beforehand to find out whether they are.)
const options = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };

function report(label: string, ms: number): void {
  rates[label] = ROWS / (ms / 1000);
  console.log(`${label}: ${ROWS} rows in ${(ms / 1000).toFixed(1)} s = ${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`);
}

describe(`${ROWS} entity rows`, () => {
  bench(
    'bare prepared-statement insert of the same rows, values computed beforehand',
    async () => {
      const db = freshCase();
      const at = now();
      const values = rows.map(([name, type, country, description]) => [newId(), type, name, nameKey(name), country, description, '[]', at, at]);
      const insert = db.prepare('INSERT INTO entities (id, type, subtype, name, name_key, country, description, notes, tags, confidence, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)');
      const started = performance.now();
      db.transaction(() => {
        for (const v of values) insert.run(...v);
      }).immediate();
      report('bare insert', performance.now() - started);
      db.close();
      await Promise.resolve();
    },
    options,
  );

  bench(
    'CSV import (parse, map, validate, name keys, new IDs, insert, undo journal, audit event)',
    async () => {
      const db = freshCase();
      const started = performance.now();
      const result = db.transaction(() => inChangeSet(db, 'bench', 'CSV import', (changes) => importCsv(db, csv, 'entities', {}, { changes }))).immediate();
      report('CSV import', performance.now() - started);
      if (result.imported !== ROWS) throw new Error(`imported ${result.imported} of ${ROWS}`);
      db.close();
      await Promise.resolve();
    },
    options,
  );
});
