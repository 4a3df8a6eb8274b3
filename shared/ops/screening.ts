import { z } from 'zod';
import { op } from '../operation';

/** A reference list (watchlist) the investigator added, kept in the user data folder, not in a case. */
export interface ReferenceList {
  name: string;
  version: string | null;
  /** SHA-256 of the file the list was added from (of the files one after the other, when there were several). */
  sha256: string;
  /** People, organisations, companies, public bodies and vessels the list holds. */
  entities: number;
  addedAt: string;
}

/** What the investigator decided about a hit. */
export const HIT_DECISIONS = ['open', 'confirmed', 'dismissed'] as const;
export type HitDecision = (typeof HIT_DECISIONS)[number];

/** How a hit stands after the latest run against its list: first found, score or reasons changed, as before, or no longer found. */
export const HIT_CHANGES = ['new', 'changed', 'same', 'gone'] as const;
export type HitChange = (typeof HIT_CHANGES)[number];

/** A sanction record a list entry carries, as a confirmed hit adds it to the entity. */
export interface HitSanction {
  authority: string | null;
  program: string | null;
  startDate: string | null;
  endDate?: string | null;
  reason?: string | null;
  sourceUrl?: string | null;
  ftmId?: string | null;
}

/** One case entity that looks like one entry of a reference list, with why. */
export interface ScreeningHit {
  id: string;
  entity: { id: string; name: string };
  /** The list entry: its list, its own FtM id from the list file, and its names. */
  entry: { list: string; id: string; names: string[] };
  /** 0 to 1. */
  score: number;
  /** The case name and the list name that met. */
  matched: [string, string];
  why: string;
  sanctions: HitSanction[];
  decision: HitDecision;
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  change: HitChange;
  listVersion: string | null;
  listSha256: string;
}

/** One run of screening, as the case keeps it. */
export interface ScreeningRun {
  id: string;
  runAt: string;
  threshold: number;
  lists: ReferenceList[];
  /** Entities screened. */
  entities: number;
  hits: number;
  /** What changed since the run before against the same lists. */
  changed: { new: number; changed: number; gone: number };
}

/** The case's screening results: its latest run and every hit kept. */
export interface ScreeningResults {
  run: ScreeningRun | null;
  hits: ScreeningHit[];
}

/** The score from which a hit is reported unless the run says otherwise. */
export const DEFAULT_THRESHOLD = 0.8;

const listName = z.string().trim().min(1, 'Give the list a name.').max(200, 'The list name is longer than 200 characters.');
const fileText = z.string().max(50 * 1024 * 1024, 'The file is larger than 50 MB; add it with the caseboard command or by its path.');

/** Reference lists and screening a case's entities against them. */
export const screeningOperations = {
  'screening.lists': op<ReferenceList[]>()(z.object({}).strict(), false),
  'screening.addList': op<ReferenceList>()(
    z
      .object({
        name: listName,
        version: z.string().trim().max(100, 'The version is longer than 100 characters.').optional(),
        /** The FtM JSON lines file on this machine, or */
        path: z.string().min(1).max(4096).optional(),
        /** its text, from a browser. */
        text: fileText.optional(),
      })
      .refine((v) => (v.path === undefined) !== (v.text === undefined), { message: 'Give the list file, by its path or its text.', path: ['path'] }),
    false,
    { paths: [{ field: 'path', mode: 'open' }] },
  ),
  'screening.removeList': op<ReferenceList>()(z.object({ name: listName }), false),
  'screening.run': op<ScreeningResults>()(
    z.object({
      /** The lists to screen against; every added list when none is named. */
      lists: z.array(listName).max(100).default([]),
      threshold: z.number().min(0, 'The threshold is a score from 0 to 1.').max(1, 'The threshold is a score from 0 to 1.').default(DEFAULT_THRESHOLD),
    }),
    true,
  ),
  'screening.results': op<ScreeningResults>()(
    z.object({
      /** Only the hits of one entity. */
      entityId: z.string().max(100).optional(),
    }),
    false,
  ),
  'screening.decide': op<ScreeningHit>()(
    z.object({
      id: z.string().trim().min(1).max(100),
      decision: z.enum(HIT_DECISIONS),
      note: z.string().trim().max(5000, 'The note is longer than 5000 characters.').optional(),
    }),
    true,
  ),
};
