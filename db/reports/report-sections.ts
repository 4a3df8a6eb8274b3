import { describeBasis, type ConfidenceBasis } from '../../shared/confidence';
import type { Confidence } from '../../shared/model';
import { formatDateSpan } from '../../shared/partial-date';
import type { ReportEntity, ReportLink } from '../../shared/report';
import type { CaseDb } from '../core/case-file';
import { areasFor } from '../model/areas';
import { sanctionsFor } from '../model/sanctions';
import type { EvidenceNumbers, ItemCitations } from './report-evidence';
import { json, type ReportItems } from './report-scope';

/** The level a briefing prints and what it rests on: the analyst's own level wins over the derived one. */
function confidenceFor(set: Confidence | null, basis: ConfidenceBasis | null): { confidence: Confidence | null; confidenceBasis: string | null; confidenceSet: boolean } {
  if (set) return { confidence: set, confidenceBasis: basis ? `analyst's judgement; ${describeBasis(basis)}` : "analyst's judgement", confidenceSet: true };
  return { confidence: basis?.level ?? null, confidenceBasis: basis ? describeBasis(basis) : null, confidenceSet: false };
}

/** The links in scope as the relationships table prints them; a confidence the analyst set wins over the derived one. */
export function reportLinks(db: CaseDb, items: ReportItems, citations: ItemCitations, numbers: EvidenceNumbers): ReportLink[] {
  const areas = areasFor(
    db,
    'link',
    items.links.map((l) => l.id),
  );
  return items.links.map((l) => ({
    id: l.id,
    fromId: l.from_id,
    toId: l.to_id,
    from: items.nameOf(l.from_id),
    to: items.nameOf(l.to_id),
    type: l.type,
    direction: l.direction,
    startDate: l.start_date,
    endDate: l.end_date,
    status: l.status,
    ...confidenceFor(l.confidence, citations.linkConfidence.get(l.id) ?? null),
    areas: (areas.get(l.id) ?? []).map((a) => ({ name: a.name, colour: a.colour })),
    notes: l.notes,
    citations: numbers.links.get(l.id) ?? [],
    contradictions: numbers.linkContradictions.get(l.id) ?? [],
  }));
}

function byEntity<T extends { entity_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.entity_id, [...(map.get(row.entity_id) ?? []), row]);
  return map;
}

/** A profile of each entity in scope: names, identifiers, sanctions, and its links described from its side. */
export function entityProfiles(db: CaseDb, items: ReportItems, citations: ItemCitations, numbers: EvidenceNumbers, links: readonly ReportLink[]): ReportEntity[] {
  const ids = items.profiles.map((e) => e.id);
  const areas = areasFor(db, 'entity', ids);
  const aliases = byEntity(
    db
      .prepare('SELECT entity_id, name, language FROM entity_aliases WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, position')
      .all(json(ids)) as { entity_id: string; name: string; language: string | null }[],
  );
  const identifiers = byEntity(
    db.prepare('SELECT entity_id, key, value FROM entity_identifiers WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, position').all(json(ids)) as {
      entity_id: string;
      key: string;
      value: string;
    }[],
  );
  const sanctions = sanctionsFor(db, ids);
  const linksByEntity = new Map<string, ReportLink[]>();
  for (const link of links) {
    for (const end of [link.fromId, link.toId]) linksByEntity.set(end, [...(linksByEntity.get(end) ?? []), link]);
  }
  return items.profiles.map((e) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    subtype: e.subtype,
    country: e.country,
    aliases: (aliases.get(e.id) ?? []).map((a) => ({ name: a.name, language: a.language })),
    identifiers: (identifiers.get(e.id) ?? []).map((i) => ({ key: i.key, value: i.value })),
    description: e.description,
    notes: e.notes,
    areas: (areas.get(e.id) ?? []).map((a) => a.name),
    ...confidenceFor(e.confidence, citations.entityConfidence.get(e.id) ?? null),
    citations: numbers.entities.get(e.id) ?? [],
    contradictions: numbers.entityContradictions.get(e.id) ?? [],
    sanctions: (sanctions.get(e.id) ?? []).map(({ authority, program, startDate, endDate, reason, sourceUrl, list }) => ({ authority, program, startDate, endDate, reason, sourceUrl, list })),
    keyLinks: (linksByEntity.get(e.id) ?? []).map((l) => {
      const outgoing = l.fromId === e.id;
      const arrow = l.direction === 'mutual' ? '↔' : outgoing ? '→' : '←';
      return { label: `${l.type} ${arrow} ${outgoing ? l.to : l.from}`, dates: formatDateSpan(l.startDate, l.endDate), citations: l.citations };
    }),
  }));
}
