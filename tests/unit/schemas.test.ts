import { describe, expect, it } from 'vitest';
import { CaseboardError, type FieldIssue } from '../../shared/errors';
import type { SourceFieldsInput } from '../../shared/schemas';
import { parseOperationInput, requireOperationName } from '../../shared/validate';

const RFERL_TITLE = "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows";

const rferl: SourceFieldsInput = {
  kind: 'article',
  title: RFERL_TITLE,
  url: 'https://www.rferl.org/a/china-defense-universities-russia-sanctions/33000000.html',
  publisher: 'Radio Free Europe/Radio Liberty',
  authors: ['RFE/RL'],
  publishedDate: null,
  accessedAt: '2025-01-20T09:30',
  language: 'en',
  reliability: 'B',
  notes: 'Reports preliminary ASPI findings led by Bethany Allen; cross-checked by RFE/RL.',
};

/** Runs the door's validation and returns the refusal it raises. */
function refusal(name: Parameters<typeof parseOperationInput>[0], input: unknown): CaseboardError {
  try {
    parseOperationInput(name, input);
  } catch (error) {
    expect(error).toBeInstanceOf(CaseboardError);
    return error as CaseboardError;
  }
  throw new Error(`${name} accepted input it should refuse: ${JSON.stringify(input)}`);
}

function issuePaths(error: CaseboardError): string[] {
  return (error.issues ?? []).map((i: FieldIssue) => i.path);
}

describe('sources.create input', () => {
  it('accepts a full valid source and returns it normalised', () => {
    const parsed = parseOperationInput('sources.create', { ...rferl, title: `  ${RFERL_TITLE}  `, authors: ['  RFE/RL ', '', '  '] });
    expect(parsed).toEqual({ ...rferl, title: RFERL_TITLE, authors: ['RFE/RL'] });
  });

  it('accepts titles, publishers and authors in Chinese and Russian', () => {
    const parsed = parseOperationInput('sources.create', {
      kind: 'official_document',
      title: '哈尔滨工业大学',
      publisher: 'Московский авиационный институт',
      authors: ['北京航空航天大学', 'Санкт-Петербургский политехнический университет Петра Великого'],
      language: 'zh-Hans',
      reliability: 'C',
    });
    expect(parsed.title).toBe('哈尔滨工业大学');
    expect(parsed.publisher).toBe('Московский авиационный институт');
    expect(parsed.authors).toHaveLength(2);
    expect(parsed.language).toBe('zh-Hans');
  });

  it('refuses text holding a NUL character with a message naming the field', () => {
    const title = refusal('sources.create', { ...rferl, title: '\0<script>alert(1)</script>' });
    expect(title.message).toMatch(/title contains a NUL character/i);
    expect(issuePaths(title)).toEqual(['title']);
    const notes = refusal('sources.create', { ...rferl, notes: 'before\0after' });
    expect(issuePaths(notes)).toEqual(['notes']);
    expect(refusal('entities.create', { fields: { type: 'person', name: 'x\0' } }).message).toMatch(/NUL character/);
  });

  it('stores blank optional fields as null and defaults authors to none', () => {
    const parsed = parseOperationInput('sources.create', { kind: 'report', title: 'ASPI findings', reliability: 'F', url: '  ', publisher: '', notes: '   ' });
    expect(parsed).toMatchObject({ url: null, publisher: null, notes: null, publishedDate: null, accessedAt: null, language: null, authors: [] });
  });

  it.each(['2017', '2023-05', '2024-02-29'])('accepts the partial published date %s', (publishedDate) => {
    expect(parseOperationInput('sources.create', { ...rferl, publishedDate }).publishedDate).toBe(publishedDate);
  });

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a whitespace-only title', { title: ' \t\n ' }, 'title'],
    ['a missing title', { title: undefined }, 'title'],
    ['a javascript: URL', { url: 'javascript:alert(1)' }, 'url'],
    ['text that is not a URL', { url: 'not a url' }, 'url'],
    ['a file: URL', { url: 'file:///etc/passwd' }, 'url'],
    ['a data: URL', { url: 'data:text/html,<script>alert(1)</script>' }, 'url'],
    ['an impossible published date', { publishedDate: '2023-02-30' }, 'publishedDate'],
    ['a published month 13', { publishedDate: '2023-13' }, 'publishedDate'],
    ['a two-digit published year', { publishedDate: '17' }, 'publishedDate'],
    ['an accessed time at hour 25', { accessedAt: '2024-05-16T25:00' }, 'accessedAt'],
    ['an accessed date that is only a year', { accessedAt: '2024' }, 'accessedAt'],
    ['reliability grade G', { reliability: 'G' }, 'reliability'],
    ['a lower-case reliability grade', { reliability: 'b' }, 'reliability'],
    ['an unknown kind', { kind: 'rumour' }, 'kind'],
    ['a language that is not a code', { language: 'English!' }, 'language'],
    ['a title over 1000 characters', { title: 'x'.repeat(1001) }, 'title'],
    ['a publisher over 500 characters', { publisher: 'p'.repeat(501) }, 'publisher'],
    ['notes over 100000 characters', { notes: 'n'.repeat(100_001) }, 'notes'],
    ['a URL over 2048 characters', { url: `https://example.org/${'a'.repeat(2048)}` }, 'url'],
    ['an author name over 300 characters', { authors: ['a'.repeat(301)] }, 'authors.0'],
    ['more than 100 authors', { authors: Array.from({ length: 101 }, (_, i) => `Author ${i}`) }, 'authors'],
    ['authors that are not a list', { authors: 'RFE/RL' }, 'authors'],
  ])('rejects %s with an issue on that field', (_what, change, field) => {
    const error = refusal('sources.create', { ...rferl, ...change });
    expect(error.code).toBe('invalid_input');
    expect(issuePaths(error)).toContain(field);
    expect(error.message).toContain(`(${field})`);
    for (const issue of error.issues ?? []) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('accepts fields exactly at their length limits', () => {
    const parsed = parseOperationInput('sources.create', {
      ...rferl,
      title: 't'.repeat(1000),
      publisher: 'p'.repeat(500),
      authors: Array.from({ length: 100 }, () => 'a'.repeat(300)),
    });
    expect(parsed.title).toHaveLength(1000);
    expect(parsed.authors).toHaveLength(100);
  });

  it('reports every invalid field, each with its own path', () => {
    const error = refusal('sources.create', { kind: 'rumour', title: ' ', url: 'javascript:alert(1)', reliability: 'G' });
    expect(issuePaths(error).sort()).toEqual(['kind', 'reliability', 'title', 'url']);
    expect(error.toPayload()).toEqual({ code: 'invalid_input', message: error.message, issues: error.issues });
  });

  it('uses readable messages, not validator internals', () => {
    const error = refusal('sources.create', { ...rferl, reliability: 'G' });
    expect(error.issues).toEqual([{ path: 'reliability', message: 'Choose a reliability grade from A to F.' }]);
  });

  it('refuses input that is not an object', () => {
    expect(refusal('sources.create', 'DROP TABLE sources').code).toBe('invalid_input');
    expect(refusal('sources.create', [rferl]).code).toBe('invalid_input');
  });
});

