import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile } from '../../db/core/case-file';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import type { MergePlan } from '../../shared/ops/merge';
import { context } from '../helpers/model';
import { cliPath, tempDir } from '../helpers/temp';

function caseboard(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-'), CASEBOARD_DEBUG: '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function copies() {
  const dir = tempDir();
  const base = path.join(dir, 'base.caseboard');
  const db = createSampleCase(base);
  db.pragma('journal_mode = DELETE');
  db.close();
  const mine = path.join(dir, 'mine.caseboard');
  const theirs = path.join(dir, 'theirs.caseboard');
  copyFileSync(base, mine);
  copyFileSync(base, theirs);
  const other = openCaseFile(theirs);
  const id = other.prepare("SELECT id FROM entities WHERE name = 'Vladimir Putin'").pluck().get() as string;
  const entity = runCaseOperation(other, 'entities.get', { id }, context('Boris'));
  runCaseOperation(other, 'entities.update', { id, fields: { ...entity, description: 'President of Russia.' } }, context('Boris'));
  runCaseOperation(other, 'entities.create', { fields: { type: 'organisation', name: 'Tomsk Polytechnic University', country: 'RU' } }, context('Boris'));
  other.pragma('journal_mode = DELETE');
  other.close();
  return { dir, mine, theirs };
}

describe('caseboard merge', () => {
  it('prints the plan as JSON on a dry run and changes nothing', () => {
    const { mine, theirs } = copies();
    const before = sha256(mine);
    const run = caseboard(['merge', mine, theirs, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as MergePlan;
    expect(plan).toMatchObject({ applied: false, conflicts: [] });
    expect(plan.counts.entities).toEqual({ added: 1, updated: 1, deleted: 0 });
    expect(sha256(mine)).toBe(before);
  });

  it('merges, and refuses files that are not case files with exit code 2 and usage errors with 1', () => {
    const { dir, mine, theirs } = copies();
    const run = caseboard(['merge', mine, theirs]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Merged theirs\.caseboard/);
    const db = openCaseFile(mine, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM entities WHERE name = 'Tomsk Polytechnic University'").pluck().get()).toBe(1);
    db.close();
    const junk = path.join(dir, 'junk.caseboard');
    writeFileSync(junk, 'not a case file at all'.repeat(100));
    const before = sha256(mine);
    const refused = caseboard(['merge', mine, junk]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^caseboard: junk\.caseboard is not a Caseboard case file/);
    expect(sha256(mine)).toBe(before);
    expect(caseboard(['merge', mine]).code).toBe(1);
  }, 120_000);
});

describe('caseboard merge of another case altogether', () => {
  it('warns on standard error that the file looks like another case, merges as before with exit 0, and counts in good English', () => {
    const { dir, mine, theirs } = copies();
    const other = path.join(dir, 'other.caseboard');
    const db = createCaseFile(other, { title: 'Arctic shipping' });
    runCaseOperation(db, 'entities.create', { fields: { type: 'organisation', name: 'Rosatom', country: 'RU' } }, context('Carol'));
    db.pragma('journal_mode = DELETE');
    db.close();
    const dry = caseboard(['merge', mine, other, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/^caseboard: warning: other\.caseboard \("Arctic shipping"\) looks like another case: it shares no item and no history with this one and has another title\. Its items would be added/);
    expect(dry.stdout).toContain('1 entity added');
    const merged = caseboard(['merge', mine, other, '--json']);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain('looks like another case');
    expect((JSON.parse(merged.stdout) as MergePlan).unrelated).toBe(true);
    // A copy of the same case is no cause for a warning.
    const copy = caseboard(['merge', mine, theirs, '--dry-run']);
    expect(copy.stderr).toBe('');
    expect(copy.stdout).toContain('1 entity added, 1 entity updated');
    expect(copy.stdout).not.toMatch(/\b1 (entities|sources|links)\b/);
  }, 120_000);

  it('says a conflict would be kept on a dry run, and was kept after the merge', () => {
    const { mine, theirs } = copies();
    const db = openCaseFile(mine);
    const id = db.prepare("SELECT id FROM entities WHERE name = 'Vladimir Putin'").pluck().get() as string;
    const entity = runCaseOperation(db, 'entities.get', { id }, context('Alice'));
    runCaseOperation(db, 'entities.update', { id, fields: { ...entity, description: 'Alice says otherwise.' } }, context('Alice'));
    db.pragma('journal_mode = DELETE');
    db.close();
    const dry = caseboard(['merge', mine, theirs, '--dry-run']);
    expect(dry.stdout).toContain("1 conflict; this case's version would be kept");
    const merged = caseboard(['merge', mine, theirs]);
    expect(merged.stdout).toContain("1 conflict; this case's version was kept");
    expect(merged.stdout).not.toContain('was would');
  }, 120_000);
});

describe('caseboard import and export in exchange formats', () => {
  it('imports CSV with --map, reporting bad rows by line', () => {
    const { dir, mine } = copies();
    const csv = path.join(dir, 'people.csv');
    writeFileSync(csv, 'Full name,Land\nBethany Allen (2),AU\n,RU\n');
    const imported = caseboard(['import', mine, csv, '--format', 'csv', '--kind', 'entities', '--map', 'Full name=name', '--map', 'Land=country']);
    expect(imported.code).toBe(3);
    expect(imported.stdout).toContain('imported 1 entity from 2 rows; 1 row not imported');
    expect(imported.stderr).toContain('line 3: The name is missing.');
    expect(caseboard(['import', mine, csv, '--format', 'xml']).code).toBe(1);
    expect(caseboard(['import', mine, csv, '--format', 'csv']).code).toBe(1);
  }, 120_000);

  it('exports csv, ftm, gexf, graphml and an encrypted case file', () => {
    const { dir, mine } = copies();
    for (const format of ['csv', 'ftm', 'gexf', 'graphml']) {
      const out = path.join(dir, `out.${format}`);
      const run = caseboard(['export', mine, out, '--format', format, ...(format === 'csv' ? ['--kind', 'links'] : [])]);
      expect(run.code).toBe(0);
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(100);
    }
    const pass = path.join(dir, 'pass.txt');
    writeFileSync(pass, 'a long enough passphrase\n');
    const sealed = path.join(dir, 'sealed.caseboard');
    const exported = caseboard(['export', mine, sealed, '--format', 'case', '--encrypt', '--passphrase-file', pass, '--no-notes']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('(encrypted)');
    expect(caseboard(['check', sealed, '--passphrase-file', pass]).code).toBe(0);
  }, 120_000);
});
