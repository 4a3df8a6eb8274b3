import type { Migration } from './index';

/**
 * A citation either supports its claim or is cited as contradicting it. Existing citations support.
 * The derived confidence counts contradicting sources against the claim, and a briefing lists such
 * claims as contested, with both sides.
 */
export const citationStance: Migration = {
  version: 120,
  name: 'citation-stance',
  sql: `
    ALTER TABLE citations ADD COLUMN stance TEXT NOT NULL DEFAULT 'supports' CHECK (stance IN ('supports', 'contradicts'));
  `,
};
