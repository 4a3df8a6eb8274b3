import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { runCaseOperation, type CaseOperationName } from '../../db/host/operations';
import type { OpInput } from '../../shared/contract';
import { fillCase } from '../helpers/bulk';

/**
 * Bulk actions on "every row matching the filters" in a case of 100,000
 * entities and 100,000 links: the selection is found in the database, and
 * every row changed goes through the journal so that Undo takes it back.
 * Each action is run once and undone; the figures go to docs/performance.md.
 */

const ENTITIES = 100_000;
const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-'));
const db = createCaseFile(path.join(folder, 'bulk.caseboard'), { title: 'Bulk actions' });
const { entityIds } = fillCase(db, ENTITIES, ENTITIES);
const area = (db.prepare("SELECT id FROM technology_areas WHERE name = 'nuclear'").get() as { id: string }).id;
const excerpt = db.prepare('SELECT id FROM excerpts LIMIT 1').pluck().get() as string;
const ctx = { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined };
const run = <N extends CaseOperationName>(name: N, input: OpInput<N>) => runCaseOperation(db, name, input, ctx);

afterAll(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
// Half the entities: every Chinese one.
const chinese = { matching: { filter: { country: { filterType: 'text' as const, type: 'equals' as const, filter: 'CN' } } } };
// One entity in six (16,667): two words of the quick filter.
const some = { matching: { quick: 'Laboratory University' } };

function timed(label: string, work: () => unknown): void {
  const started = performance.now();
  const answer = work();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms ${JSON.stringify(answer)}`);
}

describe(`bulk actions (${ENTITIES.toLocaleString('en')} entities, ${ENTITIES.toLocaleString('en')} links)`, () => {
  bench('what deleting every Chinese entity would take with it', () => timed('preview, 50,000 entities', () => run('bulk.preview', { kind: 'entity', selection: chinese })), once);
  bench(
    'tag every Chinese entity, then undo',
    () => {
      timed('tag 50,000 entities', () => run('bulk.tag', { kind: 'entity', selection: chinese, areaId: area }));
      timed('undo it', () => run('history.undo', {}).redo?.summary);
    },
    once,
  );
  bench(
    'set the type of every Chinese entity, then undo',
    () => {
      timed('set type on 50,000 entities', () => run('bulk.setEntities', { selection: chinese, type: 'place' }));
      timed('undo it', () => run('history.undo', {}).redo?.summary);
    },
    once,
  );
  bench(
    'cite an excerpt from 16,667 entities, then undo',
    () => {
      timed('cite from the quick filter', () => run('bulk.cite', { kind: 'entity', selection: some, excerptIds: [excerpt] }));
      timed('undo it', () => run('history.undo', {}).redo?.summary);
    },
    once,
  );
  bench(
    'delete 1,000 ticked entities with their links, then undo',
    () => {
      timed('delete 1,000 entities', () => run('bulk.delete', { kind: 'entity', selection: { ids: entityIds.slice(0, 1000) }, withLinks: true }));
      timed('undo it', () => run('history.undo', {}).redo?.summary);
    },
    once,
  );
});
