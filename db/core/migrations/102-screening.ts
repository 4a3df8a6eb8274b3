import type { Migration } from './index';

/**
 * Screening results kept in the case: each run against reference lists (the
 * lists' names, versions and SHA-256, so a result can be traced to the exact
 * file), and each hit with its score, its reasons and the investigator's
 * decision. A hit is one entity against one list entry, so re-screening
 * finds the hit it found before and keeps its decision. Both tables join
 * the undo journal (db/core/tables.ts).
 */
export const screening: Migration = {
  version: 102,
  name: 'screening',
  sql: `
    CREATE TABLE screening_runs (
      id TEXT PRIMARY KEY,
      run_at TEXT NOT NULL,
      threshold REAL NOT NULL CHECK (threshold BETWEEN 0 AND 1),
      -- The lists screened against, as JSON: [{"name", "version", "sha256", "entities", "addedAt"}].
      lists TEXT NOT NULL CHECK (json_valid(lists)),
      entities INTEGER NOT NULL CHECK (entities >= 0),
      hits INTEGER NOT NULL CHECK (hits >= 0),
      new_hits INTEGER NOT NULL CHECK (new_hits >= 0),
      changed_hits INTEGER NOT NULL CHECK (changed_hits >= 0),
      gone_hits INTEGER NOT NULL CHECK (gone_hits >= 0),
      actor TEXT NOT NULL
    ) STRICT;
    CREATE INDEX screening_runs_at ON screening_runs (run_at);

    CREATE TABLE screening_hits (
      id TEXT PRIMARY KEY,
      entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
      list TEXT NOT NULL CHECK (length(list) BETWEEN 1 AND 200),
      list_version TEXT CHECK (list_version IS NULL OR length(list_version) BETWEEN 1 AND 100),
      list_sha256 TEXT NOT NULL CHECK (length(list_sha256) = 64),
      -- The entry's own FtM id in the list file.
      entry_id TEXT NOT NULL CHECK (length(entry_id) BETWEEN 1 AND 200),
      entry_schema TEXT NOT NULL,
      entry_names TEXT NOT NULL CHECK (json_valid(entry_names)),
      case_name TEXT NOT NULL,
      list_name TEXT NOT NULL,
      score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
      why TEXT NOT NULL,
      sanctions TEXT NOT NULL CHECK (json_valid(sanctions)),
      first_run_id TEXT NOT NULL,
      last_run_id TEXT NOT NULL,
      change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'same', 'gone')),
      decision TEXT NOT NULL DEFAULT 'open' CHECK (decision IN ('open', 'confirmed', 'dismissed')),
      note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 5000),
      decided_by TEXT,
      decided_at TEXT,
      UNIQUE (entity_id, list, entry_id)
    ) STRICT;
    CREATE INDEX screening_hits_list ON screening_hits (list, last_run_id);
  `,
};
