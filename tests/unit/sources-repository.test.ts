import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseFile, type CaseDb } from '../../db/core/case-file';
import { runCaseOperation, type OperationContext } from '../../db/host/operations';
import { createSource, deleteSource, getSource, pageSources, updateSource } from '../../db/evidence/sources';
import type { GridQueryInput } from '../../shared/grid-query';
import { SOURCE_COLUMNS, type Source, type SourceColumn, type SourceFields, type SourceFieldsInput } from '../../shared/schemas';
import { parseOperationInput } from '../../shared/validate';
import { tempDir } from '../helpers/temp';
import { changeSetOf } from '../helpers/model';

let db: CaseDb;
beforeEach(() => {
  db = createCaseFile(path.join(tempDir(), 'sources.caseboard'), { title: 'Sources test' });
});
afterEach(() => {
  if (db.open) db.close();
});

const ctx: OperationContext = { actor: 'analyst', progress: () => undefined, throwIfCancelled: () => undefined };

function fields(input: SourceFieldsInput): SourceFields {
  return parseOperationInput('sources.create', input);
}

const rferl = fields({
  kind: 'article',
  title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows",
  url: 'https://www.rferl.org/a/china-defense-universities-russia/1.html',
  publisher: 'Radio Free Europe/Radio Liberty',
  authors: ['RFE/RL'],
  language: 'en',
  reliability: 'B',
  notes: 'Preliminary ASPI findings, lead author Bethany Allen.',
});

function page(query: GridQueryInput): { rows: Source[]; total: number } {
  return pageSources(db, parseOperationInput('sources.page', query));
}

function titles(query: Partial<GridQueryInput>): string[] {
  return page({ startRow: 0, endRow: 1000, ...query }).rows.map((r) => r.title);
}

interface AuditRow {
  actor: string;
  action: string;
  item_type: string;
  item_id: string;
  before_json: string | null;
  after_json: string | null;
}

function auditFor(id: string): AuditRow[] {
  return db.prepare('SELECT actor, action, item_type, item_id, before_json, after_json FROM audit_events WHERE item_id = ? ORDER BY at, rowid').all(id) as AuditRow[];
}

