import { CaseboardError } from '../../shared/errors';
import type { ImportReport, OnMatch } from '../../shared/ops/exchange';
import { nameKey } from '../../shared/name-key';
import { isPartialDate } from '../../shared/partial-date';
import type { CaseDb } from '../core/case-file';
import { now } from '../core/clock';
import { updateRow } from '../core/journal';
import { sanctionRow, type SanctionDbRow } from '../model/sanctions';
import { countryCode } from './countries';
import { PROGRESS_EVERY, RowErrors, rowMessage, type ImportOptions, type ImportTarget } from './csv';
import { checkFtmSourceUnchanged, forEachFtmLine, ftmSourceLength, ftmSourceStamp, type FtmSource } from './ftm-lines';
import { BulkWriter } from './journal';
import { LargeImport } from './large-import';
import { RowProblem, writeEntity, writeLink } from './records';

type EntitySchema = 'Organization' | 'Company' | 'PublicBody' | 'LegalEntity' | 'Person';

/** FollowTheMoney schemata read as entities, with the entity type and subtype they become. */
const ENTITY_SCHEMATA: Record<EntitySchema, { type: 'organisation' | 'person'; subtype: string | null }> = {
  Organization: { type: 'organisation', subtype: null },
  Company: { type: 'organisation', subtype: 'company' },
  PublicBody: { type: 'organisation', subtype: 'government agency' },
  LegalEntity: { type: 'organisation', subtype: null },
  Person: { type: 'person', subtype: null },
};

/** Interval schemata read as links: the properties holding the two ends, and the link type they become. */
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
};

/** The schema a link of a Caseboard type is written as, where one fits; other types are an UnknownLink with the type as role. */
const LINK_TYPE_SCHEMA: Record<string, string> = Object.fromEntries(Object.entries(LINK_SCHEMATA).filter(([schema]) => schema !== 'UnknownLink').map(([schema, spec]) => [spec.type, schema]));

/**
 * FtM properties kept as the entity's identifiers, with the identifier name
 * shown in the entity panel. Every one is a property of LegalEntity, so any
 * person or organisation can carry it back on export.
 */
const IDENTIFIER_PROPERTIES: Record<string, string> = {
  website: 'website',
  registrationNumber: 'registration number',
  taxNumber: 'tax number',
  wikidataId: 'Wikidata',
  address: 'address',
  email: 'email',
  phone: 'phone',
  leiCode: 'LEI',
  innCode: 'INN',
  ogrnCode: 'OGRN',
  vatCode: 'VAT number',
  swiftBic: 'SWIFT/BIC',
  idNumber: 'ID number',
};
const IDENTIFIER_KEYS = new Map(Object.entries(IDENTIFIER_PROPERTIES).map(([property, key]) => [key.toLowerCase(), property]));

/** The identifier that keeps an item's FtM id when it is not a Caseboard ID. */
export const FTM_ID_KEY = 'ftm';

/** Properties whose values also fill a column (country, aliases) but are kept as given, so they are written back once, under their own name. */
const COUNTRY_PROPERTIES = ['jurisdiction', 'nationality', 'citizenship', 'mainCountry'];
const NAME_PROPERTIES = ['name', 'previousName', 'weakAlias'];
/** The note, kept with an entity's FtM properties, of the property its country was read from. FtM property names never start with "@". */
const COUNTRY_FROM = '@countryFrom';

/** Top-level fields of a line that are not kept: the data set's bookkeeping rather than properties of the item. */
const LINE_FIELDS = new Set(['id', 'schema', 'properties']);

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Props = Record<string, string[]>;

interface FtmLine {
  id: string;
  schema: string;
  properties: Props;
  datasets: string[];
}

