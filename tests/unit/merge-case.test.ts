import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { caseContent } from '../../db/merge/read';
import { addSanction } from '../../db/model/sanctions';
import { exportCaseFile } from '../../db/share/share';
import { runCaseOperation, runCaseOperationAsync, type CaseOperationName } from '../../db/host/operations';
import { createSampleCase } from '../../db/host/sample-case';
import type { OpInput, OpOutput } from '../../shared/contract';
import type { MergePlan } from '../../shared/ops/merge';
import { contentDigest } from '../helpers/content-digest';
import { changeSetOf, context } from '../helpers/model';
import { tempDir } from '../helpers/temp';

const opened: CaseDb[] = [];
function open(file: string): CaseDb {
  const db = openCaseFile(file);
  opened.push(db);
  return db;
}

function run<N extends CaseOperationName>(db: CaseDb, name: N, input: OpInput<N>, actor: string): OpOutput<N> {
  return runCaseOperation(db, name, input, context(actor));
}

function sha256(file: string): string {
  const hash = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) hash.update(readFileSync(`${file}-wal`));
  return hash.digest('hex');
}

function entityId(db: CaseDb, name: string): string {
  return (db.prepare('SELECT id FROM entities WHERE name = ?').get(name) as { id: string }).id;
}

/**
 * The sample case, copied to two investigators who then work apart:
 * both edit Beihang, A deletes the Beihang–MAI link that B cites a further
 * claim on, and both add the Moscow Institute of Physics and Technology under
 * different spellings.
 */
function twoCopies() {
  const dir = tempDir();
  const base = path.join(dir, 'base.caseboard');
  const sample = createSampleCase(base);
  sample.pragma('wal_checkpoint(TRUNCATE)');
  sample.close();
  const fileA = path.join(dir, 'alice.caseboard');
  const fileB = path.join(dir, 'boris.caseboard');
  copyFileSync(base, fileA);
  copyFileSync(base, fileB);
  const a = open(fileA);
  const b = open(fileB);
  const beihang = entityId(a, 'Beihang University');
  const mai = entityId(a, 'Moscow Aviation Institute');
  const link = (a.prepare('SELECT id FROM links WHERE from_id = ? AND to_id = ?').get(beihang, mai) as { id: string }).id;
  const claim3 = (a.prepare("SELECT id FROM excerpts WHERE location = 'claim 3'").get() as { id: string }).id;

  const edit = (db: CaseDb, description: string, actor: string) => {
    const entity = run(db, 'entities.get', { id: beihang }, actor);
    run(db, 'entities.update', { id: beihang, fields: { ...entity, description, aliases: entity.aliases, identifiers: entity.identifiers } }, actor);
  };
  edit(a, 'Edited by Alice: top aerospace university, one of the Seven Sons.', 'Alice');
  run(a, 'links.delete', { id: link }, 'Alice');
  run(a, 'entities.create', { fields: { type: 'organisation', name: 'Moscow Institute of Physics and Technology', country: 'RU', aliases: [{ name: 'MIPT', language: 'en' }] } }, 'Alice');

  edit(b, 'Edited by Boris: strong in drone swarming.', 'Boris');
  run(b, 'citations.add', { target: { kind: 'link', id: link }, excerptId: claim3 }, 'Boris');
  run(b, 'entities.create', { fields: { type: 'organisation', name: 'MIPT', country: 'RU' } }, 'Boris');
  a.pragma('wal_checkpoint(TRUNCATE)');
  b.pragma('wal_checkpoint(TRUNCATE)');
  return { dir, a, b, fileA, fileB, beihang, link };
}

async function merge(db: CaseDb, other: string, op: 'merge.plan' | 'merge.apply', choices: Record<string, 'ours' | 'theirs'> = {}, actor = 'Alice'): Promise<MergePlan> {
  return runCaseOperationAsync(db, op, { path: other, choices }, context(actor));
}

