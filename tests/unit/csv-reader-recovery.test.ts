import { describe, expect, it } from 'vitest';
import { readCsv, type CsvFault } from '../../db/exchange/csv-reader';
import { runCaseOperation } from '../../db/host/operations';
import { context, newCase } from '../helpers/model';

interface Read {
  records: { line: number; fields: string[]; end: number }[];
  faults: CsvFault[];
}

function read(text: string, limit?: number): Read {
  const out: Read = { records: [], faults: [] };
  readCsv(text, (r, end) => out.records.push({ line: r.line, fields: r.fields, end }), (f) => out.faults.push(f), limit);
  return out;
}

/** The line (1-based) of the text on which `needle` starts. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} is not in the text`);
  return text.slice(0, at).split(/\r\n|\n|\r/).length;
}

/** Progress is reported in characters of the whole text, never going back and never past its end. */
function expectSaneProgress(text: string, records: Read['records']): void {
  const ends = records.map((r) => r.end);
  expect([...ends].sort((a, b) => a - b)).toEqual(ends);
  for (const end of ends) {
    expect(end).toBeGreaterThan(0);
    expect(end).toBeLessThanOrEqual(text.length);
  }
}

const UNCLOSED = /^The row cannot be read as CSV: a quoted field opened on this line is never closed, so the row was skipped\.$/;

function rows(from: number, to: number, quoted = false): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i += 1) out.push(quoted && i % 10 === 0 ? `ent-${i},"Institute ${i}, Harbin",organisation` : `ent-${i},Institute ${i},organisation`);
  return out;
}

