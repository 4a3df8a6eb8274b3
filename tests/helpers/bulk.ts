import type { CaseDb } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { refreshMentions } from '../../db/evidence/mentions';
import { refreshNameIndex } from '../../db/model/name-index';
import { nameKey } from '../../shared/name-key';

const WORDS = ['Aviation', 'Polytechnic', 'Institute', 'University', 'Aero-Engine', 'Technology', 'Defence', 'Research', 'Centre', 'Laboratory', 'Academy', 'Systems'];
const TYPES = ['organisation', 'person', 'programme', 'event', 'product', 'place'];
const LINK_TYPES = ['joint programme', 'part of', 'member of', 'co-founded', 'developed', 'sanctioned', 'visited', 'agreement'];

/**
 * Fills a case with many entities (each with two aliases, one Cyrillic),
 * links between them, area tags and a citation on every tenth link, straight
 * through SQL in one transaction: the shape of a large case, made fast.
 */
export function fillCase(db: CaseDb, entityCount: number, linkCount: number): { entityIds: string[]; linkIds: string[] } {
  const at = '2026-01-01T00:00:00.000Z';
  const entityIds: string[] = [];
  const linkIds: string[] = [];
  const areas = (db.prepare('SELECT id FROM technology_areas').all() as { id: string }[]).map((r) => r.id);
  db.transaction(() => {
    const source = newId();
    db.prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES (?, 'report', 'Bulk source', 'B', ?, ?)").run(source, at, at);
    const excerpt = newId();
    db.prepare('INSERT INTO excerpts (id, source_id, quote, credibility, created_at, updated_at) VALUES (?, ?, ?, 2, ?, ?)').run(excerpt, source, 'Bulk quote', at, at);
    const entity = db.prepare('INSERT INTO entities (id, type, name, name_key, country, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const alias = db.prepare('INSERT INTO entity_aliases (id, entity_id, name, name_key, language, position) VALUES (?, ?, ?, ?, ?, ?)');
    const link = db.prepare("INSERT INTO links (id, from_id, to_id, type, direction, start_date, status, tags, created_at, updated_at) VALUES (?, ?, ?, ?, 'directed', ?, 'active', '[]', ?, ?)");
    const tag = db.prepare('INSERT INTO area_tags (id, area_id, entity_id, link_id) VALUES (?, ?, ?, ?)');
    const cite = db.prepare('INSERT INTO citations (id, excerpt_id, link_id, created_at) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < entityCount; i += 1) {
      const id = newId();
      const name = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`;
      entity.run(id, TYPES[i % TYPES.length], name, nameKey(name), i % 2 ? 'CN' : 'RU', '[]', at, `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`);
      alias.run(newId(), id, `E${i}`, nameKey(`E${i}`), null, 0);
      const cyrillic = `Институт ${i}`;
      alias.run(newId(), id, cyrillic, nameKey(cyrillic), 'ru', 1);
      if (i % 5 === 0) tag.run(newId(), areas[i % areas.length], id, null);
      entityIds.push(id);
    }
    for (let i = 0; i < linkCount; i += 1) {
      const id = newId();
      const from = entityIds[i % entityCount] as string;
      const to = entityIds[(i * 31 + 1) % entityCount] as string;
      if (from === to) continue;
      const year = 2000 + (i % 25);
      link.run(id, from, to, LINK_TYPES[i % LINK_TYPES.length], i % 3 === 0 ? String(year) : `${year}-0${(i % 9) + 1}`, at, at);
      if (i % 4 === 0) tag.run(newId(), areas[i % areas.length], null, id);
      if (i % 10 === 0) cite.run(newId(), excerpt, id, at);
      linkIds.push(id);
    }
    // As an operation would before it commits.
    refreshMentions(db);
    refreshNameIndex(db);
  })();
  return { entityIds, linkIds };
}

/** Saves every entity's place in the graph on a spiral, as a case laid out before has them. */
export function saveSpiralPositions(db: CaseDb): void {
  db.exec(`INSERT INTO graph_positions (entity_id, x, y, pinned, updated_at)
    SELECT id, sqrt(rn) * cos(rn * 2.399963), sqrt(rn) * sin(rn * 2.399963), 0, '2026-01-01T00:00:00.000Z'
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM entities)`);
}
