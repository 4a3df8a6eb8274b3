import type { Migration } from './index';

/**
 * An excerpt can carry a translation of its quote, with the translation's language, so that a
 * passage quoted in Chinese or Russian reads in the briefing beside the original. Search finds an
 * excerpt by its translation as well as by its quote, comment and location.
 */
export const excerptTranslation: Migration = {
  version: 140,
  name: 'excerpt-translation',
  sql: `
    ALTER TABLE excerpts ADD COLUMN translation TEXT CHECK (translation IS NULL OR length(translation) BETWEEN 1 AND 100000);
    ALTER TABLE excerpts ADD COLUMN translation_language TEXT CHECK (translation_language IS NULL OR length(translation_language) BETWEEN 2 AND 35);

    DROP TRIGGER excerpts_search_ai;
    DROP TRIGGER excerpts_search_au;
    CREATE TRIGGER excerpts_search_ai AFTER INSERT ON excerpts BEGIN
      INSERT INTO search_docs (kind, item_id, source_id, title, body)
      VALUES ('excerpt', new.id, new.source_id, new.quote, concat_ws(char(10), new.comment, new.location, new.translation));
    END;
    CREATE TRIGGER excerpts_search_au AFTER UPDATE OF quote, comment, location, translation, source_id ON excerpts BEGIN
      UPDATE search_docs SET title = new.quote, body = concat_ws(char(10), new.comment, new.location, new.translation), source_id = new.source_id
      WHERE kind = 'excerpt' AND item_id = new.id;
    END;
  `,
};
