import { nameKey } from '../../shared/name-key';
import { ENTITY_TYPES, LINK_DIRECTIONS, LINK_STATUSES } from '../../shared/model';
import { isPartialDate } from '../../shared/partial-date';
import { RELIABILITY_GRADES, SOURCE_KINDS } from '../../shared/schemas';
import { newId, now } from '../core/clock';
import type { BulkWriter } from './journal';

/** One imported item as named fields, values as text (lists separated by semicolons). */
export type FieldValues = Partial<Record<string, string>>;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A row that cannot be imported; its message names the field. */
export class RowProblem extends Error {}

function text(value: string | undefined, max: number, label: string): string | null {
  const v = value?.trim() ?? '';
  if (v === '') return null;
  if (v.length > max) throw new RowProblem(`${label} is longer than ${max} characters.`);
  return v;
}

function required(value: string | undefined, max: number, label: string): string {
  const v = text(value, max, label);
  if (v === null) throw new RowProblem(`${label} is missing.`);
  return v;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, label: string): T {
  const v = value?.trim().toLowerCase().replaceAll(' ', '_') ?? '';
  if (v === '') return fallback;
  const found = allowed.find((a) => a.toLowerCase() === v);
  if (!found) throw new RowProblem(`${label} "${value ?? ''}" is not one of ${allowed.join(', ')}.`);
  return found;
}

function partialDate(value: string | undefined, label: string): string | null {
  const v = text(value, 10, label);
  if (v !== null && !isPartialDate(v)) throw new RowProblem(`${label} "${v}" is not a date like 2017, 2017-09 or 2017-09-01.`);
  return v;
}

/** Checks a given ID, or makes a new one. */
export function itemId(value: string | undefined, exists: (id: string) => boolean, make: () => string = newId): string {
  const v = value?.trim() ?? '';
  if (v === '') return make();
  if (!UUID_V7.test(v)) throw new RowProblem(`the id "${v.slice(0, 60)}" is not a Caseboard ID; leave the column out to make new ones.`);
  if (exists(v)) throw new RowProblem(`an item with the id ${v} is already in the case.`);
  return v;
}

/** Writes one entity from field values; returns its id. */
export function writeEntity(writer: BulkWriter, id: string, f: FieldValues, at = now(), more: Record<string, unknown> = {}): string {
  const name = required(f.name, 500, 'The name');
  const country = text(f.country, 3, 'The country')?.toUpperCase() ?? null;
  if (country !== null && !/^[A-Z]{2,3}$/.test(country)) throw new RowProblem(`The country "${country}" is not a two- or three-letter code.`);
  const aliases = list(f.aliases);
  for (const alias of aliases) if (alias.length > 500) throw new RowProblem('An alias is longer than 500 characters.');
  writer.insert('entities', {
    id,
    type: oneOf(f.type, ENTITY_TYPES, 'organisation', 'The type'),
    subtype: text(f.subtype, 100, 'The subtype'),
    name,
    name_key: nameKey(name),
    country,
    description: text(f.description, 20000, 'The description'),
    notes: text(f.notes, 100000, 'The notes'),
    tags: JSON.stringify(list(f.tags)),
    confidence: null,
    created_at: at,
    updated_at: at,
    ...more,
  });
  aliases.forEach((alias, position) => {
    writer.insert('entity_aliases', { id: writer.newId(), entity_id: id, name: alias, name_key: nameKey(alias), language: null, position });
  });
  return id;
}

/** Writes one link between two entities of the case. */
export function writeLink(writer: BulkWriter, id: string, fromId: string, toId: string, f: FieldValues, at = now(), more: Record<string, unknown> = {}): void {
  if (fromId === toId) throw new RowProblem('A link joins two different entities.');
  const start = partialDate(f.start, 'The start');
  const end = partialDate(f.end, 'The end');
  if (start && end && end.slice(0, Math.min(start.length, end.length)) < start.slice(0, Math.min(start.length, end.length))) throw new RowProblem('The end is before the start.');
  writer.insert('links', {
    id,
    from_id: fromId,
    to_id: toId,
    type: required(f.type, 100, 'The link type'),
    direction: oneOf(f.direction, LINK_DIRECTIONS, 'directed', 'The direction'),
    start_date: start,
    end_date: end,
    status: oneOf(f.status, LINK_STATUSES, end ? 'ended' : 'active', 'The status'),
    confidence: null,
    notes: text(f.notes, 100000, 'The notes'),
    tags: JSON.stringify(list(f.tags)),
    created_at: at,
    updated_at: at,
    ...more,
  });
}

/** Writes one source. */
export function writeSource(writer: BulkWriter, id: string, f: FieldValues, at = now()): void {
  const grade = f.reliability?.trim().toUpperCase() || 'F';
  if (!(RELIABILITY_GRADES as readonly string[]).includes(grade)) throw new RowProblem(`The reliability grade "${grade}" is not A to F.`);
  const url = text(f.url, 4000, 'The URL');
  if (url !== null && !/^https?:\/\//i.test(url)) throw new RowProblem(`The URL "${url.slice(0, 60)}" does not start with http:// or https://.`);
  writer.insert('sources', {
    id,
    kind: oneOf(f.kind, SOURCE_KINDS, 'other', 'The kind'),
    title: required(f.title, 1000, 'The title'),
    url,
    publisher: text(f.publisher, 500, 'The publisher'),
    authors: JSON.stringify(list(f.authors)),
    published_date: partialDate(f.published, 'The published date'),
    accessed_at: null,
    language: text(f.language, 20, 'The language'),
    reliability: grade,
    notes: text(f.notes, 100000, 'The notes'),
    created_at: at,
    updated_at: at,
  });
}
