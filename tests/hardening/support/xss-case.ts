import path from 'node:path';
import { createCaseFile, type CaseDb } from '../../../db/core/case-file';
import { runCaseOperation, runCaseOperationAsync, type CaseOperationName } from '../../../db/host/operations';
import type { OpInput, OpOutput } from '../../../shared/contract';
import { ENTITY_TYPES, LINK_STATUSES } from '../../../shared/model';
import { REPORT_SECTION_KINDS } from '../../../shared/report';
import { RELIABILITY_GRADES, SOURCE_KINDS } from '../../../shared/schemas';
import { WHITESPACE_INSIDE } from './xss-payloads';

/** The saved report that carries payloads in every report field; the command line picks it by this name. */
export const HOSTILE_REPORT = 'Hostile briefing';

export interface XssCase {
  file: string;
  /** For each text field, the payloads (by index) stored in it whole. */
  coverage: Map<string, Set<number>>;
  counts: { sources: number; excerpts: number; attachments: number; entities: number; links: number; areas: number; reports: number; caseUpdates: number };
}

interface Plan {
  sources: number;
  entities: number;
  links: number;
  areas: number;
  reports: number;
  caseUpdates: number;
  attachments: number;
}

/**
 * Hands out payloads to fields. Spread: short fields take the next payload
 * of one cursor shared by all of them, so the corpus goes round every short
 * field; long fields (notes, quotes, descriptions) take a slice of the corpus
 * per item, so each long field holds the whole corpus across its items.
 * Everywhere: item i of every kind carries payload i in every field.
 */
/**
 * The text as a case can hold it: the contract refuses NUL characters in every
 * text field (SQLite cannot measure or compare past one), so NUL tricks never
 * reach a view; the rest of the payload does.
 */
function storable(text: string): string {
  return text.replaceAll('\u0000', '');
}

class Payloads {
  readonly coverage = new Map<string, Set<number>>();
  private cursor = 0;
  private readonly longCursors = new Map<string, number>();
  item = 0;

  constructor(
    readonly list: readonly string[],
    readonly everywhere: boolean,
  ) {}

  private record(field: string, index: number): void {
    const set = this.coverage.get(field) ?? new Set<number>();
    set.add(index);
    this.coverage.set(field, set);
  }

  /** A payload for a short field of at most `max` characters; a required field never gets blank text. */
  one(field: string, max: number, required = true): string {
    const index = this.everywhere ? this.item % this.list.length : this.cursor++ % this.list.length;
    const payload = this.list[index] as string;
    let text = storable(payload).slice(0, max);
    if (required && text.trim() === '') text = `x${text}`.slice(0, max);
    if (payload.length <= max) this.record(field, index);
    return text;
  }

  /** Several payloads, one a line, for a long field of at most `max` characters shared by `items` items. */
  many(field: string, max: number, items: number): string {
    if (this.everywhere) return this.one(field, max);
    const per = Math.ceil(this.list.length / items);
    const start = this.longCursors.get(field) ?? 0;
    this.longCursors.set(field, start + per);
    const parts: string[] = [];
    let length = 0;
    for (let index = start; index < Math.min(start + per, this.list.length); index += 1) {
      const payload = this.list[index] as string;
      if (length + payload.length + 1 > max) continue;
      parts.push(payload);
      length += payload.length + 1;
      this.record(field, index);
    }
    const text = storable(parts.join('\n'));
    return text.trim() === '' ? `x${text}` : text;
  }

  /** A web address carrying the payload, since source URLs must be http(s) addresses. */
  url(field: string): string {
    const index = this.everywhere ? this.item % this.list.length : this.cursor++ % this.list.length;
    const payload = (this.list[index] as string).trim();
    const candidates = [`https://xss.example/#${payload}`, `https://xss.example/?q=${encodeURIComponent(payload)}`];
    for (const candidate of candidates) {
      if (candidate.length > 2048) continue;
      try {
        new URL(candidate);
        if (candidate === candidates[0]) this.record(field, index);
        return candidate;
      } catch {
        // The next form is always valid.
      }
    }
    return 'https://xss.example/long';
  }
}