describe('merging two copies of a case', () => {
  it('offers both edits of the same entity and the deleted-but-cited link as conflicts, and proposes the duplicate entity', async () => {
    const { a, fileB, beihang, link } = twoCopies();
    const before = sha256(a.name);
    const plan = await merge(a, fileB, 'merge.plan');
    expect(plan.applied).toBe(false);
    expect(sha256(a.name)).toBe(before);
    const byKey = new Map(plan.conflicts.map((c) => [c.key, c]));
    const entity = byKey.get(`entities:${beihang}`);
    expect(entity?.kind).toBe('edited-both');
    expect(entity?.ours?.description).toContain('Alice');
    expect(entity?.theirs?.description).toContain('Boris');
    expect(entity?.theirInvestigators).toEqual(['Boris']);
    expect(byKey.get(`links:${link}`)?.kind).toBe('deleted-here');
    expect(plan.conflicts).toHaveLength(2);
    expect(plan.duplicates).toEqual([
      expect.objectContaining({ incomingName: 'MIPT', candidates: [expect.objectContaining({ name: 'Moscow Institute of Physics and Technology', matched: 'MIPT' })] }),
    ]);
    expect(plan.counts.entities.added).toBe(1);
    expect(plan.investigators).toContain('Boris');
  });

  it('keeps this case for conflicts by default, respects the deletion, and is undone in one step', async () => {
    const { a, fileB, beihang, link } = twoCopies();
    const otherBefore = sha256(fileB);
    const contentBefore = caseContent(a);
    const plan = await merge(a, fileB, 'merge.apply');
    expect(plan.applied).toBe(true);
    expect(sha256(fileB)).toBe(otherBefore);
    expect((a.prepare('SELECT description FROM entities WHERE id = ?').get(beihang) as { description: string }).description).toContain('Alice');
    expect(a.prepare('SELECT 1 FROM links WHERE id = ?').get(link)).toBeUndefined();
    expect(a.prepare('SELECT count(*) AS n FROM citations WHERE link_id = ?').get(link)).toEqual({ n: 0 });
    expect(plan.notes.some((n) => n.table === 'citations')).toBe(true);
    const mipt = entityId(a, 'MIPT');
    const provenance = a.prepare('SELECT from_file, from_investigator, action FROM merge_provenance WHERE row_id = ?').get(mipt);
    expect(provenance).toEqual({ from_file: 'boris.caseboard', from_investigator: 'Boris', action: 'added' });

    const state = run(a, 'history.state', {}, 'Alice');
    expect(state.undo?.summary).toMatch(/^Merged boris\.caseboard/);
    run(a, 'history.undo', {}, 'Alice');
    expect(caseContent(a)).toEqual(contentBefore);
  });

  it("takes the other investigator's side when chosen: their edit, and the link restored with their citation", async () => {
    const { a, fileB, beihang, link } = twoCopies();
    await merge(a, fileB, 'merge.apply', { [`entities:${beihang}`]: 'theirs', [`links:${link}`]: 'theirs' });
    expect((a.prepare('SELECT description FROM entities WHERE id = ?').get(beihang) as { description: string }).description).toContain('Boris');
    expect(a.prepare('SELECT 1 AS ok FROM links WHERE id = ?').get(link)).toEqual({ ok: 1 });
    expect((a.prepare('SELECT count(*) AS n FROM citations WHERE link_id = ?').get(link) as { n: number }).n).toBeGreaterThan(0);
  });

  it('merges the proposed duplicates when asked', async () => {
    const { a, fileB } = twoCopies();
    const plan = await merge(a, fileB, 'merge.plan');
    const dup = plan.duplicates[0];
    if (!dup) throw new Error('no duplicate proposed');
    const into = dup.candidates[0]?.id ?? '';
    await runCaseOperationAsync(a, 'merge.apply', { path: fileB, mergeDuplicates: [{ incomingId: dup.incomingId, intoId: into }] }, context('Alice'));
    expect(a.prepare("SELECT count(*) AS n FROM entities WHERE name IN ('MIPT', 'Moscow Institute of Physics and Technology')").get()).toEqual({ n: 1 });
  });

  it('gives the same content merging A into B as B into A', async () => {
    const { dir, a, b, fileA, fileB, beihang, link } = twoCopies();
    const copyA = path.join(dir, 'alice-copy.caseboard');
    const copyB = path.join(dir, 'boris-copy.caseboard');
    copyFileSync(fileA, copyA);
    copyFileSync(fileB, copyB);
    // Without conflicts settled differently: each keeps its own side, so compare with mirrored choices.
    await merge(a, copyB, 'merge.apply', { [`entities:${beihang}`]: 'theirs', [`links:${link}`]: 'ours' });
    await merge(b, copyA, 'merge.apply', { [`entities:${beihang}`]: 'ours', [`links:${link}`]: 'theirs' }, 'Boris');
    expect(caseContent(a)).toEqual(caseContent(b));
  });

  it('gives the same content both ways when the copies do not conflict', async () => {
    const dir = tempDir();
    const base = path.join(dir, 'base.caseboard');
    createSampleCase(base).close();
    const [fa, fb] = ['a.caseboard', 'b.caseboard'].map((n) => path.join(dir, n)) as [string, string];
    copyFileSync(base, fa);
    copyFileSync(base, fb);
    const a = open(fa);
    const b = open(fb);
    run(a, 'entities.create', { fields: { type: 'person', name: 'Bethany Allen (ASPI)' } }, 'Alice');
    const putin = entityId(b, 'Vladimir Putin');
    run(b, 'entities.delete', { id: putin, withLinks: true }, 'Boris');
    run(b, 'sources.create', { kind: 'report', title: 'ASPI preliminary findings', reliability: 'B', authors: [] }, 'Boris');
    const [ca, cb] = [path.join(dir, 'a2.caseboard'), path.join(dir, 'b2.caseboard')];
    a.pragma('wal_checkpoint(TRUNCATE)');
    b.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(fa, ca);
    copyFileSync(fb, cb);
    const plan = await merge(a, cb, 'merge.apply');
    expect(plan.conflicts).toEqual([]);
    expect(plan.counts.entities.deleted).toBe(1);
    expect(plan.counts.sources.added).toBe(1);
    await merge(b, ca, 'merge.apply', {}, 'Boris');
    expect(caseContent(a)).toEqual(caseContent(b));
    expect(a.prepare('SELECT 1 FROM entities WHERE id = ?').get(putin)).toBeUndefined();
  });
});

