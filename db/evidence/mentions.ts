import { CaseboardError } from '../../shared/errors';
import type { Excerpt } from '../../shared/evidence';
import type { Mention, MentionList } from '../../shared/mentions';
import { nameKey } from '../../shared/name-key';
import type { CaseDb } from '../core/case-file';
import type { ChangeSet } from '../core/journal';
import { describeChangeSet, quoteName } from '../core/journal';
import { createExcerpt } from './excerpts';
import { NameMatcher, type KnownName } from './mention-matcher';

/**
 * Mentions are derived rows (see migration 103): triggers mark the entities
 * and attachments whose names or text changed, and refreshMentions works out
 * the marked ones again. Only the marked part is read: a marked entity's names
 * against every page, or every name against a marked attachment's pages.
 */

interface MentionRow {
  entity_id: string;
  attachment_id: string;
  page: number;
  char_start: number;
  char_end: number;
  text: string;
}

/** The marked attachments, and the marked entities, read only when there is text to find them in: an import marks every entity it adds. */
interface Marks {
  attachments: string[];
  entities: () => string[];
}

function marks(db: CaseDb): Marks {
  const marked = db.prepare('SELECT item_id FROM mention_dirty WHERE kind = ?').pluck();
  return { attachments: marked.all('attachment') as string[], entities: () => marked.all('entity') as string[] };
}

function hasMarks(db: CaseDb): boolean {
  return db.prepare('SELECT 1 FROM mention_dirty LIMIT 1').get() !== undefined;
}

const NAMES = `SELECT id AS entityId, name FROM entities WHERE id IN (SELECT value FROM json_each(?))
  UNION ALL SELECT entity_id AS entityId, name FROM entity_aliases WHERE entity_id IN (SELECT value FROM json_each(?))`;
const ALL_NAMES = 'SELECT id AS entityId, name FROM entities UNION ALL SELECT entity_id AS entityId, name FROM entity_aliases';

function scan(db: CaseDb, matcher: NameMatcher, sql: string, ...params: unknown[]): MentionRow[] {
  const rows: MentionRow[] = [];
  if (matcher.size === 0) return rows;
  // Hits are gathered while the pages are read and written after: the connection is busy while it iterates.
  for (const page of db.prepare(sql).iterate(...params) as IterableIterator<{ attachment_id: string; page: number; text: string }>) {
    for (const hit of matcher.find(page.text)) {
      rows.push({ entity_id: hit.entityId, attachment_id: page.attachment_id, page: page.page, char_start: hit.start, char_end: hit.end, text: hit.text });
    }
  }
  return rows;
}

/** The mentions of the marked entities and attachments, as they stand now; reads only. */
function workOut(db: CaseDb, marked: Marks): MentionRow[] {
  const rows: MentionRow[] = [];
  // A matcher is built only where there is text to run it over: an import of many entities into a case without attached text costs nothing here.
  const anyPage = (sql: string) => db.prepare(`SELECT 1 FROM attachment_pages WHERE attachment_id ${sql} (SELECT value FROM json_each(?)) LIMIT 1`).get(JSON.stringify(marked.attachments)) !== undefined;
  if (marked.attachments.length && anyPage('IN')) {
    const all = new NameMatcher(db.prepare(ALL_NAMES).all() as KnownName[]);
    rows.push(...scan(db, all, 'SELECT attachment_id, page, text FROM attachment_pages WHERE attachment_id IN (SELECT value FROM json_each(?)) ORDER BY attachment_id, page', JSON.stringify(marked.attachments)));
  }
  const entities = anyPage('NOT IN') ? marked.entities() : [];
  if (entities.length) {
    const ids = JSON.stringify(entities);
    const some = new NameMatcher(db.prepare(NAMES).all(ids, ids) as KnownName[]);
    rows.push(
      ...scan(db, some, 'SELECT attachment_id, page, text FROM attachment_pages WHERE attachment_id NOT IN (SELECT value FROM json_each(?)) ORDER BY attachment_id, page', JSON.stringify(marked.attachments)),
    );
  }
  return rows;
}

/**
 * Brings the stored mentions of marked entities and attachments up to date
 * and clears the marks. Writes derived rows only; call inside a transaction
 * (the operation runner does, before each write commits).
 */
export function refreshMentions(db: CaseDb): void {
  if (!hasMarks(db)) return;
  const marked = marks(db);
  const rows = workOut(db, marked);
  db.prepare("DELETE FROM mentions WHERE entity_id IN (SELECT item_id FROM mention_dirty WHERE kind = 'entity')").run();
  db.prepare("DELETE FROM mentions WHERE attachment_id IN (SELECT item_id FROM mention_dirty WHERE kind = 'attachment')").run();
  const insert = db.prepare('INSERT OR IGNORE INTO mentions (entity_id, attachment_id, page, char_start, char_end, text) VALUES (@entity_id, @attachment_id, @page, @char_start, @char_end, @text)');
  for (const row of rows) insert.run(row);
  db.prepare('DELETE FROM mention_dirty').run();
}

