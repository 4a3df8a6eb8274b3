import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { contentDigest } from '../helpers/content-digest';
import { cliPath, repoRoot, tempDir } from '../helpers/temp';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function caseboard(args: string[]): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-'), CASEBOARD_DEBUG: '' }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function newCaseFile(): { dir: string; file: string } {
  const dir = tempDir('caseboard-csv-cli-');
  const file = path.join(dir, 'case.caseboard');
  expect(caseboard(['new', file, '--title', 'Defence universities']).code).toBe(0);
  return { dir, file };
}

function entityCount(file: string): number {
  const db = openCaseFile(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM entities').pluck().get() as number;
  } finally {
    db.close();
  }
}

const UNIVERSITIES = path.join(repoRoot, 'tests/fixtures/universities.csv');
const MAP = ['--map', 'Name=name', '--map', 'Native name=alias', '--map', 'Abbreviation=alias', '--map', 'Country=country', '--map', 'Type=type', '--map', 'Tech focus=areas', '--map', 'Notes=notes'];

describe('caseboard import --format csv', () => {
  it('imports the universities spreadsheet, reports the ragged row and the unmapped column, exits 3, and a second run changes nothing', () => {
    const { file } = newCaseFile();
    const run = caseboard(['import', file, UNIVERSITIES, '--format', 'csv', '--kind', 'entities', ...MAP]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('imported 15 entities from 16 rows; 1 row not imported (listed below).');
    expect(run.stdout).toContain('The file was read as utf-8, comma-separated (both detected).');
    expect(run.stdout).toContain('Columns not imported (mapped to no field): "Website".');
    expect(run.stderr).toMatch(/universities\.csv line 16: The row has 9 cells but the header has 8 columns/);
    expect(entityCount(file)).toBe(15);

    const db = openCaseFile(file, { readonly: true });
    const before = contentDigest(db);
    db.close();
    const again = caseboard(['import', file, UNIVERSITIES, '--format', 'csv', '--kind', 'entities', ...MAP, '--json']);
    const [outcome] = JSON.parse(again.stdout) as { committed: boolean; report: { imported: number; matched: { skipped: number } } }[];
    expect(outcome).toMatchObject({ committed: true, report: { imported: 0, matched: { skipped: 15 } } });
    const after = openCaseFile(file, { readonly: true });
    expect(contentDigest(after)).toBe(before);
    after.close();
  }, 120_000);

  it('reads a cp1251 file with semicolons and says how it read it; --encoding and --delimiter override', () => {
    const { dir, file } = newCaseFile();
    const csv = path.join(dir, 'вузы.csv');
    writeFileSync(csv, iconv.encode('Название;Страна;Сокращение\r\nМосковский авиационный институт;Россия;МАИ\r\nХарбинский политехнический университет;Китай;ХПИ\r\n', 'win1251'));
    const run = caseboard(['import', file, csv, '--format', 'csv', '--kind', 'entities', '--map', 'Название=name', '--map', 'Страна=country', '--map', 'Сокращение=alias']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('imported 2 entities from 2 rows.');
    expect(run.stdout).toContain('read as windows-1251, semicolon-separated (both detected)');
    const db = openCaseFile(file, { readonly: true });
    expect(db.prepare('SELECT name, country FROM entities ORDER BY name').all()).toEqual([
      { name: 'Московский авиационный институт', country: 'RU' },
      { name: 'Харбинский политехнический университет', country: 'CN' },
    ]);
    db.close();
    const bad = caseboard(['import', file, csv, '--format', 'csv', '--kind', 'entities', '--delimiter', 'colon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the delimiter must be one of comma, semicolon, tab, pipe/);
  }, 120_000);

  it('commits the first of two files when the second has a broken row, and says which files were committed', () => {
    const { dir, file } = newCaseFile();
    const first = path.join(dir, 'first.csv');
    const second = path.join(dir, 'second.csv');
    writeFileSync(first, 'name,country\nBeihang University,China\nMoscow Aviation Institute,Russia\n');
    writeFileSync(second, 'name,country\nHarbin Institute of Technology,China\nNarnia Institute,Narnia\n');
    const run = caseboard(['import', file, first, second, '--format', 'csv', '--kind', 'entities']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`Committed to the case: ${first}, ${second}.`);
    expect(run.stderr).toContain(`${second} line 3: The country "Narnia" is not a country Caseboard knows`);
    expect(entityCount(file)).toBe(3);
    // A retry after fixing the second file adds only what is new.
    writeFileSync(second, 'name,country\nHarbin Institute of Technology,China\nNarnia Institute,\n');
    const retry = caseboard(['import', file, first, second, '--format', 'csv', '--kind', 'entities']);
    expect(retry.code).toBe(0);
    expect(entityCount(file)).toBe(4);
  }, 120_000);

  it('commits the first file and nothing of a second file that cannot be parsed, exit 3', () => {
    const { dir, file } = newCaseFile();
    const first = path.join(dir, 'first.csv');
    const second = path.join(dir, 'second.csv');
    writeFileSync(first, 'name,country\nBeihang University,CN\n');
    writeFileSync(second, 'Institution|Land\nHIT|China\n');
    const run = caseboard(['import', file, first, second, path.join(dir, 'missing.csv'), '--format', 'csv', '--kind', 'entities']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`Committed to the case: ${first}. Not imported: ${second}, ${path.join(dir, 'missing.csv')}.`);
    expect(run.stderr).toContain(`${second} was not imported; nothing of it is in the case: No column is mapped to name, which entities cannot be imported without. The file's columns are "Institution", "Land" (read as utf-8, pipe-separated (both detected)); the fields they can map to are id, name, type`);
    expect(run.stderr).toContain('missing.csv was not imported; nothing of it is in the case: the file cannot be read.');
    expect(entityCount(file)).toBe(1);
    expect(readFileSync(first, 'utf8')).toContain('Beihang');
  }, 120_000);
});