/** Everything that belongs to an item: its citations, area tags, and for an entity its names, identifiers and sanction records. */
function partsOf(db: CaseDb, kind: 'link' | 'entity', id: string) {
  const rows = (sql: string) => db.prepare(sql).all(id);
  return {
    citations: rows(`SELECT id, excerpt_id FROM citations WHERE ${kind}_id = ? ORDER BY id`),
    areaTags: rows(`SELECT id, area_id FROM area_tags WHERE ${kind}_id = ? ORDER BY id`),
    ...(kind === 'entity'
      ? {
          aliases: rows('SELECT id, name FROM entity_aliases WHERE entity_id = ? ORDER BY id'),
          identifiers: rows('SELECT id, key, value FROM entity_identifiers WHERE entity_id = ? ORDER BY id'),
          sanctions: rows('SELECT id, authority, program, start_date FROM sanctions WHERE entity_id = ? ORDER BY id'),
        }
      : {}),
  };
}

/**
 * Two investigators' copies of the sample case: Alice deletes a cited, tagged
 * link and a cited, tagged entity with names, an identifier and a sanction
 * record; Boris edits both. Each side also records a sanction of its own.
 */
function deletedHereEditedThere() {
  const dir = tempDir();
  const base = path.join(dir, 'base.caseboard');
  const sample = createSampleCase(base);
  const stc = entityId(sample, 'Special Technology Center');
  const fields = run(sample, 'entities.get', { id: stc }, 'Alice');
  run(sample, 'entities.update', { id: stc, fields: { ...fields, identifiers: [{ key: 'ogrn', value: '1027800000001' }] } }, 'Alice');
  addSanction(sample, stc, { authority: 'US Department of Commerce', program: 'Entity List', startDate: '2022-06-28' }, changeSetOf(sample, 'Alice'));
  sample.pragma('wal_checkpoint(TRUNCATE)');
  sample.close();
  const [fileA, fileB] = [path.join(dir, 'alice.caseboard'), path.join(dir, 'boris.caseboard')];
  copyFileSync(base, fileA);
  copyFileSync(base, fileB);
  const a = open(fileA);
  const b = open(fileB);
  const xatu = entityId(a, 'Xi’an Technological University');
  const spbpu = entityId(a, 'Peter the Great St. Petersburg Polytechnic University');
  const link = a.prepare('SELECT id FROM links WHERE from_id = ? AND to_id = ?').pluck().get(xatu, spbpu) as string;
  const before = { link: partsOf(a, 'link', link), entity: partsOf(a, 'entity', stc) };

  run(a, 'links.delete', { id: link }, 'Alice');
  run(a, 'entities.delete', { id: stc, withLinks: true }, 'Alice');
  addSanction(a, entityId(a, 'Harbin Institute of Technology'), { authority: 'US Department of Commerce', program: 'Entity List', startDate: '2020-05' }, changeSetOf(a, 'Alice'));

  const row = b.prepare('SELECT from_id, to_id, type, direction, status FROM links WHERE id = ?').get(link) as { from_id: string; to_id: string; type: string; direction: 'directed'; status: 'active' };
  run(b, 'links.update', { id: link, fields: { fromId: row.from_id, toId: row.to_id, type: row.type, direction: row.direction, status: 'ended', endDate: '2024', notes: 'Ended, says Boris.' } }, 'Boris');
  const entity = run(b, 'entities.get', { id: stc }, 'Boris');
  run(b, 'entities.update', { id: stc, fields: { ...entity, description: 'Edited by Boris: makes the Orlan-10.' } }, 'Boris');
  addSanction(b, entityId(b, 'Beihang University'), { authority: 'US Department of Commerce', program: 'Entity List', startDate: '2001' }, changeSetOf(b, 'Boris'));
  a.pragma('wal_checkpoint(TRUNCATE)');
  b.pragma('wal_checkpoint(TRUNCATE)');
  return { dir, a, b, fileA, fileB, link, stc, before };
}

