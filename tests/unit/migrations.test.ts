import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPLICATION_ID, createCaseFile, openCaseFile, type CaseDb } from '../../db/core/case-file';
import { foundation } from '../../db/core/migrations/010-foundation';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../db/core/migrations/index';
import { tempDir } from '../helpers/temp';

const open: CaseDb[] = [];
afterEach(() => {
  while (open.length) open.pop()?.close();
});

function freshCase(): { db: CaseDb; file: string } {
  const file = path.join(tempDir(), 'fresh.caseboard');
  const db = createCaseFile(file, { title: 'Defence universities and Russia', marking: 'SENSITIVE' });
  open.push(db);
  return { db, file };
}

function userTables(db: Database.Database): { name: string; strict: number }[] {
  return (db.pragma('table_list') as { schema: string; name: string; type: string; strict: number }[])
    .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'))
    .map(({ name, strict }) => ({ name, strict }));
}

describe('the migration list', () => {
  it('is numbered upwards and ends at SCHEMA_VERSION', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBeGreaterThan(MIGRATIONS[i - 1]?.version ?? 0);
      expect(m.name).toMatch(/^[a-z0-9-]+$/);
    });
    expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
  });

  it('applies each migration, in order, inside one open transaction that its SQL never ends', () => {
    const db = new Database(':memory:');
    try {
      for (const migration of MIGRATIONS) {
        db.exec('BEGIN');
        db.exec(migration.sql);
        // A COMMIT or ROLLBACK hidden in a migration would break the all-or-nothing guarantee.
        expect(db.inTransaction, `migration ${migration.version} ends the transaction itself`).toBe(true);
        db.pragma(`user_version = ${migration.version}`);
        db.exec('COMMIT');
        expect(db.pragma('user_version', { simple: true })).toBe(migration.version);
      }
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('a freshly created case file', () => {
  it('carries the Caseboard application id and the current schema version', () => {
    const { db } = freshCase();
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(APPLICATION_ID).toBe(0x43534244);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('uses WAL journaling with foreign keys enforced and untrusted schema functions off', () => {
    const { db } = freshCase();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
  });

  it('uses 4096-byte pages and incremental auto-vacuum', () => {
    const { db } = freshCase();
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
  });

  it('makes every ordinary table STRICT (virtual full-text tables and their shadow tables cannot be)', () => {
    const { db } = freshCase();
    const tables = userTables(db);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_events', 'case_info', 'sources']));
    for (const table of tables) expect(table, `${table.name} is not STRICT`).toEqual({ name: table.name, strict: 1 });
    const find = db.prepare('SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?');
    for (const table of tables) expect((find.get('table', table.name) as { sql: string }).sql, table.name).toMatch(/\)\s*STRICT\s*$/);
  });

  it('holds exactly one case_info row with the title and marking given', () => {
    const { db } = freshCase();
    const rows = db.prepare('SELECT singleton, case_id, title, marking FROM case_info').all() as { singleton: number; case_id: string; title: string; marking: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ singleton: 1, title: 'Defence universities and Russia', marking: 'SENSITIVE' });
    expect(rows[0]?.case_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(() => db.prepare("INSERT INTO case_info (singleton, case_id, title, created_at, updated_at) VALUES (2, 'x', 'y', 'z', 'z')").run()).toThrow(/CHECK/);
  });

  it('passes a full integrity check and leaves no temporary file beside it', () => {
    const { db, file } = freshCase();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const names = readdirSync(path.dirname(file)).filter((n) => !n.endsWith('-wal') && !n.endsWith('-shm'));
    expect(names).toEqual(['fresh.caseboard']);
  });

  it('refuses values of the wrong type because the tables are STRICT', () => {
    const { db } = freshCase();
    expect(() =>
      db
        .prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES ('a', 'article', 'T', 'B', X'00', 'now')")
        .run(),
    ).toThrow(/cannot store BLOB value in TEXT column/);
  });

  it('has the sources_title index on title with NOCASE', () => {
    const { db } = freshCase();
    const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'sources_title'").get() as { sql: string } | undefined)?.sql;
    expect(sql).toMatch(/ON sources \(title COLLATE NOCASE, id\)/);
  });
});

/** Builds, by hand, a case file as a Caseboard that knew only the given migrations would have made it. */
function caseFileAtVersion(file: string, migrations: readonly Migration[]): void {
  const db = new Database(file);
  try {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    for (const m of migrations) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.prepare("INSERT INTO case_info (singleton, case_id, title, created_at, updated_at) VALUES (1, '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d', 'Older case', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES ('0190b2a4-6f1e-7c3a-9b2d-000000000001', 'article', 'Kept across upgrades', 'B', 'x', 'x')").run();
  } finally {
    db.close();
  }
}

function inspect(file: string): { version: number; schema: string[]; sources: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      schema: (db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all() as { type: string; name: string; sql: string | null }[]).map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`),
      sources: (db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

const first = MIGRATIONS[0] ?? foundation;

describe('opening a case file written by an older schema', () => {
  afterEach(() => {
    vi.doUnmock('../../db/core/migrations/index');
    vi.resetModules();
  });

  /** Loads case-file.ts as a Caseboard whose migration list is today's plus `next`. */
  async function caseFileModuleWith(next: Migration): Promise<typeof import('../../db/core/case-file')> {
    vi.resetModules();
    const list: Migration[] = [...MIGRATIONS, next];
    vi.doMock('../../db/core/migrations/index', () => ({ MIGRATIONS: list, SCHEMA_VERSION: next.version }));
    return import('../../db/core/case-file');
  }

  const extra: Migration = {
    version: SCHEMA_VERSION + 10,
    name: 'test-extra',
    sql: 'CREATE TABLE extra_items (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT; CREATE INDEX extra_items_name ON extra_items (name);',
  };

  const broken: Migration = {
    version: SCHEMA_VERSION + 10,
    name: 'test-broken',
    sql: "CREATE TABLE extra_items (id TEXT PRIMARY KEY) STRICT; INSERT INTO extra_items VALUES ('a'); DELETE FROM sources; INSERT INTO no_such_table VALUES (1);",
  };

  it.skipIf(MIGRATIONS.length < 2)('upgrades a file of the first schema to the current one, keeping its data', () => {
    const file = path.join(tempDir(), 'older.caseboard');
    caseFileAtVersion(file, [first]);
    const db = openCaseFile(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const upgraded = inspect(file);
    const fresh = path.join(tempDir(), 'fresh.caseboard');
    createCaseFile(fresh, { title: 'Fresh' }).close();
    expect(upgraded.version).toBe(SCHEMA_VERSION);
    expect(upgraded.schema).toEqual(inspect(fresh).schema);
    expect(upgraded.sources).toBe(1);
  });

  it('counts the links of every entity already in a case when it gains kept degrees', () => {
    const file = path.join(tempDir(), 'before-degrees.caseboard');
    caseFileAtVersion(file, MIGRATIONS.filter((m) => m.version < 80));
    const raw = new Database(file);
    const entity = raw.prepare("INSERT INTO entities (id, type, name, name_key, tags, created_at, updated_at) VALUES (?, 'organisation', ?, ?, '[]', 'x', 'x')");
    const ids = ['0190b2a4-6f1e-7c3a-9b2d-00000000000a', '0190b2a4-6f1e-7c3a-9b2d-00000000000b', '0190b2a4-6f1e-7c3a-9b2d-00000000000c'];
    ids.forEach((id, i) => entity.run(id, `Institute ${i}`, `institute ${i}`));
    const link = raw.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, tags, created_at, updated_at) VALUES (?, ?, ?, 'cooperation agreement', 'directed', 'active', '[]', 'x', 'x')");
    link.run('0190b2a4-6f1e-7c3a-9b2d-0000000000a1', ids[0], ids[1]);
    link.run('0190b2a4-6f1e-7c3a-9b2d-0000000000a2', ids[0], ids[1]);
    link.run('0190b2a4-6f1e-7c3a-9b2d-0000000000a3', ids[1], ids[0]);
    raw.close();
    const db = openCaseFile(file);
    try {
      expect(db.prepare('SELECT entity_id, degree FROM entity_degrees ORDER BY entity_id').all()).toEqual([
        { entity_id: ids[0], degree: 3 },
        { entity_id: ids[1], degree: 3 },
      ]);
    } finally {
      db.close();
    }
  });

  it('gains sanction records and kept FtM properties when a case of schema 80 opens, keeping its entities, links and undo journal', () => {
    const file = path.join(tempDir(), 'before-sanctions.caseboard');
    caseFileAtVersion(file, MIGRATIONS.filter((m) => m.version <= 80));
    const raw = new Database(file);
    const ids = ['0190b2a4-6f1e-7c3a-9b2d-00000000000a', '0190b2a4-6f1e-7c3a-9b2d-00000000000b'];
    const entity = raw.prepare("INSERT INTO entities (id, type, name, name_key, tags, created_at, updated_at) VALUES (?, 'organisation', ?, ?, '[]', 'x', 'x')");
    entity.run(ids[0], 'Special Technology Center', 'special technology center');
    entity.run(ids[1], 'SPbPU', 'spbpu');
    raw.prepare("INSERT INTO links (id, from_id, to_id, type, direction, status, tags, created_at, updated_at) VALUES ('0190b2a4-6f1e-7c3a-9b2d-0000000000a1', ?, ?, 'part of', 'directed', 'active', '[]', 'x', 'x')").run(ids[0], ids[1]);
    raw.prepare("INSERT INTO change_sets (id, seq, at, actor, summary, state) VALUES ('cs1', 1, 'x', 'Analyst One', 'Created entity SPbPU', 'done')").run();
    raw.prepare("INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES ('cs1', 0, 'entities', ?, NULL, '{}')").run(ids[1]);
    raw.close();
    const db = openCaseFile(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT id, ftm_schema, ftm_properties FROM entities ORDER BY id').all()).toEqual([
        { id: ids[0], ftm_schema: null, ftm_properties: null },
        { id: ids[1], ftm_schema: null, ftm_properties: null },
      ]);
      expect(db.prepare('SELECT type, ftm_schema, ftm_id FROM links').all()).toEqual([{ type: 'part of', ftm_schema: null, ftm_id: null }]);
      expect(db.prepare('SELECT change_set_id, table_name, row_id FROM change_rows').all()).toEqual([{ change_set_id: 'cs1', table_name: 'entities', row_id: ids[1] }]);
      db.prepare("INSERT INTO sanctions (id, entity_id, authority, start_date, created_at, updated_at) VALUES ('s1', ?, 'Office of Foreign Assets Control', '2022-06', 'x', 'x')").run(ids[0]);
      db.prepare("INSERT INTO change_rows (change_set_id, seq, table_name, row_id, before_json, after_json) VALUES ('cs1', 1, 'sanctions', 's1', NULL, '{}')").run();
      expect(() => db.prepare("INSERT INTO sanctions (id, entity_id, start_date, created_at, updated_at) VALUES ('s2', 'nobody', '2022', 'x', 'x')").run()).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare("INSERT INTO sanctions (id, entity_id, start_date, created_at, updated_at) VALUES ('s3', ?, '28/06/2022', 'x', 'x')").run(ids[0])).toThrow(/CHECK/);
      const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT id FROM sanctions WHERE entity_id = ?').all(ids[0]) as { detail: string }[]).map((r) => r.detail).join(' ');
      expect(plan).toMatch(/USING (COVERING )?INDEX sanctions_entity/);
    } finally {
      db.close();
    }
  });

  it('applies a pending migration on open and keeps the data', async () => {
    const file = path.join(tempDir(), 'older.caseboard');
    caseFileAtVersion(file, MIGRATIONS);
    const { openCaseFile: open } = await caseFileModuleWith(extra);
    const db = open(file);
    expect(db.pragma('user_version', { simple: true })).toBe(extra.version);
    db.close();
    const after = inspect(file);
    expect(after.version).toBe(extra.version);
    expect(after.schema.some((line) => line.startsWith('table extra_items:'))).toBe(true);
    expect(after.sources).toBe(1);
  });

  it('rolls back a migration that fails midway: user_version, schema and data stay as they were', async () => {
    const file = path.join(tempDir(), 'older.caseboard');
    caseFileAtVersion(file, MIGRATIONS);
    const before = inspect(file);
    const { openCaseFile: open } = await caseFileModuleWith(broken);
    expect(() => open(file)).toThrow(expect.objectContaining({ code: 'not_a_case_file', message: 'older.caseboard could not be read (SQLITE_ERROR).' }));
    expect(inspect(file)).toEqual(before);
    expect(before.version).toBe(SCHEMA_VERSION);
  });

  it('rolls back the whole upgrade when a later migration fails', async () => {
    const file = path.join(tempDir(), 'oldest.caseboard');
    caseFileAtVersion(file, [first]);
    const before = inspect(file);
    const { openCaseFile: open } = await caseFileModuleWith(broken);
    expect(() => open(file)).toThrow(expect.objectContaining({ code: 'not_a_case_file', message: 'oldest.caseboard could not be read (SQLITE_ERROR).' }));
    expect(inspect(file)).toEqual(before);
    expect(before.version).toBe(first.version);
  });

  it('opens a file already at the current schema without touching user_version or schema', () => {
    const file = path.join(tempDir(), 'current.caseboard');
    caseFileAtVersion(file, MIGRATIONS);
    const before = inspect(file);
    openCaseFile(file).close();
    expect(inspect(file)).toEqual(before);
  });
});
