import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFtm } from '../../db/exchange/ftm';
import { runCaseOperation } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import { isPartialDate } from '../../shared/partial-date';
import { context, newCase } from '../helpers/model';
import { tempDir } from '../helpers/temp';

interface ModelProperty {
  name: string;
  type: string;
}
interface ModelSchema {
  extends?: string[];
  abstract?: boolean;
  properties: Record<string, ModelProperty>;
}

/** The FollowTheMoney model as its own package ships it. */
const model = createRequire(import.meta.url)('@alephdata/followthemoney/dist/defaultModel.json') as { schemata: Record<string, ModelSchema> };

/** A schema's properties with those it inherits. */
function propertiesOf(schema: string): Record<string, ModelProperty> {
  const s = model.schemata[schema];
  if (!s) return {};
  return Object.assign({}, ...(s.extends ?? []).map(propertiesOf), s.properties) as Record<string, ModelProperty>;
}

/** FtM dates: a year, year-month or day, optionally with a time. */
const FTM_DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$/;

/** Every problem the model finds in exported lines, as text; an empty list when all is valid. */
function problems(text: string): string[] {
  const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, unknown> });
  const ids = new Set(lines.map((l) => l.id));
  const found: string[] = [];
  for (const line of lines) {
    const schema = model.schemata[line.schema];
    if (!schema) {
      found.push(`${line.id}: no schema ${line.schema}`);
      continue;
    }
    if (schema.abstract) found.push(`${line.id}: ${line.schema} is abstract`);
    const known = propertiesOf(line.schema);
    for (const [name, values] of Object.entries(line.properties)) {
      const property = known[name];
      if (!property) {
        found.push(`${line.id}: ${line.schema} has no property ${name}`);
        continue;
      }
      if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) found.push(`${line.id}: ${name} is not a list of text`);
      for (const value of values as string[]) {
        if (property.type === 'entity' && !ids.has(value)) found.push(`${line.id}: ${name} points at ${value}, which is not exported`);
        if (property.type === 'date' && !(FTM_DATE.test(value) && isPartialDate(value.slice(0, 10)))) found.push(`${line.id}: ${name} "${value}" is not a date`);
        if (property.type === 'country' && !/^[a-z]{2}$/.test(value) && !['suhh', 'zz'].includes(value)) found.push(`${line.id}: ${name} "${value}" is not a country code`);
      }
    }
  }
  return found;
}

describe('FollowTheMoney export against the FtM model', () => {
  it('writes only schemata and properties the model has, references to exported ids, and well-formed dates and countries', () => {
    const { db } = newCase();
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'opensanctions-stc.ftm.json'), 'utf8');
    expect(runCaseOperation(db, 'exchange.importFtm', { text }, context()).errors).toEqual([]);
    const exported = exportFtm(db).text;
    expect(exported.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { schema: string }).schema).sort()).toEqual(
      ['Company', 'Employment', 'Membership', 'Organization', 'Person', 'PublicBody', 'Sanction', 'Sanction', 'UnknownLink'],
    );
    expect(problems(exported)).toEqual([]);
  });

  it('holds for the sample case, whose links have Caseboard types and dates', () => {
    const db = createSampleCase(path.join(tempDir(), 'sample.caseboard'));
    try {
      const exported = exportFtm(db).text;
      expect(exported).not.toBe('');
      expect(problems(exported)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('catches what it checks: an unknown property, a dangling reference and a bad date', () => {
    const bad = [
      { id: 'a', schema: 'Company', properties: { name: ['A'], colour: ['red'] } },
      { id: 'b', schema: 'Sanction', properties: { entity: ['nowhere'], startDate: ['28/06/2022'] } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    expect(problems(bad)).toEqual(['a: Company has no property colour', 'b: entity points at nowhere, which is not exported', 'b: startDate "28/06/2022" is not a date']);
  });
});
