import { describe, expect, it } from 'vitest';
import { SEARCH_TOTAL_CAP, searchTotalText } from '../../shared/evidence';
import { newCase, run } from '../helpers/model';

/** Sources whose titles all hold "sanctions", in one transaction as an import would add them. */
function addSources(db: ReturnType<typeof newCase>['db'], count: number): void {
  const insert = db.prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES (?, 'article', ?, 'B', 'now', 'now')");
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) insert.run(`source-${i}`, `Export controls and sanctions, bulletin ${i}`);
  })();
}

describe('search totals', () => {
  it('count every hit up to the cap, and above it say there are more instead of counting them all', () => {
    const { db } = newCase();
    addSources(db, SEARCH_TOTAL_CAP + 25);
    const many = run(db, 'search.query', { query: 'sanctions', limit: 20 });
    expect(many.hits).toHaveLength(20);
    expect(many.total).toBe(SEARCH_TOTAL_CAP);
    expect(many.totalCapped).toBe(true);
    expect(searchTotalText(many)).toBe('more than 10,000 matches');

    const few = run(db, 'search.query', { query: 'bulletin 1234', limit: 20 });
    expect(few.totalCapped).toBeUndefined();
    expect(few.total).toBeLessThan(SEARCH_TOTAL_CAP);
    expect(few.total).toBeGreaterThan(0);
    expect(searchTotalText({ total: 1 })).toBe('1 match');
    expect(searchTotalText({ total: SEARCH_TOTAL_CAP })).toBe('10000 matches');
  });

  it('count exactly at the cap without calling it capped', () => {
    const { db } = newCase();
    addSources(db, SEARCH_TOTAL_CAP);
    const result = run(db, 'search.query', { query: 'sanctions', limit: 5 });
    expect(result).toMatchObject({ total: SEARCH_TOTAL_CAP });
    expect(result.totalCapped).toBeUndefined();
  });
});
