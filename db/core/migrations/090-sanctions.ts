import type { Migration } from './index';

/** A partial date column: NULL, YYYY, YYYY-MM or YYYY-MM-DD. */
function partialDateCheck(column: string): string {
  return `CHECK (${column} IS NULL OR ${column} GLOB '[0-9][0-9][0-9][0-9]' OR ${column} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR ${column} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')`;
}

/**
 * Sanction records on entities (from FollowTheMoney `Sanction` data, later
 * from confirmed screening hits), and what a FollowTheMoney round trip needs
 * to lose nothing: the schema of an imported entity or link, a link's id, and the properties
 * Caseboard has no column for, as JSON objects of lists (`{"website": [...]}`).
 * Sanction records join the undo journal, so change_rows is rebuilt as 070
 * did with the table added to its list.
 */
export const sanctions: Migration = {
  version: 90,
  name: 'sanctions',
  sql: `
    CREATE TABLE sanctions (
      id TEXT PRIMARY KEY,
      entity_id TEXT NOT NULL REFERENCES entities (id),
      authority TEXT CHECK (authority IS NULL OR length(authority) BETWEEN 1 AND 1000),
      program TEXT CHECK (program IS NULL OR length(program) BETWEEN 1 AND 1000),
      start_date TEXT ${partialDateCheck('start_date')},
      end_date TEXT ${partialDateCheck('end_date')},
      reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 20000),
      source_url TEXT CHECK (source_url IS NULL OR length(source_url) BETWEEN 1 AND 4000),
      -- The list or data set the record came from (an FtM file's dataset, a watchlist's name).
      list TEXT CHECK (list IS NULL OR length(list) BETWEEN 1 AND 500),
      ftm_id TEXT CHECK (ftm_id IS NULL OR length(ftm_id) BETWEEN 1 AND 200),
      ftm_properties TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (start_date IS NULL OR end_date IS NULL
        OR substr(end_date, 1, min(length(start_date), length(end_date))) >= substr(start_date, 1, min(length(start_date), length(end_date))))
    ) STRICT;
    CREATE INDEX sanctions_entity ON sanctions (entity_id, start_date);
    CREATE INDEX sanctions_ftm_id ON sanctions (ftm_id) WHERE ftm_id IS NOT NULL;

    ALTER TABLE entities ADD COLUMN ftm_schema TEXT CHECK (ftm_schema IS NULL OR length(ftm_schema) BETWEEN 1 AND 100);
    ALTER TABLE entities ADD COLUMN ftm_properties TEXT;
    ALTER TABLE links ADD COLUMN ftm_schema TEXT CHECK (ftm_schema IS NULL OR length(ftm_schema) BETWEEN 1 AND 100);
    ALTER TABLE links ADD COLUMN ftm_id TEXT CHECK (ftm_id IS NULL OR length(ftm_id) BETWEEN 1 AND 200);
    ALTER TABLE links ADD COLUMN ftm_properties TEXT;
    CREATE INDEX links_ftm_id ON links (ftm_id) WHERE ftm_id IS NOT NULL;
    CREATE INDEX entity_identifiers_value ON entity_identifiers (key, value);

    CREATE TABLE change_rows_journal (
      change_set_id TEXT NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      table_name TEXT NOT NULL CHECK (table_name IN ('entities','entity_aliases','entity_identifiers','links','citations','technology_areas','area_tags','link_types','sources','excerpts','attachments','merge_provenance','sanctions')),
      row_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT,
      -- The bytes of an attached file the row journals, while that file is not in the case.
      content BLOB,
      PRIMARY KEY (change_set_id, seq),
      CHECK (before_json IS NOT NULL OR after_json IS NOT NULL)
    ) STRICT;
    INSERT INTO change_rows_journal (change_set_id, seq, table_name, row_id, before_json, after_json, content)
    SELECT change_set_id, seq, table_name, row_id, before_json, after_json, content FROM change_rows;
    DROP TABLE change_rows;
    ALTER TABLE change_rows_journal RENAME TO change_rows;
  `,
};
