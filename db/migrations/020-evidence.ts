import type { Migration } from './index';

/** Attachments stored inside the case, their extracted text, and excerpts quoted from sources. */
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
  `,
};
