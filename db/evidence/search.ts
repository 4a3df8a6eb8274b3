import { SEARCH_TOTAL_CAP, snippetParts, SNIPPET_OPEN, type CredibilityGrade, type ItemHit, type SearchHit, type SearchKind, type SearchResult, type SnippetPart } from '../../shared/evidence';
import { ENTITY_TYPE_LABELS } from '../../shared/model';
import { formatDateSpan } from '../../shared/partial-date';
import { entitiesWithWords } from '../model/entities';
import { quickWords } from '../model/name-index';
import { linksWithWords, pageLinks } from '../model/links';
import type { SearchQuery } from '../../shared/ops/evidence';
import type { ReliabilityGrade } from '../../shared/schemas';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { caseFilePath, type CaseDb } from '../core/case-file';
import { escapeLike } from '../core/grid-sql';
import { hasSchemaObject } from '../core/schema-objects';
import { parseSearch } from './search-query';

interface HitRow {
  id: number;
  kind: 'source' | 'attachment' | 'page' | 'excerpt';
  item_id: string;
  source_id: string;
  page: number;
  title: string;
  body: string;
  rank_score: number;
  /** Every place the search matches, on every page. */
  matched: number;
  snip: string | null;
  source_title: string;
  reliability: ReliabilityGrade;
  credibility: number | null;
  attachment_id: string | null;
  attachment_name: string | null;
  excerpt_page: number | null;
}

const SNIPPET_TOKENS = 24;

