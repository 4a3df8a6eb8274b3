import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseFile } from '../../db/core/case-file';
import { getCaseInfo } from '../../db/core/case-info';
import { checkCaseFile } from '../../db/share/share';
import { cliPath, tempDir } from '../helpers/temp';

describe('the sample case', () => {
  const build = () => {
    const file = path.join(tempDir(), 'sample.caseboard');
    const run = spawnSync(process.execPath, [cliPath, 'sample', file], { encoding: 'utf8', env: { ...process.env, CASEBOARD_HOME: tempDir() } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return file;
  };

  it('is written by `caseboard sample` and passes the checks of any received file', () => {
    const report = checkCaseFile(build());
    expect(report).toMatchObject({ encrypted: false, integrity: 'ok', foreignKeyProblems: 0 });
    expect(report.title).toMatch(/^Sample:/);
  });

  it('holds the source, every claim as an excerpt, every entity and link, with citations', () => {
    const db = openCaseFile(build(), { readonly: true });
    try {
      const { counts } = getCaseInfo(db);
      expect(counts).toMatchObject({ sources: 1, excerpts: 14, entities: 20, links: 17 });
      expect(counts.citations).toBeGreaterThanOrEqual(17);
      // Every link rests on at least one claim.
      const uncited = db.prepare("SELECT count(*) AS n FROM links l WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.link_id = l.id)").get() as { n: number };
      expect(uncited.n).toBe(0);
      expect(db.prepare('SELECT reliability FROM sources').get()).toEqual({ reliability: 'B' });
      expect(db.prepare('SELECT published_date FROM sources').get()).toEqual({ published_date: null });
    } finally {
      db.close();
    }
  });

  it('keeps the facts: dates, aliases in Chinese and Russian, areas, the contested claim', () => {
    const db = openCaseFile(build(), { readonly: true });
    try {
      const joint = db
        .prepare(
          `SELECT l.start_date AS start, l.type AS type FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id
           WHERE f.name = 'Beihang University' AND t.name = 'Moscow Aviation Institute'`,
        )
        .get();
      expect(joint).toEqual({ start: '2017', type: 'joint programme' });
      const aliases = (db.prepare("SELECT a.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE e.name = 'Beihang University'").all() as { name: string }[]).map((r) => r.name);
      expect(aliases).toContain('北京航空航天大学');
      const mai = (db.prepare("SELECT a.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE e.name = 'Moscow Aviation Institute'").all() as { name: string }[]).map((r) => r.name);
      expect(mai).toContain('Московский авиационный институт');
      const contested = db
        .prepare("SELECT l.status FROM links l JOIN entities f ON f.id = l.from_id WHERE f.name = 'Xi’an Technological University' AND l.type = 'member of'")
        .get();
      expect(contested).toEqual({ status: 'contested' });
      expect((db.prepare("SELECT comment FROM excerpts WHERE location = 'claim 7'").get() as { comment: string }).comment).toMatch(/^CONTESTED/);
      const aeroEngines = db
        .prepare("SELECT count(*) AS n FROM area_tags t JOIN technology_areas a ON a.id = t.area_id WHERE a.name = 'aero-engines' AND t.link_id IS NOT NULL")
        .get() as { n: number };
      expect(aeroEngines.n).toBe(2);
    } finally {
      db.close();
    }
  });
});