export interface MentionFilter {
  entityIds?: readonly string[];
  attachmentId?: string;
}

function storedRows(db: CaseDb, filter: MentionFilter): MentionRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.entityIds) {
    where.push('entity_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.entityIds));
  }
  if (filter.attachmentId !== undefined) {
    where.push('attachment_id = ?');
    params.push(filter.attachmentId);
  }
  return db.prepare(`SELECT entity_id, attachment_id, page, char_start, char_end, text FROM mentions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).all(...params) as MentionRow[];
}

/**
 * The current mentions, for some entities, one attachment, or the whole case.
 * Marks left by writes are worked off first where the connection may write;
 * a read-only connection works the marked part out as it reads and keeps it.
 */
function currentRows(db: CaseDb, filter: MentionFilter): MentionRow[] {
  if (!hasMarks(db)) return storedRows(db, filter);
  if (!db.readonly) {
    db.transaction(() => refreshMentions(db)).immediate();
    return storedRows(db, filter);
  }
  const marked = marks(db);
  const staleEntities = new Set(marked.entities());
  const staleAttachments = new Set(marked.attachments);
  const wanted = (row: MentionRow) => (!filter.entityIds || filter.entityIds.includes(row.entity_id)) && (filter.attachmentId === undefined || row.attachment_id === filter.attachmentId);
  const kept = storedRows(db, filter).filter((row) => !staleEntities.has(row.entity_id) && !staleAttachments.has(row.attachment_id));
  const existing = new Set(db.prepare('SELECT id FROM entities WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify([...staleEntities])) as string[]);
  const fresh = workOut(db, marked).filter((row) => wanted(row) && (!staleEntities.has(row.entity_id) || existing.has(row.entity_id)));
  return [...kept, ...fresh];
}

interface AttachmentFacts {
  id: string;
  name: string;
  page_count: number | null;
  source_id: string;
  source_title: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function toList(db: CaseDb, rows: MentionRow[]): MentionList {
  const entityIds = JSON.stringify([...new Set(rows.map((r) => r.entity_id))]);
  const attachmentIds = JSON.stringify([...new Set(rows.map((r) => r.attachment_id))]);
  const entities = new Map((db.prepare('SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))').all(entityIds) as { id: string; name: string }[]).map((e) => [e.id, e]));
  const attachments = new Map(
    (
      db
        .prepare('SELECT a.id, a.name, a.page_count, s.id AS source_id, s.title AS source_title FROM attachments a JOIN sources s ON s.id = a.source_id WHERE a.id IN (SELECT value FROM json_each(?))')
        .all(attachmentIds) as AttachmentFacts[]
    ).map((a) => [a.id, a]),
  );
  const mentions: Mention[] = [];
  for (const row of rows) {
    const entity = entities.get(row.entity_id);
    const attachment = attachments.get(row.attachment_id);
    if (!entity || !attachment) continue;
    mentions.push({
      entity: { id: entity.id, name: entity.name },
      source: { id: attachment.source_id, title: attachment.source_title },
      attachment: { id: attachment.id, name: attachment.name },
      page: attachment.page_count === null ? null : row.page,
      start: row.char_start,
      end: row.char_end,
      text: row.text,
    });
  }
  mentions.sort(
    (a, b) =>
      compare(a.entity.name, b.entity.name) ||
      compare(a.entity.id, b.entity.id) ||
      compare(a.source.title, b.source.title) ||
      compare(a.attachment.name, b.attachment.name) ||
      compare(a.attachment.id, b.attachment.id) ||
      (a.page ?? 0) - (b.page ?? 0) ||
      a.start - b.start,
  );
  return {
    mentions,
    sources: new Set(mentions.map((m) => m.source.id)).size,
    attachments: new Set(mentions.map((m) => m.attachment.id)).size,
    entities: new Set(mentions.map((m) => m.entity.id)).size,
  };
}

/** Entities called so, by name or alias, in any case. */
export function entitiesNamed(db: CaseDb, name: string): string[] {
  const key = nameKey(name);
  const ids = db
    .prepare('SELECT id FROM entities WHERE name_key = ? OR name = ? COLLATE NOCASE UNION SELECT entity_id FROM entity_aliases WHERE name_key = ? OR name = ? COLLATE NOCASE')
    .pluck()
    .all(key, name, key, name) as string[];
  if (ids.length === 0) throw new CaseboardError('not_found', `No entity in the case is called "${name}", by name or alias.`, [{ path: 'entityName', message: 'No entity has this name.' }]);
  return ids;
}

/** Mentions of one entity, of the entities called by a name, in one attachment, or all of them. */
export function listMentions(db: CaseDb, input: { entityId?: string | undefined; entityName?: string | undefined; attachmentId?: string | undefined }): MentionList {
  const filter: MentionFilter = {};
  if (input.entityId !== undefined) {
    if (!db.prepare('SELECT 1 FROM entities WHERE id = ?').get(input.entityId)) throw new CaseboardError('not_found', 'That entity is no longer in the case; it may have been deleted.');
    filter.entityIds = [input.entityId];
  }
  if (input.entityName !== undefined) filter.entityIds = [...(filter.entityIds ?? []), ...entitiesNamed(db, input.entityName)];
  if (input.attachmentId !== undefined) {
    if (!db.prepare('SELECT 1 FROM attachments WHERE id = ?').get(input.attachmentId)) throw new CaseboardError('not_found', 'That attachment is no longer in the case; it may have been deleted.');
    filter.attachmentId = input.attachmentId;
  }
  return toList(db, currentRows(db, filter));
}

const SENTENCE_END = /[.!?。！？\n]/;
const MAX_QUOTE = 600;

/**
 * The sentence around a passage of a page: from after the previous full stop
 * (or line break) to the next one, at most about 600 characters, trimmed.
 */
export function sentenceAround(text: string, start: number, end: number): { start: number; end: number } {
  const reach = Math.max(0, Math.floor((MAX_QUOTE - (end - start)) / 2));
  let from = start;
  while (from > 0 && start - from < reach && !SENTENCE_END.test(text[from - 1] as string)) from--;
  let to = end;
  while (to < text.length && to - end < reach && !SENTENCE_END.test(text[to] as string)) to++;
  if (to < text.length && text[to] !== '\n' && SENTENCE_END.test(text[to] as string)) to++;
  while (from < start && /\s/.test(text[from] as string)) from++;
  while (to > end && /\s/.test(text[to - 1] as string)) to--;
  return { start: from, end: to };
}

export interface MentionExcerptInput {
  entityId: string;
  attachmentId: string;
  page: number | null;
  start: number;
  end: number;
  /** The sentence around the mention (the default) or the mention alone. */
  span: 'sentence' | 'mention';
  credibility: number;
  comment: string | null;
}

/**
 * An excerpt quoting the passage where an entity is mentioned, with its page
 * and offsets into the page's text, ready to cite. The mention must still be
 * there: its text cannot have changed since it was listed.
 */
export function excerptFromMention(db: CaseDb, cs: ChangeSet, input: MentionExcerptInput): Excerpt {
  refreshMentions(db);
  const attachment = db.prepare('SELECT a.source_id, a.page_count FROM attachments a WHERE a.id = ?').get(input.attachmentId) as { source_id: string; page_count: number | null } | undefined;
  if (!attachment) throw new CaseboardError('not_found', 'That attachment is no longer in the case; it may have been deleted.');
  const page = input.page ?? 1;
  if (input.page === null && attachment.page_count !== null) throw new CaseboardError('invalid_input', 'Say which page of the file the mention is on.', [{ path: 'page', message: 'The file has pages.' }]);
  const mention = db.prepare('SELECT text FROM mentions WHERE entity_id = ? AND attachment_id = ? AND page = ? AND char_start = ? AND char_end = ?').get(input.entityId, input.attachmentId, page, input.start, input.end) as
    | { text: string }
    | undefined;
  if (!mention) throw new CaseboardError('conflict', 'The entity is no longer mentioned there: its names or the file changed. Look at its mentions again.');
  const text = db.prepare('SELECT text FROM attachment_pages WHERE attachment_id = ? AND page = ?').pluck().get(input.attachmentId, page) as string;
  const span = input.span === 'mention' ? { start: input.start, end: input.end } : sentenceAround(text, input.start, input.end);
  const entity = db.prepare('SELECT name FROM entities WHERE id = ?').pluck().get(input.entityId) as string;
  const excerpt = createExcerpt(db, cs, attachment.source_id, {
    attachmentId: input.attachmentId,
    quote: text.slice(span.start, span.end),
    page: attachment.page_count === null ? null : page,
    charStart: span.start,
    charEnd: span.end,
    location: null,
    credibility: input.credibility as Excerpt['credibility'],
    comment: input.comment,
    translation: null,
    translationLanguage: null,
  });
  describeChangeSet(db, cs, `Added excerpt mentioning ${quoteName(entity)}`);
  return excerpt;
}
