import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { getCaseDetails, getCaseInfo, verifyCaseFile } from '../../db/core/case-info';
import { runSteps } from '../../db/core/private-files';
import { createSource } from '../../db/evidence/sources';
import { runCaseOperation } from '../../db/host/operations';
import { checkCaseFile, readReceivedCaseSteps } from '../../db/share/share';
import type { Progress } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import { changeSetOf } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const open: CaseDb[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  while (open.length) {
    const db = open.pop();
    if (db?.open) db.close();
  }
});

function keep(db: CaseDb): CaseDb {
  open.push(db);
  return db;
}

/** A closed case file with `sources` sources, long enough to span many pages. */
function caseWithSources(sources: number): string {
  const file = path.join(tempDir(), 'own.caseboard');
  const db = createCaseFile(file, { title: 'Harbin Institute of Technology', marking: null });
  db.transaction(() => {
    for (let i = 0; i < sources; i += 1) {
      createSource(db, changeSetOf(db, 'tester'), {
        kind: 'report',
        title: `Report ${i}: Bauman Moscow State Technical University and 哈尔滨工业大学`,
        url: `https://example.org/reports/${i}`,
        publisher: 'Radio Free Europe/Radio Liberty',
        authors: ['Bethany Allen'],
        publishedDate: '2024',
        accessedAt: null,
        language: 'en',
        reliability: 'B',
        notes: `Cooperation note ${i} `.repeat(40),
      });
    }
  })();
  db.close();
  return file;
}

/** Scribbles over a run of pages a third of the way in, where no query made at open reads. */
function damageMiddlePages(file: string): void {
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  const pages = bytes.length / pageSize;
  expect(pages).toBeGreaterThan(40);
  const first = Math.floor(pages / 3);
  for (let p = first; p < first + 10; p += 1) bytes.fill(0xa5, p * pageSize, (p + 1) * pageSize);
  writeFileSync(file, bytes);
}

function pragmaCalls(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.map((call) => String(call[0]));
}

/** Checks over the whole file; `quick_check(case_info)` reads one small table and is not one. */
function wholeFileChecks(spy: { mock: { calls: unknown[][] } }): string[] {
  return pragmaCalls(spy).filter((name) => /^\s*(quick_check|integrity_check)\s*(\(\s*\d*\s*\))?\s*$/.test(name));
}

