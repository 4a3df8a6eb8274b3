import Database from 'better-sqlite3';
import type { CaseDb } from '../../db/core/case-file';
import { MIGRATIONS } from '../../db/core/migrations';

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/**
 * Takes a case file's schema back to what the migrations up to `version`
 * made, keeping its rows in the tables both have: objects later migrations
 * added or changed are dropped, and those of the older schema put back as
 * they were (a virtual table empty, for the caller to fill as that migration
 * did). Opening the file afterwards runs the later migrations on it, as on a
 * case written by an older release.
 */
export function toOlderSchema(db: CaseDb, version: number, fill = ''): void {
  const reference = new Database(':memory:');
  let older: SchemaObject[];
  try {
    for (const migration of MIGRATIONS.filter((m) => m.version <= version)) reference.exec(migration.sql);
    older = reference.prepare('SELECT type, name, sql FROM sqlite_schema').all() as SchemaObject[];
  } finally {
    reference.close();
  }
  const now = db.prepare('SELECT type, name, sql FROM sqlite_schema').all() as SchemaObject[];
  const key = (o: SchemaObject) => `${o.type}\u0000${o.name}\u0000${o.sql ?? ''}`;
  const olderKeys = new Set(older.map(key));
  const nowKeys = new Set(now.map(key));
  const virtual = (objects: SchemaObject[]) => objects.filter((o) => o.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(o.sql ?? '')).map((o) => o.name);
  // A virtual table's own tables come and go with it.
  const shadows = new Set([...virtual(now), ...virtual(older)]);
  const isShadow = (o: SchemaObject) => [...shadows].some((v) => ['data', 'idx', 'content', 'docsize', 'config'].some((part) => o.name === `${v}_${part}`));
  // A table of rows whose shape changed in between would lose them: not what this is for.
  for (const o of older) {
    const changed = now.find((n) => n.type === 'table' && o.type === 'table' && n.name === o.name && n.sql !== o.sql);
    if (changed && !shadows.has(o.name)) throw new Error(`table ${o.name} changed shape after schema ${version}`);
  }
  const order = ['trigger', 'view', 'index', 'table'];
  const drop = now.filter((o) => !olderKeys.has(key(o)) && !isShadow(o) && o.sql !== null).sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  const create = older.filter((o) => !nowKeys.has(key(o)) && !isShadow(o) && o.sql !== null).sort((a, b) => order.indexOf(b.type) - order.indexOf(a.type));
  db.transaction(() => {
    for (const o of drop) if (db.prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').get(o.type, o.name)) db.exec(`DROP ${o.type.toUpperCase()} "${o.name}"`);
    for (const o of create) db.exec(o.sql as string);
    if (fill) db.exec(fill);
    db.pragma(`user_version = ${version}`);
  })();
}
