import type { Migration } from './index';

/** A partial date column: NULL, YYYY, YYYY-MM or YYYY-MM-DD (the exact calendar check is the schema's job in zod). */
function partialDateCheck(column: string): string {
  return `CHECK (${column} IS NULL OR ${column} GLOB '[0-9][0-9][0-9][0-9]' OR ${column} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' OR ${column} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')`;
}

const CONFIDENCE_CHECK = "CHECK (confidence IS NULL OR confidence IN ('high','moderate','low'))";

/**
 * Technology areas every case starts with. Their IDs are the same in every
 * case file, so cases merged from different investigators agree on them.
 */
export const DEFAULT_AREAS: readonly { id: string; name: string; colour: string; parent: string | null }[] = [
  { id: '01a22253-531b-70fe-97e7-75cb84143d7e', name: 'aerospace and aeronautics', colour: '#2458b3', parent: null },
  { id: '01a22253-531e-7512-bd19-6a27c451780b', name: 'drones', colour: '#1f8a70', parent: '01a22253-531b-70fe-97e7-75cb84143d7e' },
  { id: '01a22253-531e-7512-bd19-6dc5dfefadac', name: 'aero-engines', colour: '#c2410c', parent: '01a22253-531b-70fe-97e7-75cb84143d7e' },
  { id: '01a22253-531e-7512-bd19-719a505bdbf4', name: 'hydro-aerodynamics', colour: '#0e7490', parent: '01a22253-531b-70fe-97e7-75cb84143d7e' },
  { id: '01a22253-531e-7512-bd19-77a7d1d0d940', name: 'hypersonics', colour: '#7c3aed', parent: '01a22253-531b-70fe-97e7-75cb84143d7e' },
  { id: '01a22253-531e-7512-bd19-798d9e62f0de', name: 'space', colour: '#4338ca', parent: '01a22253-531b-70fe-97e7-75cb84143d7e' },
  { id: '01a22253-531e-7512-bd19-7d183495c95c', name: 'advanced weapons', colour: '#b91c1c', parent: null },
  { id: '01a22253-531e-7512-bd19-8328e8238ec6', name: 'materials', colour: '#a16207', parent: null },
  { id: '01a22253-531e-7512-bd19-8714657fc97b', name: 'electronics and semiconductors', colour: '#0f766e', parent: null },
  { id: '01a22253-531f-7175-b2e3-936d6b97a2ef', name: 'AI and autonomy', colour: '#9333ea', parent: null },
  { id: '01a22253-531f-7175-b2e3-960e80b62f04', name: 'navigation and guidance', colour: '#0369a1', parent: null },
  { id: '01a22253-531f-7175-b2e3-9ba84f5d1da2', name: 'marine systems', colour: '#1d4ed8', parent: null },
  { id: '01a22253-531f-7175-b2e3-9d42a8dbdb5c', name: 'nuclear', colour: '#4d7c0f', parent: null },
];

const defaultAreaRows = DEFAULT_AREAS.map(
  (a, i) => `('${a.id}', '${a.name}', ${a.parent ? `'${a.parent}'` : 'NULL'}, '${a.colour}', ${i}, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`,
).join(',\n      ');

/**
 * Entities with aliases and identifiers, links between them, citations of
 * excerpts, the technology-area taxonomy and its tags, and the change sets
 * that make every model change undoable across restarts.
 */