describe('opening the case', () => {
  it('runs no whole-file quick check or integrity check on open, with or without a write-ahead log beside it', () => {
    const file = caseWithSources(20);
    const spy = vi.spyOn(Database.prototype, 'pragma');
    const db = keep(openCaseFile(file));
    expect(wholeFileChecks(spy)).toEqual([]);
    // Only the one-row case details table is checked whole.
    expect(pragmaCalls(spy).filter((name) => /quick_check|integrity_check/.test(name))).toEqual(['quick_check(case_info)']);
    // Left open with its log, as after a crash; a second connection opens beside the live log.
    db.prepare('UPDATE case_info SET title = ?').run('Renamed while open');
    const second = keep(openCaseFile(file));
    expect(getCaseDetails(second).title).toBe('Renamed while open');
    expect(keep(openCaseFile(file, { readonly: true })).open).toBe(true);
    expect(wholeFileChecks(spy)).toEqual([]);
  });

  it('opens its own file with damaged pages far from the schema, which a check, a merge and Verify still reject', async () => {
    const file = caseWithSources(300);
    damageMiddlePages(file);
    const db = keep(openCaseFile(file));
    expect(getCaseDetails(db).title).toBe('Harbin Institute of Technology');
    expect(getCaseInfo(db).integrity).toBeNull();
    expect(getCaseInfo(db, { full: true }).integrity).not.toBe('ok');
    const verified = verifyCaseFile(db, { progress: () => undefined, throwIfCancelled: () => undefined });
    expect(verified.integrity).not.toBe('ok');
    db.close();

    // `caseboard check` and a merge read a received file, and check every page before anything else.
    expect(() => checkCaseFile(file)).toThrowError(/damaged/);
    expect(() => runSteps(readReceivedCaseSteps(file, undefined, {}, () => 'read'))).toThrowError(/damaged/);
    // Asked for explicitly, the open scans the pages too.
    expect(() => keep(openCaseFile(file, { scanPages: true }))).toThrowError(CaseboardError);
  });

  it('still refuses a file cut short of the page count its header gives, from the header alone', () => {
    const file = caseWithSources(100);
    const size = statSync(file).size;
    truncateSync(file, size - 4096 * 3);
    const spy = vi.spyOn(Database.prototype, 'pragma');
    expect(() => keep(openCaseFile(file))).toThrowError(/shorter than its header says/);
    // Refused before SQLite opened it.
    expect(spy).not.toHaveBeenCalled();
  });

  it('opens a case killed in the middle of a checkpoint: its first page counts pages only the write-ahead log beside it holds yet', () => {
    const folder = tempDir();
    const live = path.join(folder, 'live.caseboard');
    const db = keep(createCaseFile(live, { title: 'Checkpointed halfway', marking: null }));
    db.pragma('wal_autocheckpoint = 0');
    db.transaction(() => {
      for (let i = 0; i < 200; i += 1) {
        createSource(db, changeSetOf(db, 'tester'), {
          kind: 'report',
          title: `Report ${i}`,
          url: null,
          publisher: null,
          authors: [],
          publishedDate: null,
          accessedAt: null,
          language: 'en',
          reliability: 'B',
          notes: `Note ${i} `.repeat(60),
        });
      }
    })();
    const pages = db.pragma('page_count', { simple: true }) as number;
    // What a SIGKILL during the checkpoint leaves: the main file as it was, but its first page already written
    // with the new page count; every page the file still lacks is in the log.
    const crashed = path.join(folder, 'crashed.caseboard');
    const main = readFileSync(live);
    expect(main.length).toBeLessThan(pages * 4096);
    main.writeUInt32BE(pages, 28);
    writeFileSync(crashed, main);
    writeFileSync(`${crashed}-wal`, readFileSync(`${live}-wal`));
    db.close();

    const reopened = keep(openCaseFile(crashed));
    expect(reopened.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(200);
    expect(getCaseInfo(reopened, { full: true }).integrity).toBe('ok');
    reopened.close();

    // Without the log, the same first page over a short file is a file cut off.
    const alone = path.join(folder, 'alone.caseboard');
    writeFileSync(alone, main);
    expect(() => keep(openCaseFile(alone))).toThrowError(/shorter than its header says/);
  });

  it('a healthy file passes the check a received file gets', () => {
    const file = caseWithSources(30);
    expect(checkCaseFile(file)).toMatchObject({ integrity: 'ok', foreignKeyProblems: 0 });
  });
});

describe('Verify case file', () => {
  it('checks every table with progress, and reports a healthy case as ok', () => {
    const file = caseWithSources(30);
    const db = keep(openCaseFile(file));
    const progress: Progress[] = [];
    const report = runCaseOperation(db, 'case.verify', {}, { actor: 'tester', progress: (p) => progress.push(p), throwIfCancelled: () => undefined });
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql LIKE 'CREATE TABLE%'").get() as { n: number }).n;
    expect(report).toEqual({ integrity: 'ok', tables, foreignKeyProblems: 0 });
    expect(progress.length).toBeGreaterThan(tables);
    expect(progress.at(-1)).toMatchObject({ done: tables + 1, total: tables + 1 });
    expect(progress.some((p) => /Checking sources \(\d+ of \d+\)/.test(p.message ?? ''))).toBe(true);
    // Reading only: nothing was written.
    expect(db.prepare('SELECT count(*) AS n FROM change_sets').get()).toEqual({ n: 30 });
  });

  it('stops between tables when cancelled', () => {
    const db = keep(openCaseFile(caseWithSources(5)));
    let steps = 0;
    const cancelAfterThree = () => {
      steps += 1;
      if (steps > 3) throw new CaseboardError('cancelled', 'The operation was cancelled; the case file was left as it was.');
    };
    expect(() => runCaseOperation(db, 'case.verify', {}, { actor: 'tester', progress: () => undefined, throwIfCancelled: cancelAfterThree })).toThrowError(/cancelled/);
    expect(steps).toBe(4);
  });

  it('`case.info` counts without the integrity check unless asked', () => {
    const db = keep(openCaseFile(caseWithSources(3)));
    const spy = vi.spyOn(Database.prototype, 'pragma');
    expect(runCaseOperation(db, 'case.info', {}, { actor: 'tester', progress: () => undefined, throwIfCancelled: () => undefined })).toMatchObject({ integrity: null, counts: { sources: 3 } });
    expect(pragmaCalls(spy).filter((name) => name.includes('integrity_check'))).toEqual([]);
    expect(runCaseOperation(db, 'case.info', { full: true }, { actor: 'tester', progress: () => undefined, throwIfCancelled: () => undefined })).toMatchObject({ integrity: 'ok' });
  });
});