/** A window of text around the first occurrence of any needle, every occurrence marked. */
export function substringSnippet(text: string, needles: string[], radius = 60): SnippetPart[] {
  const lower = text.toLowerCase();
  const wanted = needles.map((n) => n.toLowerCase()).filter(Boolean);
  let first = -1;
  for (const needle of wanted) {
    const at = lower.indexOf(needle);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = Math.max(0, first < 0 ? 0 : first - radius);
  const end = Math.min(text.length, (first < 0 ? 0 : first) + radius * 2);
  const window = text.slice(start, end);
  const windowLower = window.toLowerCase();
  const parts: SnippetPart[] = [];
  let i = 0;
  let plain = start > 0 ? '…' : '';
  while (i < window.length) {
    const hit = wanted.find((n) => windowLower.startsWith(n, i));
    if (hit) {
      if (plain) parts.push({ text: plain, hit: false });
      plain = '';
      parts.push({ text: window.slice(i, i + hit.length), hit: true });
      i += hit.length;
    } else {
      plain += window[i];
      i += 1;
    }
  }
  if (end < text.length) plain += '…';
  if (plain) parts.push({ text: plain, hit: false });
  return parts;
}

function oneLine(parts: SnippetPart[]): SnippetPart[] {
  return parts.map((p) => ({ ...p, text: p.text.replace(/\s+/g, ' ') }));
}

/** The kinds of indexed document the kinds asked for cover; null for all. Sources cover their files too. */
function documentKinds(kinds: readonly SearchKind[]): ('source' | 'attachment' | 'page' | 'excerpt')[] | null {
  if (kinds.length === 0) return null;
  const wanted = new Set<'source' | 'attachment' | 'page' | 'excerpt'>();
  if (kinds.includes('source')) ['source', 'attachment', 'page'].forEach((k) => wanted.add(k as 'source'));
  if (kinds.includes('attachment')) ['attachment', 'page'].forEach((k) => wanted.add(k as 'attachment'));
  if (kinds.includes('excerpt')) wanted.add('excerpt');
  return [...wanted];
}

/** How many entities and how many links a search lists beside the documents. */
const ITEM_HITS = 10;

/** Entities and links with every word of the query, the way the grids' quick filter finds them. */
function itemHits(db: CaseDb, query: SearchQuery): ItemHit[] {
  const text = query.query.replace(/"/g, ' ').trim();
  if (!text || query.offset > 0) return [];
  const want = (kind: SearchKind) => query.kinds.length === 0 || query.kinds.includes(kind);
  const page = { startRow: 0, endRow: ITEM_HITS, sort: [], filter: {}, quick: text, areaId: null };
  const items: ItemHit[] = [];
  if (want('entity')) {
    // The first entities the name index finds with every word, not the grid's first page: no sort, no total to count.
    for (const e of entitiesWithWords(db, quickWords(text), ITEM_HITS)) {
      items.push({ kind: 'entity', id: e.id, name: e.name, detail: [ENTITY_TYPE_LABELS[e.type], e.country].filter(Boolean).join(' · ') });
    }
  }
  if (want('link')) {
    // As for entities, the first links the indexes find with every word; the grid's first page when they cannot say.
    for (const l of linksWithWords(db, quickWords(text), ITEM_HITS) ?? pageLinks(db, page).rows) {
      items.push({ kind: 'link', id: l.id, name: `${l.fromName} — ${l.type} — ${l.toName}`, detail: formatDateSpan(l.startDate, l.endDate) });
    }
  }
  return items;
}

export interface SearchSql {
  select: string;
  count: string;
  /** Parameters of the select, in the order they appear in its text. */
  /**
   * Parameters of the select, in the order they appear in its text; `snippetWords`, when given, is
   * what the snippets of the word index match instead of the query's own expression (see snippetWords).
   */
  selectParams(limit: number, offset: number, snippetWords?: string): unknown[];
  /** The word index's expression of each term, for snippetWords. */
  wordTerms: string[];
  countParams: unknown[];
  highlights: string[];
}

/**
 * Builds the search statement. Every term must match each place found, each
 * through whichever index can match it. Ranking comes from one pass over each
 * index (BM25, title weighted five times the body); the places are ranked off
 * a narrow index (search_docs_rank, when the case has it), and only the page's
 * own are read whole, with their snippets. Only fixed SQL text is assembled
 * here; what the user typed travels as parameters.
 */
export function buildSearchSql(query: SearchQuery, options: { rankIndex?: boolean } = {}): SearchSql | null {
  const { terms, highlights } = parseSearch(query.query);
  if (terms.length === 0) return null;
  const params: unknown[] = [];
  const where: string[] = [];
  for (const term of terms) {
    // The places either index finds, as one list; a substring only the place's own text can show.
    const lookups: string[] = [];
    if (term.words !== null) {
      lookups.push('SELECT rowid FROM search_words WHERE search_words MATCH ?');
      params.push(term.words);
    }
    if (term.trigram !== null) {
      lookups.push('SELECT rowid FROM search_trigram WHERE search_trigram MATCH ?');
      params.push(term.trigram);
    }
    const alternatives = lookups.length ? [`d.id IN (${lookups.join(' UNION ')})`] : [];
    if (term.substring !== null) {
      alternatives.push("(d.title LIKE ? ESCAPE '\\' OR d.body LIKE ? ESCAPE '\\')");
      const like = `%${escapeLike(term.substring)}%`;
      params.push(like, like);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const termParams = params.length;
  const docKinds = documentKinds(query.kinds);
  if (docKinds !== null) where.push(docKinds.length ? `d.kind IN (${docKinds.map((k) => `'${k}'`).join(', ')})` : '0');
  if (query.reliability.length > 0) {
    where.push(`s.reliability IN (${query.reliability.map(() => '?').join(', ')})`);
    params.push(...query.reliability);
  }
  if (query.credibility.length > 0) {
    where.push(`d.kind = 'excerpt' AND e.credibility IN (${query.credibility.map(() => '?').join(', ')})`);
    params.push(...query.credibility);
  }
  const anyWords = terms.map((t) => t.words).filter((w): w is string => w !== null).join(' OR ') || null;
  const anyTrigram = terms.map((t) => t.trigram).filter((w): w is string => w !== null).join(' OR ') || null;
  const ctes: string[] = [];
  const cteParams: unknown[] = [];
  if (anyWords !== null) {
    ctes.push('w AS MATERIALIZED (SELECT rowid AS id, bm25(search_words, 5.0, 1.0) AS score FROM search_words WHERE search_words MATCH ?)');
    cteParams.push(anyWords);
  }
  if (anyTrigram !== null) {
    // A place the word index scored is ranked by that score: the trigram index scores only the others.
    ctes.push(`t AS MATERIALIZED (SELECT rowid AS id, bm25(search_trigram, 5.0, 1.0) AS score FROM search_trigram WHERE search_trigram MATCH ?${anyWords !== null ? ' AND rowid NOT IN (SELECT id FROM w)' : ''})`);
    cteParams.push(anyTrigram);
  }
  const score = `coalesce(${anyWords !== null ? 'w.score' : 'NULL'}, ${anyTrigram !== null ? 't.score' : 'NULL'}, 0.0)`;
  // Sources and excerpts are joined to choose places only when a filter reads them (every place has its source: see migration 020).
  const filtering = `search_docs d${options.rankIndex ? ' INDEXED BY search_docs_rank' : ''}${query.reliability.length > 0 ? ' JOIN sources s ON s.id = d.source_id' : ''}${query.credibility.length > 0 ? " LEFT JOIN excerpts e ON d.kind = 'excerpt' AND e.id = d.item_id" : ''}`;
  // One term that an index answers: the places the two scores list are the places found, read from the scores
  // instead of looking the term up in both indexes again (t lists none that w lists).
  const single = terms.length === 1 && terms[0]?.substring === null;
  const scored = [anyWords !== null ? 'SELECT id, score FROM w' : null, anyTrigram !== null ? 'SELECT id, score FROM t' : null].filter(Boolean).join(' UNION ALL ');
  const ranked = single
    ? `(${scored}) m CROSS JOIN ${filtering}`
    : `${filtering}${anyWords !== null ? ' LEFT JOIN w ON w.id = d.id' : ''}${anyTrigram !== null ? ' LEFT JOIN t ON t.id = d.id' : ''}`;
  const rankWhere = single ? ['d.id = m.id', ...where.slice(1)] : where;
  const rankParams = single ? params.slice(termParams) : params;
  const order = (p: string) => `rank_score, CASE ${p}kind WHEN 'excerpt' THEN 0 WHEN 'source' THEN 1 WHEN 'attachment' THEN 2 ELSE 3 END, ${p}source_id, ${p}page, ${p}id`;
  const snippetOf = (table: string) => `(SELECT snippet(${table}, -1, char(2), char(3), '…', ${SNIPPET_TOKENS}) FROM ${table} WHERE ${table} MATCH ? AND ${table}.rowid = hit.id)`;
  const snippetParams = [anyWords, anyTrigram].filter((x): x is string => x !== null);
  const snippet = `coalesce(${anyWords !== null ? snippetOf('search_words') : 'NULL'}, ${anyTrigram !== null ? snippetOf('search_trigram') : 'NULL'})`;
  const select = `WITH ${[...ctes, `ranked AS (
      SELECT d.id, ${single ? 'm.score' : score} AS rank_score, count(*) OVER () AS matched
      FROM ${ranked}
      WHERE ${rankWhere.join(' AND ')}
      ORDER BY ${order('d.')}
      LIMIT ? OFFSET ?)`, `hit AS (
      SELECT d.id, d.kind, d.item_id, d.source_id, d.page, d.title, d.body, r.rank_score, r.matched,
             s.title AS source_title, s.reliability, e.credibility, e.page AS excerpt_page, a.id AS attachment_id, a.name AS attachment_name
      FROM ranked r
        CROSS JOIN search_docs d ON d.id = r.id
        JOIN sources s ON s.id = d.source_id
        LEFT JOIN excerpts e ON d.kind = 'excerpt' AND e.id = d.item_id
        LEFT JOIN attachments a ON a.id = CASE WHEN d.kind = 'excerpt' THEN e.attachment_id WHEN d.kind IN ('attachment', 'page') THEN d.item_id END)`].join(', ')}
    SELECT hit.*, ${snippet} AS snip FROM hit ORDER BY ${order('')}`;
  return {
    select,
    count: `SELECT 1 FROM ${filtering} WHERE ${where.join(' AND ')}`,
    selectParams: (limit, offset, snippetWords) => [...cteParams, ...rankParams, limit, offset, ...(snippetWords !== undefined && anyWords !== null ? [snippetWords, ...snippetParams.slice(1)] : snippetParams)],
    wordTerms: terms.map((t) => t.words).filter((w): w is string => w !== null),
    countParams: params,
    highlights,
  };
}

/** A prefix of the word index's expressions: "stem"* (see parseSearch). */
const PREFIX_TERM = /^"((?:[^"]|"")+)"\*$/;
/** Above this many words a prefix stands for, its snippets match the prefix itself. */
const PREFIX_WORDS = 64;

/**
 * What a page's snippets match in the word index: the query's expression with
 * each prefix ("custom"*) spelt out as the words of the index it stands for
 * ("custom" OR "customs" OR "customer"), which highlights the same words. A
 * prefix is merged from the whole index each time it is matched, and a
 * snippet is one match per place shown; the words it stands for are read
 * once, from the index's list of words (search_words_terms). A prefix that
 * stands for no word (written with accents the index folds away) or for very
 * many is kept as it is.
 */
export function snippetWords(db: CaseDb, terms: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  if (!hasSchemaObject(db, 'table', 'search_words_terms')) return undefined;
  const words = db.prepare(`SELECT term FROM search_words_terms WHERE term >= ? AND term < ? || char(1114111) LIMIT ${PREFIX_WORDS + 1}`).pluck();
  return terms
    .map((term) => {
      const prefix = PREFIX_TERM.exec(term)?.[1]?.replaceAll('""', '"');
      if (prefix === undefined) return term;
      const found = words.all(prefix, prefix) as string[];
      if (found.length === 0 || found.length > PREFIX_WORDS) return term;
      return `(${found.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ')})`;
    })
    .join(' OR ');
}

/**
 * Finds sources (by their fields, attachment names and attachment text) and
 * excerpts, ranked by BM25, with a highlighted snippet and the page each hit is on.
 */
export function search(db: CaseDb, query: SearchQuery): SearchResult {
  // Opening a case in Caseboard migrates it; a file only read from the command line may predate the index.
  if (!hasSchemaObject(db, 'table', 'search_docs')) throw new CaseboardError('internal', `${path.basename(caseFilePath(db))} was made by an older Caseboard; open it in Caseboard once to build its search index.`);
  const built = buildSearchSql(query, { rankIndex: hasSchemaObject(db, 'index', 'search_docs_rank') });
  if (!built) return { hits: [], total: 0, items: [] };
  const items = itemHits(db, query);
  const rows = db.prepare(built.select).all(...built.selectParams(query.limit, query.offset, snippetWords(db, built.wordTerms))) as HitRow[];
  // Ranking the page counted every place matched; a page past the last is counted on its own, up to one past the cap.
  const counted = rows[0]?.matched ?? (db.prepare(`SELECT count(*) AS n FROM (${built.count} LIMIT ${SEARCH_TOTAL_CAP + 1})`).get(...built.countParams) as { n: number }).n;
  const capped = counted > SEARCH_TOTAL_CAP;
  const total = capped ? SEARCH_TOTAL_CAP : counted;
  const hits = rows.map((row): SearchHit => {
    let snippet: SnippetPart[];
    if (row.snip !== null && row.snip.includes(SNIPPET_OPEN)) snippet = snippetParts(row.snip);
    else {
      const text = row.kind === 'source' || row.kind === 'attachment' ? [row.title, row.body].filter(Boolean).join(' — ') : row.kind === 'excerpt' ? [row.title, row.body].filter(Boolean).join(' — ') : row.body;
      snippet = substringSnippet(text, built.highlights);
    }
    return {
      kind: row.kind === 'page' ? 'attachment' : row.kind,
      field: row.kind,
      sourceId: row.source_id,
      sourceTitle: row.source_title,
      reliability: row.reliability,
      excerptId: row.kind === 'excerpt' ? row.item_id : null,
      credibility: row.credibility === null ? null : (row.credibility as CredibilityGrade),
      attachmentId: row.attachment_id,
      attachmentName: row.attachment_name,
      page: row.kind === 'page' ? row.page : row.kind === 'excerpt' ? row.excerpt_page : null,
      snippet: oneLine(snippet),
    };
  });
  return capped ? { hits, total, totalCapped: true, items } : { hits, total, items };
}
