import type { HitSanction, ReferenceList } from '../../shared/ops/screening';
import { formSimilarity, matchKeys, nameForms, READING_LABELS, type NameForm } from './names';
import type { ListEntry, ListReader } from './lists';

/** A case entity as screening reads it. */
export interface CaseEntity {
  id: string;
  name: string;
  type: string;
  country: string | null;
  names: string[];
  identifiers: { key: string; value: string }[];
  /** Dates the case holds for it, by the list's kind of date: from identifiers named so, or from an FtM import's own properties. */
  dates?: [DateKind, string][];
}

export type DateKind = 'birthDate' | 'incorporationDate' | 'buildDate';

/** Identifier names an investigator gives a date under, by the kind of date a list entry carries. */
const DATE_IDENTIFIERS: Record<string, DateKind> = {
  'date of birth': 'birthDate',
  'birth date': 'birthDate',
  born: 'birthDate',
  birthdate: 'birthDate',
  'incorporation date': 'incorporationDate',
  'date of incorporation': 'incorporationDate',
  incorporated: 'incorporationDate',
  incorporationdate: 'incorporationDate',
  'build date': 'buildDate',
  built: 'buildDate',
  builddate: 'buildDate',
};
const DATE_WORDS: Record<DateKind, [string, string]> = { birthDate: ['born', 'date of birth'], incorporationDate: ['incorporated', 'date of incorporation'], buildDate: ['built', 'build date'] };

/** A date as far as it is known (year, year and month, or the day), or null when the text is not one. */
function partialDate(text: string): string | null {
  const found = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text.trim());
  return found ? found[0] : null;
}

/** The case's dates for an entity: identifiers named as dates, and the dates an FtM import kept among the entity's own properties. */
export function caseDates(identifiers: readonly { key: string; value: string }[], ftmProperties: string | null): [DateKind, string][] {
  const dates: [DateKind, string][] = [];
  for (const i of identifiers) {
    const kind = DATE_IDENTIFIERS[i.key.trim().toLowerCase()];
    const date = kind ? partialDate(i.value) : null;
    if (kind && date) dates.push([kind, date]);
  }
  if (ftmProperties) {
    try {
      const properties = JSON.parse(ftmProperties) as Record<string, unknown>;
      for (const kind of ['birthDate', 'incorporationDate', 'buildDate'] as const) {
        const values = properties[kind];
        for (const v of Array.isArray(values) ? values : []) {
          const date = typeof v === 'string' ? partialDate(v) : null;
          if (date) dates.push([kind, date]);
        }
      }
    } catch {
      // Properties that are not JSON hold no date to compare.
    }
  }
  return dates;
}

