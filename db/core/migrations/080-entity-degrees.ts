import type { Migration } from './index';

/**
 * How many links touch each entity, kept by triggers as links come and go
 * (created, deleted, re-pointed, undone, imported or merged), so the Entities
 * grid sorts by degree off an index instead of counting the links of every
 * entity. Only entities with at least one link have a row; a missing row means
 * no links. Like the graph's positions it is derived data: it goes with the
 * entity and is not part of undo (undo changes links, and the triggers follow).
 */
export const entityDegrees: Migration = {
  version: 80,
  name: 'entity-degrees',
  sql: `
    CREATE TABLE entity_degrees (
      entity_id TEXT PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
      degree INTEGER NOT NULL CHECK (degree >= 0)
    ) STRICT;
    CREATE INDEX entity_degrees_by_degree ON entity_degrees (degree, entity_id);

    INSERT INTO entity_degrees (entity_id, degree)
    SELECT id, degree FROM (
      SELECT e.id, (SELECT count(*) FROM links l WHERE l.from_id = e.id) + (SELECT count(*) FROM links l WHERE l.to_id = e.id) AS degree
      FROM entities e
    ) WHERE degree > 0;

    CREATE TRIGGER links_degree_ai AFTER INSERT ON links BEGIN
      INSERT INTO entity_degrees (entity_id, degree) VALUES (NEW.from_id, 1) ON CONFLICT (entity_id) DO UPDATE SET degree = degree + 1;
      INSERT INTO entity_degrees (entity_id, degree) VALUES (NEW.to_id, 1) ON CONFLICT (entity_id) DO UPDATE SET degree = degree + 1;
    END;

    CREATE TRIGGER links_degree_ad AFTER DELETE ON links BEGIN
      UPDATE entity_degrees SET degree = degree - 1 WHERE entity_id = OLD.from_id;
      UPDATE entity_degrees SET degree = degree - 1 WHERE entity_id = OLD.to_id;
      DELETE FROM entity_degrees WHERE entity_id IN (OLD.from_id, OLD.to_id) AND degree = 0;
    END;

    CREATE TRIGGER links_degree_au AFTER UPDATE OF from_id, to_id ON links
    WHEN OLD.from_id IS NOT NEW.from_id OR OLD.to_id IS NOT NEW.to_id BEGIN
      UPDATE entity_degrees SET degree = degree - 1 WHERE entity_id = OLD.from_id;
      UPDATE entity_degrees SET degree = degree - 1 WHERE entity_id = OLD.to_id;
      INSERT INTO entity_degrees (entity_id, degree) VALUES (NEW.from_id, 1) ON CONFLICT (entity_id) DO UPDATE SET degree = degree + 1;
      INSERT INTO entity_degrees (entity_id, degree) VALUES (NEW.to_id, 1) ON CONFLICT (entity_id) DO UPDATE SET degree = degree + 1;
      DELETE FROM entity_degrees WHERE entity_id IN (OLD.from_id, OLD.to_id) AND degree = 0;
    END;
  `,
};
