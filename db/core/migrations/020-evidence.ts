import type { Migration } from './index';

/**
 * Attachments stored inside the case, their extracted text, excerpts quoted
 * from sources, and the full-text index over all of them.
 *
 * The index: every searchable piece (a source, an attachment's name, one page
 * of an attachment's text, an excerpt) is a row of search_docs, kept in step
 * by triggers inside the statement that changes it, so the index can never
 * disagree with what it indexes. Two FTS5 indexes read search_docs as their
 * external content: unicode61 with diacritics removed for words in Latin and
 * Cyrillic script, trigram for Chinese and other text without spaces between
 * words. Triggers use only built-in functions, so they run under
 * trusted_schema=OFF.
 */
export const evidence: Migration = {
  version: 20,
  name: 'evidence',
  sql: `
    CREATE TABLE attachments (
      id TEXT PRIMARY KEY,
      source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
      media_type TEXT NOT NULL,
      size INTEGER NOT NULL CHECK (size >= 0),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      content BLOB NOT NULL,
      text_status TEXT NOT NULL CHECK (text_status IN ('extracted','no_text','failed','not_applicable')),
      text_note TEXT,
      page_count INTEGER,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX attachments_source ON attachments (source_id);
    CREATE INDEX attachments_sha256 ON attachments (sha256);

    CREATE TABLE attachment_pages (
      attachment_id TEXT NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
      page INTEGER NOT NULL CHECK (page >= 1),
      text TEXT NOT NULL,
      PRIMARY KEY (attachment_id, page)
    ) STRICT;

    CREATE TABLE excerpts (
      id TEXT PRIMARY KEY,
      source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      attachment_id TEXT REFERENCES attachments (id) ON DELETE SET NULL,
      quote TEXT NOT NULL CHECK (length(quote) BETWEEN 1 AND 100000),
      page INTEGER CHECK (page IS NULL OR page >= 1),
      char_start INTEGER CHECK (char_start IS NULL OR char_start >= 0),
      char_end INTEGER CHECK (char_end IS NULL OR char_end >= char_start),
      location TEXT,
      credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
      comment TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX excerpts_source ON excerpts (source_id);
    CREATE INDEX excerpts_attachment ON excerpts (attachment_id);

    -- kind: 'source' (item_id = source id), 'attachment' (its name), 'page' (item_id = attachment id), 'excerpt'.
    -- page is 0 for everything but pages, so (kind, item_id, page) is unique.
    CREATE TABLE search_docs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('source','attachment','page','excerpt')),
      item_id TEXT NOT NULL,
      source_id TEXT NOT NULL,
      page INTEGER NOT NULL DEFAULT 0,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      UNIQUE (kind, item_id, page)
    ) STRICT;
    CREATE INDEX search_docs_source ON search_docs (source_id);

    CREATE VIRTUAL TABLE search_words USING fts5 (
      title, body, content = 'search_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE search_trigram USING fts5 (
      title, body, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram remove_diacritics 1'
    );

    CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
      INSERT INTO search_words (rowid, title, body) VALUES (new.id, new.title, new.body);
      INSERT INTO search_trigram (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
      INSERT INTO search_words (search_words, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_trigram (search_trigram, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
      INSERT INTO search_words (search_words, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_trigram (search_trigram, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_words (rowid, title, body) VALUES (new.id, new.title, new.body);
      INSERT INTO search_trigram (rowid, title, body) VALUES (new.id, new.title, new.body);
    END;

    -- A source is found by its title, and by its notes, publisher and authors.
    CREATE TRIGGER sources_search_ai AFTER INSERT ON sources BEGIN
      INSERT INTO search_docs (kind, item_id, source_id, title, body)
      VALUES ('source', new.id, new.id, new.title, concat_ws(char(10), new.notes, new.publisher, CASE WHEN new.authors = '[]' THEN NULL ELSE new.authors END));
    END;
    CREATE TRIGGER sources_search_au AFTER UPDATE OF title, notes, publisher, authors ON sources BEGIN
      UPDATE search_docs
      SET title = new.title, body = concat_ws(char(10), new.notes, new.publisher, CASE WHEN new.authors = '[]' THEN NULL ELSE new.authors END)
      WHERE kind = 'source' AND item_id = new.id;
    END;
    CREATE TRIGGER sources_search_ad AFTER DELETE ON sources BEGIN
      DELETE FROM search_docs WHERE source_id = old.id;
    END;

    CREATE TRIGGER attachments_search_ai AFTER INSERT ON attachments BEGIN
      INSERT INTO search_docs (kind, item_id, source_id, title, body) VALUES ('attachment', new.id, new.source_id, new.name, '');
    END;
    CREATE TRIGGER attachments_search_au AFTER UPDATE OF name ON attachments BEGIN
      UPDATE search_docs SET title = new.name WHERE kind = 'attachment' AND item_id = new.id;
    END;
    CREATE TRIGGER attachments_search_ad AFTER DELETE ON attachments BEGIN
      DELETE FROM search_docs WHERE kind IN ('attachment', 'page') AND item_id = old.id;
    END;

    CREATE TRIGGER attachment_pages_search_ai AFTER INSERT ON attachment_pages BEGIN
      INSERT INTO search_docs (kind, item_id, source_id, page, title, body)
      VALUES ('page', new.attachment_id, (SELECT source_id FROM attachments WHERE id = new.attachment_id), new.page, '', new.text);
    END;
    CREATE TRIGGER attachment_pages_search_au AFTER UPDATE OF text ON attachment_pages BEGIN
      UPDATE search_docs SET body = new.text WHERE kind = 'page' AND item_id = new.attachment_id AND page = new.page;
    END;
    CREATE TRIGGER attachment_pages_search_ad AFTER DELETE ON attachment_pages BEGIN
      DELETE FROM search_docs WHERE kind = 'page' AND item_id = old.attachment_id AND page = old.page;
    END;

    -- An excerpt is found by its quote (title) and the analyst's comment and location (body).
    CREATE TRIGGER excerpts_search_ai AFTER INSERT ON excerpts BEGIN
      INSERT INTO search_docs (kind, item_id, source_id, title, body)
      VALUES ('excerpt', new.id, new.source_id, new.quote, concat_ws(char(10), new.comment, new.location));
    END;
    CREATE TRIGGER excerpts_search_au AFTER UPDATE OF quote, comment, location, source_id ON excerpts BEGIN
      UPDATE search_docs SET title = new.quote, body = concat_ws(char(10), new.comment, new.location), source_id = new.source_id
      WHERE kind = 'excerpt' AND item_id = new.id;
    END;
    CREATE TRIGGER excerpts_search_ad AFTER DELETE ON excerpts BEGIN
      DELETE FROM search_docs WHERE kind = 'excerpt' AND item_id = old.id;
    END;

    -- Sources logged before this migration become searchable too.
    INSERT INTO search_docs (kind, item_id, source_id, title, body)
    SELECT 'source', id, id, title, concat_ws(char(10), notes, publisher, CASE WHEN authors = '[]' THEN NULL ELSE authors END) FROM sources;
  `,
};
