import { z } from 'zod';
import { sourceGridQuery } from './case-filters';
import type { CaseChanges } from './changes';
import type { GridPage } from './grid-query';
import { op, type Operation } from './operation';
import type { OperationName } from './operation-names';
import { evidenceOperations } from './ops/evidence';
import { exchangeOperations } from './ops/exchange';
import { graphOperations } from './ops/graph';
import { mergeOperations } from './ops/merge';
import { modelOperations } from './ops/model';
import { reportOperations } from './ops/reports';
import { screeningOperations } from './ops/screening';
import { shareOperations } from './ops/share';
import { byId, caseUpdate, sourceCreate, sourceUpdate, type CaseDetails, type CaseInfo, type CaseVerifyReport, type Source } from './schemas';

/** Where the UI runs: the Electron window or a browser talking to `caseboard serve`. */
export type Door = 'electron' | 'browser';

export interface RecentCase {
  path: string;
  title: string;
  openedAt: string;
}

export interface AppState {
  door: Door;
  case: CaseDetails | null;
  recent: RecentCase[];
  /** Folder where new case files go when no path is given. */
  casesFolder: string;
  /** Name recorded in the audit log; null until the investigator has been asked. */
  investigator: string | null;
  /** What the audit log records while no name is set (the system user name). */
  defaultInvestigator: string;
}

const casePath = z.string().trim().min(1, 'Give the case file a name or path.').max(4096);

const empty = z.object({}).strict();

/** The one list of what Caseboard can do. Every door registers exactly these. */
export const contract = {
  'app.state': op<AppState>()(empty, false),
  'app.newCase': op<CaseDetails>()(
    z.object({
      path: casePath.optional(),
      title: z.string().trim().min(1, 'The case title is required.').max(300),
      marking: z.string().trim().max(200).optional(),
    }),
    true,
    { paths: [{ field: 'path', mode: 'save' }] },
  ),
  'app.openCase': op<CaseDetails>()(z.object({ path: casePath, passphrase: z.string().max(1024).optional() }), false, { paths: [{ field: 'path', mode: 'open' }] }),
  'app.openSample': op<CaseDetails>()(empty, false),
  'app.closeCase': op<null>()(empty, false),
  'app.setInvestigator': op<null>()(z.object({ name: z.string().trim().max(200, 'The name is longer than 200 characters.') }), false),
  'app.saveCopy': op<{ path: string }>()(z.object({ path: casePath }), false, { paths: [{ field: 'path', mode: 'save' }] }),
  'case.get': op<CaseDetails>()(empty, false),
  'case.update': op<CaseDetails>()(caseUpdate, true),
  /** Counts and details without reading the whole file; `full` adds SQLite's full integrity check. */
  'case.info': op<CaseInfo>()(z.object({ full: z.boolean().optional() }).strict(), false),
  /** Verify case file: every table and index checked, with progress; may be cancelled between tables; writes nothing. */
  'case.verify': op<CaseVerifyReport>()(empty, false),
  /** Cheap enough to ask every second: how far the case's audit log has come, and which domains changed after `since`. */
  'case.changes': op<CaseChanges>()(z.object({ since: z.number().int().min(0) }).strict(), false),
  'sources.page': op<GridPage<Source>>()(sourceGridQuery, false),
  'sources.get': op<Source>()(byId, false),
  'sources.create': op<Source>()(sourceCreate, true),
  'sources.update': op<Source>()(sourceUpdate, true),
  'sources.delete': op<{ id: string }>()(byId, true),
  ...evidenceOperations,
  ...modelOperations,
  ...shareOperations,
  ...graphOperations,
  ...reportOperations,
  ...mergeOperations,
  ...exchangeOperations,
  ...screeningOperations,
} satisfies Record<OperationName, Operation<z.ZodType, unknown>>;

// Both lists must name the same operations; this fails to compile if they drift.
type ContractNames = keyof typeof contract;
const namesMatch: [Exclude<ContractNames, OperationName>, Exclude<OperationName, ContractNames>] extends [never, never] ? true : false = true;
void namesMatch;

export type Contract = typeof contract;
export type OpInput<N extends OperationName> = z.input<Contract[N]['input']>;
export type OpParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OpOutput<N extends OperationName> = Exclude<Contract[N]['output'], undefined>;

/** Progress of a long operation: done out of total steps, with a short message. */
export interface Progress {
  done: number;
  total: number;
  message?: string;
}

/** What the renderer holds: one call for every operation, whichever door is behind it. */
export interface CaseboardApi {
  call<N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>>;
}
