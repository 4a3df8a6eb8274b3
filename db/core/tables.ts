/**
 * Facts about the tables a case file keeps: each table's key, what one of its
 * rows is called, and which tables refer to which. The journal, undo and
 * merge read them from here, so a new table is described in one place.
 */

type Row = Record<string, unknown>;

export interface TableFacts {
  /** The primary key's columns; most tables have one. */
  key: readonly string[];
  /** One row in the investigator's words, with its article: "a source". */
  what: string;
  /**
   * View data (where an entity sits in the picture): saved without undo, so
   * Undo and Redo put such rows back or take them away without refusing
   * because they moved since.
   */
  view?: boolean;
}

/** Tables whose rows user operations change; every change to them goes through the journal. */
export const TABLES = {
  case_info: { key: ['singleton'], what: 'the case details' },
  sources: { key: ['id'], what: 'a source' },
  attachments: { key: ['id'], what: 'an attached file' },
  excerpts: { key: ['id'], what: 'an excerpt' },
  entities: { key: ['id'], what: 'an entity' },
  entity_aliases: { key: ['id'], what: 'an alias' },
  entity_identifiers: { key: ['id'], what: 'an identifier' },
  links: { key: ['id'], what: 'a link' },
  citations: { key: ['id'], what: 'a citation' },
  technology_areas: { key: ['id'], what: 'a technology area' },
  area_tags: { key: ['id'], what: 'a technology-area tag' },
  link_types: { key: ['name'], what: 'a link type' },
  merge_provenance: { key: ['id'], what: 'a merge record' },
  sanctions: { key: ['id'], what: 'a sanction record' },
  reports: { key: ['id'], what: 'a report' },
  report_findings: { key: ['id'], what: 'a key finding' },
  report_finding_citations: { key: ['finding_id', 'excerpt_id'], what: 'a key finding’s citation' },
  graph_positions: { key: ['entity_id'], what: 'a place in the graph', view: true },
  graph_metrics: { key: ['entity_id'], what: 'network measures', view: true },
  screening_runs: { key: ['id'], what: 'a screening run' },
  screening_hits: { key: ['id'], what: 'a screening hit' },
} as const satisfies Record<string, TableFacts>;

/**
 * Tables derived from the journaled ones and kept in step by triggers (and,
 * for mentions, by the operation runner before each write commits). They are
 * never journaled nor merged: Undo, Redo, a merge or an import change what
 * they derive from, and they follow.
 */
export const DERIVED_TABLES = {
  entity_degrees: 'how many links touch each entity',
  mentions: 'where entities’ names appear in the text of attached files',
  mention_dirty: 'entities and attachments whose mentions are to be worked out again',
} as const;

export type JournaledTable = keyof typeof TABLES;
export const JOURNALED_TABLES = Object.keys(TABLES) as JournaledTable[];

/**
 * A reference from a column to its parent table, as the schema declares it.
 * `cascade` and `null` are what SQLite does when the parent row goes; the
 * journal does the same itself first, so that Undo can put the rows back.
 * `restrict`: the code removes or re-points referring rows before the parent.
 */
export interface TableReference {
  table: JournaledTable;
  column: string;
  parent: JournaledTable;
  onDelete: 'cascade' | 'null' | 'restrict';
  /** What a merge does with a row whose parent the merged case no longer holds: leave the row out, or empty the reference. */
  withoutParent: 'drop' | 'null';
}

export const REFERENCES: readonly TableReference[] = [
  { table: 'technology_areas', column: 'parent_id', parent: 'technology_areas', onDelete: 'restrict', withoutParent: 'null' },
  { table: 'attachments', column: 'source_id', parent: 'sources', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'excerpts', column: 'source_id', parent: 'sources', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'excerpts', column: 'attachment_id', parent: 'attachments', onDelete: 'null', withoutParent: 'null' },
  { table: 'entity_aliases', column: 'entity_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'entity_identifiers', column: 'entity_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'sanctions', column: 'entity_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'links', column: 'from_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'links', column: 'to_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'citations', column: 'excerpt_id', parent: 'excerpts', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'citations', column: 'entity_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'citations', column: 'link_id', parent: 'links', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'area_tags', column: 'area_id', parent: 'technology_areas', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'area_tags', column: 'source_id', parent: 'sources', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'area_tags', column: 'excerpt_id', parent: 'excerpts', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'area_tags', column: 'entity_id', parent: 'entities', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'area_tags', column: 'link_id', parent: 'links', onDelete: 'restrict', withoutParent: 'drop' },
  { table: 'report_findings', column: 'report_id', parent: 'reports', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'report_finding_citations', column: 'finding_id', parent: 'report_findings', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'report_finding_citations', column: 'excerpt_id', parent: 'excerpts', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'graph_positions', column: 'entity_id', parent: 'entities', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'graph_metrics', column: 'entity_id', parent: 'entities', onDelete: 'cascade', withoutParent: 'drop' },
  { table: 'screening_hits', column: 'entity_id', parent: 'entities', onDelete: 'cascade', withoutParent: 'drop' },
];

/** The key of a row as the journal stores it: the value itself, or a JSON list for a key of several columns. */
export function keyOf(table: JournaledTable, row: Row): string {
  const columns = TABLES[table].key;
  if (columns.length === 1) return String(row[columns[0] as string]);
  return JSON.stringify(columns.map((c) => row[c]));
}

/** The values a stored key stands for, in the order of the key's columns. */
export function keyValues(table: JournaledTable, key: string): unknown[] {
  return TABLES[table].key.length === 1 ? [key] : (JSON.parse(key) as unknown[]);
}

/** `id = ?`, or `a = ? AND b = ?` for a key of several columns. */
export function keyWhere(table: JournaledTable): string {
  return TABLES[table].key.map((c) => `${c} = ?`).join(' AND ');
}

/** A row in words for messages: `a source "RFE/RL article"`. */
export function describeRow(table: JournaledTable, row: Row | undefined): string {
  const label = row?.name ?? row?.title;
  return `${TABLES[table].what}${typeof label === 'string' ? ` "${label}"` : ''}`;
}
