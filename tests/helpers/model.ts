import path from 'node:path';
import { afterEach } from 'vitest';
import { createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { newId, now } from '../../db/core/clock';
import { startChangeSet, type ChangeSet } from '../../db/core/journal';
import { runCaseOperation, type CaseOperationName, type OperationContext } from '../../db/host/operations';
import { createSource } from '../../db/evidence/sources';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { ReliabilityGrade } from '../../shared/schemas';
import { parseOperationInput } from '../../shared/validate';
import { tempDir } from './temp';

const opened: CaseDb[] = [];
afterEach(() => {
  while (opened.length) {
    const db = opened.pop();
    if (db?.open) db.close();
  }
});

/** A real case file in a temporary folder, closed after the test. */
export function newCase(name = 'model.caseboard'): { db: CaseDb; file: string } {
  const file = path.join(tempDir(), name);
  const db = createCaseFile(file, { title: 'Defence universities and Russia' });
  opened.push(db);
  return { db, file };
}

/** Closes and reopens a case file, as after a restart. */
export function reopen(db: CaseDb): CaseDb {
  const file = db.name;
  db.close();
  const next = openCaseFile(file);
  opened.push(next);
  return next;
}

/** A change set as an operation opens one, for tests that call a repository directly. */
export function changeSetOf(db: CaseDb, actor = 'Analyst One'): ChangeSet {
  return startChangeSet(db, actor, 'A change made by the test');
}

export function context(actor = 'Analyst One'): OperationContext {
  return { actor, progress: () => undefined, throwIfCancelled: () => undefined };
}

/** Runs an operation the way every door does: validated, and in one transaction when it writes. */
export function run<N extends CaseOperationName>(db: CaseDb, name: N, input: OpInput<N>, actor = 'Analyst One'): OpOutput<N> {
  return runCaseOperation(db, name, input, context(actor));
}

export function count(db: CaseDb, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The RFE/RL article of the sample case, graded B. */
export function addSource(db: CaseDb, title = "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows", reliability: ReliabilityGrade = 'B'): string {
  const fields = parseOperationInput('sources.create', { kind: 'article', title, publisher: 'Radio Free Europe/Radio Liberty', reliability });
  return createSource(db, changeSetOf(db), fields).id;
}

/** An excerpt written straight into the table, so these tests do not depend on the evidence operations. */
export function addExcerpt(db: CaseDb, sourceId: string, quote: string, credibility = 2, page: number | null = null): string {
  const id = newId();
  const at = now();
  db.prepare('INSERT INTO excerpts (id, source_id, quote, page, credibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, sourceId, quote, page, credibility, at, at);
  return id;
}

export function areaId(db: CaseDb, name: string): string {
  const row = db.prepare('SELECT id FROM technology_areas WHERE name = ?').get(name) as { id: string } | undefined;
  if (!row) throw new Error(`no area ${name}`);
  return row.id;
}

export const MAI = {
  type: 'organisation' as const,
  subtype: 'university',
  name: 'Moscow Aviation Institute',
  country: 'RU',
  aliases: [{ name: 'MAI' }, { name: 'Московский авиационный институт', language: 'ru' }],
  identifiers: [{ key: 'website', value: 'https://mai.ru' }],
  description: "One of Russia's leading aerospace institutes; leads Russian aircraft-engine research.",
};

export const BEIHANG = {
  type: 'organisation' as const,
  subtype: 'university',
  name: 'Beihang University',
  country: 'CN',
  aliases: [{ name: 'Beijing University of Aeronautics and Astronautics' }, { name: 'BUAA' }, { name: '北京航空航天大学', language: 'zh' }],
  tags: ['Seven Sons'],
};