function count(table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('create, get, update, delete', () => {
  it('creates a source with a UUIDv7 id and timestamps, and records the creation in the audit log', () => {
    const created = createSource(db, changeSetOf(db, 'analyst'), rferl);
    expect(created).toMatchObject(rferl);
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(created.updatedAt).toBe(created.createdAt);
    expect(getSource(db, created.id)).toEqual(created);
    const audit = auditFor(created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'analyst', action: 'create', item_type: 'source', before_json: null });
    expect(JSON.parse(audit[0]?.after_json ?? 'null')).toEqual(created);
  });

  it('keeps Chinese and Russian text and the author list exactly', () => {
    const created = createSource(db, changeSetOf(db, 'analyst'), fields({ kind: 'web_page', title: '哈尔滨工业大学', publisher: 'Московский авиационный институт', authors: ['Петр', '李'], reliability: 'C' }));
    expect(getSource(db, created.id)).toMatchObject({ title: '哈尔滨工业大学', publisher: 'Московский авиационный институт', authors: ['Петр', '李'] });
  });

  it('updates a source and records before and after', () => {
    const created = createSource(db, changeSetOf(db, 'analyst'), rferl);
    const changed = { ...rferl, reliability: 'C' as const, publishedDate: '2024', notes: null };
    const updated = updateSource(db, changeSetOf(db, 'reviewer'), created.id, changed);
    expect(updated).toMatchObject({ ...changed, id: created.id, createdAt: created.createdAt });
    expect(updated.updatedAt >= created.updatedAt).toBe(true);
    expect(getSource(db, created.id)).toEqual(updated);
    const audit = auditFor(created.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]?.actor).toBe('reviewer');
    expect(JSON.parse(audit[1]?.before_json ?? 'null')).toEqual(created);
    expect(JSON.parse(audit[1]?.after_json ?? 'null')).toEqual(updated);
  });

  it('deletes a source, keeping what it was in the audit log', () => {
    const created = createSource(db, changeSetOf(db, 'analyst'), rferl);
    expect(deleteSource(db, changeSetOf(db, 'analyst'), created.id)).toEqual({ id: created.id });
    expect(() => getSource(db, created.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    const audit = auditFor(created.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(JSON.parse(audit[1]?.before_json ?? 'null')).toEqual(created);
    expect(audit[1]?.after_json).toBeNull();
  });

  it('answers not_found for a source that is not there, without writing an audit event', () => {
    const missing = '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d';
    expect(() => getSource(db, missing)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => updateSource(db, changeSetOf(db, 'analyst'), missing, rferl)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => deleteSource(db, changeSetOf(db, 'analyst'), missing)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(count('audit_events')).toBe(0);
  });
});

describe('paging', () => {
  beforeEach(() => {
    db.transaction(() => {
      for (let i = 0; i < 25; i += 1) createSource(db, changeSetOf(db, 'analyst'), fields({ kind: 'report', title: `Report ${String(i).padStart(2, '0')}`, reliability: 'B' }));
    })();
  });

  it('returns the rows from startRow up to endRow and the total over all pages', () => {
    const result = page({ startRow: 10, endRow: 20, sort: [{ colId: 'title', sort: 'asc' }] });
    expect(result.total).toBe(25);
    expect(result.rows.map((r) => r.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Report ${String(i + 10).padStart(2, '0')}`));
  });

  it('returns a short last page and an empty page past the end', () => {
    expect(page({ startRow: 20, endRow: 40 }).rows).toHaveLength(5);
    expect(page({ startRow: 100, endRow: 200 })).toEqual({ rows: [], total: 25 });
  });

  it('gives pages that together hold every row once, in creation order by default', () => {
    const all = [0, 7, 14, 21].flatMap((start) => page({ startRow: start, endRow: start + 7 }).rows.map((r) => r.title));
    expect(all).toEqual(Array.from({ length: 25 }, (_, i) => `Report ${String(i).padStart(2, '0')}`));
  });

  it('counts the total after filtering', () => {
    expect(page({ startRow: 0, endRow: 5, filter: { title: { filterType: 'text', type: 'startsWith', filter: 'Report 1' } } }).total).toBe(10);
  });
});

describe('sorting on every column', () => {
  // Values differ in order from column to column; some are null, some differ only in letter case.
  const seeds: (SourceFieldsInput & { at: string; changed: string })[] = [
    { kind: 'report', title: 'beihang', url: 'https://c.example/', publisher: null, authors: ['Zhou'], publishedDate: '2023-05', accessedAt: '2024-01-03', language: 'ru', reliability: 'C', notes: 'b', at: '2024-01-02T00:00:00.000Z', changed: '2024-03-05T00:00:00.000Z' },
    { kind: 'article', title: 'Harbin', url: null, publisher: 'aspi', authors: ['allen'], publishedDate: '2017', accessedAt: null, language: 'en', reliability: 'A', notes: null, at: '2024-01-05T00:00:00.000Z', changed: '2024-03-01T00:00:00.000Z' },
    { kind: 'web_page', title: 'Moscow', url: 'https://a.example/', publisher: 'RFE/RL', authors: [], publishedDate: null, accessedAt: '2024-01-01T10:00', language: null, reliability: 'F', notes: 'C', at: '2024-01-01T00:00:00.000Z', changed: '2024-03-04T00:00:00.000Z' },
    { kind: 'dataset', title: 'xian', url: 'https://B.example/', publisher: 'Caixin', authors: ['Bethany'], publishedDate: '2024-05-16', accessedAt: '2024-01-02', language: 'zh', reliability: 'B', notes: 'A', at: '2024-01-04T00:00:00.000Z', changed: '2024-03-03T00:00:00.000Z' },
    { kind: 'interview', title: 'Bauman', url: 'https://d.example/', publisher: 'kommersant', authors: ['Ivanov', 'Li'], publishedDate: '2023', accessedAt: '2024-01-04', language: 'de', reliability: 'E', notes: 'd', at: '2024-01-03T00:00:00.000Z', changed: '2024-03-02T00:00:00.000Z' },
  ];
  let made: Source[];

  beforeEach(() => {
    made = seeds.map(({ at, changed, ...input }) => {
      const s = createSource(db, changeSetOf(db, 'analyst'), fields(input));
      db.prepare('UPDATE sources SET created_at = ?, updated_at = ? WHERE id = ?').run(at, changed, s.id);
      return getSource(db, s.id);
    });
  });

  /** SQLite NOCASE folds only ASCII letters; nulls come last in both directions. */
  function sortKey(source: Source, column: SourceColumn): string | null {
    const value = column === 'authors' ? JSON.stringify(source.authors) : source[column];
    return value === null ? null : String(value).replace(/[A-Z]/g, (c) => c.toLowerCase());
  }

  function expected(column: SourceColumn, direction: 'asc' | 'desc'): string[] {
    return [...made]
      .sort((a, b) => {
        const x = sortKey(a, column);
        const y = sortKey(b, column);
        if (x === y) return a.id < b.id ? -1 : 1;
        if (x === null) return 1;
        if (y === null) return -1;
        const order = x < y ? -1 : 1;
        return direction === 'asc' ? order : -order;
      })
      .map((s) => s.title);
  }

  it.each(SOURCE_COLUMNS.flatMap((column) => [[column, 'asc'] as const, [column, 'desc'] as const]))('sorts by %s %s', (column, direction) => {
    const actual = titles({ sort: [{ colId: column, sort: direction }] });
    expect(actual).toEqual(expected(column, direction));
  });

  it('each column gives its own order (the sort is really applied)', () => {
    const orders = new Set(SOURCE_COLUMNS.map((column) => titles({ sort: [{ colId: column, sort: 'asc' }] }).join('|')));
    expect(orders.size).toBeGreaterThan(6);
  });

  it('ignores letter case when sorting titles', () => {
    expect(titles({ sort: [{ colId: 'title', sort: 'asc' }] })).toEqual(['Bauman', 'beihang', 'Harbin', 'Moscow', 'xian']);
  });

  it('puts blanks last whichever way it sorts', () => {
    expect(titles({ sort: [{ colId: 'publisher', sort: 'asc' }] }).at(-1)).toBe('beihang');
    expect(titles({ sort: [{ colId: 'publisher', sort: 'desc' }] }).at(-1)).toBe('beihang');
  });

  it('sorts by a second column when the first ties', () => {
    db.prepare("UPDATE sources SET reliability = 'B'").run();
    expect(titles({ sort: [{ colId: 'reliability', sort: 'asc' }, { colId: 'title', sort: 'desc' }] })).toEqual(['xian', 'Moscow', 'Harbin', 'beihang', 'Bauman']);
  });
});

describe('filters', () => {
  beforeEach(() => {
    const add = (title: string, extra: Partial<SourceFieldsInput> = {}) => createSource(db, changeSetOf(db, 'analyst'), fields({ kind: 'article', title, reliability: 'B', ...extra }));
    add('Beihang University and MAI joint programme', { publisher: 'RFE/RL', notes: 'aero-engines', url: 'https://www.rferl.org/a/1.html', authors: ['Bethany Allen'] });
    add('Harbin Institute of Technology sanctioned', { publisher: 'US Department of Commerce', notes: null });
    add('Putin visits HIT', { publisher: null, notes: 'state visit 2024', language: 'kk' });
    add('SPbPU and the Orlan-10', { publisher: 'ASPI', notes: 'hydro-aerodynamics', authors: ['Allen', 'Other'] });
    add('100% of defence universities');
    add('100 defence universities');
    add('snake_case title');
    add('snakeXcase title');
    add('back\\slash title');
  });

  const text = (type: string, filter?: string) => ({ filterType: 'text' as const, type: type as 'contains', ...(filter === undefined ? {} : { filter }) });

  it('contains, ignoring letter case', () => {
    expect(titles({ filter: { title: text('contains', 'HARBIN') } })).toEqual(['Harbin Institute of Technology sanctioned']);
  });

  it('notContains, keeping rows where the column is blank', () => {
    expect(titles({ filter: { publisher: text('notContains', 'RFE') } })).toHaveLength(8);
    expect(titles({ filter: { publisher: text('notContains', 'RFE') } })).toContain('Putin visits HIT');
  });

  it('equals, ignoring letter case but not matching parts', () => {
    expect(titles({ filter: { publisher: text('equals', 'aspi') } })).toEqual(['SPbPU and the Orlan-10']);
    expect(titles({ filter: { publisher: text('equals', 'ASP') } })).toEqual([]);
  });

  it('notEqual, keeping rows where the column is blank', () => {
    expect(titles({ filter: { publisher: text('notEqual', 'ASPI') } })).toHaveLength(8);
  });

  it('startsWith and endsWith', () => {
    expect(titles({ filter: { title: text('startsWith', 'putin') } })).toEqual(['Putin visits HIT']);
    expect(titles({ filter: { title: text('startsWith', 'visits') } })).toEqual([]);
    expect(titles({ filter: { title: text('endsWith', 'orlan-10') } })).toEqual(['SPbPU and the Orlan-10']);
  });

  it('blank and notBlank, treating an empty author list as blank', () => {
    expect(titles({ filter: { notes: text('blank') } })).toHaveLength(6);
    expect(titles({ filter: { notes: text('notBlank') } })).toEqual(['Beihang University and MAI joint programme', 'Putin visits HIT', 'SPbPU and the Orlan-10']);
    expect(titles({ filter: { authors: text('notBlank') } })).toEqual(['Beihang University and MAI joint programme', 'SPbPU and the Orlan-10']);
    expect(titles({ filter: { authors: text('blank') } })).toHaveLength(7);
  });

  it('combines two conditions on a column with AND or OR', () => {
    const and = { filterType: 'text' as const, operator: 'AND' as const, conditions: [text('contains', 'defence'), text('contains', '%')] };
    expect(titles({ filter: { title: and } })).toEqual(['100% of defence universities']);
    const or = { filterType: 'text' as const, operator: 'OR' as const, conditions: [text('startsWith', 'Putin'), text('startsWith', 'SPbPU')] };
    expect(titles({ filter: { title: or } })).toEqual(['Putin visits HIT', 'SPbPU and the Orlan-10']);
  });

  it('combines filters on different columns with AND', () => {
    expect(titles({ filter: { title: text('contains', 'i') } })).toHaveLength(8);
    expect(titles({ filter: { publisher: text('notBlank') } })).toHaveLength(3);
    expect(titles({ filter: { title: text('contains', 'i'), publisher: text('notBlank') } })).toEqual(['Beihang University and MAI joint programme', 'Harbin Institute of Technology sanctioned']);
  });

  it('treats % and _ in filter text literally', () => {
    expect(titles({ filter: { title: text('contains', '%') } })).toEqual(['100% of defence universities']);
    expect(titles({ filter: { title: text('startsWith', '100%') } })).toEqual(['100% of defence universities']);
    expect(titles({ filter: { title: text('contains', '_') } })).toEqual(['snake_case title']);
    expect(titles({ filter: { title: text('contains', 'snake_case') } })).toEqual(['snake_case title']);
    expect(titles({ filter: { title: text('contains', '\\') } })).toEqual(['back\\slash title']);
    expect(titles({ quick: '%' })).toEqual(['100% of defence universities']);
    expect(titles({ quick: '_' })).toEqual(['snake_case title']);
  });

  it('quick filter searches title, publisher, authors, url and notes', () => {
    expect(titles({ quick: 'orlan' })).toEqual(['SPbPU and the Orlan-10']);
    expect(titles({ quick: 'commerce' })).toEqual(['Harbin Institute of Technology sanctioned']);
    expect(titles({ quick: 'bethany' })).toEqual(['Beihang University and MAI joint programme']);
    expect(titles({ quick: 'rferl.org' })).toEqual(['Beihang University and MAI joint programme']);
    expect(titles({ quick: 'hydro' })).toEqual(['SPbPU and the Orlan-10']);
  });

  it('quick filter needs every word to match somewhere, and ignores other columns', () => {
    expect(titles({ quick: '  allen   ENGINES ' })).toEqual(['Beihang University and MAI joint programme']);
    expect(titles({ quick: 'allen nothing-like-this' })).toEqual([]);
    // language and kind are not searched by the quick filter
    expect(titles({ quick: 'kk' })).toEqual([]);
    expect(titles({ quick: 'article' })).toEqual([]);
  });
});

describe('column names come only from the known columns', () => {
  beforeEach(() => {
    createSource(db, changeSetOf(db, 'analyst'), rferl);
  });

  it.each(['title; DROP TABLE sources', 'title) --', 'id', 'rowid', 'constructor', 'toString', 'published_date'])('refuses the column %j in a sort or filter', (colId) => {
    const sort = () => page({ startRow: 0, endRow: 10, sort: [{ colId, sort: 'asc' }] });
    const filter = () => page({ startRow: 0, endRow: 10, filter: { [colId]: { filterType: 'text', type: 'contains', filter: 'x' } } });
    for (const attempt of [sort, filter]) expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(count('sources')).toBe(1);
  });

  it('refuses __proto__ as a sort column (the validator already drops it as a filter key)', () => {
    expect(() => page({ startRow: 0, endRow: 10, sort: [{ colId: '__proto__', sort: 'asc' }] })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    const parsed = parseOperationInput('sources.page', JSON.parse('{"startRow":0,"endRow":10,"filter":{"__proto__":{"filterType":"text","type":"contains","filter":"zzz"}}}'));
    expect(Object.keys(parsed.filter)).toEqual([]);
  });

  it('passes filter values as parameters, never as SQL', () => {
    expect(titles({ filter: { title: { filterType: 'text', type: 'equals', filter: "x' OR '1'='1" } } })).toEqual([]);
    expect(titles({ quick: "'; DROP TABLE sources; --" })).toEqual([]);
    expect(count('sources')).toBe(1);
  });
});

describe('query plans', () => {
  it('sorts by title using the sources_title index', () => {
    const statements: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    page({ startRow: 0, endRow: 100, sort: [{ colId: 'title', sort: 'asc' }] });
    db.prepare = prepare;
    const select = statements.find((s) => s.includes('ORDER BY'));
    expect(select).toBeDefined();
    const plan = (prepare(`EXPLAIN QUERY PLAN ${select ?? ''}`).all(100, 0) as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SCAN sources USING INDEX sources_title/);
    // The index gives the order; at most the tie-breaker may need a temporary b-tree, never the whole sort.
    expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });
});

describe('writes through runCaseOperation', () => {
  function failAuditWrites(): void {
    db.exec("CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;");
  }

  it('creates, updates and deletes with an audit event for each', () => {
    const created = runCaseOperation(db, 'sources.create', rferl, ctx);
    const updated = runCaseOperation(db, 'sources.update', { id: created.id, fields: { ...rferl, reliability: 'A' } }, ctx);
    expect(updated.reliability).toBe('A');
    runCaseOperation(db, 'sources.delete', { id: created.id }, ctx);
    expect(auditFor(created.id).map((a) => [a.action, a.actor])).toEqual([
      ['create', 'analyst'],
      ['update', 'analyst'],
      ['delete', 'analyst'],
    ]);
  });

  it('a create whose audit event fails leaves no source behind', () => {
    failAuditWrites();
    expect(() => runCaseOperation(db, 'sources.create', rferl, ctx)).toThrow(/audit log unavailable/);
    expect(count('sources')).toBe(0);
    expect(db.inTransaction).toBe(false);
  });

  it('an update whose audit event fails leaves the source as it was', () => {
    const created = runCaseOperation(db, 'sources.create', rferl, ctx);
    failAuditWrites();
    expect(() => runCaseOperation(db, 'sources.update', { id: created.id, fields: { ...rferl, title: 'Changed' } }, ctx)).toThrow(/audit log unavailable/);
    expect(getSource(db, created.id)).toEqual(created);
  });

  it('a delete whose audit event fails leaves the source in place', () => {
    const created = runCaseOperation(db, 'sources.create', rferl, ctx);
    failAuditWrites();
    expect(() => runCaseOperation(db, 'sources.delete', { id: created.id }, ctx)).toThrow(/audit log unavailable/);
    expect(getSource(db, created.id)).toEqual(created);
  });

  it('a case update whose audit event fails leaves the case details as they were', () => {
    failAuditWrites();
    expect(() => runCaseOperation(db, 'case.update', { title: 'Renamed' }, ctx)).toThrow(/audit log unavailable/);
    expect(runCaseOperation(db, 'case.get', {}, ctx).title).toBe('Sources test');
  });

  it('validates input before writing anything', () => {
    expect(() => runCaseOperation(db, 'sources.create', { ...rferl, reliability: 'G' }, ctx)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(count('sources')).toBe(0);
    expect(count('audit_events')).toBe(0);
  });

  it('records case detail changes with before and after', () => {
    runCaseOperation(db, 'case.update', { title: 'Renamed', marking: 'OFFICIAL' }, ctx);
    const row = db.prepare("SELECT before_json, after_json FROM audit_events WHERE item_type = 'case'").get() as { before_json: string; after_json: string };
    expect(JSON.parse(row.before_json)).toEqual({ title: 'Sources test', marking: null, description: null });
    expect(JSON.parse(row.after_json)).toEqual({ title: 'Renamed', marking: 'OFFICIAL', description: null });
  });
});