/** Two dates known to different precision agree when the shorter is the start of the longer (1965 and 1965-03-14). */
function datesAgree(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** A hit found by one run, before it is kept in the case. */
export interface FoundHit {
  entityId: string;
  entityName: string;
  list: ReferenceList;
  entryId: string;
  entrySchema: string;
  entryNames: string[];
  score: number;
  caseName: string;
  listName: string;
  why: string;
  sanctions: HitSanction[];
}

/** The most country, type, a shared identifier and agreeing dates together add to a name's similarity. */
const MOST_AGREEMENT_ADDS = 0.42;

const PERSON_SCHEMATA = new Set(['Person']);
const ORGANISATION_SCHEMATA = new Set(['Organization', 'Company', 'PublicBody']);

/** Whether an entry's schema and a case entity's type agree, disagree, or cannot tell (LegalEntity is either). */
function typeAgreement(type: string, schema: string): 'agrees' | 'disagrees' | null {
  if (schema === 'LegalEntity') return type === 'person' || type === 'organisation' ? 'agrees' : 'disagrees';
  if (PERSON_SCHEMATA.has(schema)) return type === 'person' ? 'agrees' : 'disagrees';
  if (ORGANISATION_SCHEMATA.has(schema)) return type === 'organisation' ? 'agrees' : 'disagrees';
  if (schema === 'Vessel') return type === 'product' ? 'agrees' : 'disagrees';
  return null;
}

const TYPE_WORDS: Record<string, string> = { Person: 'a person', Organization: 'an organisation', Company: 'a company', PublicBody: 'a public body', LegalEntity: 'a legal entity', Vessel: 'a vessel' };

/** Digits and letters only, upper case: "7802 198567" and "7802198567" are one INN. */
function plainIdentifier(value: string): string {
  return value.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

/** Names of a case entity read once for the whole run. */
interface ReadName {
  name: string;
  forms: NameForm[];
  keys: string[];
}

export function readNames(entity: CaseEntity): ReadName[] {
  return entity.names.map((name) => {
    const forms = nameForms(name);
    return { name, forms, keys: [...new Set(forms.flatMap(matchKeys))] };
  });
}

/**
 * Scores one case entity against one list entry from 0 to 1, and says why:
 * the best pair of names (every reading of each: pinyin, the romanisation
 * schemes), then what else agrees or disagrees. Country and type move the
 * score a little when they agree and more when they differ; a shared
 * identifier (INN, OGRN, LEI, registration number) makes the match
 * near-certain and a different one of the same kind counts against it.
 */
export function scoreEntry(entity: CaseEntity, names: readonly ReadName[], entry: ListEntry, threshold = 0): { score: number; caseName: string; listName: string; why: string } | null {
  let best = { score: 0, caseName: entity.name, listName: entry.names[0] ?? '', caseReading: 'latin' as NameForm['reading'], listReading: 'latin' as NameForm['reading'], how: 'tokens' as 'tokens' | 'syllables' | 'run', unmatched: [] as string[] };
  for (const read of names) {
    for (const form of read.forms) {
      for (const { name, form: other } of entry.forms) {
        const s = formSimilarity(form, other);
        if (s.score > best.score) best = { score: s.score, caseName: read.name, listName: entry.names[name] ?? '', caseReading: form.reading, listReading: other.reading, how: s.how, unmatched: s.unmatched };
      }
    }
  }
  // Nothing else can lift a name this far from the list's names to the threshold: no need to explain it.
  if (best.score + MOST_AGREEMENT_ADDS < threshold) return null;
  let score = best.score;
  const agreed: string[] = [];
  const disagreed: string[] = [];
  const throughWords: string[] = [];
  if (best.caseReading !== 'latin') throughWords.push(`the case name read in ${READING_LABELS[best.caseReading]}`);
  if (best.listReading !== 'latin') throughWords.push(`the list name read in ${READING_LABELS[best.listReading]}`);
  const through = throughWords.length ? ` through ${throughWords.join(' and ')}` : '';
  // A reading through another script that is not letter for letter the same is a little less sure.
  if (throughWords.length && score < 1) score *= 0.97;
  const nameWords =
    best.score >= 0.999
      ? `"${best.caseName}" and "${best.listName}" are the same name${through}`
      : `"${best.caseName}" and "${best.listName}" are ${percent(best.score)} alike${best.how === 'run' ? ' written as one run of letters' : best.how === 'syllables' ? ' by pairs of syllables' : ' word for word, in any order'}${through}${best.unmatched.length ? `; words without a partner: ${best.unmatched.slice(0, 6).join(', ')}` : ''}`;

  if (entity.country && entry.countries.length) {
    if (entry.countries.includes(entity.country)) {
      score += 0.05;
      agreed.push(`country ${entity.country}`);
    } else {
      score -= 0.12;
      disagreed.push(`country (${entity.country} in the case, ${entry.countries.join(', ')} on the list)`);
    }
  }
  const type = typeAgreement(entity.type, entry.schema);
  if (type === 'agrees') {
    score += 0.02;
    agreed.push(`type (${TYPE_WORDS[entry.schema] ?? entry.schema})`);
  } else if (type === 'disagrees') {
    score -= 0.25;
    disagreed.push(`type (${entity.type} in the case, ${TYPE_WORDS[entry.schema] ?? entry.schema} on the list)`);
  }
  const caseIds = new Set(entity.identifiers.map((i) => plainIdentifier(i.value)).filter((v) => v.length >= 5));
  const shared = entry.identifiers.filter(([, v]) => caseIds.has(plainIdentifier(v)));
  if (shared.length) {
    score += 0.3;
    agreed.push(`identifier ${shared.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } else {
    const kinds: Record<string, string> = { innCode: 'inn', ogrnCode: 'ogrn', leiCode: 'lei', wikidataId: 'wikidata' };
    const caseByKind = new Map(entity.identifiers.map((i) => [i.key.toLowerCase(), plainIdentifier(i.value)]));
    const differing = entry.identifiers.filter(([k, v]) => {
      const kind = kinds[k];
      const own = kind ? caseByKind.get(kind) : undefined;
      return own !== undefined && own !== plainIdentifier(v);
    });
    if (differing.length) {
      score -= 0.2;
      disagreed.push(`identifier (${differing.map(([k, v]) => `${k} ${v} on the list`).join(', ')})`);
    }
  }
  // Dates of the same kind on both sides: one that agrees moves the score up a little, only differing ones down.
  const uncompared: string[] = [];
  const kinds = [...new Set(entry.dates.map(([k]) => k))];
  let datesAgreed = false;
  for (const kind of kinds) {
    const listed = entry.dates.filter(([k]) => k === kind).map(([, v]) => partialDate(v)).filter((v): v is string => v !== null);
    const own = (entity.dates ?? []).filter(([k]) => k === kind).map(([, v]) => v);
    const [verb, noun] = DATE_WORDS[kind as DateKind] ?? ['dated', 'date'];
    if (own.length === 0 || listed.length === 0) {
      uncompared.push(...entry.dates.filter(([k]) => k === kind).map(([, v]) => `${verb} ${v}`));
      continue;
    }
    const same = own.find((o) => listed.some((l) => datesAgree(o, l)));
    if (same) {
      if (!datesAgreed) score += 0.05;
      datesAgreed = true;
      agreed.push(`${noun} ${listed.find((l) => datesAgree(same, l)) ?? same}`);
    } else {
      score -= 0.15;
      disagreed.push(`${noun} (${own.join(', ')} in the case, ${listed.join(', ')} on the list)`);
    }
  }
  score = Math.max(0, Math.min(1, score));
  const parts = [nameWords];
  if (agreed.length) parts.push(`agrees: ${agreed.join('; ')}`);
  if (disagreed.length) parts.push(`differs: ${disagreed.join('; ')}`);
  if (uncompared.length) parts.push(`list entry ${uncompared.join(', ')} (the case holds no date to compare)`);
  return { score: Math.round(score * 1000) / 1000, caseName: best.caseName, listName: best.listName, why: `${parts.join('. ')}.` };
}

/**
 * Screens entities against one list: each name's keys find the candidate
 * entries in the list's index (never every pair), then each candidate is
 * scored; those at or above the threshold are hits, one per entity and entry.
 */
export function screenAgainst(entities: readonly CaseEntity[], list: ListReader, threshold: number, tick?: (done: number) => void): FoundHit[] {
  const hits: FoundHit[] = [];
  const sanctionCache = new Map<string, HitSanction[]>();
  entities.forEach((entity, index) => {
    tick?.(index);
    const names = readNames(entity);
    const keys = [...new Set(names.flatMap((n) => n.keys))];
    if (keys.length === 0) return;
    for (const entry of list.readMany(list.candidates(keys))) {
      const scored = scoreEntry(entity, names, entry, threshold);
      if (!scored || scored.score < threshold) continue;
      let sanctions = sanctionCache.get(entry.ftmId);
      if (!sanctions) {
        sanctions = list.sanctions(entry.ftmId);
        sanctionCache.set(entry.ftmId, sanctions);
      }
      hits.push({ entityId: entity.id, entityName: entity.name, list: list.info, entryId: entry.ftmId, entrySchema: entry.schema, entryNames: entry.names, sanctions, ...scored });
    }
  });
  return hits;
}
