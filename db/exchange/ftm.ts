import { CaseboardError } from '../../shared/errors';
import type { ImportReport } from '../../shared/ops/exchange';
import { isPartialDate } from '../../shared/partial-date';
import type { CaseDb } from '../case-file';
import { now } from '../clock';
import { PROGRESS_EVERY, RowErrors, rowMessage, type ImportOptions } from './csv';
import { BulkWriter } from './journal';
import { RowProblem, writeEntity, writeLink } from './records';

/** FollowTheMoney schemata read as entities, with the entity type and subtype they become. */
const ENTITY_SCHEMATA: Record<string, { type: 'organisation' | 'person'; subtype: string | null }> = {
  Organization: { type: 'organisation', subtype: null },
  Company: { type: 'organisation', subtype: 'company' },
  PublicBody: { type: 'organisation', subtype: 'government agency' },
  LegalEntity: { type: 'organisation', subtype: null },
  Person: { type: 'person', subtype: null },
};

/** Interval schemata read as links: the properties holding the two ends, and the link type. */
const LINK_SCHEMATA: Record<string, { from: string; to: string; type: string }> = {
  Membership: { from: 'member', to: 'organization', type: 'member of' },
  Ownership: { from: 'owner', to: 'asset', type: 'owns' },
  Directorship: { from: 'director', to: 'organization', type: 'director of' },
  Employment: { from: 'employee', to: 'employer', type: 'works for' },
  UnknownLink: { from: 'subject', to: 'object', type: 'linked to' },
  Associate: { from: 'person', to: 'associate', type: 'associate of' },
  Family: { from: 'person', to: 'relative', type: 'family of' },
  Representation: { from: 'agent', to: 'client', type: 'represents' },
  Succession: { from: 'predecessor', to: 'successor', type: 'succeeded by' },
  Sanction: { from: 'authority', to: 'entity', type: 'sanctioned' },
};

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, unknown[]>;
}

function first(props: Record<string, unknown[]>, name: string): string | undefined {
  const value = props[name]?.[0];
  return typeof value === 'string' ? value : undefined;
}

function strings(props: Record<string, unknown[]>, name: string): string[] {
  return (props[name] ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

function ftmDate(value: string | undefined, label: string): string | undefined {
  if (!value) return undefined;
  const date = value.slice(0, 10);
  if (!isPartialDate(date)) throw new RowProblem(`${label} "${value.slice(0, 40)}" is not a date.`);
  return date;
}

function parseLine(line: string): FtmEntity {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RowProblem('The line is not valid JSON.');
  }
  const v = value as Partial<FtmEntity> | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.schema !== 'string' || !v.id) throw new RowProblem('The line has no id or schema.');
  const properties = v.properties && typeof v.properties === 'object' ? v.properties : {};
  for (const [key, list] of Object.entries(properties)) if (!Array.isArray(list)) throw new RowProblem(`The property ${key} is not a list.`);
  return { id: v.id.slice(0, 200), schema: v.schema, properties };
}

/**
 * Imports FollowTheMoney entities, one JSON object a line (the Aleph and
 * OpenSanctions export format): people and organisations as entities, the
 * interval schemata as links with their dates. Unknown schemata and links to
 * entities the file and case do not hold are reported line by line.
 */
