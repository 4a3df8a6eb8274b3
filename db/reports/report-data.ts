import { createHash } from 'node:crypto';
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { admiraltyGrade } from '../../shared/confidence';
import type { Citation, EntityType, LinkDirection, LinkStatus, Confidence } from '../../shared/model';
import { partialDateRange } from '../../shared/partial-date';
import type { ReportData, ReportEntity, ReportEvidence, ReportFields, ReportGraphNode, ReportLink, ReportSource } from '../../shared/report';
import type { ReliabilityGrade, SourceKind } from '../../shared/schemas';
import { areaSubtree, areasFor } from '../model/areas';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { getCaseDetails } from '../core/case-info';
import { citationsFor, derivedConfidences } from '../model/citations';
import { sanctionsFor } from '../model/sanctions';

/** What a report is built from: a saved definition or one being edited (findings as excerpt IDs). */
export type ReportDefinitionInput = Pick<ReportFields, 'title' | 'author' | 'date' | 'marking' | 'summary' | 'scope' | 'sections'> & {
  findings: readonly { text: string; excerptIds: readonly string[] }[];
};

export interface AssembleOptions {
  exportedAt: string;
  /** Hash the case file for the appendix (exports); a preview skips it. */
  hashCaseFile: boolean;
}

interface EntityDbRow {
  id: string;
  name: string;
  type: EntityType;
  subtype: string | null;
  country: string | null;
  description: string | null;
  notes: string | null;
  confidence: Confidence | null;
}

interface LinkDbRow {
  id: string;
  from_id: string;
  to_id: string;
  type: string;
  direction: LinkDirection;
  start_date: string | null;
  end_date: string | null;
  status: LinkStatus;
  confidence: Confidence | null;
  notes: string | null;
}

interface ExcerptDbRow {
  id: string;
  quote: string;
  page: number | null;
  location: string | null;
  comment: string | null;
  credibility: number;
  source_id: string;
  source_title: string;
  reliability: ReliabilityGrade;
}

interface SourceDbRow {
  id: string;
  kind: SourceKind;
  title: string;
  url: string | null;
  publisher: string | null;
  authors: string;
  published_date: string | null;
  accessed_at: string | null;
  reliability: ReliabilityGrade;
}

const json = (ids: Iterable<string>) => JSON.stringify([...ids]);

/** SHA-256 of a file, read in chunks so a large case file never sits in memory whole. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function caseFileHash(db: CaseDb): string | null {
  if (db.memory) return null;
  try {
    // Fold the write-ahead log into the file first, so the hash is of the case as it is now.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A read-only connection cannot checkpoint; its file is what a reader would receive.
  }
  return sha256OfFile(caseFilePath(db));
}

function areaIdsOf(db: CaseDb, roots: readonly string[]): string[] {
  const all = new Set<string>();
  for (const root of roots) {
    try {
      for (const id of areaSubtree(db, root)) all.add(id);
    } catch {
      // An area deleted since the report was saved no longer narrows it.
    }
  }
  return [...all];
}

function overlaps(link: { start_date: string | null; end_date: string | null }, from: string | null, to: string | null): boolean {
  if (!from && !to) return true;
  if (!link.start_date && !link.end_date) return true;
  const start = link.start_date ? partialDateRange(link.start_date)?.start : null;
  const end = link.end_date ? partialDateRange(link.end_date)?.end : null;
  const windowStart = from ? partialDateRange(from)?.start : null;
  const windowEnd = to ? partialDateRange(to)?.end : null;
  if (windowEnd && start && start > windowEnd) return false;
  if (windowStart && end && end < windowStart) return false;
  return true;
}

function linkDates(start: string | null, end: string | null): string {
  if (!start && !end) return '';
  if (start && end) return start === end ? start : `${start}–${end}`;
  return start ? `${start}–` : `–${end ?? ''}`;
}

/**
 * Positions for the graph picture: saved ones where the graph view left them;
 * the rest laid out by ForceAtlas2 from a circle (deterministic, so the same
 * case gives the same picture), with saved nodes held in place.
 */
function placeNodes(nodes: { id: string; degree: number }[], edges: { from: string; to: string }[], saved: Map<string, { x: number; y: number }>): Map<string, { x: number; y: number }> {
  const graph = new Graph({ multi: true, type: 'mixed' });
  const ordered = [...nodes].sort((a, b) => b.degree - a.degree || a.id.localeCompare(b.id));
  ordered.forEach((node, i) => {
    const fixedAt = saved.get(node.id);
    const angle = (2 * Math.PI * i) / Math.max(1, ordered.length);
    graph.addNode(node.id, fixedAt ? { ...fixedAt, fixed: true } : { x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) });
  });
  for (const edge of edges) if (graph.hasNode(edge.from) && graph.hasNode(edge.to) && edge.from !== edge.to) graph.addEdge(edge.from, edge.to);
  if (saved.size < nodes.length && nodes.length > 1) {
    const settings = forceAtlas2.inferSettings(graph);
    forceAtlas2.assign(graph, { iterations: nodes.length > 2000 ? 100 : 400, settings: { ...settings, barnesHutOptimize: nodes.length > 500, gravity: 1, scalingRatio: 10 } });
  }
  const placed = new Map<string, { x: number; y: number }>();
  graph.forEachNode((id, attributes) => placed.set(id, { x: Number(attributes.x), y: Number(attributes.y) }));
  return placed;
}

