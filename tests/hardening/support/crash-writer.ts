// A writer meant to be killed: it edits a case file through the real
// operations, as fast as it can, and logs one line before and one line after
// every committed change. The parent kills it with SIGKILL at random moments
// and checks the case file against what was acknowledged.
import { openSync, readdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openCaseFile } from '../../../db/core/case-file';
import { runCaseOperation, runCaseOperationAsync, type OperationContext } from '../../../db/host/operations';
import { below, seededRandom } from './random';
import type { WriterLine } from './crash-model';

const [caseFile, seedText, importDir, logFile] = process.argv.slice(2);
if (!caseFile || !seedText || !importDir || !logFile) throw new Error('usage: crash-writer <case file> <seed> <folder of files to import> <log file>');
const seed = Number(seedText);
const random = seededRandom(seed);

const ctx: OperationContext = { actor: 'crash-test', progress: () => undefined, throwIfCancelled: () => undefined };

// The log is a regular file written with one write() per line: once writeSync returns, the line is in the
// kernel's page cache and survives SIGKILL. A pipe would not do: when the parent is slow to read and the pipe's
// buffer is full, Node queues stdout writes in the process, and a kill loses them.
const log = openSync(logFile, 'a');
function say(line: WriterLine): void {
  writeSync(log, `${JSON.stringify(line)}\n`);
}

const db = openCaseFile(caseFile);
const importFiles = readdirSync(importDir).map((name) => path.join(importDir, name));
const editable = new Map<string, number>(
  (db.prepare("SELECT id, notes FROM sources WHERE title LIKE 'edit %'").all() as { id: string; notes: string | null }[]).map((row) => [row.id, Number(row.notes ?? 0)]),
);
say({ kind: 'ready' });
// The parent starts its kill timer on this.
process.stdout.write('ready\n');

function pick(count: number): string[] {
  const ids = [...editable.keys()];
  const chosen = new Set<string>();
  while (chosen.size < Math.min(count, ids.length)) chosen.add(ids[below(random, ids.length)] as string);
  return [...chosen];
}

function createOne(title: string, rev = 0): string {
  const source = runCaseOperation(db, 'sources.create', { kind: 'article', title, reliability: 'B', notes: String(rev) }, ctx);
  return source.id;
}

let n = 0;
async function step(): Promise<void> {
  n += 1;
  const roll = random();
  if (roll < 0.35 || editable.size < 5) {
    say({ kind: 'begin', op: 'create' });
    const id = createOne(`edit ${seed}-${n}`);
    editable.set(id, 0);
    say({ kind: 'ack', op: 'create', ids: [id] });
  } else if (roll < 0.6) {
    const [id] = pick(1) as [string];
    const rev = (editable.get(id) ?? 0) + 1;
    say({ kind: 'begin', op: 'update', ids: [id], rev });
    runCaseOperation(db, 'sources.update', { id, fields: { kind: 'report', title: `edit ${seed}-${n} r${rev}`, reliability: 'C', notes: String(rev) } }, ctx);
    editable.set(id, rev);
    say({ kind: 'ack', op: 'update', ids: [id], rev });
  } else if (roll < 0.7) {
    const [id] = pick(1) as [string];
    say({ kind: 'begin', op: 'delete', ids: [id] });
    runCaseOperation(db, 'sources.delete', { id }, ctx);
    editable.delete(id);
    say({ kind: 'ack', op: 'delete', ids: [id] });
  } else if (roll < 0.85) {
    // A batch: several operations in one transaction (each becomes a savepoint inside it).
    const size = 2 + below(random, 30);
    const tag = `${seed}-${n}`;
    say({ kind: 'begin', op: 'batch', tag, size });
    const ids = db.transaction(() => Array.from({ length: size }, (_, i) => createOne(`batch ${tag} ${i + 1}/${size}`)))();
    say({ kind: 'ack', op: 'batch', tag, size, ids });
  } else if (roll < 0.93) {
    const ids = pick(2 + below(random, 6));
    say({ kind: 'begin', op: 'batchDelete', ids });
    db.transaction(() => {
      for (const id of ids) runCaseOperation(db, 'sources.delete', { id }, ctx);
    })();
    for (const id of ids) editable.delete(id);
    say({ kind: 'ack', op: 'batchDelete', ids });
  } else {
    const file = importFiles[below(random, importFiles.length)] as string;
    say({ kind: 'begin', op: 'import', file: path.basename(file) });
    const result = await runCaseOperationAsync(db, 'attachments.add', { file: { path: file }, allowDuplicate: true }, ctx);
    say({ kind: 'ack', op: 'import', ids: [result.attachment.sourceId], attachmentId: result.attachment.id, sha256: result.attachment.sha256 });
  }
}

async function run(): Promise<void> {
  // Runs until killed; a limit keeps a forgotten child from running for ever.
  for (let i = 0; i < 100_000; i += 1) await step();
  db.close();
}

void run();
