import { CaseboardError } from '../../shared/errors';
import type { HitChange, HitDecision, HitSanction, ReferenceList, ScreeningHit, ScreeningResults, ScreeningRun } from '../../shared/ops/screening';
import { sourceFields } from '../../shared/schemas';
import { excerptFields } from '../../shared/ops/evidence';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import { audit, describeChangeSet, insertRow, quoteName, updateRow, type ChangeSet } from '../core/journal';
import { createExcerpt } from '../evidence/excerpts';
import { createSource } from '../evidence/sources';
import { addCitation } from '../model/citations';
import { addSanction } from '../model/sanctions';
import { caseDates, type CaseEntity, type FoundHit } from './match';

/** Every entity of the case with the names it is screened by: its name and every alias. */
export function caseEntities(db: CaseDb): CaseEntity[] {
  const rows = db.prepare('SELECT id, name, type, country, ftm_properties FROM entities ORDER BY rowid').all() as { id: string; name: string; type: string; country: string | null; ftm_properties: string | null }[];
  const aliases = new Map<string, string[]>();
  for (const a of db.prepare('SELECT entity_id, name FROM entity_aliases ORDER BY entity_id, position').all() as { entity_id: string; name: string }[]) {
    aliases.set(a.entity_id, [...(aliases.get(a.entity_id) ?? []), a.name]);
  }
  const identifiers = new Map<string, { key: string; value: string }[]>();
  for (const i of db.prepare('SELECT entity_id, key, value FROM entity_identifiers ORDER BY entity_id, position').all() as { entity_id: string; key: string; value: string }[]) {
    identifiers.set(i.entity_id, [...(identifiers.get(i.entity_id) ?? []), { key: i.key, value: i.value }]);
  }
  return rows.map(({ ftm_properties: ftmProperties, ...r }) => {
    const own = identifiers.get(r.id) ?? [];
    return { ...r, names: [...new Set([r.name, ...(aliases.get(r.id) ?? [])])], identifiers: own, dates: caseDates(own, ftmProperties) };
  });
}