describe('sources.update and sources.delete input', () => {
  it('puts the field path under fields for update', () => {
    const error = refusal('sources.update', { id: '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d', fields: { ...rferl, url: 'not a url' } });
    expect(issuePaths(error)).toEqual(['fields.url']);
  });

  it('refuses an id that is not a UUIDv7', () => {
    expect(issuePaths(refusal('sources.delete', { id: '1 OR 1=1' }))).toEqual(['id']);
    expect(issuePaths(refusal('sources.get', { id: '0190b2a4-6f1e-4c3a-9b2d-4e5f6a7b8c9d' }))).toEqual(['id']);
  });

  it('accepts a UUIDv7 id', () => {
    expect(parseOperationInput('sources.delete', { id: '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d' })).toEqual({ id: '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d' });
  });
});

describe('sources.page input', () => {
  it('fills in no sort, no filter and no quick filter', () => {
    expect(parseOperationInput('sources.page', { startRow: 0, endRow: 100 })).toEqual({ startRow: 0, endRow: 100, sort: [], filter: {}, quick: '' });
  });

  it('accepts a page of exactly 1000 rows', () => {
    expect(parseOperationInput('sources.page', { startRow: 500, endRow: 1500 }).endRow).toBe(1500);
  });

  it.each([
    ['endRow equal to startRow', { startRow: 100, endRow: 100 }],
    ['endRow before startRow', { startRow: 100, endRow: 50 }],
    ['a page of 1001 rows', { startRow: 0, endRow: 1001 }],
  ])('rejects %s on endRow', (_what, query) => {
    const error = refusal('sources.page', query);
    expect(error.code).toBe('invalid_input');
    expect(error.issues).toEqual([{ path: 'endRow', message: 'A page holds between 1 and 1000 rows.' }]);
  });

  it.each([
    ['a negative startRow', { startRow: -1, endRow: 10 }, 'startRow'],
    ['a fractional endRow', { startRow: 0, endRow: 10.5 }, 'endRow'],
    ['an unknown sort direction', { startRow: 0, endRow: 10, sort: [{ colId: 'title', sort: 'sideways' }] }, 'sort.0.sort'],
    ['an unknown filter type', { startRow: 0, endRow: 10, filter: { title: { filterType: 'text', type: 'regex', filter: '.*' } } }, 'filter.title'],
    ['an over-long quick filter', { startRow: 0, endRow: 10, quick: 'q'.repeat(201) }, 'quick'],
  ])('rejects %s', (_what, query, field) => {
    expect(issuePaths(refusal('sources.page', query))).toContain(field);
  });
});

describe('other operations', () => {
  it('app.newCase requires a title', () => {
    expect(issuePaths(refusal('app.newCase', { title: '   ' }))).toEqual(['title']);
  });

  it('operations without input refuse unexpected keys', () => {
    expect(refusal('case.get', { sql: 'SELECT 1' }).code).toBe('invalid_input');
    expect(parseOperationInput('case.get', undefined)).toEqual({});
  });

  it('an unknown operation name is refused as unknown_operation', () => {
    expect(() => requireOperationName('sources.drop')).toThrow(expect.objectContaining({ code: 'unknown_operation' }));
    expect(requireOperationName('sources.page')).toBe('sources.page');
  });
});
