import type { Migration } from './index';

/**
 * Saved briefing definitions: what a report covers (its scope), which
 * sections it prints in which order with the analyst's notes, and the key
 * findings with the excerpts each one cites. The data itself is read from the
 * case at export time, so a saved report re-exports with updated data.
 */
export const reports: Migration = {
  version: 50,
  name: 'reports',
  sql: `
    CREATE TABLE reports (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
      author TEXT,
      report_date TEXT,
      marking TEXT,
      summary TEXT,
      scope_json TEXT NOT NULL DEFAULT '{}',
      sections_json TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX reports_name ON reports (name COLLATE NOCASE);

    CREATE TABLE report_findings (
      id TEXT PRIMARY KEY,
      report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 0),
      text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 5000)
    ) STRICT;
    CREATE INDEX report_findings_report ON report_findings (report_id, position);

    -- An excerpt deleted from the case drops out of the findings that cited it.
    CREATE TABLE report_finding_citations (
      finding_id TEXT NOT NULL REFERENCES report_findings (id) ON DELETE CASCADE,
      excerpt_id TEXT NOT NULL REFERENCES excerpts (id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 0),
      PRIMARY KEY (finding_id, excerpt_id)
    ) STRICT;
    CREATE INDEX report_finding_citations_excerpt ON report_finding_citations (excerpt_id);
  `,
};