describe('a row with a quoted field that is never closed', () => {
  it('is reported on its own line and every later row is still read, when no quote follows it', () => {
    const lines = ['id,name,type', ...rows(0, 500), 'ent-x,"Beihang University,organisation', ...rows(500, 1000)];
    const text = `${lines.join('\n')}\n`;
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 502, message: expect.stringMatching(UNCLOSED) }]);
    expect(records).toHaveLength(1001);
    expect(records.at(-1)).toMatchObject({ line: 1002, fields: ['ent-999', 'Institute 999', 'organisation'], end: text.length });
    // Each row arrives on the line it is written on.
    for (const record of records.slice(1)) expect(record.line).toBe(lineOf(text, `${record.fields[0]},`));
    expectSaneProgress(text, records);
  });

  it('is reported, and the rows after it are read, when later rows hold quoted fields that would close its quote', () => {
    const lines = ['id,name,type', ...rows(0, 500, true), 'ent-x,"Beihang University,organisation', ...rows(500, 1000, true)];
    const text = `${lines.join('\n')}\n`;
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 502, message: expect.stringMatching(UNCLOSED) }]);
    expect(records).toHaveLength(1001);
    expect(records.find((r) => r.fields[0] === 'ent-500')).toEqual({ line: 503, fields: ['ent-500', 'Institute 500, Harbin', 'organisation'], end: expect.any(Number) });
    expect(records.find((r) => r.fields[0] === 'ent-x')).toBeUndefined();
    for (const record of records.slice(1)) expect(record.line).toBe(lineOf(text, `${record.fields[0]},`));
    expectSaneProgress(text, records);
  });

  it('reports each of several broken rows and reads the good rows between and after them', () => {
    const text = [
      'name,type',
      'MAI,organisation',
      '"HIT,organisation',
      'Tsinghua,organisation',
      'Beihang,"university',
      '',
      'BUAA,organisation',
      '"Harbin,organisation',
      'NPU,organisation',
      '',
    ].join('\n');
    const { records, faults } = read(text);
    expect(faults.map((f) => f.line)).toEqual([3, 5, 8]);
    for (const f of faults) expect(f.message).toMatch(UNCLOSED);
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'name'],
      [2, 'MAI'],
      [4, 'Tsinghua'],
      [7, 'BUAA'],
      [9, 'NPU'],
    ]);
    expectSaneProgress(text, records);
  });

  it('is reported when it is the last line, with or without a line end', () => {
    for (const text of ['name,type\nMAI,organisation\nHIT,"organisation', 'name,type\nMAI,organisation\nHIT,"organisation\n', 'name,type\r\nMAI,organisation\r\n"HIT,organisation\r\n\r\n']) {
      const { records, faults } = read(text);
      expect(records.map((r) => r.fields[0])).toEqual(['name', 'MAI']);
      expect(faults).toEqual([{ line: 3, message: expect.stringMatching(UNCLOSED) }]);
    }
  });

  it('leaves quoted fields that rightly span lines as they are, before and after a broken row', () => {
    const text = [
      'name,notes',
      '"Beihang University","joint lab,',
      'opened 2019"',
      'MAI,"says ""hello""',
      '',
      'twice"',
      'HIT,"broken',
      '"Harbin Institute","a ""quoted"" note',
      'on two lines"',
      '"""Quoted"" name',
      'across lines",plain',
      'NPU,last',
    ].join('\n');
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 7, message: expect.stringMatching(UNCLOSED) }]);
    expect(records).toEqual([
      { line: 1, fields: ['name', 'notes'], end: expect.any(Number) },
      { line: 3, fields: ['Beihang University', 'joint lab,\nopened 2019'], end: expect.any(Number) },
      { line: 6, fields: ['MAI', 'says "hello"\n\ntwice'], end: expect.any(Number) },
      { line: 9, fields: ['Harbin Institute', 'a "quoted" note\non two lines'], end: expect.any(Number) },
      { line: 11, fields: ['"Quoted" name\nacross lines', 'plain'], end: expect.any(Number) },
      { line: 12, fields: ['NPU', 'last'], end: text.length },
    ]);
    expectSaneProgress(text, records);
  });

  it('names the line where the quote opened when the row starts lines earlier', () => {
    const text = 'name,notes,type\n"Beihang","two\nlines","organisation\nMAI,x,organisation\n';
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 2, message: 'The row cannot be read as CSV: a quoted field opened on line 3 is never closed, so the row was skipped.' }]);
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'name'],
      [4, 'MAI'],
    ]);
  });

  it('reads CRLF files, counting a line break inside a quoted field once', () => {
    const text = ['name,notes', '"Beihang","first\r\nsecond"', 'HIT,"broken', 'MAI,"a, b"', 'NPU,x', ''].join('\r\n');
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 4, message: expect.stringMatching(UNCLOSED) }]);
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['name', 'notes']],
      [3, ['Beihang', 'first\r\nsecond']],
      [5, ['MAI', 'a, b']],
      [6, ['NPU', 'x']],
    ]);
    expectSaneProgress(text, records);
  });

  it('drops a byte-order mark, also when the first row is the broken one', () => {
    const good = read('\ufeffname,type\n"MAI,organisation\nHIT,organisation\n');
    expect(good.faults).toEqual([{ line: 2, message: expect.stringMatching(UNCLOSED) }]);
    expect(good.records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['name', 'type']],
      [3, ['HIT', 'organisation']],
    ]);
    const header = read('\ufeff"name,type\nMAI,organisation\n');
    expect(header.faults).toEqual([{ line: 1, message: expect.stringMatching(UNCLOSED) }]);
    expect(header.records.map((r) => [r.line, r.fields])).toEqual([[2, ['MAI', 'organisation']]]);
  });

  it('keeps Chinese, Cyrillic and other scripts intact and reports progress in characters of the whole text', () => {
    const before = ['name,aliases', '北京航空航天大学,BUAA;北航', 'Московский авиационный институт,МАИ', 'Lab 🛰️,"Space, 航天"'];
    const after = ['Harbin Institute of Technology,HIT', 'Tsinghua University,THU'];
    const text = `${[...before, '哈尔滨工业大学,"哈工大', ...after].join('\n')}\n`;
    const { records, faults } = read(text);
    expect(faults).toEqual([{ line: 5, message: expect.stringMatching(UNCLOSED) }]);
    expect(records.map((r) => r.fields)).toEqual([...before, ...after].map((line) => (line.startsWith('Lab') ? ['Lab 🛰️', 'Space, 航天'] : line.split(','))));
    expectSaneProgress(text, records);
    // The text after the broken row is plain ASCII, so its rows end exactly where the text says.
    for (const line of after) {
      const record = records.find((r) => r.fields[0] === line.split(',')[0]);
      expect(record?.end).toBe(text.indexOf(line) + line.length + 1);
    }
  });

  it('reads no more records than asked for, counting across the broken rows', () => {
    const text = 'a\nb\n"c\nd\n"e\nf\ng\n';
    const four = read(text, 4);
    expect(four.records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [4, 'd'],
      [6, 'f'],
    ]);
    expect(four.faults.map((f) => f.line)).toEqual([3, 5]);
    const two = read(text, 2);
    expect(two.records.map((r) => r.fields[0])).toEqual(['a', 'b']);
    expect(two.faults).toEqual([]);
  });

  it('still takes a quote inside a field on one line as a character', () => {
    const { records, faults } = read('name,notes\nplain"quote,"closed"early,x\n"a" b,5" screen\n"""Quoted"" name\non two lines",plain"quote\n');
    expect(faults).toEqual([]);
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'notes'],
      ['plain"quote', '"closed"early', 'x'],
      ['"a" b', '5" screen'],
      ['"Quoted" name\non two lines', 'plain"quote'],
    ]);
  });
});

describe('importing a CSV file with a broken row', () => {
  it('imports every good row into the case file and lists the broken row by its line', () => {
    const { db } = newCase();
    const text = [
      'name,type,country',
      'Beihang University,organisation,CN',
      '"Moscow Aviation Institute, MAI",organisation,RU',
      '"Harbin Institute of Technology,organisation,CN',
      '"Tsinghua University",organisation,CN',
      'Московский физико-технический институт,organisation,RU',
      '',
    ].join('\r\n');
    const report = runCaseOperation(db, 'exchange.importCsv', { text, kind: 'entities', map: {} }, context('Importer'));
    expect(report).toMatchObject({ total: 5, imported: 4, errors: [{ row: 4, message: expect.stringMatching(UNCLOSED) }], moreErrors: 0 });
    const names = db.prepare('SELECT name, country FROM entities ORDER BY name').all();
    expect(names).toEqual([
      { name: 'Beihang University', country: 'CN' },
      { name: 'Moscow Aviation Institute, MAI', country: 'RU' },
      { name: 'Tsinghua University', country: 'CN' },
      { name: 'Московский физико-технический институт', country: 'RU' },
    ]);
  });

  it('shows the rows after a broken row in the preview', () => {
    const { db } = newCase();
    const preview = runCaseOperation(db, 'exchange.previewCsv', { text: 'name,type\n"MAI,organisation\nHIT,organisation\n', kind: 'entities', rows: 5 }, context('Importer'));
    expect(preview.rows).toEqual([['HIT', 'organisation']]);
  });
});
