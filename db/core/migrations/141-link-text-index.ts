import type { Migration } from './index';

/**
 * A trigram index over what the links' quick filter reads of a link itself:
 * its type, notes and tags (the names at either end come from the entities'
 * name index). Before it, every word of the filter was tested against every
 * link with LIKE, which at a million links took half a second for any word,
 * and as long again in a search, which lists the links with the words.
 *
 * It works as the entities' name index does (migration 101): link_search
 * holds a row per link, kept by triggers on links in the statement that
 * changes them, so an edit, Undo and Redo, a merge or an import keep it true;
 * it is derived, never journaled. The trigram index is not written by the
 * triggers: a row they add or change has indexed = 0 (a row they remove is
 * listed in link_search_removed), each writing operation brings the index up
 * to date before it commits, and a lookup reads the rows not indexed yet with
 * LIKE. link_search has its own row numbers: a link's rowid is not kept by
 * VACUUM, which a shared copy goes through.
 */
export const linkTextIndex: Migration = {
  version: 141,
  name: 'link-text-index',
  sql: `
    CREATE TABLE link_search (
      id INTEGER PRIMARY KEY,
      link_id TEXT NOT NULL UNIQUE,
      text TEXT NOT NULL DEFAULT '',
      indexed INTEGER NOT NULL DEFAULT 0 CHECK (indexed IN (0, 1))
    ) STRICT;
    CREATE INDEX link_search_not_indexed ON link_search (id) WHERE indexed = 0;

    -- Rows of link_search removed since the trigram index last caught up.
    CREATE TABLE link_search_removed (id INTEGER PRIMARY KEY) STRICT;

    CREATE VIRTUAL TABLE link_search_fts USING fts5 (
      text, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
    );

    -- Links already in the case, indexed in one pass.
    INSERT INTO link_search (link_id, text, indexed) SELECT id, concat_ws(char(10), type, notes, tags), 1 FROM links;
    INSERT INTO link_search_fts (rowid, text) SELECT id, text FROM link_search;

    CREATE TRIGGER links_search_ai AFTER INSERT ON links BEGIN
      INSERT INTO link_search (link_id, text) VALUES (new.id, concat_ws(char(10), new.type, new.notes, new.tags));
    END;
    CREATE TRIGGER links_search_au AFTER UPDATE OF id, type, notes, tags ON links
    WHEN old.id IS NOT new.id OR old.type IS NOT new.type OR old.notes IS NOT new.notes OR old.tags IS NOT new.tags BEGIN
      UPDATE link_search SET link_id = new.id, text = concat_ws(char(10), new.type, new.notes, new.tags), indexed = 0 WHERE link_id = old.id;
    END;
    CREATE TRIGGER links_search_ad AFTER DELETE ON links BEGIN
      INSERT OR IGNORE INTO link_search_removed (id) SELECT id FROM link_search WHERE link_id = old.id;
      DELETE FROM link_search WHERE link_id = old.id;
    END;
  `,
};
