import type { Migration } from './index';

/**
 * A trigram index over what the entities' quick filter and the entity picker
 * search: every entity's name, its aliases, and its subtype, description and
 * tags, so a word is looked up instead of tested against every row.
 *
 * entity_search holds one row per entity (its name, and its subtype,
 * description and tags one a line) and one row per alias, kept by triggers on
 * entities and entity_aliases inside the statement that changes them; every
 * path that writes those tables (an edit, undo and redo, a merge, an import)
 * keeps it true. Like entity_degrees it is derived data: it is not journaled,
 * the triggers follow what the journal writes.
 *
 * entity_search_fts indexes those rows with the trigram tokenizer, which folds
 * case in every script and removes diacritics, as the documents' trigram index
 * does. It is not written row by row: FTS5 writes its pending terms to disk at
 * every statement a trigger runs in, which made an import of 100,000 entities
 * with 200,000 aliases 5 to 17 times slower, and so did a second level of
 * triggers. A row the triggers add or change has indexed = 0 instead (a row
 * they remove is listed in entity_search_removed), and each writing operation
 * brings the trigram index up to date before it commits, in a few statements
 * (refreshNameIndex); a lookup reads the rows not indexed yet with LIKE. The
 * index keeps no copy of the text (contentless, deleted by row id).
 * Triggers use only built-in functions, so they run under trusted_schema=OFF.
 */
export const entityNameIndex: Migration = {
  version: 101,
  name: 'entity-name-index',
  sql: `
    -- alias_id is NULL on an entity's own row; indexed is 0 until the trigram index holds the row as it is.
    CREATE TABLE entity_search (
      id INTEGER PRIMARY KEY,
      entity_id TEXT NOT NULL,
      alias_id TEXT UNIQUE,
      name TEXT NOT NULL DEFAULT '',
      alias TEXT NOT NULL DEFAULT '',
      other TEXT NOT NULL DEFAULT '',
      indexed INTEGER NOT NULL DEFAULT 0 CHECK (indexed IN (0, 1))
    ) STRICT;
    CREATE INDEX entity_search_entity ON entity_search (entity_id);
    CREATE INDEX entity_search_not_indexed ON entity_search (id) WHERE indexed = 0;

    -- Rows of entity_search removed since the trigram index last caught up.
    CREATE TABLE entity_search_removed (id INTEGER PRIMARY KEY) STRICT;

    CREATE VIRTUAL TABLE entity_search_fts USING fts5 (
      name, alias, other, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
    );

    -- Entities and aliases already in the case, indexed in one pass.
    INSERT INTO entity_search (entity_id, name, other, indexed) SELECT id, name, concat_ws(char(10), subtype, description, tags), 1 FROM entities;
    INSERT INTO entity_search (entity_id, alias_id, alias, indexed) SELECT entity_id, id, name, 1 FROM entity_aliases;
    INSERT INTO entity_search_fts (rowid, name, alias, other) SELECT id, name, alias, other FROM entity_search;

    CREATE TRIGGER entities_search_ai AFTER INSERT ON entities BEGIN
      INSERT INTO entity_search (entity_id, name, other) VALUES (new.id, new.name, concat_ws(char(10), new.subtype, new.description, new.tags));
    END;
    -- "+alias_id" keeps SQLite on the entity_id index: the unique index on alias_id also answers IS NULL,
    -- and would make every entity's row be looked for among all the entities' rows.
    CREATE TRIGGER entities_search_au AFTER UPDATE OF id, name, subtype, description, tags ON entities
    WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.subtype IS NOT new.subtype OR old.description IS NOT new.description OR old.tags IS NOT new.tags BEGIN
      UPDATE entity_search SET entity_id = new.id, name = new.name, other = concat_ws(char(10), new.subtype, new.description, new.tags), indexed = 0 WHERE entity_id = old.id AND +alias_id IS NULL;
    END;
    CREATE TRIGGER entities_search_ad AFTER DELETE ON entities BEGIN
      INSERT OR IGNORE INTO entity_search_removed (id) SELECT id FROM entity_search WHERE entity_id = old.id AND +alias_id IS NULL;
      DELETE FROM entity_search WHERE entity_id = old.id AND +alias_id IS NULL;
    END;

    CREATE TRIGGER entity_aliases_search_ai AFTER INSERT ON entity_aliases BEGIN
      INSERT INTO entity_search (entity_id, alias_id, alias) VALUES (new.entity_id, new.id, new.name);
    END;
    -- Moving an alias to another entity (a merge) changes no indexed text, so nothing waits for the trigram index.
    CREATE TRIGGER entity_aliases_search_au AFTER UPDATE OF id, entity_id, name ON entity_aliases
    WHEN old.id IS NOT new.id OR old.entity_id IS NOT new.entity_id OR old.name IS NOT new.name BEGIN
      UPDATE entity_search SET entity_id = new.entity_id, alias_id = new.id, alias = new.name, indexed = indexed AND old.name IS new.name WHERE alias_id = old.id;
    END;
    CREATE TRIGGER entity_aliases_search_ad AFTER DELETE ON entity_aliases BEGIN
      INSERT OR IGNORE INTO entity_search_removed (id) SELECT id FROM entity_search WHERE alias_id = old.id;
      DELETE FROM entity_search WHERE alias_id = old.id;
    END;
  `,
};
