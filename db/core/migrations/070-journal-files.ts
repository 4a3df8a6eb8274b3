import type { Migration } from './index';

/**
 * Undo for everything a merge changes: attached files (their bytes kept in
 * the journal row while the file is out of the case, so no JSON ever holds
 * them) and the provenance rows a merge records. Rebuilds change_rows as 060
 * did, with the two tables added to its list and a column for the bytes.
 */
export const journalFiles: Migration = {
  version: 70,
  name: 'journal-files',
  sql: `
    CREATE TABLE change_rows_journal (
      change_set_id TEXT NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      table_name TEXT NOT NULL CHECK (table_name IN ('entities','entity_aliases','entity_identifiers','links','citations','technology_areas','area_tags','link_types','sources','excerpts','attachments','merge_provenance')),
      row_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT,
      -- The bytes of an attached file the row journals, while that file is not in the case.
      content BLOB,
      PRIMARY KEY (change_set_id, seq),
      CHECK (before_json IS NOT NULL OR after_json IS NOT NULL)
    ) STRICT;
    INSERT INTO change_rows_journal (change_set_id, seq, table_name, row_id, before_json, after_json)
    SELECT change_set_id, seq, table_name, row_id, before_json, after_json FROM change_rows;
    DROP TABLE change_rows;
    ALTER TABLE change_rows_journal RENAME TO change_rows;
  `,
};