describe('an item the merge keeps keeps what belongs to it', () => {
  it('keeps the link and entity one side edited and the other deleted with their citations, tags, names, identifiers and sanction records, both ways', async () => {
    const { dir, a, b, fileA, fileB, link, stc, before } = deletedHereEditedThere();
    expect(before.link.citations).toHaveLength(2);
    expect(before.link.areaTags).toHaveLength(2);
    expect(before.entity.aliases).toHaveLength(2);
    expect(before.entity.sanctions).toHaveLength(1);
    const [copyA, copyB] = [path.join(dir, 'alice-copy.caseboard'), path.join(dir, 'boris-copy.caseboard')];
    copyFileSync(fileA, copyA);
    copyFileSync(fileB, copyB);

    // Boris keeps his side: the edited link and entity stay, and so does everything that belongs to them.
    const planB = await merge(b, copyA, 'merge.plan', {}, 'Boris');
    expect(planB.conflicts.map((c) => [c.key, c.kind]).sort()).toEqual([
      [`entities:${stc}`, 'deleted-there'],
      [`links:${link}`, 'deleted-there'],
    ]);
    expect(planB.unrelated).toBe(false);
    // The links Alice deleted with the entity and Boris left alone go, citations and all.
    expect(planB.counts.links.deleted).toBe(planB.counts.citations.deleted);
    expect(planB.counts.sanctions).toEqual({ added: 1, updated: 0, deleted: 0 });
    await merge(b, copyA, 'merge.apply', {}, 'Boris');
    expect(b.prepare('SELECT status, notes FROM links WHERE id = ?').get(link)).toEqual({ status: 'ended', notes: 'Ended, says Boris.' });
    expect(partsOf(b, 'link', link)).toEqual(before.link);
    expect(partsOf(b, 'entity', stc)).toEqual(before.entity);
    expect(b.prepare('SELECT count(*) FROM sanctions').pluck().get()).toBe(3);

    // Alice takes Boris's versions: the same case.
    const digestA = contentDigest(a);
    const planA = await merge(a, copyB, 'merge.apply', { [`links:${link}`]: 'theirs', [`entities:${stc}`]: 'theirs' });
    // An entity's names and identifiers travel with it; its citations, tags and sanction records come back with it.
    expect(planA.notes.filter((n) => n.reason.startsWith('kept with the')).map((n) => n.table).sort()).toEqual(
      ['area_tags', 'area_tags', 'citations', 'citations', 'sanctions', ...before.entity.citations.map(() => 'citations'), ...before.entity.areaTags.map(() => 'area_tags')].sort(),
    );
    expect(partsOf(a, 'link', link)).toEqual(before.link);
    expect(partsOf(a, 'entity', stc)).toEqual(before.entity);
    expect(caseContent(a)).toEqual(caseContent(b));

    run(a, 'history.undo', {}, 'Alice');
    expect(contentDigest(a)).toBe(digestA);
  });

  it('leaves out a part the keeping side removed on purpose', async () => {
    const { a, b, fileB, before, link } = deletedHereEditedThere();
    const citation = before.link.citations[0] as { id: string; excerpt_id: string };
    // Boris drops one citation of the link he edited; Alice deleted the whole link.
    run(b, 'citations.remove', { id: citation.id }, 'Boris');
    b.pragma('wal_checkpoint(TRUNCATE)');
    await merge(a, fileB, 'merge.apply', { [`links:${link}`]: 'theirs' });
    expect(partsOf(a, 'link', link).citations).toEqual(before.link.citations.slice(1));
    expect(partsOf(a, 'link', link).areaTags).toEqual(before.link.areaTags);
  });
});

