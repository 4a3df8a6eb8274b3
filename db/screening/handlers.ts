import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import type { ReferenceList } from '../../shared/ops/screening';
import { changesOf, type Handlers } from '../core/handler';
import { addReferenceList, ListReader, referenceLists, removeReferenceList } from './lists';
import { screenAgainst, type FoundHit } from './match';
import { caseEntities, decideHit, keepRun, screeningResults } from './results';

type ScreeningOperation = 'screening.lists' | 'screening.addList' | 'screening.removeList' | 'screening.run' | 'screening.results' | 'screening.decide';

/** What a run found before it writes: the hits, the lists as they were read, and how many entities were screened. */
interface Screened {
  found: FoundHit[];
  lists: ReferenceList[];
  entities: number;
}

export const screeningHandlers: Handlers<ScreeningOperation> = {
  'screening.lists': () => referenceLists(),
  'screening.addList': {
    async prepare(_db, input, ctx) {
      const progress = (done: number, total: number, message: string) => ctx.progress({ done, total, message });
      if (input.path !== undefined) return addReferenceList([input.path], { name: input.name, version: input.version, progress, throwIfCancelled: () => ctx.throwIfCancelled() });
      // Text from a browser goes through a private temporary file, so both ways read the list as a stream.
      const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-list-'));
      try {
        const file = path.join(folder, 'list.ftm.json');
        writeFileSync(file, input.text ?? '', { mode: 0o600 });
        return await addReferenceList([file], { name: input.name, version: input.version, progress, throwIfCancelled: () => ctx.throwIfCancelled() });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    commit: (_db, _input, added: ReferenceList) => added,
  },
  'screening.removeList': (_db, input) => removeReferenceList(input.name),
  'screening.run': {
    // Reading the lists and scoring is the slow part; it runs before the write transaction, and only the hits are written in it.
    prepare(db, input, ctx): Promise<Screened> {
      const all = referenceLists();
      if (all.length === 0) throw new CaseboardError('invalid_input', 'No reference list is added yet; add one with caseboard lists add or in the Screening view.');
      const names = input.lists.length ? [...new Set(input.lists)] : all.map((l) => l.name);
      const entities = caseEntities(db);
      const readers: ListReader[] = [];
      try {
        for (const name of names) readers.push(new ListReader(name));
        const found: FoundHit[] = [];
        const total = entities.length * readers.length;
        readers.forEach((reader, i) => {
          found.push(
            ...screenAgainst(entities, reader, input.threshold, (done) => {
              if (done % 200 !== 0) return;
              ctx.throwIfCancelled();
              ctx.progress({ done: i * entities.length + done, total, message: `Screening against ${reader.info.name}` });
            }),
          );
        });
        return Promise.resolve({ found, lists: readers.map((r) => r.info), entities: entities.length });
      } finally {
        for (const reader of readers) reader.close();
      }
    },
    commit: (db, input, screened: Screened, ctx) => keepRun(db, changesOf(ctx), screened.found, screened.lists, screened.entities, input.threshold),
  },
  'screening.results': (db, input) => screeningResults(db, input.entityId),
  'screening.decide': (db, input, ctx) => decideHit(db, changesOf(ctx), input.id, input.decision, input.note),
};
