import type { Migration } from './index';

/**
 * A briefing can give chosen key entities a page each (their names in every script, their links with
 * dates and confidence, their citations). The choice is kept with the report as a JSON list of entity
 * IDs, as its scope's entities are; an entity deleted since is left out when the briefing prints.
 */
export const reportKeyEntities: Migration = {
  version: 130,
  name: 'report-key-entities',
  sql: `
    ALTER TABLE reports ADD COLUMN key_entities_json TEXT NOT NULL DEFAULT '[]';
  `,
};