describe('merging another case altogether', () => {
  it('calls a case with no item, no history and not the title in common unrelated, and a copy or an empty case not', async () => {
    const { a, dir, fileB } = twoCopies();
    const other = createCaseFile(path.join(dir, 'other.caseboard'), { title: 'Arctic shipping' });
    run(other, 'entities.create', { fields: { type: 'organisation', name: 'Rosatom', country: 'RU' } }, 'Carol');
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    expect((await merge(a, fileB, 'merge.plan')).unrelated).toBe(false);
    const plan = await merge(a, path.join(dir, 'other.caseboard'), 'merge.plan');
    expect(plan.unrelated).toBe(true);
    expect(plan.counts.entities).toEqual({ added: 1, updated: 0, deleted: 0 });
    const empty = createCaseFile(path.join(dir, 'empty.caseboard'), { title: 'Received' });
    opened.push(empty);
    expect((await merge(empty, fileB, 'merge.plan')).unrelated).toBe(false);
  });
});

describe('undoing a merge', () => {
  it('returns the case to exactly its content before the merge, attached files and provenance included, also after reopening; redo brings the merge back', async () => {
    const dir = tempDir();
    const base = path.join(dir, 'base.caseboard');
    const sample = createSampleCase(base);
    const report = run(sample, 'sources.create', { kind: 'report', title: 'Joint lab agreement', reliability: 'B', authors: [] }, 'Alice');
    const kept = await runCaseOperationAsync(sample, 'attachments.add', { sourceId: report.id, file: { name: 'agreement.txt', base64: Buffer.from('Beihang and MAI sign a joint lab agreement.\n').toString('base64') } }, context('Alice'));
    const quoted = run(sample, 'excerpts.create', { sourceId: report.id, fields: { attachmentId: kept.attachment.id, quote: 'sign a joint lab agreement', credibility: 2 } }, 'Alice');
    sample.pragma('wal_checkpoint(TRUNCATE)');
    sample.close();
    const [fileA, fileB] = [path.join(dir, 'alice.caseboard'), path.join(dir, 'boris.caseboard')];
    copyFileSync(base, fileA);
    copyFileSync(base, fileB);
    let a = open(fileA);
    const b = open(fileB);
    // Boris removes the attached file (the excerpt quoting it stays) and attaches another one; he also edits an entity.
    run(b, 'attachments.delete', { id: kept.attachment.id }, 'Boris');
    await runCaseOperationAsync(b, 'attachments.add', { sourceId: report.id, file: { name: 'annex.txt', base64: Buffer.from('Annex: the lab opens in 2021.\n').toString('base64') } }, context('Boris'));
    const beihang = entityId(b, 'Beihang University');
    const entity = run(b, 'entities.get', { id: beihang }, 'Boris');
    run(b, 'entities.update', { id: beihang, fields: { ...entity, description: 'Edited by Boris.', aliases: entity.aliases, identifiers: entity.identifiers } }, 'Boris');
    b.pragma('wal_checkpoint(TRUNCATE)');

    const before = contentDigest(a);
    // The excerpt lost its file on Boris's side only: taking his side lets the file go.
    const plan = await merge(a, fileB, 'merge.apply', { [`excerpts:${quoted.id}`]: 'theirs' });
    expect(plan.counts.attachments).toEqual({ added: 1, updated: 0, deleted: 1 });
    expect(a.prepare('SELECT name FROM attachments').pluck().all()).toEqual(['annex.txt']);
    expect(a.prepare('SELECT attachment_id FROM excerpts WHERE quote = ?').pluck().get('sign a joint lab agreement')).toBeNull();
    expect((a.prepare('SELECT count(*) FROM merge_provenance').pluck().get() as number) > 0).toBe(true);
    const merged = contentDigest(a);
    expect(merged).not.toBe(before);

    run(a, 'history.undo', {}, 'Alice');
    expect(contentDigest(a)).toBe(before);
    expect(a.prepare('SELECT name FROM attachments').pluck().all()).toEqual(['agreement.txt']);
    expect(a.prepare('SELECT count(*) FROM merge_provenance').pluck().get()).toBe(0);
    expect(run(a, 'attachments.text', { id: kept.attachment.id }, 'Alice').pages.map((p) => p.text).join('')).toContain('joint lab agreement');

    a.close();
    opened.splice(opened.indexOf(a), 1);
    a = open(fileA);
    run(a, 'history.redo', {}, 'Alice');
    expect(contentDigest(a)).toBe(merged);
    run(a, 'history.undo', {}, 'Alice');
    expect(contentDigest(a)).toBe(before);
    // The bytes of a file out of the case are kept only while Redo may need them.
    expect(a.prepare('SELECT count(*) FROM change_rows WHERE content IS NOT NULL').pluck().get()).toBe(1);
  });
});