/**
 * Assembles everything one briefing prints from the case: the entities,
 * links, citations and sources in its scope, with every citation resolved to
 * a numbered row of the evidence table (numbered in the order the report
 * cites them) and every source to a numbered bibliography entry.
 */
export function assembleReport(db: CaseDb, definition: ReportDefinitionInput, options: AssembleOptions): ReportData {
  const details = getCaseDetails(db);
  const scope = definition.scope;
  const areaIds = areaIdsOf(db, scope.areaIds);
  const chosen = scope.entityIds.length > 0 ? new Set((db.prepare('SELECT id FROM entities WHERE id IN (SELECT value FROM json_each(?))').all(json(scope.entityIds)) as { id: string }[]).map((r) => r.id)) : null;

  // Entities in scope: the chosen ones, else those an area tags (directly or through a tagged link), else all.
  let entityIds: Set<string>;
  if (chosen) entityIds = chosen;
  else if (scope.areaIds.length > 0) {
    const tagged = db
      .prepare(
        `SELECT entity_id AS id FROM area_tags WHERE entity_id IS NOT NULL AND area_id IN (SELECT value FROM json_each(?))
         UNION SELECT l.from_id FROM links l JOIN area_tags t ON t.link_id = l.id WHERE t.area_id IN (SELECT value FROM json_each(?))
         UNION SELECT l.to_id FROM links l JOIN area_tags t ON t.link_id = l.id WHERE t.area_id IN (SELECT value FROM json_each(?))`,
      )
      .all(json(areaIds), json(areaIds), json(areaIds)) as { id: string }[];
    entityIds = new Set(tagged.map((r) => r.id));
  } else entityIds = new Set((db.prepare('SELECT id FROM entities').all() as { id: string }[]).map((r) => r.id));

  const linkRows = (
    db
      .prepare(
        `SELECT id, from_id, to_id, type, direction, start_date, end_date, status, confidence, notes FROM links
         WHERE from_id IN (SELECT value FROM json_each(?)) ${chosen ? 'OR' : 'AND'} to_id IN (SELECT value FROM json_each(?))`,
      )
      .all(json(entityIds), json(entityIds)) as LinkDbRow[]
  ).filter((l) => overlaps(l, scope.from, scope.to));

  // Profiles cover the entities in scope; the graph and tables also name the other ends of their links.
  const namedIds = new Set(entityIds);
  for (const l of linkRows) {
    namedIds.add(l.from_id);
    namedIds.add(l.to_id);
  }
  const entityRows = db
    .prepare('SELECT id, name, type, subtype, country, description, notes, confidence FROM entities WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id')
    .all(json(namedIds)) as EntityDbRow[];
  const byId = new Map(entityRows.map((e) => [e.id, e]));
  const nameOf = (id: string) => byId.get(id)?.name ?? '(deleted entity)';
  linkRows.sort((a, b) => (a.start_date ?? '9999').localeCompare(b.start_date ?? '9999') || nameOf(a.from_id).localeCompare(nameOf(b.from_id)) || a.id.localeCompare(b.id));

  const profileRows = entityRows.filter((e) => entityIds.has(e.id));
  const profileIds = profileRows.map((e) => e.id);
  const linkIds = linkRows.map((l) => l.id);
  const entityCitations = citationsFor(db, 'entity', profileIds);
  const linkCitations = citationsFor(db, 'link', linkIds);
  const entityDerived = derivedConfidences(entityCitations);
  const linkDerived = derivedConfidences(linkCitations);
  const entityAreas = areasFor(db, 'entity', profileIds);
  const linkAreas = areasFor(db, 'link', linkIds);

  // Evidence numbers, given in the order the enabled sections cite them.
  const numbers = new Map<string, number>();
  const numberOf = (excerptId: string): number => {
    let n = numbers.get(excerptId);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(excerptId, n);
    }
    return n;
  };
  const cite = (citations: readonly Citation[] | undefined) => [...new Set((citations ?? []).map((c) => numberOf(c.excerptId)))];
  const findingExcerpts = new Set(definition.findings.flatMap((f) => f.excerptIds));
  const existingExcerpts = new Set(
    (db.prepare('SELECT id FROM excerpts WHERE id IN (SELECT value FROM json_each(?))').all(json(findingExcerpts)) as { id: string }[]).map((r) => r.id),
  );
  let findings: ReportData['findings'] = definition.findings.map((f) => ({ text: f.text, citations: [] }));
  let entityNumbers = new Map<string, number[]>();
  let linkNumbers = new Map<string, number[]>();
  const numberFindings = () => {
    findings = definition.findings.map((f) => ({ text: f.text, citations: [...new Set(f.excerptIds.filter((id) => existingExcerpts.has(id)).map(numberOf))] }));
  };
  const numberEntities = () => {
    entityNumbers = new Map(profileIds.map((id) => [id, cite(entityCitations.get(id))]));
  };
  const numberLinks = () => {
    linkNumbers = new Map(linkIds.map((id) => [id, cite(linkCitations.get(id))]));
  };
  const numbered = new Set<string>();
  for (const section of definition.sections) {
    if (!section.enabled) continue;
    if (section.kind === 'findings') numberFindings();
    if (section.kind === 'entities') numberEntities();
    if (section.kind === 'relationships' || section.kind === 'entities') {
      if (!numbered.has('links')) numberLinks();
      numbered.add('links');
    }
    numbered.add(section.kind);
  }

  const links: ReportLink[] = linkRows.map((l) => ({
    id: l.id,
    fromId: l.from_id,
    toId: l.to_id,
    from: nameOf(l.from_id),
    to: nameOf(l.to_id),
    type: l.type,
    direction: l.direction,
    startDate: l.start_date,
    endDate: l.end_date,
    status: l.status,
    confidence: l.confidence ?? linkDerived.get(l.id) ?? null,
    areas: (linkAreas.get(l.id) ?? []).map((a) => ({ name: a.name, colour: a.colour })),
    notes: l.notes,
    citations: linkNumbers.get(l.id) ?? [],
  }));

  const aliasRows = db
    .prepare('SELECT entity_id, name, language FROM entity_aliases WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, position')
    .all(json(profileIds)) as { entity_id: string; name: string; language: string | null }[];
  const identifierRows = db
    .prepare('SELECT entity_id, key, value FROM entity_identifiers WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, position')
    .all(json(profileIds)) as { entity_id: string; key: string; value: string }[];
  const group = <T extends { entity_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.entity_id, [...(map.get(row.entity_id) ?? []), row]);
    return map;
  };
  const aliases = group(aliasRows);
  const identifiers = group(identifierRows);
  const sanctions = sanctionsFor(db, profileIds);
  const linksByEntity = new Map<string, ReportLink[]>();
  for (const link of links) {
    for (const end of [link.fromId, link.toId]) linksByEntity.set(end, [...(linksByEntity.get(end) ?? []), link]);
  }

  const entities: ReportEntity[] = profileRows.map((e) => ({
    id: e.id,
    name: e.name,
    type: e.type,
    subtype: e.subtype,
    country: e.country,
    aliases: (aliases.get(e.id) ?? []).map((a) => ({ name: a.name, language: a.language })),
    identifiers: (identifiers.get(e.id) ?? []).map((i) => ({ key: i.key, value: i.value })),
    description: e.description,
    notes: e.notes,
    areas: (entityAreas.get(e.id) ?? []).map((a) => a.name),
    confidence: e.confidence ?? entityDerived.get(e.id) ?? null,
    citations: entityNumbers.get(e.id) ?? [],
    sanctions: (sanctions.get(e.id) ?? []).map(({ authority, program, startDate, endDate, reason, sourceUrl, list }) => ({ authority, program, startDate, endDate, reason, sourceUrl, list })),
    keyLinks: (linksByEntity.get(e.id) ?? []).map((l) => {
      const outgoing = l.fromId === e.id;
      const arrow = l.direction === 'mutual' ? '↔' : outgoing ? '→' : '←';
      return { label: `${l.type} ${arrow} ${outgoing ? l.to : l.from}`, dates: linkDates(l.startDate, l.endDate), citations: l.citations };
    }),
  }));

  // The evidence table: every numbered excerpt, with its source numbered in the order first cited.
  const excerptRows = db
    .prepare(
      `SELECT x.id, x.quote, x.page, x.location, x.comment, x.credibility, s.id AS source_id, s.title AS source_title, s.reliability
       FROM excerpts x JOIN sources s ON s.id = x.source_id WHERE x.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json(numbers.keys())) as ExcerptDbRow[];
  const excerptById = new Map(excerptRows.map((x) => [x.id, x]));
  const sourceNumbers = new Map<string, number>();
  const evidence: ReportEvidence[] = [];
  for (const [excerptId, number] of [...numbers].sort((a, b) => a[1] - b[1])) {
    const x = excerptById.get(excerptId);
    if (!x) continue;
    if (!sourceNumbers.has(x.source_id)) sourceNumbers.set(x.source_id, sourceNumbers.size + 1);
    evidence.push({
      number,
      excerptId,
      quote: x.quote,
      page: x.page,
      location: x.location,
      comment: x.comment,
      grade: admiraltyGrade(x.reliability, x.credibility),
      sourceNumber: sourceNumbers.get(x.source_id) ?? 0,
      sourceTitle: x.source_title,
    });
  }

  const sourceRows = db
    .prepare('SELECT id, kind, title, url, publisher, authors, published_date, accessed_at, reliability FROM sources WHERE id IN (SELECT value FROM json_each(?))')
    .all(json(sourceNumbers.keys())) as SourceDbRow[];
  const attachmentRows = db
    .prepare('SELECT source_id, name, media_type, size, sha256 FROM attachments WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id')
    .all(json(sourceNumbers.keys())) as { source_id: string; name: string; media_type: string; size: number; sha256: string }[];
  const sources: ReportSource[] = sourceRows
    .map((s) => {
      let authors: string[] = [];
      try {
        const parsed: unknown = JSON.parse(s.authors);
        if (Array.isArray(parsed)) authors = parsed.filter((a): a is string => typeof a === 'string');
      } catch {
        authors = [];
      }
      return {
        number: sourceNumbers.get(s.id) ?? 0,
        id: s.id,
        kind: s.kind,
        title: s.title,
        url: s.url,
        publisher: s.publisher,
        authors,
        publishedDate: s.published_date,
        accessedAt: s.accessed_at,
        reliability: s.reliability,
        attachments: attachmentRows.filter((a) => a.source_id === s.id).map((a) => ({ name: a.name, mediaType: a.media_type, size: a.size, sha256: a.sha256 })),
      };
    })
    .sort((a, b) => a.number - b.number);

  // The graph picture: saved positions where the graph view left them.
  const degree = new Map<string, number>();
  for (const l of linkRows) {
    degree.set(l.from_id, (degree.get(l.from_id) ?? 0) + 1);
    degree.set(l.to_id, (degree.get(l.to_id) ?? 0) + 1);
  }
  const graphIds = [...namedIds].filter((id) => byId.has(id));
  const saved = new Map(
    (db.prepare('SELECT entity_id, x, y FROM graph_positions WHERE entity_id IN (SELECT value FROM json_each(?))').all(json(graphIds)) as { entity_id: string; x: number; y: number }[]).map((p) => [
      p.entity_id,
      { x: p.x, y: p.y },
    ]),
  );
  const positions = placeNodes(graphIds.map((id) => ({ id, degree: degree.get(id) ?? 0 })), linkRows.map((l) => ({ from: l.from_id, to: l.to_id })), saved);
  const nodes: ReportGraphNode[] = graphIds.map((id) => ({
    id,
    label: nameOf(id),
    type: byId.get(id)?.type ?? 'organisation',
    x: positions.get(id)?.x ?? 0,
    y: positions.get(id)?.y ?? 0,
    degree: degree.get(id) ?? 0,
  }));

  const scopeLines: string[] = [];
  if (scope.areaIds.length > 0) {
    const names = (db.prepare('SELECT name FROM technology_areas WHERE id IN (SELECT value FROM json_each(?)) ORDER BY position, name').all(json(scope.areaIds)) as { name: string }[]).map((r) => r.name);
    scopeLines.push(`Technology areas: ${names.join(', ') || '(deleted areas)'}`);
  }
  if (chosen) {
    const names = profileRows.map((e) => e.name);
    scopeLines.push(`Entities: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ` and ${names.length - 12} more` : ''}`);
  }
  if (scope.from || scope.to) scopeLines.push(`Period: ${scope.from ?? 'any time'} to ${scope.to ?? 'now'}`);
  if (scopeLines.length === 0) scopeLines.push('The whole case');

  return {
    title: definition.title,
    author: definition.author,
    date: definition.date,
    marking: definition.marking ?? details.marking,
    summary: definition.summary,
    caseTitle: details.title,
    caseDescription: details.description,
    sections: definition.sections,
    scope: scopeLines,
    findings,
    entities,
    links,
    evidence,
    sources,
    graph: { nodes, edges: linkRows.map((l) => ({ from: l.from_id, to: l.to_id, directed: l.direction === 'directed' })), positioned: saved.size > 0 },
    provenance: {
      caseFile: path.basename(caseFilePath(db)),
      caseId: details.caseId,
      caseSha256: options.hashCaseFile ? caseFileHash(db) : null,
      exportedAt: options.exportedAt,
      schemaVersion: details.schemaVersion,
      generator: 'Caseboard',
    },
  };
}
