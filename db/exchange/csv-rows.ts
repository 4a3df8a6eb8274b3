import { ENTITY_SUBTYPES, ENTITY_TYPES, LINK_DIRECTIONS, LINK_STATUSES, type EntityType } from '../../shared/model';
import { nameKey } from '../../shared/name-key';
import { isPartialDate } from '../../shared/partial-date';
import { RELIABILITY_GRADES, SOURCE_KINDS } from '../../shared/schemas';
import type { CsvConversion, CsvKind, OnMatch } from '../../shared/ops/exchange';
import type { CaseDb } from '../core/case-file';
import { newId } from '../core/clock';
import { insertRow, updateRow } from '../core/journal';
import { countryCode } from './countries';
import type { BulkWriter } from './journal';
import { LinksAlongFrom } from './link-matches';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Colour of an area the import creates: its parent's, or a neutral grey for a top-level one. */
const NEW_AREA_COLOUR = '#6b7280';

/** One cell of a row, with the column it came from. */
export interface Cell {
  header: string;
  value: string;
}

/** A row's cells by field; fields several columns map to have several cells. */
export type RowCells = Map<string, Cell[]>;

/** What became of one row. */
export type RowOutcome = 'new' | 'skipped' | 'updated' | 'addedAnyway' | 'problem';

interface AreaRow {
  id: string;
  name: string;
  parentId: string | null;
}

interface EntityCandidate {
  id: string;
  type: string;
  country: string | null;
}

/** The type whose offered subtypes include this one ("university" → organisation); null for a type's own name or an unknown word. */
function subtypeType(value: string): EntityType | null {
  const v = value.trim().toLowerCase();
  if ((ENTITY_TYPES as readonly string[]).includes(v.replaceAll(' ', '_'))) return null;
  for (const type of ENTITY_TYPES) if (ENTITY_SUBTYPES[type].some((s) => s.toLowerCase() === v)) return type;
  return null;
}

/** Text of a cell, trimmed; null when empty. */
function one(cells: RowCells, field: string): Cell | null {
  const cell = cells.get(field)?.[0];
  return cell && cell.value.trim() !== '' ? { header: cell.header, value: cell.value.trim() } : null;
}

