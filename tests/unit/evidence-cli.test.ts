import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../shared/evidence';
import { launchBrowser } from '../helpers/browser';
import { makeEvidenceFiles, type EvidenceFiles } from '../helpers/evidence-files';
import { cliPath } from '../helpers/temp';

let dir: string;
let files: EvidenceFiles;
let browser: Browser;

function caseboard(...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: path.join(dir, 'home') } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = path.join(os.tmpdir(), `caseboard-cli-evidence-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  browser = await launchBrowser();
  files = await makeEvidenceFiles(browser, dir);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('caseboard import and search', () => {
  it('imports each file as a source, skips duplicates, and searches in every script', () => {
    const caseFile = path.join(dir, 'cli.caseboard');
    expect(caseboard('new', caseFile).code).toBe(0);
    const imported = caseboard('import', caseFile, files.report, files.html, files.corruptPdf);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported');
    expect(imported.stdout).toContain('as the source "Joint research of defence universities" (application/pdf');
    expect(imported.stdout).toContain('No text could be extracted: the PDF is damaged or not a valid PDF.');

    const again = caseboard('import', caseFile, files.report);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Skipped');
    expect(again.stdout).toContain('is already in the case');

    const info = JSON.parse(caseboard('info', caseFile, '--json').stdout) as { counts: { sources: number; attachments: number } };
    expect(info.counts).toMatchObject({ sources: 3, attachments: 3 });

    for (const [query, page] of [['北航', 1], ['Beihang', 2], ['Бауман', 3]] as const) {
      const found = caseboard('search', caseFile, query, '--json');
      expect(found.code).toBe(0);
      const result = JSON.parse(found.stdout) as SearchResult;
      expect(result.hits.some((h) => h.field === 'page' && h.page === page && h.attachmentName === 'defence-universities.pdf')).toBe(true);
    }
    const text = caseboard('search', caseFile, 'Бауман');
    expect(text.stdout).toMatch(/1\. attachment \(F\) Joint research of defence universities — defence-universities\.pdf, page 3/);
    expect(text.stdout).toContain('[Баумана]');
    expect(caseboard('search', caseFile, 'nothing-like-this').stdout).toBe('No matches.\n');
    expect(JSON.parse(caseboard('search', caseFile, 'Beihang', '--json', '--kind', 'excerpt').stdout)).toEqual({ hits: [], total: 0, items: [] });
  }, 60_000);

  it('keeps to its exit codes: 1 for usage, 2 for a file that is not a case, 3 when a file could not be imported', () => {
    const caseFile = path.join(dir, 'codes.caseboard');
    caseboard('new', caseFile);
    expect(caseboard('import', caseFile).code).toBe(1);
    expect(caseboard('search', caseFile).code).toBe(1);
    expect(caseboard('search', caseFile, '   ').code).toBe(1);
    expect(caseboard('search', caseFile, 'x', '--kind', 'person').code).toBe(1);
    const notACase = path.join(dir, 'not-a-case.caseboard');
    writeFileSync(notACase, 'hello');
    expect(caseboard('import', notACase, files.text).code).toBe(2);
    expect(caseboard('search', notACase, 'x').code).toBe(2);
    const partly = caseboard('import', caseFile, path.join(dir, 'missing.pdf'), files.text);
    expect(partly.code).toBe(3);
    expect(partly.stderr).toContain('missing.pdf was not imported: missing.pdf does not exist.');
    expect(partly.stdout).toContain('Imported');
    expect(JSON.parse(caseboard('info', caseFile, '--json').stdout).counts.sources).toBe(1);
  }, 60_000);
});
