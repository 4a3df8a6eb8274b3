import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../../db/core/case-file';
import { runCaseOperation, runParsedCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { parseOperationInput } from '../../shared/validate';
import { tempDir } from '../helpers/temp';

const ctx = { actor: 'Ana', progress: () => undefined, throwIfCancelled: () => undefined };
let open: CaseDb | null = null;

function sampleCase(): CaseDb {
  open = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
  return open;
}

afterEach(() => {
  open?.close();
  open = null;
});

describe('operations run with the input their door parsed', () => {
  it('a parsed input crosses to a database thread as it is: a structured copy runs the same', () => {
    const db = sampleCase();
    const parsed = parseOperationInput('entities.page', { startRow: 0, endRow: 5, quick: '  university ' });
    const copied = structuredClone(parsed);
    expect(copied).toEqual(parsed);
    expect(runParsedCaseOperation(db, 'entities.page', copied, ctx)).toEqual(runCaseOperation(db, 'entities.page', { startRow: 0, endRow: 5, quick: '  university ' }, ctx));
  });

  it('runs the value as the door parsed it (text trimmed, defaults filled); the door refuses what the contract refuses', () => {
    const db = sampleCase();
    const parsed = parseOperationInput('search.query', { query: '  Beihang  ' });
    expect(parsed.query).toBe('Beihang');
    expect(runParsedCaseOperation(db, 'search.query', parsed, ctx).total).toBeGreaterThan(0);
    // The door's own check refuses what the contract refuses.
    expect(() => runCaseOperation(db, 'search.query', { query: '   ' }, ctx)).toThrow('Type something to search for.');
  });
});

describe('a report narrowed to technology areas', () => {
  it('keeps the entities of those areas only, and says so in its scope', () => {
    const db = sampleCase();
    const areas = runCaseOperation(db, 'areas.list', {}, ctx);
    const area = areas.find((a) => a.name.toLowerCase() === 'aerospace and aeronautics');
    if (!area) throw new Error('The sample case has no aerospace area.');
    const details = runCaseOperation(db, 'case.get', {}, ctx);
    const fields = { name: 'Briefing', title: details.title };
    const whole = runCaseOperation(db, 'reports.preview', { fields }, ctx).html;
    const narrowed = runCaseOperation(db, 'reports.preview', { fields, areaIds: [area.id] }, ctx).html;
    expect(narrowed).toContain(area.name);
    expect(whole).not.toContain(`>${area.name}<`);
    expect(narrowed.length).toBeLessThan(whole.length);
  });
});