export const caseModel: Migration = {
  version: 30,
  name: 'case-model',
  sql: `
    CREATE TABLE entities (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL CHECK (type IN ('organisation','person','programme','event','product','place')),
      subtype TEXT CHECK (subtype IS NULL OR length(subtype) BETWEEN 1 AND 100),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
      name_key TEXT NOT NULL,
      country TEXT CHECK (country IS NULL OR (length(country) BETWEEN 2 AND 3 AND country GLOB '[A-Z][A-Z]*' AND NOT country GLOB '*[^A-Z]*')),
      description TEXT,
      notes TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      confidence TEXT ${CONFIDENCE_CHECK},
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX entities_name ON entities (name COLLATE NOCASE, id);
    CREATE INDEX entities_name_key ON entities (name_key);
    CREATE INDEX entities_type ON entities (type COLLATE NOCASE, id);
    CREATE INDEX entities_country ON entities (country COLLATE NOCASE, id);
    CREATE INDEX entities_updated ON entities (updated_at COLLATE NOCASE, id);

    CREATE TABLE entity_aliases (
      id TEXT PRIMARY KEY,
      entity_id TEXT NOT NULL REFERENCES entities (id),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
      name_key TEXT NOT NULL,
      language TEXT CHECK (language IS NULL OR length(language) BETWEEN 2 AND 20),
      position INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id, position);
    CREATE INDEX entity_aliases_name_key ON entity_aliases (name_key);
    CREATE INDEX entity_aliases_name ON entity_aliases (name COLLATE NOCASE);

    CREATE TABLE entity_identifiers (
      id TEXT PRIMARY KEY,
      entity_id TEXT NOT NULL REFERENCES entities (id),
      key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
      value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 2000),
      position INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX entity_identifiers_entity ON entity_identifiers (entity_id, position);

    CREATE TABLE links (
      id TEXT PRIMARY KEY,
      from_id TEXT NOT NULL REFERENCES entities (id),
      to_id TEXT NOT NULL REFERENCES entities (id),
      type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
      direction TEXT NOT NULL CHECK (direction IN ('directed','mutual')),
      start_date TEXT ${partialDateCheck('start_date')},
      end_date TEXT ${partialDateCheck('end_date')},
      status TEXT NOT NULL CHECK (status IN ('active','ended','planned','contested','unknown')),
      confidence TEXT ${CONFIDENCE_CHECK},
      notes TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (from_id <> to_id),
      -- An end before the start, compared at the precision both share: 2017 may end in 2017-03, not in 2016.
      CHECK (start_date IS NULL OR end_date IS NULL
        OR substr(end_date, 1, min(length(start_date), length(end_date))) >= substr(start_date, 1, min(length(start_date), length(end_date))))
    ) STRICT;
    CREATE INDEX links_from ON links (from_id);
    CREATE INDEX links_to ON links (to_id);
    CREATE INDEX links_type ON links (type COLLATE NOCASE, id);
    CREATE INDEX links_start ON links (start_date COLLATE NOCASE, id);
    CREATE INDEX links_end ON links (end_date COLLATE NOCASE, id);
    CREATE INDEX links_updated ON links (updated_at COLLATE NOCASE, id);

    CREATE TABLE citations (
      id TEXT PRIMARY KEY,
      excerpt_id TEXT NOT NULL REFERENCES excerpts (id) ON DELETE CASCADE,
      entity_id TEXT REFERENCES entities (id),
      link_id TEXT REFERENCES links (id),
      created_at TEXT NOT NULL,
      CHECK ((entity_id IS NULL) <> (link_id IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX citations_entity ON citations (entity_id, excerpt_id) WHERE entity_id IS NOT NULL;
    CREATE UNIQUE INDEX citations_link ON citations (link_id, excerpt_id) WHERE link_id IS NOT NULL;
    CREATE INDEX citations_excerpt ON citations (excerpt_id);

    CREATE TABLE technology_areas (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      parent_id TEXT REFERENCES technology_areas (id),
      colour TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
      position INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (parent_id IS NULL OR parent_id <> id)
    ) STRICT;
    CREATE UNIQUE INDEX technology_areas_name ON technology_areas (name COLLATE NOCASE);
    CREATE INDEX technology_areas_parent ON technology_areas (parent_id);

    -- One tagging table for every kind of item; exactly one item column is set.
    CREATE TABLE area_tags (
      id TEXT PRIMARY KEY,
      area_id TEXT NOT NULL REFERENCES technology_areas (id),
      source_id TEXT REFERENCES sources (id) ON DELETE CASCADE,
      excerpt_id TEXT REFERENCES excerpts (id) ON DELETE CASCADE,
      entity_id TEXT REFERENCES entities (id),
      link_id TEXT REFERENCES links (id),
      CHECK ((source_id IS NOT NULL) + (excerpt_id IS NOT NULL) + (entity_id IS NOT NULL) + (link_id IS NOT NULL) = 1)
    ) STRICT;
    CREATE UNIQUE INDEX area_tags_source ON area_tags (source_id, area_id) WHERE source_id IS NOT NULL;
    CREATE UNIQUE INDEX area_tags_excerpt ON area_tags (excerpt_id, area_id) WHERE excerpt_id IS NOT NULL;
    CREATE UNIQUE INDEX area_tags_entity ON area_tags (entity_id, area_id) WHERE entity_id IS NOT NULL;
    CREATE UNIQUE INDEX area_tags_link ON area_tags (link_id, area_id) WHERE link_id IS NOT NULL;
    CREATE INDEX area_tags_area ON area_tags (area_id);

    -- Link types the investigator added to the list offered in the link panel.
    CREATE TABLE link_types (
      name TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
      created_at TEXT NOT NULL
    ) STRICT;

    -- Every model operation is one change set; its rows hold each table row before and after.
    CREATE TABLE change_sets (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE CHECK (seq >= 1),
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      summary TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('done','undone'))
    ) STRICT;
    CREATE INDEX change_sets_state ON change_sets (state, seq);

    CREATE TABLE change_rows (
      change_set_id TEXT NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      table_name TEXT NOT NULL CHECK (table_name IN ('entities','entity_aliases','entity_identifiers','links','citations','technology_areas','area_tags','link_types')),
      row_id TEXT NOT NULL,
      before_json TEXT,
      after_json TEXT,
      PRIMARY KEY (change_set_id, seq),
      CHECK (before_json IS NOT NULL OR after_json IS NOT NULL)
    ) STRICT;

    ALTER TABLE audit_events ADD COLUMN change_set_id TEXT REFERENCES change_sets (id) ON DELETE SET NULL;
    ALTER TABLE audit_events ADD COLUMN summary TEXT;
    CREATE INDEX audit_events_change_set ON audit_events (change_set_id);
    CREATE INDEX audit_events_item_id ON audit_events (item_id, at);

    INSERT INTO technology_areas (id, name, parent_id, colour, position, created_at, updated_at) VALUES
      ${defaultAreaRows};
  `,
};
