import type { Migration } from './index';

/**
 * The entities' trigram index in name order: one row per entity, numbered in
 * the order the entities grid sorts by name, so that a quick filter's first
 * page is the first rows the index finds and its total a count of the index
 * alone. Before, the index held a row per name and per alias, numbered as
 * they were written: a word in a tenth of a million entities brought every
 * one of them, then looked each up to sort it by name, for the first page.
 *
 * entity_labels gives each entity its number in the index (its label): labels
 * rise with the entities' names (case aside in ASCII, as the grid sorts) and
 * then their IDs, with room left between them so that a new or renamed
 * entity takes a number between its neighbours' (see db/model/name-index.ts,
 * which gives them out). An entity's row of the index holds its name, its
 * aliases one a line, its subtype, description and tags, and every name key.
 *
 * entity_search keeps a row per name and per alias, as before: the triggers
 * still write only there (with built-in functions), and the index catches up
 * before each writing operation commits. A change to what an entity's row of
 * the index holds takes its label away (its row of the index is then listed
 * in entity_search_removed, by label) and leaves one of its rows with
 * indexed = 0; so an entity either has a label and its row is as it is now,
 * or has a row waiting and is looked up with LIKE until the index catches up.
 *
 * Labels are kept within ±2^53, so they are exact as JavaScript numbers;
 * those before the first name are below zero.
 */
export const entityNameOrder: Migration = {
  version: 143,
  name: 'entity-name-order',
  sql: `
    CREATE TABLE entity_labels (label INTEGER PRIMARY KEY CHECK (label BETWEEN -9007199254740990 AND 9007199254740990), entity_id TEXT NOT NULL UNIQUE) STRICT;
    -- A label taken away leaves the entity's row of the trigram index to delete when it catches up.
    CREATE TRIGGER entity_labels_ad AFTER DELETE ON entity_labels BEGIN
      INSERT OR IGNORE INTO entity_search_removed (id) VALUES (old.label);
    END;

    DROP TABLE entity_search_fts;
    CREATE VIRTUAL TABLE entity_search_fts USING fts5 (
      name, alias, other, key, contentless_delete = 1, content = '', tokenize = 'trigram remove_diacritics 1'
    );
    DELETE FROM entity_search_removed;

    -- Every entity numbered in name order, 64 apart (see LABEL_STEP), and indexed in one pass, a row per entity.
    INSERT INTO entity_labels (label, entity_id) SELECT row_number() OVER (ORDER BY name COLLATE NOCASE, id) * 64, id FROM entities;
    INSERT INTO entity_search_fts (rowid, name, alias, other, key)
      SELECT l.label, g.name, g.alias, g.other, g.key FROM (
        SELECT entity_id, max(name) AS name, coalesce(group_concat(CASE WHEN alias_id IS NOT NULL THEN alias END, char(10)), '') AS alias,
          max(other) AS other, group_concat(name_key, char(10)) AS key
        FROM entity_search GROUP BY entity_id
      ) g CROSS JOIN entity_labels l WHERE l.entity_id = g.entity_id ORDER BY l.label;
    UPDATE entity_search SET indexed = 1 WHERE indexed = 0;

    DROP TRIGGER entities_search_au;
    DROP TRIGGER entities_search_ad;
    DROP TRIGGER entity_aliases_search_ai;
    DROP TRIGGER entity_aliases_search_au;
    DROP TRIGGER entity_aliases_search_ad;

    -- "+alias_id" keeps SQLite on the entity_id index (see migration 101).
    CREATE TRIGGER entities_search_au AFTER UPDATE OF id, name, name_key, subtype, description, tags ON entities
    WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key OR old.subtype IS NOT new.subtype OR old.description IS NOT new.description OR old.tags IS NOT new.tags BEGIN
      UPDATE entity_search SET entity_id = new.id, name = new.name, name_key = new.name_key, other = concat_ws(char(10), new.subtype, new.description, new.tags), indexed = 0
        WHERE entity_id = old.id AND +alias_id IS NULL;
      DELETE FROM entity_labels WHERE entity_id = old.id;
    END;
    CREATE TRIGGER entities_search_ad AFTER DELETE ON entities BEGIN
      DELETE FROM entity_search WHERE entity_id = old.id AND +alias_id IS NULL;
      DELETE FROM entity_labels WHERE entity_id = old.id;
    END;

    CREATE TRIGGER entity_aliases_search_ai AFTER INSERT ON entity_aliases BEGIN
      INSERT INTO entity_search (entity_id, alias_id, alias, name_key) VALUES (new.entity_id, new.id, new.name, new.name_key);
      DELETE FROM entity_labels WHERE entity_id = new.entity_id;
    END;
    -- An alias moved to another entity (a merge) changes the index's rows of both: the one it left is marked by its own row.
    CREATE TRIGGER entity_aliases_search_au AFTER UPDATE OF id, entity_id, name, name_key ON entity_aliases
    WHEN old.id IS NOT new.id OR old.entity_id IS NOT new.entity_id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key BEGIN
      UPDATE entity_search SET entity_id = new.entity_id, alias_id = new.id, alias = new.name, name_key = new.name_key,
        indexed = indexed AND old.name IS new.name AND old.name_key IS new.name_key AND old.entity_id IS new.entity_id
        WHERE alias_id = old.id;
      UPDATE entity_search SET indexed = 0 WHERE old.entity_id IS NOT new.entity_id AND entity_id = old.entity_id AND +alias_id IS NULL;
      DELETE FROM entity_labels WHERE (old.entity_id IS NOT new.entity_id OR old.name IS NOT new.name OR old.name_key IS NOT new.name_key)
        AND entity_id IN (old.entity_id, new.entity_id);
    END;
    CREATE TRIGGER entity_aliases_search_ad AFTER DELETE ON entity_aliases BEGIN
      DELETE FROM entity_search WHERE alias_id = old.id;
      UPDATE entity_search SET indexed = 0 WHERE entity_id = old.entity_id AND +alias_id IS NULL;
      DELETE FROM entity_labels WHERE entity_id = old.entity_id;
    END;
  `,
};
