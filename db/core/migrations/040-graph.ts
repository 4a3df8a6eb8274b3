import type { Migration } from './index';

/**
 * Where each entity sits in the graph picture and whether the investigator
 * pinned it there, plus the network measures last computed for each entity
 * (so the Entities grid can sort by them). Both are view data: they are not
 * part of undo, and they go with the entity when it is deleted.
 */
export const graph: Migration = {
  version: 40,
  name: 'graph',
  sql: `
    CREATE TABLE graph_positions (
      entity_id TEXT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
      x REAL NOT NULL,
      y REAL NOT NULL,
      pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE graph_metrics (
      entity_id TEXT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
      degree INTEGER NOT NULL CHECK (degree >= 0),
      betweenness REAL NOT NULL CHECK (betweenness >= 0),
      pagerank REAL NOT NULL CHECK (pagerank >= 0),
      community INTEGER,
      computed_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX graph_metrics_degree ON graph_metrics (degree, entity_id);
    CREATE INDEX graph_metrics_betweenness ON graph_metrics (betweenness, entity_id);
    CREATE INDEX graph_metrics_pagerank ON graph_metrics (pagerank, entity_id);
  `,
};