function parseLine(line: string, unkept: Map<string, number>): FtmLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RowProblem('The line is not valid JSON.');
  }
  const v = value as { id?: unknown; schema?: unknown; properties?: unknown; datasets?: unknown } | null;
  if (!v || typeof v !== 'object' || typeof v.id !== 'string' || typeof v.schema !== 'string' || !v.id) throw new RowProblem('The line has no id or schema.');
  if (v.id.length > 200) throw new RowProblem('The id is longer than 200 characters.');
  const properties: Props = {};
  const given = v.properties && typeof v.properties === 'object' ? (v.properties as Record<string, unknown>) : {};
  for (const [key, list] of Object.entries(given)) {
    if (!Array.isArray(list)) throw new RowProblem(`The property ${key.slice(0, 50)} is not a list.`);
    const values = list.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    if (values.length !== list.length) throw new RowProblem(`The property ${key.slice(0, 50)} holds a value that is not text.`);
    if (values.length) properties[key] = values;
  }
  for (const key of Object.keys(v)) if (!LINE_FIELDS.has(key)) unkept.set(key, (unkept.get(key) ?? 0) + 1);
  const datasets = Array.isArray(v.datasets) ? v.datasets.filter((d): d is string => typeof d === 'string' && d !== '') : [];
  return { id: v.id, schema: v.schema, properties, datasets };
}

/**
 * A line's properties, taken one value at a time by the columns that hold
 * them; what is left over is kept as the item's FtM properties.
 */
class PropertyBag {
  private readonly rest: Props;
  constructor(properties: Props) {
    this.rest = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, [...v]]));
  }
  /** Takes the first value of a property. */
  take(name: string): string | undefined {
    const list = this.rest[name];
    const value = list?.shift();
    if (list && list.length === 0) delete this.rest[name];
    return value;
  }
  /** Takes every value of a property. */
  takeAll(name: string): string[] {
    const list = this.rest[name] ?? [];
    delete this.rest[name];
    return list;
  }
  peek(name: string): string[] {
    return this.rest[name] ?? [];
  }
  /** Keeps a note beside the properties, under a key no FtM property has. */
  note(key: string, value: string): void {
    this.rest[key] = [value];
  }
  /** Takes one given value of a property. */
  drop(name: string, value: string): void {
    const list = (this.rest[name] ?? []).filter((v, i, all) => v !== value || all.indexOf(v) !== i);
    if (list.length) this.rest[name] = list;
    else delete this.rest[name];
  }
  /** What no column took, as JSON for the ftm_properties column (null when nothing is left). */
  leftover(): string | null {
    return Object.keys(this.rest).length ? JSON.stringify(this.rest) : null;
  }
}

function ftmDate(value: string | undefined, label: string): string | undefined {
  if (!value) return undefined;
  const date = value.slice(0, 10);
  if (!isPartialDate(date)) throw new RowProblem(`${label} "${value.slice(0, 40)}" is not a date.`);
  return date;
}

/** An FtM country (a lower-case ISO code) as the entity's country: upper-case alpha-2, or null when it is not a real one (suhh, xk, zz). */
function isoCountry(value: string): string | null {
  return /^[a-z]{2}$/i.test(value.trim()) ? countryCode(value) : null;
}

function parseProps(text: string | null | undefined): Props {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Props) : {};
  } catch {
    return {};
  }
}

/** Adds values to a property, each once, after what it holds; leaves the property out when it ends up empty. */
function put(props: Props, name: string, values: readonly (string | null | undefined)[]): void {
  const list = [...(props[name] ?? [])];
  for (const value of values) if (value && !list.includes(value)) list.push(value);
  if (list.length) props[name] = list;
}

export interface FtmImportOptions extends ImportOptions, ImportTarget {
  /** What to do with a line whose id matches an item already in the case; skip by default. */
  onMatch?: OnMatch;
  /** The list sanction records are credited to when a line names no data set (e.g. the file's name). */
  listName?: string | undefined;
}

interface Matcher {
  entity(id: string): string | undefined;
  link(id: string): string | undefined;
  sanction(id: string): string | undefined;
}

function matcher(db: CaseDb): Matcher {
  const entityById = db.prepare('SELECT id FROM entities WHERE id = ?').pluck();
  const entityByFtm = db.prepare('SELECT entity_id FROM entity_identifiers WHERE key = ? AND value = ? ORDER BY entity_id LIMIT 1').pluck();
  const linkById = db.prepare('SELECT id FROM links WHERE id = ?').pluck();
  const linkByFtm = db.prepare('SELECT id FROM links WHERE ftm_id = ? ORDER BY id LIMIT 1').pluck();
  const sanctionById = db.prepare('SELECT id FROM sanctions WHERE id = ?').pluck();
  const sanctionByFtm = db.prepare('SELECT id FROM sanctions WHERE ftm_id = ? ORDER BY id LIMIT 1').pluck();
  return {
    entity: (id) => (entityByFtm.get(FTM_ID_KEY, id) as string | undefined) ?? (UUID_V7.test(id) ? (entityById.get(id) as string | undefined) : undefined),
    link: (id) => (linkByFtm.get(id) as string | undefined) ?? (UUID_V7.test(id) ? (linkById.get(id) as string | undefined) : undefined),
    sanction: (id) => (sanctionByFtm.get(id) as string | undefined) ?? (UUID_V7.test(id) ? (sanctionById.get(id) as string | undefined) : undefined),
  };
}

