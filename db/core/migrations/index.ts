import { foundation } from './010-foundation';
import { evidence } from './020-evidence';
import { caseModel } from './030-case-model';
import { graph } from './040-graph';
import { reports } from './050-reports';
import { merge } from './060-merge';
import { journalFiles } from './070-journal-files';
import { entityDegrees } from './080-entity-degrees';
import { sanctions } from './090-sanctions';
import { journalEveryTable } from './100-journal-every-table';
import { entityNameIndex } from './101-entity-name-index';
import { screening } from './102-screening';
import { mentions } from './103-mentions';
import { citationStance } from './120-citation-stance';
import { reportKeyEntities } from './130-report-key-entities';
import { entityNameKeysIndexed } from './131-entity-name-keys-indexed';
import { excerptTranslation } from './140-excerpt-translation';
import { linkTextIndex } from './141-link-text-index';
import { searchAids } from './142-search-aids';
import { entityNameOrder } from './143-entity-name-order';

export interface Migration {
  /** Numbered upwards (in steps of 10, or 1 between two of those); stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. Append only: a released migration never changes. */
export const MIGRATIONS: readonly Migration[] = [foundation, evidence, caseModel, graph, reports, merge, journalFiles, entityDegrees, sanctions, journalEveryTable, entityNameIndex, screening, mentions, citationStance, reportKeyEntities, entityNameKeysIndexed, excerptTranslation, linkTextIndex, searchAids, entityNameOrder];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
