import { describe, expect, it } from 'vitest';
import { CaseboardError } from '../../shared/errors';
import { runCaseOperationAsync } from '../../db/host/operations';
import { contentDigest } from '../helpers/content-digest';
import { addSource, BEIHANG, context, count, newCase, run } from '../helpers/model';

const PASSAGE = 'Северо-Западный политехнический университет';

function refusal(action: () => unknown): CaseboardError {
  try {
    action();
  } catch (error) {
    if (error instanceof CaseboardError) return error;
    throw error;
  }
  throw new Error('The operation was not refused.');
}

async function setUp() {
  const { db } = newCase('claims.caseboard');
  const sourceId = addSource(db);
  const attached = await runCaseOperationAsync(db, 'attachments.add', {
    sourceId,
    file: { name: 'статья.txt', base64: Buffer.from(`${PASSAGE} и Бэйханский университет расширяют сотрудничество с МАИ.\n`).toString('base64') },
  }, context());
  const fields = { attachmentId: attached.attachment.id, quote: PASSAGE, charStart: 0, charEnd: PASSAGE.length, credibility: 2 };
  return { db, sourceId, fields };
}

describe('a selected passage made a claim in one step', () => {
  it('becomes a new entity named by it that cites the new excerpt, and one Undo takes back both', async () => {
    const { db, sourceId, fields } = await setUp();
    const before = contentDigest(db);
    const made = run(db, 'excerpts.claim', { sourceId, fields, entity: { kind: 'new', fields: { type: 'organisation', subtype: 'university', name: PASSAGE, country: 'CN' } } });
    expect(made.excerpt).toMatchObject({ quote: PASSAGE, charStart: 0, charEnd: PASSAGE.length, citedBy: [{ kind: 'entity', id: made.entity.id, label: PASSAGE }] });
    expect(made.entity).toMatchObject({ name: PASSAGE, type: 'organisation', country: 'CN', aliases: [] });
    expect(made.entity.citations.map((c) => c.excerptId)).toEqual([made.excerpt.id]);
    expect(made.aliasAdded).toBe(false);
    const state = run(db, 'history.state', {});
    expect(state.undo?.summary).toBe(`Created entity ${PASSAGE} from excerpt “${PASSAGE}”`);
    run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
    expect([count(db, 'excerpts'), count(db, 'entities'), count(db, 'citations')]).toEqual([0, 0, 0]);
  });

  it('becomes an alias of a new entity given another name', async () => {
    const { db, sourceId, fields } = await setUp();
    const made = run(db, 'excerpts.claim', {
      sourceId,
      fields,
      entity: { kind: 'new', fields: { type: 'organisation', name: 'Northwestern Polytechnical University', aliases: [{ name: PASSAGE, language: 'ru' }] } },
    });
    expect(made.entity.name).toBe('Northwestern Polytechnical University');
    expect(made.entity.aliases).toEqual([expect.objectContaining({ name: PASSAGE, language: 'ru' })]);
    expect(made.entity.citations).toHaveLength(1);
  });

  it('adds the passage to an existing entity as an alias and cites the excerpt from it, in one undo step', async () => {
    const { db, sourceId, fields } = await setUp();
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const before = contentDigest(db);
    const made = run(db, 'excerpts.claim', { sourceId, fields: { ...fields, quote: 'Бэйханский университет', charStart: 47, charEnd: 69 }, entity: { kind: 'existing', id: beihang.id, alias: { name: 'Бэйханский университет', language: 'ru' } } });
    expect(made.aliasAdded).toBe(true);
    expect(made.entity.aliases.map((a) => a.name)).toEqual([...BEIHANG.aliases.map((a) => a.name), 'Бэйханский университет']);
    expect(made.entity.citations.map((c) => c.excerptId)).toEqual([made.excerpt.id]);
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Entity Beihang University: added alias “Бэйханский университет” and cited excerpt “Бэйханский университет”');
    // The picker finds the entity by its new alias.
    expect(run(db, 'entities.search', { text: 'Бэйханский', limit: 5, excludeId: null }).map((m) => m.id)).toEqual([beihang.id]);
    run(db, 'history.undo', {});
    expect(contentDigest(db)).toBe(before);
  });

  it('adds no second copy of a name the entity already has, written in another case or spacing, and still cites', async () => {
    const { db, sourceId, fields } = await setUp();
    const beihang = run(db, 'entities.create', { fields: BEIHANG });
    const made = run(db, 'excerpts.claim', { sourceId, fields: { ...fields, quote: 'buaa' }, entity: { kind: 'existing', id: beihang.id, alias: { name: '  buaa ' } } });
    expect(made.aliasAdded).toBe(false);
    expect(made.entity.aliases).toHaveLength(BEIHANG.aliases.length);
    expect(made.entity.citations).toHaveLength(1);
    expect(run(db, 'history.state', {}).undo?.summary).toBe('Entity Beihang University: cited excerpt “buaa”');
  });

  it('keeps a name in another script as a new alias, though it reads the same in Latin letters', async () => {
    const { db, sourceId, fields } = await setUp();
    const mai = run(db, 'entities.create', { fields: { type: 'organisation', name: 'MAI' } });
    const made = run(db, 'excerpts.claim', { sourceId, fields: { ...fields, quote: 'МАИ' }, entity: { kind: 'existing', id: mai.id, alias: { name: 'МАИ', language: 'ru' } } });
    expect(made.aliasAdded).toBe(true);
    expect(made.entity.aliases.map((a) => a.name)).toEqual(['МАИ']);
  });

  it('refuses an entity that is gone, a passage of another source’s file and a nameless new entity, and leaves the case as it was', async () => {
    const { db, sourceId, fields } = await setUp();
    const gone = run(db, 'entities.create', { fields: { type: 'person', name: 'Someone deleted' } });
    run(db, 'entities.delete', { id: gone.id, withLinks: false });
    const before = contentDigest(db, { bookkeeping: true });

    const missing = refusal(() => run(db, 'excerpts.claim', { sourceId, fields, entity: { kind: 'existing', id: gone.id, alias: null } }));
    expect(missing.code).toBe('not_found');
    expect(contentDigest(db, { bookkeeping: true })).toBe(before);

    const otherSource = addSource(db, 'Another article', 'C');
    const before2 = contentDigest(db, { bookkeeping: true });
    const elsewhere = refusal(() => run(db, 'excerpts.claim', { sourceId: otherSource, fields, entity: { kind: 'new', fields: { type: 'organisation', name: PASSAGE } } }));
    expect(elsewhere.code).toBe('invalid_input');
    expect(elsewhere.message).toBe('An excerpt can only quote an attachment of its own source.');
    expect(contentDigest(db, { bookkeeping: true })).toBe(before2);

    const nameless = refusal(() => run(db, 'excerpts.claim', { sourceId, fields, entity: { kind: 'new', fields: { type: 'organisation', name: '   ' } } }));
    expect(nameless.code).toBe('invalid_input');
    expect(nameless.issues?.map((i) => i.path)).toEqual(['entity.fields.name']);

    expect(contentDigest(db, { bookkeeping: true })).toBe(before2);
  });
});