/**
 * Imports FollowTheMoney entities, one JSON object a line (the Aleph and
 * OpenSanctions export format): people and organisations as entities, the
 * interval schemata as links of the matching type, and `Sanction` entities as
 * sanction records on the entity they name. Ids, schemata and the properties
 * Caseboard has no column for are kept so that an export writes them back. A
 * line whose id is already in the case (imported before, or exported from
 * it) is matched, not added again. Unknown schemata, references to entities
 * neither file nor case holds, and values that cannot be kept as given are
 * reported line by line.
 *
 * The source is read in two passes: the entities first, then the links and
 * sanctions, which name entities anywhere in the file. The first pass notes
 * which lines are links and sanctions, and the second reads those lines again
 * rather than keep them: a data set of a million items never sits in memory
 * whole.
 */
export function importFtm(db: CaseDb, source: FtmSource, options: FtmImportOptions): ImportReport {
  const onMatch = options.onMatch ?? 'skip';
  const errors = new RowErrors();
  const notices: string[] = [];
  const unkept = new Map<string, number>();
  const writer = new BulkWriter(db, options.changes);
  const at = now();
  // Entities a link or sanction of the file names by FtM id are found again in the case, where the first pass put
  // them; only an entity added anyway beside one already holding its id is kept here, as the case would give the other.
  const addedAnyway = new Map<string, string>();
  const find = matcher(db);
  // The numbers of the lines that are links and sanctions, read again once every entity is in.
  const linkLines: number[] = [];
  const sanctionLines: number[] = [];
  let total = 0;
  let imported = 0;
  let matched = 0;
  let updated = 0;
  const notice = (line: number, message: string) => {
    if (notices.length < 200) notices.push(`Line ${line}: ${message}`);
  };
  const stamp = ftmSourceStamp(source);
  const length = ftmSourceLength(source);
  // A file of many entities, or many links, is written without some of their indexes, built again at its end (as a large CSV import is).
  // An import that updates what it matches keeps them. The matches are found by identifier and FtM id, whose indexes stay.
  const largeEntities = onMatch === 'update' ? null : new LargeImport(db, 'entities');
  const largeLinks = onMatch === 'update' ? null : new LargeImport(db, 'links');
  // Two passes, entities then the links and sanctions that point at them: each is half of the progress bar.
  let step = 0;
  const checkpoint = (done: number) => {
    step += 1;
    if (step % PROGRESS_EVERY !== 0) return;
    options.throwIfCancelled?.();
    options.progress?.(Math.round(done), length * 2, `${imported.toLocaleString('en')} items imported`);
  };
  const aliasesOf = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ?').pluck();
  const identifiersOf = db.prepare('SELECT key, value FROM entity_identifiers WHERE entity_id = ?');
  const positionAfter = (table: 'entity_aliases' | 'entity_identifiers', entityId: string) => (db.prepare(`SELECT coalesce(max(position) + 1, 0) FROM ${table} WHERE entity_id = ?`).pluck().get(entityId) as number);

  forEachFtmLine(source, null, (raw, line, end) => {
    checkpoint(end);
    if (raw.trim() === '') return;
    total += 1;
    // Decided once the first lines are read, by how far into the file they reached and how many of them were entities.
    if (total === PROGRESS_EVERY) largeEntities?.decide(((total - linkLines.length - sanctionLines.length) * length) / Math.max(1, end));
    try {
      const entity = parseLine(raw, unkept);
      if (LINK_SCHEMATA[entity.schema]) return void linkLines.push(line);
      if (entity.schema === 'Sanction') return void sanctionLines.push(line);
      const spec = ENTITY_SCHEMATA[entity.schema as EntitySchema] as (typeof ENTITY_SCHEMATA)[EntitySchema] | undefined;
      if (!spec) throw new RowProblem(`The schema ${entity.schema.slice(0, 50)} is not one Caseboard imports (people, organisations, companies, public bodies, their links and sanctions).`);
      const bag = new PropertyBag(entity.properties);
      const name = bag.take('name');
      if (!name) throw new RowProblem('The name is missing.');
      // Other names, previous names and weak aliases stay under their own property and are aliases too, so they can be found.
      const aliases = [...bag.takeAll('alias'), ...NAME_PROPERTIES.flatMap((p) => bag.peek(p))];
      const countries = bag.peek('country');
      let country: string | null = null;
      const own = countries.find((c) => isoCountry(c) !== null);
      if (own) {
        country = isoCountry(own);
        bag.drop('country', own);
      }
      for (const c of countries) if (isoCountry(c) === null) notice(line, `the country "${c.slice(0, 20)}" is not an ISO 3166 country code; it is kept as an FtM property, not as the entity's country.`);
      let countryFrom: string | null = null;
      if (country === null) {
        for (const property of COUNTRY_PROPERTIES) {
          const found = bag.peek(property).map(isoCountry).find((c) => c !== null);
          if (found) {
            country = found;
            countryFrom = property;
            break;
          }
        }
      }
      const identifiers: { key: string; value: string }[] = [];
      for (const [property, key] of Object.entries(IDENTIFIER_PROPERTIES)) for (const value of bag.takeAll(property)) identifiers.push({ key, value });
      const fields = {
        name,
        type: spec.type,
        subtype: bag.take('classification') ?? spec.subtype ?? undefined,
        country: country ?? undefined,
        aliases: aliases.filter((a) => a !== name).map((a) => a.replaceAll(';', ',')).join(';'),
        description: bag.take('description'),
        notes: bag.take('notes'),
      };
      // Which property the country was read from, so that export writes it there and not a second time as the country.
      if (countryFrom) bag.note(COUNTRY_FROM, countryFrom);
      const extra = bag.leftover();
      const existing = onMatch === 'new' ? undefined : find.entity(entity.id);
      const seenBefore = onMatch === 'new' && find.entity(entity.id) !== undefined;
      if (existing) {
        matched += 1;
        if (onMatch === 'skip') return;
        updateRow(db, writer.cs, 'entities', existing, {
          name: fields.name,
          name_key: nameKey(fields.name),
          type: fields.type,
          subtype: fields.subtype ?? null,
          country: fields.country ?? null,
          description: fields.description ?? null,
          notes: fields.notes ?? null,
          ftm_schema: entity.schema,
          ftm_properties: extra,
          updated_at: at,
        });
        const knownAliases = new Set((aliasesOf.all(existing) as string[]).map((a) => a.toLocaleLowerCase()));
        let position = positionAfter('entity_aliases', existing);
        for (const alias of fields.aliases.split(';').filter((a) => a !== '' && !knownAliases.has(a.toLocaleLowerCase()))) {
          writer.insert('entity_aliases', { id: writer.newId(), entity_id: existing, name: alias, name_key: nameKey(alias), language: null, position: position++ });
        }
        const knownIdentifiers = new Set((identifiersOf.all(existing) as { key: string; value: string }[]).map((i) => `${i.key}\u0000${i.value}`));
        let idPosition = positionAfter('entity_identifiers', existing);
        for (const identifier of identifiers.filter((i) => !knownIdentifiers.has(`${i.key}\u0000${i.value}`))) {
          writer.insert('entity_identifiers', { id: writer.newId(), entity_id: existing, ...identifier, position: idPosition++ });
        }
        updated += 1;
        return;
      }
      if (seenBefore) matched += 1;
      const takeId = UUID_V7.test(entity.id) && !seenBefore;
      const id = takeId ? entity.id : writer.newId();
      writeEntity(writer, id, fields, at, { ftm_schema: entity.schema, ftm_properties: extra });
      const keep = takeId ? identifiers : [{ key: FTM_ID_KEY, value: entity.id }, ...identifiers];
      keep.forEach((identifier, position) => writer.insert('entity_identifiers', { id: writer.newId(), entity_id: id, key: identifier.key, value: identifier.value, position }));
      if (seenBefore) addedAnyway.set(entity.id, id);
      imported += 1;
    } catch (error) {
      errors.add(line, rowMessage(error));
    }
  });
  options.throwIfCancelled?.();
  const resolve = (ref: string | undefined, label: string): string => {
    if (!ref) throw new RowProblem(`The ${label} is missing.`);
    const mapped = addedAnyway.get(ref) ?? find.entity(ref);
    if (mapped) return mapped;
    throw new RowProblem(`The ${label} ${ref.slice(0, 80)} is neither in the file nor in the case.`);
  };
  checkFtmSourceUnchanged(source, stamp);
  const rest = linkLines.length + sanctionLines.length;
  let restDone = 0;
  const again = new Map<string, number>();
  const eachOf = (numbers: number[], work: (line: number, entity: FtmLine) => void) => {
    let next = 0;
    forEachFtmLine(source, (line) => line === numbers[next], (raw, line) => {
      next += 1;
      restDone += 1;
      checkpoint(length * (1 + restDone / rest));
      try {
        work(line, parseLine(raw, again));
      } catch (error) {
        errors.add(line, rowMessage(error));
      }
    });
  };
  const linkOrSanction = (line: number, entity: FtmLine) => {
    const bag = new PropertyBag(entity.properties);
    const existing = onMatch === 'new' ? undefined : entity.schema === 'Sanction' ? find.sanction(entity.id) : find.link(entity.id);
    const seenBefore = onMatch === 'new' && (entity.schema === 'Sanction' ? find.sanction(entity.id) : find.link(entity.id)) !== undefined;
    if (existing) matched += 1;
    if (existing && onMatch === 'skip') return;
    if (seenBefore) matched += 1;
    const takeId = UUID_V7.test(entity.id) && !seenBefore && !existing;
    const id = existing ?? (takeId ? entity.id : writer.newId());
    const ftmId = takeId || (existing && entity.id === existing) ? null : entity.id;
    if (entity.schema === 'Sanction') {
      const entityId = resolve(bag.take('entity'), 'sanctioned entity');
      let row: Record<string, unknown>;
      try {
        row = sanctionRow(id, entityId, {
          authority: bag.take('authority'),
          program: bag.take('program'),
          startDate: ftmDate(bag.take('startDate'), 'The start date'),
          endDate: ftmDate(bag.take('endDate'), 'The end date'),
          reason: bag.take('reason'),
          sourceUrl: bag.take('sourceUrl'),
          list: entity.datasets.length ? entity.datasets.join(', ') : options.listName,
          ftmId,
        }, at);
      } catch (error) {
        if (error instanceof CaseboardError) throw new RowProblem(error.message);
        throw error;
      }
      row.ftm_properties = bag.leftover();
      if (existing) {
        const { id: _id, created_at: _created, ftm_id: _ftmId, ...changes } = row;
        updateRow(db, writer.cs, 'sanctions', existing, changes);
        updated += 1;
      } else {
        writer.insert('sanctions', row);
        imported += 1;
      }
      return;
    }
    const spec = LINK_SCHEMATA[entity.schema] as (typeof LINK_SCHEMATA)[string];
    const fromId = resolve(bag.take(spec.from), spec.from);
    const toId = resolve(bag.take(spec.to), spec.to);
    const role = bag.peek('role')[0];
    const summary = bag.take('summary');
    const fields = {
      type: entity.schema === 'UnknownLink' && role ? role : spec.type,
      start: ftmDate(bag.take('startDate'), 'The start date'),
      end: ftmDate(bag.take('endDate'), 'The end date'),
      // Without a summary the description shows as the notes, and stays under its own name for export.
      notes: summary ?? bag.peek('description')[0],
    };
    const extra = bag.leftover();
    if (existing) {
      updateRow(db, writer.cs, 'links', existing, {
        from_id: fromId,
        to_id: toId,
        type: fields.type,
        start_date: fields.start ?? null,
        end_date: fields.end ?? null,
        notes: fields.notes ?? null,
        ftm_schema: entity.schema,
        ftm_properties: extra,
        updated_at: at,
      });
      updated += 1;
      return;
    }
    writeLink(writer, id, fromId, toId, fields, at, { ftm_schema: entity.schema, ftm_id: ftmId, ftm_properties: extra });
    imported += 1;
  };
  largeLinks?.decide(linkLines.length);
  eachOf(linkLines, linkOrSanction);
  eachOf(sanctionLines, linkOrSanction);
  checkFtmSourceUnchanged(source, stamp);
  if (largeEntities?.deferred || largeLinks?.deferred) {
    // No total: the bar runs without a measure while the indexes are built.
    options.progress?.(0, 0, 'Building the indexes');
    largeEntities?.finish();
    largeLinks?.finish();
  }
  if (total === 0) throw new CaseboardError('invalid_input', 'The file holds no FollowTheMoney entities.');
  if (unkept.size > 0) {
    const fields = [...unkept.entries()].map(([field, n]) => `${field} (${n.toLocaleString('en')} ${n === 1 ? 'line' : 'lines'})`).join(', ');
    notices.push(`Not kept: the top-level fields ${fields}, the data set's own bookkeeping rather than properties of the items${unkept.has('datasets') ? '; a sanction keeps its datasets as the list it came from' : ''}.`);
  }
  const summary = `Imported ${imported} FollowTheMoney items${updated ? `, updated ${updated}` : ''}${options.fileName ? ` from ${options.fileName}` : ''}`;
  writer.finish(summary, 'import');
  const report: ImportReport = { total, imported, errors: errors.listed, moreErrors: errors.more, notices };
  report.matched = { skipped: onMatch === 'skip' ? matched : 0, updated, addedAnyway: onMatch === 'new' ? matched : 0 };
  return report;
}

