import type { Migration } from './index';

/**
 * Merging case files: every item a merge brought in remembers which file and
 * investigator it came from, and sources and excerpts join the undo journal
 * so that a merge (which adds and changes them) is undone as one step.
 */
export const merge: Migration = {
  version: 60,
  name: 'merge',
  sql: `
    CREATE TABLE merge_provenance (
      id TEXT PRIMARY KEY,
      change_set_id TEXT NOT NULL,
      table_name TEXT NOT NULL CHECK (length(table_name) BETWEEN 1 AND 50),
      row_id TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('added','updated','deleted')),
      from_case_id TEXT NOT NULL,
      from_file TEXT NOT NULL,
      from_investigator TEXT,
      merged_at TEXT NOT NULL,
      merged_by TEXT NOT NULL
    ) STRICT;
    CREATE INDEX merge_provenance_row ON merge_provenance (row_id, merged_at);
    CREATE INDEX merge_provenance_change_set ON merge_provenance (change_set_id);

    CREATE TABLE change_rows_journal (
      change_set_id TEXT NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      table_name TEXT NOT NULL CHECK (table_name IN ('entities','entity_aliases','entity_identifiers','links','citations','technology_areas','area_tags','link_types','sources','excerpts')),
      row_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT,
      PRIMARY KEY (change_set_id, seq),
      CHECK (before_json IS NOT NULL OR after_json IS NOT NULL)
    ) STRICT;
    INSERT INTO change_rows_journal SELECT change_set_id, seq, table_name, row_id, before_json, after_json FROM change_rows;
    DROP TABLE change_rows;
    ALTER TABLE change_rows_journal RENAME TO change_rows;
  `,
};
