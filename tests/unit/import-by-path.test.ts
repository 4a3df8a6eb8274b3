import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runCaseOperation } from '../../db/host/operations';
import { CaseboardError } from '../../shared/errors';
import { CSV_PREVIEW_BYTES } from '../../shared/ops/exchange';
import { context, newCase } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const ctx = context('Importer');

/** A spreadsheet saved by Russian Excel (windows-1251, semicolons), longer than a preview reads, with rows of a few hundred bytes. */
function russianRegistry(rows: number): Buffer {
  const lines = ['Название;Описание;Тип;Страна'];
  for (let i = 0; i < rows; i += 1) {
    lines.push(`Центральный аэрогидродинамический институт ${i};${'Выписка из реестра юридических лиц, строка для проверки чтения файла. '.repeat(3)}${i};organisation;${i % 2 ? 'Россия' : 'Китай'}`);
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1251');
}

const MAP = { Название: 'name', Тип: 'type', Страна: 'country', Описание: 'description' };

describe('importing a file named by its path, as the import form does for a file on this machine', () => {
  it('checks only the start of a large file, without reporting the line cut short where that start ends', () => {
    const { db } = newCase();
    const bytes = russianRegistry(30_000);
    expect(bytes.length).toBeGreaterThan(CSV_PREVIEW_BYTES * 2);
    // The preview's last byte falls inside a row's description, so a preview that read the cut line as a row would report its cells missing.
    expect(bytes[CSV_PREVIEW_BYTES - 1]).not.toBe(0x0a);
    const cutLine = iconv.decode(bytes.subarray(bytes.lastIndexOf(0x0a, CSV_PREVIEW_BYTES - 1) + 1, CSV_PREVIEW_BYTES), 'win1251');
    expect(cutLine.split(';')).toHaveLength(2);
    const file = path.join(tempDir('caseboard-path-'), 'реестр.csv');
    writeFileSync(file, bytes);

    const preview = runCaseOperation(db, 'exchange.previewCsv', { path: file, kind: 'entities', map: MAP, rows: 3 }, ctx);
    expect(preview).toMatchObject({ encoding: 'windows-1251', encodingDetected: true, delimiter: 'semicolon', partial: true, mappingProblem: null, map: MAP });
    expect(preview.rows.map((r) => r[0])).toEqual(['Центральный аэрогидродинамический институт 0', 'Центральный аэрогидродинамический институт 1', 'Центральный аэрогидродинамический институт 2']);
    expect(preview.check?.errors).toEqual([]);
    const checked = preview.check?.total ?? 0;
    expect(checked).toBeGreaterThan(10_000);
    expect(checked).toBeLessThan(30_000);
    expect(preview.conversions.map((c) => `${c.from} → ${c.to}`).sort()).toEqual(['Китай → CN', 'Россия → RU']);

    // The same start sent by the form: marked as a start, its cut line is left out; sent as a whole file, that line is a row with cells missing.
    const head = bytes.subarray(0, CSV_PREVIEW_BYTES).toString('base64');
    const sentHead = runCaseOperation(db, 'exchange.previewCsv', { base64: head, head: true, kind: 'entities', map: MAP, rows: 3 }, ctx);
    expect(sentHead.check).toEqual(preview.check);
    expect(sentHead.partial).toBe(true);
    const sentWhole = runCaseOperation(db, 'exchange.previewCsv', { base64: head, kind: 'entities', map: MAP, rows: 3 }, ctx);
    expect(sentWhole.check?.total).toBe(checked + 1);
    expect(sentWhole.check?.errors).toEqual([{ row: checked + 2, message: expect.stringMatching(/^The row has \d cells? but the header has 4 columns/) }]);
    expect(db.prepare('SELECT count(*) FROM entities').pluck().get()).toBe(0);
  });

  it('checks a small file whole, and reports a short last row there', () => {
    const { db } = newCase();
    const file = path.join(tempDir('caseboard-path-'), 'short.csv');
    writeFileSync(file, 'name,type,country\nTsAGI,organisation,RU\nCIAM,organisation');
    const preview = runCaseOperation(db, 'exchange.previewCsv', { path: file, kind: 'entities', rows: 5 }, ctx);
    expect(preview.partial).toBe(false);
    expect(preview.check).toMatchObject({ total: 2, imported: 1, errors: [{ row: 3, message: expect.stringMatching(/^The row has 2 cells but the header has 3 columns/) }] });
  });

  it('imports every row of the file, and History names the file', () => {
    const { db } = newCase();
    const folder = tempDir('caseboard-path-');
    const file = path.join(folder, 'реестр.csv');
    writeFileSync(file, russianRegistry(30_000));
    const report = runCaseOperation(db, 'exchange.importCsv', { path: file, kind: 'entities', map: MAP }, ctx);
    expect(report).toMatchObject({ total: 30_000, imported: 30_000, errors: [] });
    expect(db.prepare("SELECT count(*) FROM entities WHERE country = 'RU'").pluck().get()).toBe(15_000);
    expect(runCaseOperation(db, 'history.state', {}, ctx).undo?.summary).toBe('Imported 30000 entities from реестр.csv');

    const ftm = path.join(folder, 'tsagi.ftm.json');
    const lines = [
      { id: 'tsagi', schema: 'Organization', properties: { name: ['Central Aerohydrodynamic Institute'], country: ['ru'] } },
      { id: 's1', schema: 'Sanction', properties: { entity: ['tsagi'], authority: ['Office of Foreign Assets Control'], startDate: ['2022-06-28'] } },
    ];
    writeFileSync(ftm, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect(runCaseOperation(db, 'exchange.importFtm', { path: ftm, listName: 'tsagi.ftm.json' }, ctx)).toMatchObject({ total: 2, imported: 2, errors: [] });
    expect(runCaseOperation(db, 'history.state', {}, ctx).undo?.summary).toBe('Imported 2 FollowTheMoney items from tsagi.ftm.json');
    expect(db.prepare('SELECT list FROM sanctions').pluck().all()).toEqual(['tsagi.ftm.json']);
  });

  it('says which file cannot be read, and changes nothing', () => {
    const { db } = newCase();
    const missing = path.join(tempDir('caseboard-path-'), 'missing.csv');
    for (const name of ['exchange.previewCsv', 'exchange.importCsv'] as const) {
      let thrown: unknown;
      try {
        runCaseOperation(db, name, { path: missing, kind: 'entities', map: { name: 'name' } }, ctx);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CaseboardError);
      expect((thrown as CaseboardError).message).toBe('missing.csv cannot be read.');
    }
    expect(runCaseOperation(db, 'history.state', {}, ctx).undo).toBeNull();
  });
});
