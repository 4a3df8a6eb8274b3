import type { Migration } from './index';

/**
 * Every user change joins the undo journal: reports with their key findings,
 * the case details, and the graph's view data a deleted entity takes along.
 * change_rows is rebuilt as 090 did, without the list of table names in its
 * check, so a table joining the journal later needs no rebuild: the journal
 * module itself (db/core/tables.ts) names the tables it writes.
 */
export const journalEveryTable: Migration = {
  version: 100,
  name: 'journal-every-table',
  sql: `
    CREATE TABLE change_rows_journal (
      change_set_id TEXT NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      table_name TEXT NOT NULL CHECK (length(table_name) BETWEEN 1 AND 50),
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
