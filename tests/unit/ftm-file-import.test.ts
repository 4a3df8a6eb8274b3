import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, forEachFtmLine, type FtmSource } from '../../db/exchange/ftm-lines';
import { runCaseOperation } from '../../db/host/operations';
import { ftmDataSet, ftmWritten } from '../helpers/ftm-data-set';
import { context, count, newCase } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'opensanctions-stc.ftm.json');

function lines(source: FtmSource, options?: { chunkBytes?: number; maxLineBytes?: number }, wanted: ((line: number) => boolean) | null = null): [string, number][] {
  const seen: [string, number][] = [];
  forEachFtmLine(source, wanted, (text, line) => seen.push([text, line]), options);
  return seen;
}

describe('FollowTheMoney files read a piece at a time', () => {
  it('reads the same lines from a file as from its text, across pieces, with CR LF ends, a byte order mark and characters split between pieces', () => {
    const text = ['{"a": "ООО Волга"}', '', 'x'.repeat(5000), '{"b": "哈尔滨航空"}', 'é'.repeat(3001), 'last line without an end'].join('\r\n');
    const file = path.join(tempDir(), 'lines.ftm.json');
    writeFileSync(file, `\uFEFF${text}`);
    const expected = lines({ text });
    expect(expected.map(([, line]) => line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(expected[0]?.[0]).toBe('{"a": "ООО Волга"}');
    // Pieces of 7 and 4,096 bytes split the two-byte and three-byte characters and the long lines.
    for (const chunkBytes of [7, 4096, 1 << 20]) expect(lines({ path: file }, { chunkBytes })).toEqual(expected);
    expect(lines({ text: `\uFEFF${text}` })).toEqual(expected);
    expect(lines({ path: file }, { chunkBytes: 7 }, (line) => line % 2 === 0)).toEqual(expected.filter(([, line]) => line % 2 === 0));
  });

  it('refuses a file whose line is longer than any item, saying which line', () => {
    const file = path.join(tempDir(), 'one-line.json');
    writeFileSync(file, `{"id": "a", "schema": "Company"}\n[${'1,'.repeat(3000)}1]\n`);
    expect(() => lines({ path: file }, { chunkBytes: 1024, maxLineBytes: 4096 })).toThrow(/Line 2 of one-line\.json is longer than .* one item on each line/);
    expect(lines({ path: file }, { chunkBytes: 1024, maxLineBytes: 8192 })).toHaveLength(2);
  });

  it('imports a file of several pieces as it imports the same text: entities first, then the links and sanctions that name entities further down', () => {
    const text = ftmDataSet(24_000, { windows: true, broken: true });
    const folder = tempDir();
    const file = path.join(folder, 'opensanctions.ftm.json');
    writeFileSync(file, text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(CHUNK_BYTES);
    const fromFile = newCase('file.caseboard').db;
    const fromText = newCase('text.caseboard').db;
    const byFile = runCaseOperation(fromFile, 'exchange.importFtm', { path: file }, context());
    const byText = runCaseOperation(fromText, 'exchange.importFtm', { text }, context());
    expect(byFile).toEqual(byText);
    expect(byFile.errors).toEqual([{ row: 8, message: 'The line is not valid JSON.' }]);
    expect(byFile.total).toBe(24_000 + 12_000 + 480 + 1);
    expect(byFile.imported).toBe(byFile.total - 1);
    expect(ftmWritten(fromFile)).toEqual(ftmWritten(fromText));
    expect(count(fromFile, 'links')).toBe(12_000);
    expect(count(fromFile, 'sanctions')).toBe(480);

    const fixture = readFileSync(FIXTURE, 'utf8');
    const fixtureFile = path.join(folder, 'stc.ftm.json');
    writeFileSync(fixtureFile, fixture);
    const a = newCase('fixture-file.caseboard').db;
    const b = newCase('fixture-text.caseboard').db;
    expect(runCaseOperation(a, 'exchange.importFtm', { path: fixtureFile }, context())).toEqual(runCaseOperation(b, 'exchange.importFtm', { text: fixture }, context()));
    expect(ftmWritten(a)).toEqual(ftmWritten(b));
  });

  it('imports nothing from a file that changes while it is read, and says so', () => {
    const file = path.join(tempDir(), 'growing.ftm.json');
    writeFileSync(file, ftmDataSet(12_000, { windows: true, broken: true }));
    const { db } = newCase();
    const changeSets = count(db, 'change_sets');
    let appended = false;
    const ctx = {
      ...context(),
      progress: () => {
        if (appended) return;
        appended = true;
        appendFileSync(file, `${JSON.stringify({ id: 'late', schema: 'Company', properties: { name: ['Written meanwhile'] } })}\n`);
      },
    };
    expect(() => runCaseOperation(db, 'exchange.importFtm', { path: file }, ctx)).toThrow(/growing\.ftm\.json changed while it was being imported, so nothing was imported/);
    expect(appended).toBe(true);
    expect(count(db, 'entities')).toBe(0);
    expect(count(db, 'change_sets')).toBe(changeSets);
  });

  it('says a file that is not there cannot be read', () => {
    const { db } = newCase();
    expect(() => runCaseOperation(db, 'exchange.importFtm', { path: path.join(tempDir(), 'missing.ftm.json') }, context())).toThrow(/missing\.ftm\.json cannot be read/);
  });
});