interface HitRow {
  id: string;
  entity_id: string;
  entity_name: string;
  list: string;
  list_version: string | null;
  list_sha256: string;
  entry_id: string;
  entry_schema: string;
  entry_names: string;
  case_name: string;
  list_name: string;
  score: number;
  why: string;
  sanctions: string;
  first_run_id: string;
  last_run_id: string;
  change: HitChange;
  decision: HitDecision;
  note: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

function toHit(r: HitRow): ScreeningHit {
  return {
    id: r.id,
    entity: { id: r.entity_id, name: r.entity_name },
    entry: { list: r.list, id: r.entry_id, names: JSON.parse(r.entry_names) as string[] },
    score: r.score,
    matched: [r.case_name, r.list_name],
    why: r.why,
    sanctions: JSON.parse(r.sanctions) as HitSanction[],
    decision: r.decision,
    note: r.note,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    change: r.change,
    listVersion: r.list_version,
    listSha256: r.list_sha256,
  };
}

const HIT_SELECT = 'SELECT h.*, e.name AS entity_name FROM screening_hits h JOIN entities e ON e.id = h.entity_id';

interface RunRow {
  id: string;
  run_at: string;
  threshold: number;
  lists: string;
  entities: number;
  hits: number;
  new_hits: number;
  changed_hits: number;
  gone_hits: number;
}

function toRun(r: RunRow): ScreeningRun {
  return { id: r.id, runAt: r.run_at, threshold: r.threshold, lists: JSON.parse(r.lists) as ReferenceList[], entities: r.entities, hits: r.hits, changed: { new: r.new_hits, changed: r.changed_hits, gone: r.gone_hits } };
}

/** The latest run and the hits the case keeps, best first; gone hits last. */
export function screeningResults(db: CaseDb, entityId?: string): ScreeningResults {
  const run = db.prepare('SELECT * FROM screening_runs ORDER BY run_at DESC, rowid DESC LIMIT 1').get() as RunRow | undefined;
  const where = entityId ? ' WHERE h.entity_id = ?' : '';
  const rows = db.prepare(`${HIT_SELECT}${where} ORDER BY h.change = 'gone', h.score DESC, e.name, h.entry_id`).all(...(entityId ? [entityId] : [])) as HitRow[];
  return { run: run ? toRun(run) : null, hits: rows.map(toHit) };
}

/**
 * Keeps a run's hits in the case, through the operation's change set: a hit
 * found before (same entity, list and entry) keeps its decision and note and
 * is marked changed when its score or reasons moved; a hit of a screened
 * list that this run no longer finds is marked gone, not deleted, so its
 * decision stays on record.
 */
export function keepRun(db: CaseDb, cs: ChangeSet, found: readonly FoundHit[], lists: readonly ReferenceList[], entities: number, threshold: number): ScreeningResults {
  const runId = newId();
  const at = now();
  const existing = db.prepare('SELECT * FROM screening_hits WHERE entity_id = ? AND list = ? AND entry_id = ?');
  const seen = new Set<string>();
  let added = 0;
  let changed = 0;
  for (const hit of found) {
    const before = existing.get(hit.entityId, hit.list.name, hit.entryId) as HitRow | undefined;
    const values = {
      list_version: hit.list.version,
      list_sha256: hit.list.sha256,
      entry_schema: hit.entrySchema,
      entry_names: JSON.stringify(hit.entryNames),
      case_name: hit.caseName,
      list_name: hit.listName,
      score: hit.score,
      why: hit.why,
      sanctions: JSON.stringify(hit.sanctions),
      last_run_id: runId,
    };
    if (!before) {
      const id = newId();
      insertRow(db, cs, 'screening_hits', { id, entity_id: hit.entityId, list: hit.list.name, entry_id: hit.entryId, ...values, first_run_id: runId, change: 'new', decision: 'open', note: null, decided_by: null, decided_at: null });
      seen.add(id);
      added += 1;
      continue;
    }
    seen.add(before.id);
    const moved = Math.abs(before.score - hit.score) >= 0.005 || before.why !== hit.why || before.sanctions !== values.sanctions || before.change === 'gone';
    if (moved) changed += 1;
    updateRow(db, cs, 'screening_hits', before.id, { ...values, change: moved ? 'changed' : 'same' });
  }
  let gone = 0;
  for (const list of lists) {
    const rows = db.prepare("SELECT id FROM screening_hits WHERE list = ? AND change != 'gone'").pluck().all(list.name) as string[];
    for (const id of rows) {
      if (seen.has(id)) continue;
      updateRow(db, cs, 'screening_hits', id, { change: 'gone', last_run_id: runId });
      gone += 1;
    }
  }
  const row = { id: runId, run_at: at, threshold, lists: JSON.stringify(lists), entities, hits: found.length, new_hits: added, changed_hits: changed, gone_hits: gone, actor: cs.actor };
  insertRow(db, cs, 'screening_runs', row);
  const names = lists.map((l) => l.name).join(', ');
  const summary = `Screened ${entities} ${entities === 1 ? 'entity' : 'entities'} against ${names}: ${found.length} ${found.length === 1 ? 'hit' : 'hits'}, ${added} new, ${changed} changed, ${gone} gone`;
  describeChangeSet(db, cs, summary);
  audit(db, cs, 'create', 'screening', runId, undefined, { lists: lists.map((l) => ({ name: l.name, version: l.version, sha256: l.sha256 })), threshold, hits: found.length }, summary);
  return screeningResults(db);
}

/** A hit by its id, or by the start of it (at least 6 characters) when only one hit's id starts so. */
export function findHit(db: CaseDb, id: string): HitRow {
  const exact = db.prepare(`${HIT_SELECT} WHERE h.id = ?`).get(id) as HitRow | undefined;
  if (exact) return exact;
  if (id.length >= 6) {
    const rows = db.prepare(`${HIT_SELECT} WHERE h.id LIKE ? ESCAPE '\\' LIMIT 2`).all(`${id.replace(/[\\%_]/g, '\\$&')}%`) as HitRow[];
    if (rows.length === 1 && rows[0]) return rows[0];
    if (rows.length > 1) throw new CaseboardError('invalid_input', `More than one screening hit starts with "${id}"; give more of its id.`);
  }
  throw new CaseboardError('not_found', `There is no screening hit "${id}" in this case.`);
}

/** The dataset source a list's confirmed hits cite, added on the first confirmation. */
function listSource(db: CaseDb, cs: ChangeSet, hit: HitRow): string {
  const title = `Reference list ${hit.list}${hit.list_version ? ` (${hit.list_version})` : ''}`;
  const notes = `FollowTheMoney data added to Caseboard as a reference list; file SHA-256 ${hit.list_sha256}.`;
  const found = db.prepare("SELECT id FROM sources WHERE kind = 'dataset' AND title = ? AND notes = ? ORDER BY rowid LIMIT 1").pluck().get(title, notes) as string | undefined;
  if (found) return found;
  return createSource(db, cs, sourceFields.parse({ kind: 'dataset', title, publisher: hit.list, reliability: 'B', notes })).id;
}

function sanctionLine(s: HitSanction): string {
  return [s.authority, s.program, s.startDate ? `since ${s.startDate}` : null].filter(Boolean).join(', ');
}

/**
 * Records the investigator's decision on a hit. Confirming it adds the list
 * entry's sanction records to the entity (each once), and cites an excerpt of
 * the list (a dataset source, added the first time) from the entity, all in
 * the operation's one change set. A confirmed hit stays confirmed: Undo takes
 * the confirmation back with the records it added.
 */
export function decideHit(db: CaseDb, cs: ChangeSet, id: string, decision: HitDecision, note: string | undefined): ScreeningHit {
  const hit = findHit(db, id);
  if (hit.decision === 'confirmed' && decision !== 'confirmed') {
    throw new CaseboardError('invalid_input', `The hit on "${hit.list_name}" is confirmed and its sanction records are on ${hit.entity_name}; undo the confirmation in History to take it back.`);
  }
  const at = now();
  const changes: Record<string, unknown> = { decision, note: note?.trim() ? note.trim() : hit.note, decided_by: decision === 'open' ? null : cs.actor, decided_at: decision === 'open' ? null : at };
  if (hit.decision === 'confirmed') {
    updateRow(db, cs, 'screening_hits', hit.id, { note: changes.note });
    describeChangeSet(db, cs, `Edited the note of the screening hit ${quoteName(hit.entity_name)} on ${hit.list}`);
    return toHit(findHit(db, hit.id));
  }
  updateRow(db, cs, 'screening_hits', hit.id, changes);
  if (decision === 'confirmed') {
    const sanctions = JSON.parse(hit.sanctions) as HitSanction[];
    const have = new Set(db.prepare('SELECT ftm_id FROM sanctions WHERE entity_id = ? AND ftm_id IS NOT NULL').pluck().all(hit.entity_id) as string[]);
    for (const s of sanctions) {
      if (s.ftmId && have.has(s.ftmId)) continue;
      addSanction(db, hit.entity_id, { authority: s.authority, program: s.program, startDate: s.startDate, endDate: s.endDate ?? null, reason: s.reason ?? null, sourceUrl: s.sourceUrl ?? null, list: hit.list, ftmId: s.ftmId ?? null }, cs);
    }
    const sourceId = listSource(db, cs, hit);
    const names = JSON.parse(hit.entry_names) as string[];
    const quote = `${names.slice(0, 3).join(' / ')} [${hit.entry_id}]${sanctions.length ? `: ${sanctions.map(sanctionLine).join('; ')}` : ''}`;
    const excerpt =
      (db.prepare('SELECT id FROM excerpts WHERE source_id = ? AND quote = ? LIMIT 1').pluck().get(sourceId, quote) as string | undefined) ??
      createExcerpt(db, cs, sourceId, excerptFields.parse({ quote, credibility: 2, location: `entry ${hit.entry_id}`, comment: note?.trim() || null })).id;
    addCitation(db, cs, 'entity', hit.entity_id, `Entity ${quoteName(hit.entity_name)}`, excerpt);
  }
  const summary =
    decision === 'confirmed'
      ? `Confirmed ${quoteName(hit.entity_name)} is ${quoteName(hit.list_name)} on ${hit.list}`
      : decision === 'dismissed'
        ? `Dismissed the screening hit ${quoteName(hit.entity_name)} ~ ${quoteName(hit.list_name)} on ${hit.list}`
        : `Reopened the screening hit ${quoteName(hit.entity_name)} ~ ${quoteName(hit.list_name)} on ${hit.list}`;
  describeChangeSet(db, cs, summary);
  audit(db, cs, 'update', 'screening', hit.id, { decision: hit.decision, note: hit.note }, { decision, note: changes.note }, summary);
  return toHit(findHit(db, hit.id));
}
