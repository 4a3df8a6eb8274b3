// Builds the large case the scale benchmark measures, once, through the product's own CSV import,
// and keeps it outside the repository (~/.cache/caseboard-bench) until the schema changes.
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCaseFile, headerSchemaVersion, openCaseFile, type CaseDb } from '../../../db/core/case-file';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../db/core/migrations/index';
import { createHash } from 'node:crypto';
import { newId, now } from '../../../db/core/clock';
import { runCaseOperation, runCaseOperationAsync } from '../../../db/host/operations';
import { nameKey } from '../../../shared/name-key';

/** Entities in the case; 1,000,000 unless CASEBOARD_SCALE says otherwise (100000 for a quick run). */
export const SCALE = Number(process.env.CASEBOARD_SCALE ?? 1_000_000);
/** Short text sources (documents): 20,000 at a million entities, in proportion below. */
export const DOCUMENTS = Math.max(500, Math.round((20_000 * SCALE) / 1_000_000));

const CACHE = process.env.CASEBOARD_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'caseboard-bench');
const label = SCALE % 1_000_000 === 0 ? `${SCALE / 1_000_000}m` : SCALE % 1000 === 0 ? `${SCALE / 1000}k` : String(SCALE);
export const CASE_FILE = path.join(CACHE, `scale-${label}.caseboard`);
/** What the build measured, kept beside the case (the build runs once; its figures are reported with every run). */
const BUILD_FILE = `${CASE_FILE}.build.json`;

export interface BuildFigures {
  scale: number;
  schemaVersion: number;
  /** A digest of every migration's SQL: a schema changed under the same version number is rebuilt too. */
  schemaDigest: string;
  builtAt: string;
  /** Wall seconds of each CSV import operation. */
  entitiesImportSeconds: number;
  linksImportSeconds: number;
  sourcesImportSeconds: number;
  /**
   * CPU seconds of the entities and links imports. The user time is the
   * import's own work; the system time is the kernel's, which on a virtual
   * machine that hands free memory back to its host grows faster than what
   * is written (see Links CSV import in docs/performance.md).
   */
  entitiesImportCpu?: CpuSeconds;
  linksImportCpu?: CpuSeconds;
  fileBytes: number;
  load: string;
  /** Each time the cached case was opened with a newer schema: what the migrations took. */
  upgrades?: { from: number; to: number; seconds: number; load: string }[];
  /** Documents imported into a case built with fewer than DOCUMENTS: how many, and what the import took. */
  documentsAdded?: { count: number; seconds: number; load: string }[];
}

const LATIN = ['Harbin', 'Beihang', 'Bauman', 'Northwestern', 'Nanjing', 'Tupolev', 'Sukhoi', 'Rostec', 'Almaz', 'Avic', 'Norinco', 'Kalashnikov', 'Shenyang', 'Xian', 'Chengdu', 'Irkut'];
const LATIN_KIND = ['Aero-Engine Institute', 'Polytechnical University', 'Trading Company', 'Precision Machinery', 'Research Centre', 'Holdings', 'Electronics Group', 'Logistics'];
const CYRILLIC = ['Московский', 'Казанский', 'Уральский', 'Новосибирский', 'Тульский', 'Самарский'];
const CYRILLIC_KIND = ['институт', 'завод', 'конструкторское бюро', 'университет'];
const CJK = ['哈尔滨', '北京', '西北', '南京', '沈阳', '成都', '西安', '上海'];
const CJK_KIND = ['工业大学', '航空发动机研究院', '精密机械公司', '电子集团', '贸易有限公司'];
const PERSON_GIVEN = ['Ivan', 'Wei', 'Olga', 'Li', 'Sergei', 'Mei', 'Dmitri', 'Jun', 'Anna', 'Hao'];
const PERSON_FAMILY = ['Petrov', 'Zhang', 'Ivanova', 'Wang', 'Smirnov', 'Chen', 'Kuznetsov', 'Liu', 'Popova', 'Zhao'];
const COUNTRIES = ['CN', 'RU', 'HK', 'KZ', 'BY', 'AE', 'TR', 'IR', 'KP', 'DE', 'US', 'GB'];
const LINK_TYPES = ['owns', 'supplies', 'partner of', 'employs', 'subsidiary of', 'funds', 'director of', 'ships to'];
const WORDS = ['turbine', 'export', 'licence', 'sanctions', 'shipment', 'university', 'laboratory', 'contract', 'dual-use', 'procurement', 'invoice', 'subsidiary', 'engine', 'alloy', 'semiconductor', 'customs', 'transfer', 'research', 'cooperation', 'military', '航空', '发动机', 'поставка', 'институт'];

