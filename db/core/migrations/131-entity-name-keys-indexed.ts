import type { Migration } from './index';

/**
 * The name index also holds each name's key (the Latin spelling that
 * nameKey makes, without spaces or punctuation, with the spellings Russian
 * romanisations disagree on folded together), so the entity picker and the
 * command palette find an entity from part of its name written in another
 * script: "Moskovskiy aviatsionnyy" finds "Московский авиационный институт".
 *
 * The keys come from entities.name_key and entity_aliases.name_key, which
 * every write path already keeps, so the triggers still use only built-in
 * functions. A contentless FTS5 table cannot gain a column: the trigram index
 * is made again with the new column and filled in one pass.
 */
export const entityNameKeysIndexed: Migration = {
  version: 131,
  name: 'entity-name-keys-indexed',
  sql: `
    ALTER TABLE entity_search ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
    UPDATE entity_search SET name_key = coalesce((SELECT e.name_key FROM entities e WHERE e.id = entity_search.entity_id), '') WHERE alias_id IS NULL;
    UPDATE entity_search SET name_key = coalesce((SELECT a.name_key FROM entity_aliases a WHERE a.id = entity_search.alias_id), '') WHERE alias_id IS NOT NULL;

    DROP TABLE entity_search_fts;
    CREATE VIRTUAL TABLE entity_search_fts USING fts5 (
      name, alias, other, key, contentless_delete = 1, content = '', tokenize = 'trigram remove_diacritics 1'
    );
    DELETE FROM entity_search_removed;
    INSERT INTO entity_search_fts (rowid, name, alias, other, key) SELECT id, name, alias, other, name_key FROM entity_search;
    UPDATE entity_search SET indexed = 1 WHERE indexed = 0;

    DROP TRIGGER entities_search_ai;
    DROP TRIGGER entities_search_au;
    DROP TRIGGER entity_aliases_search_ai;
    DROP TRIGGER entity_aliases_search_au;

    CREATE TRIGGER entities_search_ai AFTER INSERT ON entities BEGIN
      INSERT INTO entity_search (entity_id, name, other, name_key) VALUES (new.id, new.name, concat_ws(char(10), new.subtype, new.description, new.tags), new.name_key);
    END;
    -- "+alias_id" keeps SQLite on the entity_id index: the unique index on alias_id also answers IS NULL,
    -- and would make every entity's row be looked for among all the entities' rows.
    CREATE TRIGGER entities_search_au AFTER UPDATE OF id, name, name_key, subtype, description, tags ON entities
    WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key OR old.subtype IS NOT new.subtype OR old.description IS NOT new.description OR old.tags IS NOT new.tags BEGIN
      UPDATE entity_search SET entity_id = new.id, name = new.name, name_key = new.name_key, other = concat_ws(char(10), new.subtype, new.description, new.tags), indexed = 0
        WHERE entity_id = old.id AND +alias_id IS NULL;
    END;
    CREATE TRIGGER entity_aliases_search_ai AFTER INSERT ON entity_aliases BEGIN
      INSERT INTO entity_search (entity_id, alias_id, alias, name_key) VALUES (new.entity_id, new.id, new.name, new.name_key);
    END;
    -- Moving an alias to another entity (a merge) changes no indexed text, so nothing waits for the trigram index.
    CREATE TRIGGER entity_aliases_search_au AFTER UPDATE OF id, entity_id, name, name_key ON entity_aliases
    WHEN old.id IS NOT new.id OR old.entity_id IS NOT new.entity_id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key BEGIN
      UPDATE entity_search SET entity_id = new.entity_id, alias_id = new.id, alias = new.name, name_key = new.name_key,
        indexed = indexed AND old.name IS new.name AND old.name_key IS new.name_key
        WHERE alias_id = old.id;
    END;
  `,
};