/**
 * A case file filled through the real operations with hostile text in every
 * text field: case title, marking and description, source titles,
 * publishers, authors, URLs and notes, attached file names and text, excerpt
 * quotes, locations and comments, entity names, subtypes, aliases,
 * identifiers, descriptions, notes and tags, link types, notes and tags,
 * technology area names, report names, titles, authors, markings, summaries,
 * findings and section notes, and the investigator recorded in the history.
 */
export async function buildXssCase(dir: string, payloads: readonly string[], options: { everywhere: boolean }): Promise<XssCase> {
  const p = new Payloads(payloads, options.everywhere);
  const n = payloads.length;
  const plan: Plan = options.everywhere
    ? { sources: n, entities: n, links: n, areas: n, reports: n, caseUpdates: n, attachments: n }
    : { sources: 12, entities: 16, links: 18, areas: 10, reports: 4, caseUpdates: 6, attachments: 4 };
  const file = path.join(dir, 'hostile-text.caseboard');
  const db: CaseDb = createCaseFile(file, { title: 'Hostile text' });
  let operations = 0;
  const actor = () => {
    // The investigator's name goes into the history of every change.
    const index = operations++ % n;
    if ((payloads[index] as string).length <= 200) p.coverage.set('investigator name', (p.coverage.get('investigator name') ?? new Set()).add(index));
    return (payloads[index] as string).slice(0, 200).trim() || 'x';
  };
  const ctx = () => ({ actor: actor(), progress: () => undefined, throwIfCancelled: () => undefined });
  const run = <N extends CaseOperationName>(name: N, input: OpInput<N>): OpOutput<N> => runCaseOperation(db, name, input, ctx());
  const runAsync = <N extends CaseOperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> => runCaseOperationAsync(db, name, input, ctx());

  try {
    for (let i = 0; i < plan.caseUpdates; i += 1) {
      p.item = i;
      run('case.update', { title: p.one('case title', 300), marking: p.one('case handling marking', 200, false), description: p.many('case description', 10000, plan.caseUpdates) });
    }

    const areaIds: string[] = [];
    const areaNames = new Set<string>();
    for (let i = 0; i < plan.areas; i += 1) {
      p.item = i;
      let name = p.one('technology area name', 100);
      // Area names are unique whatever their case; a repeat gets a number so the item still goes in.
      if (areaNames.has(name.trim().toLowerCase())) name = `${name.slice(0, 90)} (${i})`;
      areaNames.add(name.trim().toLowerCase());
      const area = run('areas.create', { name, colour: '#2458b3', parentId: i > 0 && i % 3 === 0 ? (areaIds[i - 1] as string) : null });
      areaIds.push(area.id);
    }

    const excerptIds: string[] = [];
    let attachments = 0;
    for (let i = 0; i < plan.sources; i += 1) {
      p.item = i;
      const source = run('sources.create', {
        kind: SOURCE_KINDS[i % SOURCE_KINDS.length] as (typeof SOURCE_KINDS)[number],
        title: p.one('source title', 1000),
        url: p.url('source URL'),
        publisher: p.one('source publisher', 500, false),
        authors: [p.one('source author', 300), p.one('source author', 300)],
        publishedDate: `${2000 + (i % 25)}`,
        reliability: RELIABILITY_GRADES[i % RELIABILITY_GRADES.length] as (typeof RELIABILITY_GRADES)[number],
        notes: p.many('source notes', 100000, plan.sources),
      });
      run('areas.tag', { areaId: areaIds[i % areaIds.length] as string, kind: 'source', itemId: source.id });
      let attachmentId: string | null = null;
      if (i < plan.attachments) {
        const text = p.many('attached file text', 100000, plan.attachments);
        const attached = await runAsync('attachments.add', { sourceId: source.id, file: { name: p.one('attached file name', 1000), base64: Buffer.from(text).toString('base64') }, allowDuplicate: true });
        attachmentId = attached.attachment.id;
        attachments += 1;
      }
      const excerpt = run('excerpts.create', {
        sourceId: source.id,
        fields: { attachmentId, quote: p.many('excerpt quote', 100000, plan.sources), location: p.one('excerpt location', 500, false), credibility: (i % 6) + 1, comment: p.many('excerpt comment', 20000, plan.sources) },
      });
      excerptIds.push(excerpt.id);
    }

    const entityIds: string[] = [];
    for (let i = 0; i < plan.entities; i += 1) {
      p.item = i;
      const entity = run('entities.create', {
        fields: {
          type: ENTITY_TYPES[i % ENTITY_TYPES.length] as (typeof ENTITY_TYPES)[number],
          subtype: p.one('entity subtype', 100, false),
          name: p.one('entity name', 500),
          aliases: [{ name: p.one('entity alias', 500) }, { name: p.one('entity alias', 500), language: 'ru' }],
          identifiers: [{ key: p.one('entity identifier name', 100), value: p.one('entity identifier value', 2000) }],
          description: p.many('entity description', 20000, plan.entities),
          notes: p.many('entity notes', 100000, plan.entities),
          tags: [p.one('entity tag', 100), p.one('entity tag', 100)],
        },
        areaIds: [areaIds[i % areaIds.length] as string],
        excerptIds: [excerptIds[i % excerptIds.length] as string],
      });
      entityIds.push(entity.id);
    }

    if (!options.everywhere) {
      // Whitespace inside a name is what exports most often lose; the spread may not put it in a name by itself.
      const entity = run('entities.create', { fields: { type: 'organisation', name: WHITESPACE_INSIDE, aliases: [{ name: WHITESPACE_INSIDE }] } });
      entityIds.push(entity.id);
    }

    for (let i = 0; i < plan.links; i += 1) {
      p.item = i;
      const from = entityIds[i % entityIds.length] as string;
      const to = entityIds[(i + 1 + Math.floor(i / entityIds.length)) % entityIds.length] as string;
      run('links.create', {
        fields: {
          fromId: from,
          toId: to === from ? (entityIds[(i + 2) % entityIds.length] as string) : to,
          type: p.one('link type', 100),
          startDate: `${2000 + (i % 25)}`,
          status: LINK_STATUSES[i % LINK_STATUSES.length] as (typeof LINK_STATUSES)[number],
          notes: p.many('link notes', 100000, plan.links),
          tags: [p.one('link tag', 100), p.one('link tag', 100)],
        },
        areaIds: [areaIds[(i + 1) % areaIds.length] as string],
        excerptIds: [excerptIds[i % excerptIds.length] as string],
      });
    }

    const reportNames = new Set<string>([HOSTILE_REPORT.toLowerCase()]);
    for (let i = 0; i < plan.reports; i += 1) {
      p.item = i;
      let name = i === 0 ? HOSTILE_REPORT : p.one('report name', 200);
      // Report names are unique too, once trimmed and whatever their case.
      if (i > 0 && reportNames.has(name.trim().toLowerCase())) name = `${name.slice(0, 190)} (${i})`;
      reportNames.add(name.trim().toLowerCase());
      run('reports.create', {
        fields: {
          name,
          title: p.one('report title', 300),
          author: p.one('report author', 200, false),
          marking: p.one('report handling marking', 200, false),
          summary: p.many('report summary', 50000, plan.reports),
          // Two entities each keep previews and the printed briefing small; the whole case is exported without a saved report.
          scope: { areaIds: [], entityIds: entityIds.slice(i * 2, i * 2 + 2), from: null, to: null },
          findings: [0, 1, 2].map((k) => ({ text: p.one('report finding', 5000), excerptIds: [excerptIds[(i + k) % excerptIds.length] as string] })),
          sections: REPORT_SECTION_KINDS.map((kind) => ({ kind, enabled: true, notes: p.many(`report section notes (${kind})`, 20000, plan.reports) })),
        },
      });
    }
    return { file, coverage: p.coverage, counts: { sources: plan.sources, excerpts: excerptIds.length, attachments, entities: entityIds.length, links: plan.links, areas: areaIds.length, reports: plan.reports, caseUpdates: plan.caseUpdates } };
  } finally {
    db.close();
  }
}