/** A Caseboard-shaped ID (UUID version 7) for the nth generated item, so links can name their ends by ID. */
export function scaleId(kind: 1 | 2 | 3, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `01938000-000${kind}-7000-8000-${hex}`;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/** The nth entity: name, type, country and two aliases, in Latin, Cyrillic or Chinese script. */
export function entityName(i: number): { name: string; type: string; aliases: [string, string] } {
  const script = i % 20;
  if (script < 3) {
    const given = pick(PERSON_GIVEN, i >> 3);
    const family = pick(PERSON_FAMILY, i >> 5);
    return { name: `${given} ${family} ${i}`, type: 'person', aliases: [`${family}, ${given} ${i}`, `${given[0] ?? ''}. ${family} ${i}`] };
  }
  if (script < 6) {
    const name = `${pick(CYRILLIC, i >> 2)} ${pick(CYRILLIC_KIND, i >> 4)} ${i}`;
    return { name, type: 'organisation', aliases: [`${pick(LATIN, i)} Works ${i}`, `ОАО ${i}`] };
  }
  if (script < 9) {
    const name = `${pick(CJK, i >> 2)}${pick(CJK_KIND, i >> 4)}${i}`;
    return { name, type: 'organisation', aliases: [`${pick(LATIN, i >> 2)} ${pick(LATIN_KIND, i >> 4)} ${i}`, `${pick(CJK, i >> 2)}${i}`] };
  }
  const base = `${pick(LATIN, i >> 1)} ${pick(LATIN_KIND, i >> 5)}`;
  return { name: `${base} ${i}`, type: script === 19 ? 'product' : 'organisation', aliases: [`${base.toUpperCase()} LTD ${i}`, `${pick(LATIN, i >> 1).slice(0, 3).toUpperCase()}-${i}`] };
}

function csvCell(text: string): string {
  return /[",\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes a CSV file in chunks, never holding it whole. */
/** A CSV file of the rows numbered `from` up to `rows`. */
function writeCsv(file: string, header: string, rows: number, row: (i: number) => string, from = 0): void {
  const fd = openSync(file, 'w');
  try {
    const chunk: string[] = [header];
    for (let i = from; i < rows; i += 1) {
      chunk.push(row(i));
      if (chunk.length >= 50_000) {
        writeFileSync(fd, `${chunk.join('\n')}\n`);
        chunk.length = 0;
      }
    }
    if (chunk.length) writeFileSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

function words(i: number, count: number): string {
  const out: string[] = [];
  let x = i * 2654435761;
  for (let w = 0; w < count; w += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(pick(WORDS, x >>> 8));
  }
  return out.join(' ');
}


/** CPU seconds a step took in this process: its own work (user) and the kernel's for it (system). */
export interface CpuSeconds {
  user: number;
  system: number;
}

/** Wall seconds of an import, with its CPU seconds; an import reporting errors fails the build. */
async function importFile(db: CaseDb, kind: 'entities' | 'links' | 'sources', file: string, map: Record<string, string>): Promise<{ seconds: number; cpu: CpuSeconds }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await runCaseOperationAsync(db, 'exchange.importCsv', { path: file, kind, map, onMatch: 'new' }, { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpuBefore);
  const cpu = { user: used.user / 1e6, system: used.system / 1e6 };
  if (report.errors.length > 0) throw new Error(`${kind} import reported errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
  console.log(`  ${kind}: imported ${report.imported.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (CPU ${cpu.user.toFixed(1)} s user, ${cpu.system.toFixed(1)} s system)`);
  return { seconds, cpu };
}

const SOURCES_HEADER = 'title,kind,publisher,published,reliability,notes';
const SOURCES_MAP = { title: 'title', kind: 'kind', publisher: 'publisher', published: 'published', reliability: 'reliability', notes: 'notes' };

/** The nth document: a short text source with a title and a body of 120 words. */
function sourceRow(i: number): string {
  return [csvCell(`Report ${i}: ${words(i, 6)}`), pick(['report', 'article', 'official_document', 'dataset'], i), csvCell(pick(['RFE/RL', 'Reuters', 'Caixin', 'Kommersant'], i)), `20${10 + (i % 15)}`, pick(['A', 'B', 'C', 'D'], i), csvCell(words(i, 120))].join(',');
}

/**
 * Brings a cached case built with fewer documents up to DOCUMENTS, through
 * the same import, numbering the new ones on from those it has.
 */
async function topUpDocuments(file: string, build: BuildFigures): Promise<BuildFigures> {
  const db = openCaseFile(file);
  try {
    const have = db.prepare('SELECT count(*) FROM sources').pluck().get() as number;
    if (have >= DOCUMENTS) return build;
    const work = path.join(CACHE, `documents-${label}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    try {
      const csv = path.join(work, 'sources.csv');
      writeCsv(csv, SOURCES_HEADER, DOCUMENTS, sourceRow, have);
      console.log(`Adding ${(DOCUMENTS - have).toLocaleString('en')} documents to the cached case (it has ${have.toLocaleString('en')}).`);
      const { seconds } = await importFile(db, 'sources', csv, SOURCES_MAP);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const added: BuildFigures = { ...build, fileBytes: statSync(file).size, documentsAdded: [...(build.documentsAdded ?? []), { count: DOCUMENTS - have, seconds, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') }] };
      writeFileSync(BUILD_FILE, `${JSON.stringify(added, null, 2)}\n`);
      return added;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    db.close();
  }
}

/** A digest of the migrations up to a version: what a case of that version was built with. */
function digestUpTo(version: number): string {
  return createHash('sha256')
    .update(
      MIGRATIONS.filter((m) => m.version <= version)
        .map((m) => `${m.version}\n${m.sql}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
}

const SCHEMA_DIGEST = digestUpTo(SCHEMA_VERSION);

/**
 * The cached case of SCALE entities, with what its build measured: built
 * first if it is missing or was built by migrations that have since changed,
 * and upgraded as a user's case is, by opening it, when newer migrations
 * were added (what that took is kept with the build's figures); a case built
 * with fewer documents is given the rest.
 */
export async function scaleCase(): Promise<{ file: string; build: BuildFigures }> {
  const { file, build } = await cachedOrBuilt();
  return { file, build: await topUpDocuments(file, build) };
}

async function cachedOrBuilt(): Promise<{ file: string; build: BuildFigures }> {
  if (existsSync(CASE_FILE) && existsSync(BUILD_FILE)) {
    const build = JSON.parse(readFileSync(BUILD_FILE, 'utf8')) as BuildFigures;
    const version = headerSchemaVersion(CASE_FILE);
    if (build.scale === SCALE && build.schemaVersion === version && build.schemaDigest === digestUpTo(version)) {
      if (version === SCHEMA_VERSION) return { file: CASE_FILE, build };
      if (version < SCHEMA_VERSION) {
        console.log(`Upgrading the cached case from schema ${version} to ${SCHEMA_VERSION} by opening it, as Caseboard does.`);
        const started = performance.now();
        const db = openCaseFile(CASE_FILE);
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        const seconds = (performance.now() - started) / 1000;
        const upgraded: BuildFigures = {
          ...build,
          schemaVersion: SCHEMA_VERSION,
          schemaDigest: SCHEMA_DIGEST,
          fileBytes: statSync(CASE_FILE).size,
          upgrades: [...(build.upgrades ?? []), { from: version, to: SCHEMA_VERSION, seconds, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') }],
        };
        writeFileSync(BUILD_FILE, `${JSON.stringify(upgraded, null, 2)}\n`);
        console.log(`  upgraded in ${seconds.toFixed(1)} s`);
        return { file: CASE_FILE, build: upgraded };
      }
    }
  }
  mkdirSync(CACHE, { recursive: true });
  const work = path.join(CACHE, `building-${label}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  console.log(`Building a case of ${SCALE.toLocaleString('en')} entities (schema ${SCHEMA_VERSION}) in ${CACHE}; this runs once per schema version.`);
  const entities = path.join(work, 'entities.csv');
  writeCsv(entities, 'id,name,type,country,aliases,description', SCALE, (i) => {
    const e = entityName(i);
    return [scaleId(1, i), csvCell(e.name), e.type, pick(COUNTRIES, i >> 3), csvCell(e.aliases.join('; ')), csvCell(i % 4 === 0 ? words(i, 8) : '')].join(',');
  });
  // One link per entity: most to a near neighbour, some across the case (hubs every 1,000th entity).
  const links = path.join(work, 'links.csv');
  writeCsv(links, 'from,to,type', SCALE, (i) => {
    const to = i % 10 === 0 ? (i * 7919) % SCALE : i % 7 === 0 ? Math.floor(i / 1000) * 1000 : (i + 1) % SCALE;
    return [scaleId(1, i), scaleId(1, to === i ? (i + 1) % SCALE : to), pick(LINK_TYPES, i >> 2)].join(',');
  });
  const sources = path.join(work, 'sources.csv');
  writeCsv(sources, SOURCES_HEADER, DOCUMENTS, sourceRow);

  const temp = `${CASE_FILE}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
  const db = createCaseFile(temp, { title: `Scale benchmark: ${SCALE.toLocaleString('en')} entities` });
  let figures: BuildFigures;
  try {
    const entitiesImport = await importFile(db, 'entities', entities, { id: 'id', name: 'name', type: 'type', country: 'country', aliases: 'aliases', description: 'description' });
    const linksImport = await importFile(db, 'links', links, { from: 'from', to: 'to', type: 'type' });
    const { seconds: sourcesImportSeconds } = await importFile(db, 'sources', sources, SOURCES_MAP);
    db.pragma('wal_checkpoint(TRUNCATE)');
    figures = { scale: SCALE, schemaVersion: SCHEMA_VERSION, schemaDigest: SCHEMA_DIGEST, builtAt: new Date().toISOString(), entitiesImportSeconds: entitiesImport.seconds, linksImportSeconds: linksImport.seconds, sourcesImportSeconds, entitiesImportCpu: entitiesImport.cpu, linksImportCpu: linksImport.cpu, fileBytes: 0, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${CASE_FILE}${suffix}`, { force: true });
  renameSync(temp, CASE_FILE);
  rmSync(work, { recursive: true, force: true });
  figures.fileBytes = statSync(CASE_FILE).size;
  writeFileSync(BUILD_FILE, `${JSON.stringify(figures, null, 2)}\n`);
  return { file: CASE_FILE, build: figures };
}

/**
 * The CSV import of `count` entity rows (a name, a type, a country and a
 * short description) against a bare insert of the same rows into the same
 * table, each into a new case file, in milliseconds of wall time. Each side
 * makes its own input (the file, the rows to insert) and holds nothing of the
 * other's while it runs.
 */
export function importRatio(count: number): { bareMs: number; importMs: number } {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseboard-scale-'));
  try {
    const csvFile = path.join(folder, 'entities.csv');
    writeCsv(csvFile, 'name,type,country,description', count, (i) => {
      const e = entityName(i);
      return `"${e.name}",${e.type},${ratioCountry(i)},Generated row ${i}`;
    });
    // What each side wrote goes to the disk before the other is timed, not while it runs.
    flushToDisk(csvFile);
    const bareFile = path.join(folder, 'bare.caseboard');
    const bareMs = bareInsert(bareFile, count);
    flushToDisk(bareFile);
    const importMs = csvImport(path.join(folder, 'import.caseboard'), csvFile);
    return { bareMs, importMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const ratioCountry = (i: number) => (i % 2 ? 'CN' : 'RU');

/** Writes what the operating system still holds of `file` to the disk. */
function flushToDisk(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function bareInsert(file: string, count: number): number {
  const db = createCaseFile(file, { title: 'Bare insert' });
  try {
    const at = now();
    const values = Array.from({ length: count }, (_, i) => {
      const e = entityName(i);
      return [newId(), e.type, e.name, nameKey(e.name), ratioCountry(i), `Generated row ${i}`, '[]', at, at];
    });
    const insert = db.prepare('INSERT INTO entities (id, type, subtype, name, name_key, country, description, notes, tags, confidence, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)');
    const started = performance.now();
    db.transaction(() => {
      for (const v of values) insert.run(...v);
    }).immediate();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

function csvImport(file: string, csvFile: string): number {
  const db = createCaseFile(file, { title: 'CSV import' });
  try {
    const started = performance.now();
    runCaseOperation(db, 'exchange.importCsv', { path: csvFile, kind: 'entities', map: { name: 'name', type: 'type', country: 'country', description: 'description' } }, { actor: 'bench', progress: () => undefined, throwIfCancelled: () => undefined });
    return performance.now() - started;
  } finally {
    db.close();
  }
}
