import { contract } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import type { CaseOperationName } from '../core/handler';

/**
 * Operations that do not write to the case yet stay on the writer's thread,
 * with the reason. They take as long as their work does (and report progress
 * or may be cancelled where that is long), so the time a read may take must
 * not cut them off; or they touch files beside the case.
 */
export const READS_KEPT_ON_WRITER = {
  'case.info': "runs SQLite's full integrity check when asked (--full), which takes as long as the case is large",
  'case.verify': 'checks every table and index of the case file, reporting progress, and may be cancelled',
  'attachments.export': 'writes a file to disk',
  'exchange.export': 'writes out the whole case, however large',
  'merge.plan': 'checks and reads another case file, reporting progress',
  'reports.render': 'checkpoints and hashes the case file for the appendix',
  'reports.export': 'prints the briefing and writes the file, reporting progress',
  'share.exportCase': 'writes a copy of the whole case file',
  'mentions.list': 'first works out and keeps the mentions of entities and files changed outside an operation (a case from before mentions, a bulk write), which the read-only thread could only work out again at every read',
  'screening.addList': 'reads and indexes a reference list into the user data folder, reporting progress',
  'screening.removeList': 'removes a reference list from the user data folder',
  'bulk.preview': 'counts what a selection takes with it, up to every entity and link of the case, which takes as long as the selection is large',
} as const satisfies Partial<Record<CaseOperationName, string>>;

/**
 * Whether an operation runs on the read worker: the reads the user waits on
 * (grid pages, the Overview, searches, panels), which may be given up when
 * they run too long so that the operations after them go on.
 */
export function runsOnReadWorker(name: OperationName): boolean {
  return !name.startsWith('app.') && !contract[name].writes && !Object.hasOwn(READS_KEPT_ON_WRITER, name);
}