export function importFtm(db: CaseDb, text: string, options: ImportOptions): ImportReport {
  const errors = new RowErrors();
  const writer = new BulkWriter(db, options.actor, 'Imported FollowTheMoney entities');
  const at = now();
  const ids = new Map<string, string>();
  const entityExists = db.prepare('SELECT 1 FROM entities WHERE id = ?').pluck();
  const byName = db.prepare('SELECT id FROM entities WHERE name = ? COLLATE NOCASE LIMIT 2').pluck();
  const links: { line: number; entity: FtmEntity }[] = [];
  let total = 0;
  let imported = 0;
  const lines = text.split(/\r?\n/);
  // Two passes, entities then the links between them: each is half of the progress bar.
  let step = 0;
  const checkpoint = (done: number) => {
    step += 1;
    if (step % PROGRESS_EVERY !== 0) return;
    options.throwIfCancelled?.();
    options.progress?.(Math.round(done), lines.length * 2, `${imported.toLocaleString('en')} items imported`);
  };
  lines.forEach((raw, index) => {
    checkpoint(index + 1);
    if (raw.trim() === '') return;
    total += 1;
    const line = index + 1;
    try {
      const entity = parseLine(raw);
      const asEntity = ENTITY_SCHEMATA[entity.schema];
      if (LINK_SCHEMATA[entity.schema]) {
        links.push({ line, entity });
        return;
      }
      if (!asEntity) throw new RowProblem(`The schema ${entity.schema.slice(0, 50)} is not one Caseboard imports.`);
      const names = strings(entity.properties, 'name');
      const id = UUID_V7.test(entity.id) && !entityExists.get(entity.id) ? entity.id : writer.newId();
      writeEntity(
        writer,
        id,
        {
          name: names[0],
          type: asEntity.type,
          subtype: first(entity.properties, 'classification') ?? asEntity.subtype ?? undefined,
          country: first(entity.properties, 'country') ?? first(entity.properties, 'jurisdiction') ?? first(entity.properties, 'nationality'),
          aliases: [...names.slice(1), ...strings(entity.properties, 'alias'), ...strings(entity.properties, 'previousName')].map((a) => a.replaceAll(';', ',')).join(';'),
          description: first(entity.properties, 'description'),
          notes: first(entity.properties, 'notes'),
        },
        at,
      );
      ids.set(entity.id, id);
      imported += 1;
    } catch (error) {
      errors.add(line, rowMessage(error));
    }
  });
  options.throwIfCancelled?.();
  const resolve = (ref: string | undefined, label: string): string => {
    if (!ref) throw new RowProblem(`The ${label} is missing.`);
    const mapped = ids.get(ref) ?? (entityExists.get(ref) ? ref : undefined);
    if (mapped) return mapped;
    throw new RowProblem(`The ${label} ${ref.slice(0, 80)} is neither in the file nor in the case.`);
  };
  for (const [index, { line, entity }] of links.entries()) {
    checkpoint(lines.length * (1 + (index + 1) / links.length));
    const spec = LINK_SCHEMATA[entity.schema];
    if (!spec) continue;
    try {
      let fromId: string;
      if (entity.schema === 'Sanction') {
        const authority = first(entity.properties, 'authority');
        const found = authority ? (byName.all(authority) as string[]) : [];
        if (!authority || found.length !== 1) throw new RowProblem(`The sanctioning authority ${authority ? `"${authority.slice(0, 80)}" is not one entity of the case` : 'is missing'}.`);
        fromId = found[0] as string;
      } else fromId = resolve(first(entity.properties, spec.from), spec.from);
      const toId = resolve(first(entity.properties, spec.to), spec.to);
      const role = first(entity.properties, 'role');
      const id = UUID_V7.test(entity.id) && !db.prepare('SELECT 1 FROM links WHERE id = ?').get(entity.id) ? entity.id : writer.newId();
      writeLink(
        writer,
        id,
        fromId,
        toId,
        {
          type: entity.schema === 'UnknownLink' && role ? role : (role ?? spec.type),
          start: ftmDate(first(entity.properties, 'startDate'), 'The start date'),
          end: ftmDate(first(entity.properties, 'endDate'), 'The end date'),
          notes: first(entity.properties, 'summary') ?? first(entity.properties, 'description'),
        },
        at,
      );
      imported += 1;
    } catch (error) {
      errors.add(line, rowMessage(error));
    }
  }
  if (total === 0) throw new CaseboardError('invalid_input', 'The file holds no FollowTheMoney entities.');
  writer.finish(`Imported ${imported} FollowTheMoney items`, 'import');
  return { total, imported, errors: errors.listed, moreErrors: errors.more };
}

const LINK_TYPE_SCHEMA: Record<string, string> = { 'member of': 'Membership', 'works for': 'Employment', 'director of': 'Directorship', owns: 'Ownership', sanctioned: 'Sanction' };

function props(values: Record<string, string | null | undefined | string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value];
    if (list.length) out[key] = list;
  }
  return out;
}

/**
 * The case as FollowTheMoney JSON lines, for Aleph and OpenAleph: people and
 * organisations (companies and public bodies by subtype), links as the
 * matching interval schema or an UnknownLink carrying the link type as role.
 * Programmes, events, products and places have no FtM schema that fits and are
 * left out, as are links that touch them; the count says how many.
 */
export function exportFtm(db: CaseDb): { text: string; leftOut: number } {
  const lines: string[] = [];
  const exported = new Map<string, string>();
  let leftOut = 0;
  const aliases = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position').pluck();
  for (const e of db.prepare('SELECT * FROM entities ORDER BY rowid').iterate() as Iterable<Record<string, string | null>>) {
    let schema: string | null = null;
    if (e.type === 'person') schema = 'Person';
    else if (e.type === 'organisation') schema = e.subtype === 'company' ? 'Company' : e.subtype === 'government agency' ? 'PublicBody' : 'Organization';
    if (!schema || !e.id) {
      leftOut += 1;
      continue;
    }
    exported.set(e.id, e.name ?? '');
    const properties = props({
      name: e.name,
      alias: aliases.all(e.id) as string[],
      country: e.country?.toLowerCase(),
      description: e.description,
      notes: e.notes,
      classification: schema === 'Organization' ? e.subtype : null,
    });
    lines.push(JSON.stringify({ id: e.id, schema, properties }));
  }
  for (const l of db.prepare('SELECT * FROM links ORDER BY rowid').iterate() as Iterable<Record<string, string | null>>) {
    if (!l.from_id || !l.to_id || !exported.has(l.from_id) || !exported.has(l.to_id)) {
      leftOut += 1;
      continue;
    }
    const schema = LINK_TYPE_SCHEMA[l.type ?? ''] ?? 'UnknownLink';
    const dates = { startDate: l.start_date, endDate: l.end_date, summary: l.notes };
    let properties: Record<string, string[]>;
    if (schema === 'Sanction') properties = props({ entity: l.to_id, authority: exported.get(l.from_id), ...dates });
    else {
      const spec = LINK_SCHEMATA[schema] ?? { from: 'subject', to: 'object' };
      properties = props({ [spec.from]: l.from_id, [spec.to]: l.to_id, role: schema === 'UnknownLink' ? l.type : null, ...dates });
    }
    lines.push(JSON.stringify({ id: l.id, schema, properties }));
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', leftOut };
}