function splitList(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The lookups an import makes for every row, prepared once. */
function statements(db: CaseDb) {
  return {
    // Only whether the entity is there: answered from the ID index alone, without reading the entity's row, which
    // in a large case is a page read for every end named by an ID that is not near the one before.
    entityById: db.prepare('SELECT id FROM entities WHERE id = ?').pluck(),
    linkById: db.prepare('SELECT id FROM links WHERE id = ?').pluck(),
    sourceById: db.prepare('SELECT id FROM sources WHERE id = ?').pluck(),
    entityByKey: db.prepare('SELECT id FROM entities WHERE name_key = ? AND type = ? AND country IS ? LIMIT 1').pluck(),
    entityByAliasKey: db.prepare('SELECT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.name_key = ? AND e.type = ? AND e.country IS ? LIMIT 1').pluck(),
    entitiesByName: db.prepare(
      'SELECT id, name, type, country FROM entities WHERE name = ? COLLATE NOCASE UNION SELECT e.id, e.name, e.type, e.country FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.name = ? COLLATE NOCASE',
    ),
    entitiesByNameKey: db.prepare('SELECT id, name, type, country FROM entities WHERE name_key = ? UNION SELECT e.id, e.name, e.type, e.country FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.name_key = ?'),
    // A link between the same two entities with the same type, looked up along the end with fewer links: left to
    // itself the planner walks the type's index, every link of that type, which made an import quadratic.
    linkFromEnd: db.prepare('SELECT id FROM links INDEXED BY links_from WHERE from_id = ? AND to_id = ? AND type = ? COLLATE NOCASE LIMIT 1').pluck(),
    linkToEnd: db.prepare('SELECT id FROM links INDEXED BY links_to WHERE to_id = ? AND from_id = ? AND type = ? COLLATE NOCASE LIMIT 1').pluck(),
    degree: db.prepare('SELECT degree FROM entity_degrees WHERE entity_id = ?').pluck(),
    sourceByUrl: db.prepare('SELECT id FROM sources WHERE url = ? LIMIT 1').pluck(),
    sourceByTitle: db.prepare('SELECT id FROM sources WHERE title = ? COLLATE NOCASE AND url IS NULL LIMIT 1').pluck(),
    aliasKeys: db.prepare('SELECT name_key FROM entity_aliases WHERE entity_id = ?').pluck(),
    entityNameKey: db.prepare('SELECT name_key FROM entities WHERE id = ?').pluck(),
    identifiersOf: db.prepare('SELECT key, value FROM entity_identifiers WHERE entity_id = ?'),
    maxPosition: db.prepare('SELECT count(*) FROM entity_aliases WHERE entity_id = ?').pluck(),
    maxIdentifier: db.prepare('SELECT count(*) FROM entity_identifiers WHERE entity_id = ?').pluck(),
    tagged: db.prepare('SELECT 1 FROM area_tags WHERE area_id = ? AND (entity_id = ? OR link_id = ? OR source_id = ?)').pluck(),
    areaPosition: db.prepare('SELECT coalesce(max(position), 0) + 1 FROM technology_areas').pluck(),
  };
}

/**
 * Checks and writes the rows of one CSV import. Every problem of a row is
 * collected (not only the first); a row with any problem is not written.
 * Rows that match an item already in the case are skipped, updated or added
 * anyway, as the investigator chose. Without a writer nothing is written: the
 * preview runs the same checks and reports what the import would do.
 */
export class CsvRows {
  private readonly areasByName = new Map<string, AreaRow>();
  private readonly plannedAreas = new Set<string>();
  readonly createdAreas: string[] = [];
  private readonly conversionIndex = new Map<string, CsvConversion>();
  /** Entities the preview would add, by name key, so that later rows match them as the import would. */
  private readonly planned = new Map<string, EntityCandidate[]>();
  private identifiers: Map<string, string[]> | null = null;
  private readonly stmt: ReturnType<typeof statements>;
  /** Set while a large links import leaves the index of links by their to end and the kept degrees out. */
  private alongFrom: LinksAlongFrom | null = null;

  constructor(
    private readonly db: CaseDb,
    private readonly kind: CsvKind,
    private readonly onMatch: OnMatch,
    private readonly createAreas: boolean,
    private readonly writer: BulkWriter | null,
    private readonly at: string,
  ) {
    for (const area of db.prepare('SELECT id, name, parent_id AS parentId FROM technology_areas').all() as AreaRow[]) this.areasByName.set(area.name.toLowerCase(), area);
    this.stmt = statements(db);
  }

  /** From now on, links are matched along their from end alone (see LinksAlongFrom). */
  matchLinksAlongFrom(): void {
    this.alongFrom ??= new LinksAlongFrom(this.db);
  }

  /** The values the import stores differently from how the file writes them. */
  conversions(): CsvConversion[] {
    return [...this.conversionIndex.values()];
  }

  private convert(column: string, from: string, to: string): void {
    if (from === to) return;
    const key = `${column}\u0000${from}`;
    const seen = this.conversionIndex.get(key);
    if (seen) seen.rows += 1;
    else if (this.conversionIndex.size < 500) this.conversionIndex.set(key, { column, from, to, rows: 1 });
  }

  // ---- Checks shared by every kind ----

  private text(cells: RowCells, field: string, max: number, label: string, problems: string[]): string | null {
    const cell = one(cells, field);
    if (!cell) return null;
    if (cell.value.length > max) {
      problems.push(`${label} is longer than ${max.toLocaleString('en')} characters.`);
      return null;
    }
    return cell.value;
  }

  private required(cells: RowCells, field: string, max: number, label: string, problems: string[]): string | null {
    const value = this.text(cells, field, max, label, problems);
    if (value === null && !problems.some((p) => p.startsWith(label))) problems.push(`${label} is missing.`);
    return value;
  }

  private oneOf<T extends string>(cells: RowCells, field: string, allowed: readonly T[], fallback: T, label: string, problems: string[]): T {
    const cell = one(cells, field);
    if (!cell) return fallback;
    const v = cell.value.toLowerCase().replaceAll(' ', '_');
    const found = allowed.find((a) => a.toLowerCase() === v);
    if (found) return found;
    problems.push(`${label} "${cell.value.slice(0, 80)}" is not one of ${allowed.join(', ')}.`);
    return fallback;
  }

  private date(cells: RowCells, field: string, label: string, problems: string[]): string | null {
    const cell = one(cells, field);
    if (!cell) return null;
    if (!isPartialDate(cell.value)) {
      problems.push(`${label} "${cell.value.slice(0, 40)}" is not a date like 2017, 2017-09 or 2017-09-01.`);
      return null;
    }
    return cell.value;
  }

  private list(cells: RowCells, field: string, max: number, label: string, problems: string[]): string[] {
    const items = unique(
      (cells.get(field) ?? []).flatMap((cell) => splitList(cell.value, /;/)),
      (s) => s,
    );
    if (items.some((item) => item.length > max)) problems.push(`${label} is longer than ${max} characters.`);
    return items;
  }

  private givenId(cells: RowCells, problems: string[]): string | null {
    const cell = one(cells, 'id');
    if (!cell) return null;
    if (!UUID_V7.test(cell.value)) {
      problems.push(`The id "${cell.value.slice(0, 60)}" is not a Caseboard ID; map that column to identifiers to keep it, or leave it out to make new IDs.`);
      return null;
    }
    return cell.value;
  }

  /** Technology areas named in the cells: names or paths ("aerospace and aeronautics/drones"), separated by semicolons or commas. */
  private areas(cells: RowCells, problems: string[]): string[] {
    const ids: string[] = [];
    for (const cell of cells.get('areas') ?? []) {
      for (const item of splitList(cell.value, /[;,]/)) {
        const path = item.split('/').map((s) => s.trim()).filter(Boolean);
        const id = this.area(path, item, problems);
        if (id) {
          ids.push(id);
          const name = path[path.length - 1] ?? item;
          const known = this.areasByName.get(name.toLowerCase());
          if (known && known.name !== item) this.convert(cell.header, item, known.name);
        }
      }
    }
    return [...new Set(ids)];
  }

  private area(path: string[], item: string, problems: string[]): string | null {
    let parent: AreaRow | null = null;
    for (const [depth, name] of path.entries()) {
      const known = this.areasByName.get(name.toLowerCase());
      if (known) {
        if (depth > 0 && known.parentId !== (parent?.id ?? null)) {
          problems.push(`The technology area "${item}": ${known.name} is not under ${parent?.name ?? path[depth - 1] ?? ''} in this case.`);
          return null;
        }
        parent = known;
        continue;
      }
      if (!this.createAreas) {
        problems.push(`The technology area "${name}" is not in the case; add it first, or let the import create missing areas (--create-areas).`);
        return null;
      }
      parent = this.newArea(name, parent);
    }
    return parent?.id ?? null;
  }

  private newArea(name: string, parent: AreaRow | null): AreaRow {
    if (name.length > 100) name = name.slice(0, 100);
    const area: AreaRow = { id: newId(), name, parentId: parent?.id ?? null };
    if (this.writer) {
      const colour = parent ? ((this.db.prepare('SELECT colour FROM technology_areas WHERE id = ?').pluck().get(parent.id) as string | undefined) ?? NEW_AREA_COLOUR) : NEW_AREA_COLOUR;
      insertRow(this.db, this.writer.cs, 'technology_areas', { id: area.id, name, parent_id: area.parentId, colour, position: this.stmt.areaPosition.get() as number, created_at: this.at, updated_at: this.at });
    }
    if (!this.plannedAreas.has(name.toLowerCase())) {
      this.plannedAreas.add(name.toLowerCase());
      this.createdAreas.push(name);
    }
    this.areasByName.set(name.toLowerCase(), area);
    return area;
  }

  private tagAreas(areaIds: string[], column: 'entity_id' | 'link_id' | 'source_id', itemId: string, existing: boolean): void {
    if (!this.writer) return;
    for (const areaId of areaIds) {
      if (existing && this.stmt.tagged.get(areaId, itemId, itemId, itemId)) continue;
      const row = { id: this.writer.newId(), area_id: areaId, source_id: null as string | null, excerpt_id: null, entity_id: null as string | null, link_id: null as string | null };
      row[column] = itemId;
      this.writer.insert('area_tags', row);
    }
  }

  /** What to do with a row that matched an item of the case. */
  private matched(): RowOutcome {
    return this.onMatch === 'skip' ? 'skipped' : this.onMatch === 'update' ? 'updated' : 'addedAnyway';
  }

  /**
   * A row that matched an item of the case: skipped, updated with the values
   * the row gives (`changes`; undefined ones are left as they are) and tagged
   * with its areas, or to be added anyway. 'new' when nothing matched.
   */
  private onMatched(match: string | null, table: 'entities' | 'links' | 'sources', column: 'entity_id' | 'link_id' | 'source_id', areas: string[], changes: () => Record<string, unknown>): RowOutcome {
    if (!match) return 'new';
    const outcome = this.matched();
    if (outcome === 'updated' && this.writer) {
      const given = Object.fromEntries(Object.entries(changes()).filter(([, v]) => v !== undefined));
      updateRow(this.db, this.writer.cs, table, match, { ...given, updated_at: this.at });
      this.tagAreas(areas, column, match, true);
    }
    return outcome;
  }

  /** Checks a row and (with a writer) writes it; problems are pushed to `problems`. */
  row(cells: RowCells, problems: string[]): RowOutcome {
    if (this.kind === 'entities') return this.entity(cells, problems);
    if (this.kind === 'links') return this.link(cells, problems);
    return this.source(cells, problems);
  }

  // ---- Entities ----

  private identifierIndex(): Map<string, string[]> {
    if (this.identifiers) return this.identifiers;
    const map = new Map<string, string[]>();
    for (const r of this.db.prepare('SELECT entity_id, key, value FROM entity_identifiers').iterate() as Iterable<{ entity_id: string; key: string; value: string }>) {
      const k = `${r.key.toLowerCase()}\u0000${r.value}`;
      map.set(k, [...(map.get(k) ?? []), r.entity_id]);
    }
    this.identifiers = map;
    return map;
  }

  private entity(cells: RowCells, problems: string[]): RowOutcome {
    const id = this.givenId(cells, problems);
    const name = this.required(cells, 'name', 500, 'The name', problems);
    const typeCell = one(cells, 'type');
    // "university", "company", "UAV": a subtype Caseboard offers stands for its type, and is kept as the subtype.
    const bySubtype = typeCell ? subtypeType(typeCell.value) : null;
    const type = bySubtype ?? this.oneOf(cells, 'type', ENTITY_TYPES, 'organisation', 'The type', problems);
    let subtype = this.text(cells, 'subtype', 100, 'The subtype', problems);
    if (bySubtype && typeCell) {
      subtype ??= typeCell.value;
      this.convert(typeCell.header, typeCell.value, `${bySubtype} (${typeCell.value})`);
    }
    let country: string | null = null;
    const countryCell = one(cells, 'country');
    if (countryCell) {
      country = countryCode(countryCell.value);
      if (country === null) problems.push(`The country "${countryCell.value.slice(0, 60)}" is not a country Caseboard knows; write an ISO code (CN, RU) or the country's name in English, Russian or Chinese.`);
      else this.convert(countryCell.header, countryCell.value, country);
    }
    const aliases = this.list(cells, 'aliases', 500, 'An alias', problems).filter((a) => a !== name);
    const identifiers = unique(
      (cells.get('identifiers') ?? []).filter((c) => c.value.trim() !== '').map((c) => ({ key: c.header.trim().slice(0, 100) || 'identifier', value: c.value.trim() })),
      (i) => `${i.key}\u0000${i.value}`,
    );
    if (identifiers.some((i) => i.value.length > 2000)) problems.push('An identifier is longer than 2,000 characters.');
    const areas = this.areas(cells, problems);
    const description = this.text(cells, 'description', 20000, 'The description', problems);
    const notes = this.text(cells, 'notes', 100000, 'The notes', problems);
    const tags = this.list(cells, 'tags', 200, 'A tag', problems);
    if (problems.length > 0 || name === null) return 'problem';

    // Name keys are computed once: transliterating every script is the costliest step of a row.
    const nameKeyOf = nameKey(name);
    const aliasKeys = aliases.map(nameKey);
    const match = this.matchEntity(id, identifiers, [nameKeyOf, ...aliasKeys], type, country);
    const outcome = this.onMatched(match, 'entities', 'entity_id', areas, () => ({
      type: typeCell ? type : undefined,
      subtype: subtype ?? undefined,
      country: country ?? undefined,
      description: description ?? undefined,
      notes: notes ?? undefined,
      tags: tags.length > 0 ? JSON.stringify(tags) : undefined,
    }));
    if (outcome === 'skipped') return outcome;
    if (outcome === 'updated') {
      if (this.writer && match) this.addNames(match, [name, ...aliases], identifiers);
      return outcome;
    }
    const newEntityId = id !== null && !match ? id : (this.writer?.newId() ?? newId());
    if (this.writer) {
      this.writer.insert('entities', {
        id: newEntityId,
        type,
        subtype,
        name,
        name_key: nameKeyOf,
        country,
        description,
        notes,
        tags: JSON.stringify(tags),
        confidence: null,
        created_at: this.at,
        updated_at: this.at,
      });
      aliases.forEach((alias, position) => {
        this.writer?.insert('entity_aliases', { id: this.writer.newId(), entity_id: newEntityId, name: alias, name_key: aliasKeys[position] ?? nameKey(alias), language: null, position });
      });
      identifiers.forEach((identifier, position) => {
        this.writer?.insert('entity_identifiers', { id: this.writer.newId(), entity_id: newEntityId, key: identifier.key, value: identifier.value, position });
      });
      this.tagAreas(areas, 'entity_id', newEntityId, false);
    } else {
      for (const key of [nameKeyOf, ...aliasKeys]) this.planned.set(key, [...(this.planned.get(key) ?? []), { id: newEntityId, type, country }]);
    }
    if (identifiers.length > 0) {
      const index = this.identifierIndex();
      for (const i of identifiers) {
        const k = `${i.key.toLowerCase()}\u0000${i.value}`;
        index.set(k, [...(index.get(k) ?? []), newEntityId]);
      }
    }
    return outcome;
  }

  /** Adds to a matched entity the names and identifiers of the row it does not have yet. */
  private addNames(entityId: string, names: string[], identifiers: { key: string; value: string }[]): void {
    const writer = this.writer;
    if (!writer) return;
    const keys = new Set([this.stmt.entityNameKey.get(entityId) as string, ...(this.stmt.aliasKeys.all(entityId) as string[])]);
    let position = this.stmt.maxPosition.get(entityId) as number;
    for (const alias of names) {
      const key = nameKey(alias);
      if (keys.has(key)) continue;
      keys.add(key);
      writer.insert('entity_aliases', { id: writer.newId(), entity_id: entityId, name: alias, name_key: key, language: null, position: position++ });
    }
    const have = new Set((this.stmt.identifiersOf.all(entityId) as { key: string; value: string }[]).map((i) => `${i.key.toLowerCase()}\u0000${i.value}`));
    let idPosition = this.stmt.maxIdentifier.get(entityId) as number;
    for (const identifier of identifiers) {
      if (have.has(`${identifier.key.toLowerCase()}\u0000${identifier.value}`)) continue;
      writer.insert('entity_identifiers', { id: writer.newId(), entity_id: entityId, key: identifier.key, value: identifier.value, position: idPosition++ });
    }
  }

  /** An entity of the case (or of earlier rows) the row stands for: the same ID, the same external identifier, or the same name or alias with the same type and country. */
  private matchEntity(id: string | null, identifiers: { key: string; value: string }[], keys: string[], type: string, country: string | null): string | null {
    if (id !== null && this.stmt.entityById.get(id)) return id;
    if (identifiers.length > 0) {
      const index = this.identifierIndex();
      for (const i of identifiers) {
        const found = index.get(`${i.key.toLowerCase()}\u0000${i.value}`);
        if (found?.[0]) return found[0];
      }
    }
    for (const key of keys) {
      if (key === '') continue;
      const found = (this.stmt.entityByKey.get(key, type, country) ?? this.stmt.entityByAliasKey.get(key, type, country)) as string | undefined;
      if (found) return found;
      const planned = this.planned.get(key)?.find((c) => c.type === type && c.country === country);
      if (planned) return planned.id;
    }
    return null;
  }

  // ---- Links ----

  /** The entity a link's end names: by ID, name or any alias; an ambiguous name is reported with its candidates. */
  private end(cells: RowCells, field: 'from' | 'to', label: string, problems: string[]): string | null {
    const cell = one(cells, field);
    if (!cell) {
      problems.push(`${label} is missing.`);
      return null;
    }
    const v = cell.value;
    if (UUID_V7.test(v) && this.stmt.entityById.get(v)) return v;
    type Named = { id: string; name: string; type: string; country: string | null };
    let found = this.stmt.entitiesByName.all(v, v) as Named[];
    if (found.length === 0) {
      const key = nameKey(v);
      if (key !== '') found = this.stmt.entitiesByNameKey.all(key, key) as Named[];
    }
    const distinct = unique(found, (c) => c.id);
    if (distinct.length === 1) return distinct[0]?.id ?? null;
    if (distinct.length === 0) {
      problems.push(`${label} "${v.slice(0, 80)}" is not an entity of the case (by ID, name or alias).`);
      return null;
    }
    const listed = distinct
      .slice(0, 5)
      .map((c) => `${c.name} (${[c.type, c.country].filter(Boolean).join(', ')}; ${c.id})`)
      .join('; ');
    problems.push(`${label} "${v.slice(0, 80)}" names ${distinct.length} entities: ${listed}${distinct.length > 5 ? '; …' : ''}. Use the ID or the full name of the one meant.`);
    return null;
  }

  /** A link of the case from one entity to the other with this type (in any case of letters), read along the end with fewer links (the kept degrees only choose the index), or along the from end while a large import leaves the degrees out. */
  private linkBetween(from: string, to: string, type: string): string | null {
    if (this.alongFrom) return this.alongFrom.find(from, to, type);
    const fromLinks = (this.stmt.degree.get(from) as number | undefined) ?? 0;
    const toLinks = (this.stmt.degree.get(to) as number | undefined) ?? 0;
    const found = fromLinks <= toLinks ? this.stmt.linkFromEnd.get(from, to, type) : this.stmt.linkToEnd.get(to, from, type);
    return (found as string | undefined) ?? null;
  }

  private link(cells: RowCells, problems: string[]): RowOutcome {
    const id = this.givenId(cells, problems);
    const from = this.end(cells, 'from', 'From', problems);
    const to = this.end(cells, 'to', 'To', problems);
    const type = this.required(cells, 'type', 100, 'The link type', problems);
    const direction = this.oneOf(cells, 'direction', LINK_DIRECTIONS, 'directed', 'The direction', problems);
    const start = this.date(cells, 'start', 'The start', problems);
    const end = this.date(cells, 'end', 'The end', problems);
    const status = this.oneOf(cells, 'status', LINK_STATUSES, end ? 'ended' : 'active', 'The status', problems);
    const areas = this.areas(cells, problems);
    const notes = this.text(cells, 'notes', 100000, 'The notes', problems);
    const tags = this.list(cells, 'tags', 200, 'A tag', problems);
    if (from !== null && from === to) problems.push('A link joins two different entities; both ends name the same one.');
    if (start && end && end.slice(0, Math.min(start.length, end.length)) < start.slice(0, Math.min(start.length, end.length))) problems.push('The end is before the start.');
    if (problems.length > 0 || from === null || to === null || type === null) return 'problem';

    const match = (id !== null && this.stmt.linkById.get(id) ? id : null) ?? this.linkBetween(from, to, type);
    const handled = this.onMatched(match, 'links', 'link_id', areas, () => ({
      direction: one(cells, 'direction') ? direction : undefined,
      start_date: start ?? undefined,
      end_date: end ?? undefined,
      status: one(cells, 'status') ? status : undefined,
      notes: notes ?? undefined,
      tags: tags.length > 0 ? JSON.stringify(tags) : undefined,
    }));
    if (handled === 'skipped' || handled === 'updated') return handled;
    const outcome = handled;
    if (!this.writer) return outcome;
    const linkId = id !== null && !match ? id : this.writer.newId();
    const row = this.writer.insert('links', {
      id: linkId,
      from_id: from,
      to_id: to,
      type,
      direction,
      start_date: start,
      end_date: end,
      status,
      confidence: null,
      notes,
      tags: JSON.stringify(tags),
      created_at: this.at,
      updated_at: this.at,
    });
    this.alongFrom?.added(row, from, to, type);
    this.tagAreas(areas, 'link_id', linkId, false);
    return outcome;
  }

  // ---- Sources ----

  private source(cells: RowCells, problems: string[]): RowOutcome {
    const id = this.givenId(cells, problems);
    const title = this.required(cells, 'title', 1000, 'The title', problems);
    const kind = this.oneOf(cells, 'kind', SOURCE_KINDS, 'other', 'The kind', problems);
    const url = this.text(cells, 'url', 4000, 'The URL', problems);
    if (url !== null && !/^https?:\/\//i.test(url)) problems.push(`The URL "${url.slice(0, 60)}" does not start with http:// or https://.`);
    const publisher = this.text(cells, 'publisher', 500, 'The publisher', problems);
    const authors = this.list(cells, 'authors', 500, 'An author', problems);
    const published = this.date(cells, 'published', 'The published date', problems);
    const language = this.text(cells, 'language', 20, 'The language', problems);
    const gradeCell = one(cells, 'reliability');
    const grade = gradeCell?.value.toUpperCase() ?? 'F';
    if (!(RELIABILITY_GRADES as readonly string[]).includes(grade)) problems.push(`The reliability grade "${grade.slice(0, 20)}" is not A to F.`);
    const areas = this.areas(cells, problems);
    const notes = this.text(cells, 'notes', 100000, 'The notes', problems);
    if (problems.length > 0 || title === null) return 'problem';

    const match = (id !== null && this.stmt.sourceById.get(id) ? id : null) ?? ((url !== null ? this.stmt.sourceByUrl.get(url) : this.stmt.sourceByTitle.get(title)) as string | undefined) ?? null;
    const handled = this.onMatched(match, 'sources', 'source_id', areas, () => ({
      kind: one(cells, 'kind') ? kind : undefined,
      publisher: publisher ?? undefined,
      authors: authors.length > 0 ? JSON.stringify(authors) : undefined,
      published_date: published ?? undefined,
      language: language ?? undefined,
      reliability: gradeCell ? grade : undefined,
      notes: notes ?? undefined,
    }));
    if (handled === 'skipped' || handled === 'updated') return handled;
    const outcome = handled;
    if (!this.writer) return outcome;
    const sourceId = id !== null && !match ? id : this.writer.newId();
    this.writer.insert('sources', {
      id: sourceId,
      kind,
      title,
      url,
      publisher,
      authors: JSON.stringify(authors),
      published_date: published,
      accessed_at: null,
      language,
      reliability: grade,
      notes,
      created_at: this.at,
      updated_at: this.at,
    });
    this.tagAreas(areas, 'source_id', sourceId, false);
    return outcome;
  }
}