interface EntityExportRow {
  id: string;
  type: string;
  subtype: string | null;
  name: string;
  country: string | null;
  description: string | null;
  notes: string | null;
  ftm_schema: string | null;
  ftm_properties: string | null;
}

/** The FtM schema an entity is written as: the one it was imported with while its type still fits, else one chosen by type and subtype. */
function entitySchema(e: EntityExportRow): EntitySchema | null {
  const kept = e.ftm_schema ? ENTITY_SCHEMATA[e.ftm_schema as EntitySchema] : undefined;
  if (kept && kept.type === e.type) return e.ftm_schema as EntitySchema;
  if (e.type === 'person') return 'Person';
  if (e.type === 'organisation') return e.subtype === 'company' ? 'Company' : e.subtype === 'government agency' ? 'PublicBody' : 'Organization';
  return null;
}

/** The FtM schema and role a link is written as, and whether its kept properties still belong to it. */
function linkSchema(type: string, kept: string | null, props: Props): { schema: string; role: string[]; keepProps: boolean } {
  const keptSpec = kept ? LINK_SCHEMATA[kept] : undefined;
  if (kept && keptSpec) {
    // Still the type the import gave it: the kept schema and properties come back as they were.
    const given = kept === 'UnknownLink' ? (props.role?.[0] ?? keptSpec.type) : keptSpec.type;
    if (type === given) return { schema: kept, role: [], keepProps: true };
  }
  const schema = LINK_TYPE_SCHEMA[type] ?? 'UnknownLink';
  return { schema, role: schema === 'UnknownLink' ? [type] : [], keepProps: kept === schema };
}

