import type { Migration } from './index';

/** Case details, the sources log and the audit log. */
export const foundation: Migration = {
  version: 10,
  name: 'foundation',
  sql: `
    CREATE TABLE case_info (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      case_id TEXT NOT NULL,
      title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
      marking TEXT,
      description TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sources (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('article','report','official_document','web_page','dataset','social_post','interview','other')),
      title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
      url TEXT,
      publisher TEXT,
      authors TEXT NOT NULL DEFAULT '[]',
      published_date TEXT,
      accessed_at TEXT,
      language TEXT,
      reliability TEXT NOT NULL CHECK (reliability IN ('A','B','C','D','E','F')),
      notes TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sources_title ON sources (title COLLATE NOCASE, id);
    CREATE INDEX sources_published ON sources (published_date);
    CREATE INDEX sources_updated ON sources (updated_at);

    CREATE TABLE audit_events (
      id TEXT PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      item_type TEXT NOT NULL,
      item_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT
    ) STRICT;
    CREATE INDEX audit_events_item ON audit_events (item_type, item_id);
    CREATE INDEX audit_events_at ON audit_events (at);
  `,
};
