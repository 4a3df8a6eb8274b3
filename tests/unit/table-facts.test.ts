import { describe, expect, it } from 'vitest';
import { REFERENCES, TABLES, type JournaledTable } from '../../db/core/tables';
import { newCase } from '../helpers/model';

const ON_DELETE: Record<string, 'cascade' | 'null' | 'restrict'> = { CASCADE: 'cascade', 'SET NULL': 'null', 'NO ACTION': 'restrict', RESTRICT: 'restrict' };

describe('the table facts the journal and merge read', () => {
  it('name each journaled table’s primary key as the schema declares it', () => {
    const { db } = newCase();
    for (const table of Object.keys(TABLES) as JournaledTable[]) {
      const columns = db.pragma(`table_info(${table})`) as { name: string; pk: number }[];
      const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      expect({ table, key }).toEqual({ table, key: [...TABLES[table].key] });
    }
  });

  it('list every reference between journaled tables, with what SQLite does when the parent goes', () => {
    const { db } = newCase();
    const inSchema = (Object.keys(TABLES) as JournaledTable[]).flatMap((table) =>
      (db.pragma(`foreign_key_list(${table})`) as { table: string; from: string; on_delete: string }[])
        .filter((fk) => fk.table in TABLES)
        .map((fk) => `${table}.${fk.from} -> ${fk.table} (${ON_DELETE[fk.on_delete] ?? fk.on_delete})`),
    );
    const listed = REFERENCES.map((r) => `${r.table}.${r.column} -> ${r.parent} (${r.onDelete})`);
    expect([...listed].sort()).toEqual([...inSchema].sort());
  });
});