/**
 * The case as FollowTheMoney JSON lines, for Aleph and OpenAleph: people and
 * organisations with the schema and id they were imported with (or their own
 * by type and subtype), links as the interval schema they came as or whose
 * type they have (else an UnknownLink with the type as role), sanction
 * records as `Sanction` entities, and the properties Caseboard kept without a
 * column. Programmes, events, products and places have no FtM schema that
 * fits and are left out, as are links and sanctions that touch them; the
 * count says how many.
 */
export function exportFtm(db: CaseDb): { text: string; leftOut: number } {
  const lines: string[] = [];
  const exported = new Map<string, string>();
  let leftOut = 0;
  const aliases = db.prepare('SELECT name FROM entity_aliases WHERE entity_id = ? ORDER BY position').pluck();
  const identifiers = db.prepare('SELECT key, value FROM entity_identifiers WHERE entity_id = ? ORDER BY position');
  const entities = db.prepare('SELECT id, type, subtype, name, country, description, notes, ftm_schema, ftm_properties FROM entities ORDER BY rowid').all() as EntityExportRow[];
  const ftmIdOf = new Map<string, string>();
  for (const e of entities) {
    const schema = entitySchema(e);
    if (!schema) continue;
    const own = (identifiers.all(e.id) as { key: string; value: string }[]).find((i) => i.key === FTM_ID_KEY);
    ftmIdOf.set(e.id, own?.value ?? e.id);
  }
  for (const e of entities) {
    const schema = entitySchema(e);
    const ftmId = ftmIdOf.get(e.id);
    if (!schema || !ftmId) {
      leftOut += 1;
      continue;
    }
    exported.set(e.id, ftmId);
    const kept = parseProps(e.ftm_properties);
    const properties: Props = {};
    put(properties, 'name', [e.name, ...(kept.name ?? [])]);
    const named = new Set(NAME_PROPERTIES.flatMap((p) => kept[p] ?? []));
    put(properties, 'alias', (aliases.all(e.id) as string[]).filter((a) => !named.has(a)));
    // A country taken from the jurisdiction (or nationality...) is written back there only, not a second time as the country.
    const from = kept[COUNTRY_FROM]?.[0];
    const elsewhere = from !== undefined && (kept[from] ?? []).some((c) => c.toUpperCase() === e.country);
    put(properties, 'country', [e.country && !elsewhere ? e.country.toLowerCase() : null, ...(kept.country ?? [])]);
    put(properties, 'description', [e.description, ...(kept.description ?? [])]);
    put(properties, 'notes', [e.notes, ...(kept.notes ?? [])]);
    const defaultSubtype = ENTITY_SCHEMATA[schema].subtype;
    put(properties, 'classification', [e.subtype !== defaultSubtype ? e.subtype : null, ...(kept.classification ?? [])]);
    for (const identifier of identifiers.all(e.id) as { key: string; value: string }[]) {
      const property = IDENTIFIER_KEYS.get(identifier.key.toLowerCase());
      if (property) put(properties, property, [identifier.value]);
    }
    for (const [key, values] of Object.entries(kept)) if (!key.startsWith('@') && !['name', 'country', 'description', 'notes', 'classification'].includes(key)) put(properties, key, values);
    lines.push(JSON.stringify({ id: ftmId, schema, properties }));
  }
  const links = db.prepare('SELECT id, from_id, to_id, type, start_date, end_date, notes, ftm_schema, ftm_id, ftm_properties FROM links ORDER BY rowid').all() as {
    id: string;
    from_id: string;
    to_id: string;
    type: string;
    start_date: string | null;
    end_date: string | null;
    notes: string | null;
    ftm_schema: string | null;
    ftm_id: string | null;
    ftm_properties: string | null;
  }[];
  for (const l of links) {
    const from = exported.get(l.from_id);
    const to = exported.get(l.to_id);
    if (!from || !to) {
      leftOut += 1;
      continue;
    }
    const kept = parseProps(l.ftm_properties);
    const { schema, role, keepProps } = linkSchema(l.type, l.ftm_schema, kept);
    const spec = LINK_SCHEMATA[schema] ?? { from: 'subject', to: 'object' };
    const properties: Props = {};
    put(properties, spec.from, [from]);
    put(properties, spec.to, [to]);
    put(properties, 'startDate', [l.start_date]);
    put(properties, 'endDate', [l.end_date]);
    // Notes shown from the description are written back as the description only.
    put(properties, 'summary', [l.notes && !(kept.description ?? []).includes(l.notes) ? l.notes : null]);
    put(properties, 'role', role);
    if (keepProps) for (const [key, values] of Object.entries(kept)) put(properties, key, values);
    lines.push(JSON.stringify({ id: l.ftm_id ?? l.id, schema, properties }));
  }
  const sanctions = db.prepare('SELECT * FROM sanctions ORDER BY rowid').all() as (SanctionDbRow & { ftm_id: string | null; ftm_properties: string | null })[];
  for (const s of sanctions) {
    const entity = exported.get(s.entity_id);
    if (!entity) {
      leftOut += 1;
      continue;
    }
    const properties: Props = {};
    put(properties, 'entity', [entity]);
    put(properties, 'authority', [s.authority]);
    put(properties, 'program', [s.program]);
    put(properties, 'startDate', [s.start_date]);
    put(properties, 'endDate', [s.end_date]);
    put(properties, 'reason', [s.reason]);
    put(properties, 'sourceUrl', [s.source_url]);
    for (const [key, values] of Object.entries(parseProps(s.ftm_properties))) put(properties, key, values);
    lines.push(JSON.stringify({ id: s.ftm_id ?? s.id, schema: 'Sanction', properties }));
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', leftOut };
}