describe('round trip through an exported case file', () => {
  it('case -> export -> merged into an empty case -> the same content', async () => {
    const dir = tempDir();
    const sample = createSampleCase(path.join(dir, 'sample.caseboard'));
    opened.push(sample);
    const shared = path.join(dir, 'shared.caseboard');
    exportCaseFile(sample, shared, { passphrase: 'a long shared passphrase' });
    const empty = createCaseFile(path.join(dir, 'empty.caseboard'), { title: 'Received' });
    opened.push(empty);
    const plan = await runCaseOperationAsync(empty, 'merge.apply', { path: shared, passphrase: 'a long shared passphrase' }, context('Alice'));
    expect(plan.conflicts).toEqual([]);
    expect(caseContent(empty)).toEqual(caseContent(sample));
  });
});

describe('merging safely', () => {
  it('merges an encrypted copy with its passphrase and refuses a wrong one', async () => {
    const { a, b, dir } = twoCopies();
    const sealed = path.join(dir, 'boris-sealed.caseboard');
    exportCaseFile(b, sealed, { passphrase: 'correct horse battery' });
    const before = sha256(a.name);
    const content = contentDigest(a, { bookkeeping: true });
    await expect(runCaseOperationAsync(a, 'merge.apply', { path: sealed }, context('Alice'))).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'boris-sealed.caseboard is encrypted; give its passphrase.',
    });
    await expect(runCaseOperationAsync(a, 'merge.apply', { path: sealed, passphrase: 'wrong horse battery' }, context('Alice'))).rejects.toMatchObject({
      code: 'not_a_case_file',
      message: 'boris-sealed.caseboard could not be decrypted: the passphrase is wrong or the file was changed.',
    });
    // Not one row written, not even to the audit log or the undo journal.
    expect(contentDigest(a, { bookkeeping: true })).toBe(content);
    expect(sha256(a.name)).toBe(before);
    const plan = await runCaseOperationAsync(a, 'merge.apply', { path: sealed, passphrase: 'correct horse battery' }, context('Alice'));
    expect(plan.applied).toBe(true);
    expect(plan.counts.entities.added).toBe(1);
  });

  it('reports progress and leaves the case as it was when cancelled', async () => {
    const { a, fileB } = twoCopies();
    const content = caseContent(a);
    const seen: number[] = [];
    let calls = 0;
    const ctx = {
      actor: 'Alice',
      progress: (p: { done: number }) => seen.push(p.done),
      throwIfCancelled: () => {
        calls += 1;
        if (calls > 1) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
      },
    };
    await expect(runCaseOperationAsync(a, 'merge.apply', { path: fileB }, ctx)).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen[0]).toBe(0);
    expect(caseContent(a)).toEqual(content);
  });
});

