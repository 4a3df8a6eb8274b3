import type { Migration } from './index';

/**
 * Where known entities' names and aliases appear in the text of attached
 * files: one row per place, with the page and the offsets into that page's
 * stored text. Like entity_degrees it is derived data, outside the undo
 * journal: triggers mark an entity whose names changed, or an attachment whose
 * pages changed, in mention_dirty, whatever wrote the change (an edit, Undo,
 * Redo, a merge, an import), and the operation runner brings the marked ones
 * up to date before each write commits (db/evidence/mentions.ts), matching
 * only the marked entities' names against the pages, or all names against
 * only the marked attachment's pages. Readers that find marks left (a case
 * written before this migration) work the marked ones out as they read.
 */
export const mentions: Migration = {
  version: 103,
  name: 'mentions',
  sql: `
    CREATE TABLE mentions (
      entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
      attachment_id TEXT NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
      page INTEGER NOT NULL CHECK (page >= 1),
      char_start INTEGER NOT NULL CHECK (char_start >= 0),
      char_end INTEGER NOT NULL CHECK (char_end > char_start),
      text TEXT NOT NULL CHECK (length(text) >= 1),
      PRIMARY KEY (entity_id, attachment_id, page, char_start)
    ) STRICT;
    CREATE INDEX mentions_attachment ON mentions (attachment_id, page, char_start);

    CREATE TABLE mention_dirty (
      kind TEXT NOT NULL CHECK (kind IN ('entity', 'attachment')),
      item_id TEXT NOT NULL,
      PRIMARY KEY (kind, item_id)
    ) STRICT;

    CREATE TRIGGER entities_mentions_ai AFTER INSERT ON entities BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', new.id);
    END;
    CREATE TRIGGER entities_mentions_au AFTER UPDATE OF name ON entities WHEN old.name IS NOT new.name BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', new.id);
    END;
    CREATE TRIGGER entities_mentions_ad AFTER DELETE ON entities BEGIN
      DELETE FROM mentions WHERE entity_id = old.id;
      DELETE FROM mention_dirty WHERE kind = 'entity' AND item_id = old.id;
    END;

    CREATE TRIGGER entity_aliases_mentions_ai AFTER INSERT ON entity_aliases BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', new.entity_id);
    END;
    CREATE TRIGGER entity_aliases_mentions_au AFTER UPDATE OF name, entity_id ON entity_aliases
    WHEN old.name IS NOT new.name OR old.entity_id IS NOT new.entity_id BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', old.entity_id);
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', new.entity_id);
    END;
    CREATE TRIGGER entity_aliases_mentions_ad AFTER DELETE ON entity_aliases BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('entity', old.entity_id);
    END;

    CREATE TRIGGER attachment_pages_mentions_ai AFTER INSERT ON attachment_pages BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('attachment', new.attachment_id);
    END;
    CREATE TRIGGER attachment_pages_mentions_au AFTER UPDATE OF text ON attachment_pages BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('attachment', new.attachment_id);
    END;
    CREATE TRIGGER attachment_pages_mentions_ad AFTER DELETE ON attachment_pages BEGIN
      INSERT OR IGNORE INTO mention_dirty (kind, item_id) VALUES ('attachment', old.attachment_id);
    END;
    CREATE TRIGGER attachments_mentions_ad AFTER DELETE ON attachments BEGIN
      DELETE FROM mentions WHERE attachment_id = old.id;
    END;

    -- Files attached before this migration are read for mentions when they are next needed.
    INSERT INTO mention_dirty (kind, item_id) SELECT DISTINCT 'attachment', attachment_id FROM attachment_pages;
  `,
};