describe('hostile files offered for merging', () => {
  it('refuses each before touching the open case', async () => {
    const { a, dir, fileB } = twoCopies();
    const before = sha256(a.name);
    const notSqlite = path.join(dir, 'notes.caseboard');
    writeFileSync(notSqlite, 'just some text, '.repeat(100));
    const truncated = path.join(dir, 'truncated.caseboard');
    writeFileSync(truncated, readFileSync(fileB).subarray(0, 8192));
    const withTrigger = path.join(dir, 'trigger.caseboard');
    copyFileSync(fileB, withTrigger);
    const evil = openCaseFile(withTrigger);
    evil.exec("CREATE TRIGGER sneaky AFTER INSERT ON entities BEGIN SELECT 1; END; CREATE VIEW peek AS SELECT * FROM entities; CREATE TABLE extra (x)");
    evil.pragma('wal_checkpoint(TRUNCATE)');
    evil.close();
    const newer = path.join(dir, 'newer.caseboard');
    copyFileSync(fileB, newer);
    const future = openCaseFile(newer);
    future.pragma('user_version = 990');
    future.pragma('wal_checkpoint(TRUNCATE)');
    future.close();
    for (const file of [notSqlite, truncated, withTrigger, newer, path.join(dir, 'missing.caseboard')]) {
      await expect(merge(a, file, 'merge.apply')).rejects.toMatchObject({ code: 'not_a_case_file' });
    }
    await expect(merge(a, a.name, 'merge.apply')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(sha256(a.name)).toBe(before);
  });
});

afterEach(() => {
  while (opened.length) opened.pop()?.close();
});
