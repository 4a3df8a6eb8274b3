import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bench, describe } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { newId } from '../../db/core/clock';
import { refreshMentions } from '../../db/evidence/mentions';
import { runCaseOperation, runCaseOperationAsync } from '../../db/host/operations';
import { nameKey } from '../../shared/name-key';
import { context } from '../helpers/model';
import { repoRoot } from '../helpers/temp';

/**
 * Mentions at scale: 10,000 entities with three names each (Latin, Cyrillic,
 * Chinese) against 2,000 pages of mixed-script text (500 attached files of
 * four pages). Measures working every mention out from nothing, the upkeep
 * after one rename, one alias and one new file (each a whole operation, its
 * transaction included), and listing an entity's mentions and all of them.
 * Figures go to test-results/mentions-bench.json and docs/performance.md.
 */

const ENTITIES = Number(process.env.MENTIONS_BENCH_ENTITIES ?? 10_000);
const FILES = Number(process.env.MENTIONS_BENCH_FILES ?? 500);
const PAGES = 4;

const CITIES = ['Harbin', 'Beijing', 'Xi’an', 'Nanjing', 'Moscow', 'Kazan', 'Tomsk', 'Samara', 'Novosibirsk', 'Chengdu', 'Wuhan', 'Changsha'];
const KINDS = ['Institute of Technology', 'Polytechnic University', 'Aviation Institute', 'University of Aeronautics', 'Engineering Academy', 'Research Centre'];
const RU_CITIES = ['Харбинский', 'Пекинский', 'Сианьский', 'Нанкинский', 'Московский', 'Казанский', 'Томский', 'Самарский', 'Новосибирский', 'Чэндуский', 'Уханьский', 'Чанша'];
const RU_KINDS = ['технологический институт', 'политехнический университет', 'авиационный институт', 'аэрокосмический университет', 'инженерная академия', 'исследовательский центр'];
const ZH = ['哈尔滨', '北京', '西安', '南京', '莫斯科', '喀山', '托木斯克', '萨马拉', '新西伯利亚', '成都', '武汉', '长沙'];
const ZH_KINDS = ['工业大学', '理工大学', '航空学院', '航空航天大学', '工程学院', '研究中心'];
const FILLER_EN = 'the delegation signed an agreement on joint training in engine design and drone swarms while export controls were discussed at length by both sides'.split(' ');
const FILLER_RU = 'делегация подписала соглашение о совместной подготовке инженеров и обсуждала экспортный контроль'.split(' ');
const FILLER_ZH = ['双方签署了合作协议', '联合培养', '航空发动机', '无人机', '出口管制', '学生交流'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function names(i: number): { name: string; ru: string; zh: string } {
  const city = i % CITIES.length;
  const kind = Math.floor(i / CITIES.length) % KINDS.length;
  const n = Math.floor(i / (CITIES.length * KINDS.length));
  return { name: `${CITIES[city]} ${KINDS[kind]} ${n}`, ru: `${RU_CITIES[city]} ${RU_KINDS[kind]} ${n}`, zh: `${ZH[city]}${ZH_KINDS[kind]}第${n}号` };
}

function pageText(next: () => number): string {
  const parts: string[] = [];
  while (parts.join(' ').length < 2500) {
    const pick = next();
    const who = names(Math.floor(next() * ENTITIES));
    if (pick < 0.06) parts.push(who.name);
    else if (pick < 0.09) parts.push(who.ru);
    else if (pick < 0.12) parts.push(`${who.zh}。`);
    else if (pick < 0.6) parts.push(FILLER_EN[Math.floor(next() * FILLER_EN.length)] as string);
    else if (pick < 0.85) parts.push(FILLER_RU[Math.floor(next() * FILLER_RU.length)] as string);
    else parts.push(FILLER_ZH[Math.floor(next() * FILLER_ZH.length)] as string);
  }
  return parts.join(' ');
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-GB')} ms`;

function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

describe('mentions at scale', () => {
  bench(
    `${ENTITIES} entities against ${FILES * PAGES} pages`,
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'caseboard-bench-mentions-'));
      try {
        const db = createCaseFile(path.join(dir, 'mentions.caseboard'), { title: 'Mentions at scale' });
        const next = random(20261203);
        const at = '2026-01-01T00:00:00.000Z';
        const entityIds: string[] = [];
        let textChars = 0;
        db.transaction(() => {
          const entity = db.prepare("INSERT INTO entities (id, type, name, name_key, tags, created_at, updated_at) VALUES (?, 'organisation', ?, ?, '[]', ?, ?)");
          const alias = db.prepare('INSERT INTO entity_aliases (id, entity_id, name, name_key, language, position) VALUES (?, ?, ?, ?, ?, ?)');
          for (let i = 0; i < ENTITIES; i++) {
            const id = newId();
            const { name, ru, zh } = names(i);
            entity.run(id, name, nameKey(name), at, at);
            alias.run(newId(), id, ru, nameKey(ru), 'ru', 0);
            alias.run(newId(), id, zh, nameKey(zh), 'zh', 1);
            entityIds.push(id);
          }
          const source = db.prepare("INSERT INTO sources (id, kind, title, reliability, created_at, updated_at) VALUES (?, 'report', ?, 'C', ?, ?)");
          const file = db.prepare("INSERT INTO attachments (id, source_id, name, media_type, size, sha256, content, text_status, page_count, created_at) VALUES (?, ?, ?, 'application/pdf', 4, ?, x'25504446', 'extracted', ?, ?)");
          const page = db.prepare('INSERT INTO attachment_pages (attachment_id, page, text) VALUES (?, ?, ?)');
          for (let f = 0; f < FILES; f++) {
            const sourceId = newId();
            const attachmentId = newId();
            source.run(sourceId, `Report ${f}`, at, at);
            file.run(attachmentId, sourceId, `report-${f}.pdf`, newId().replace(/-/g, '').padEnd(64, '0').slice(0, 64), PAGES, at);
            for (let p = 1; p <= PAGES; p++) {
              const text = pageText(next);
              textChars += text.length;
              page.run(attachmentId, p, text);
            }
          }
        })();

        const [, full] = timed(() => db.transaction(() => refreshMentions(db))());
        const stored = db.prepare('SELECT count(*) FROM mentions').pluck().get() as number;

        const ctx = context('Bench');
        const renamed = entityIds[7] as string;
        const fields = runCaseOperation(db, 'entities.get', { id: renamed }, ctx);
        const [, rename] = timed(() => runCaseOperation(db, 'entities.update', { id: renamed, fields: { ...fields, name: `${fields.name} (renamed)` } }, ctx));
        const again = runCaseOperation(db, 'entities.get', { id: renamed }, ctx);
        const [, alias] = timed(() => runCaseOperation(db, 'entities.update', { id: renamed, fields: { ...again, aliases: [...again.aliases, { name: 'HIT', language: null }] } }, ctx));
        const text = Array.from({ length: PAGES }, () => pageText(next)).join('\n');
        const startedAdd = performance.now();
        await runCaseOperationAsync(db, 'attachments.add', { file: { name: 'new-notes.txt', base64: Buffer.from(text).toString('base64') } }, ctx);
        const add = performance.now() - startedAdd;
        const [, bare] = timed(() => runCaseOperation(db, 'case.update', { title: 'Mentions at scale, revised' }, ctx));

        const perEntity: number[] = [];
        let places = 0;
        for (let i = 0; i < 50; i++) {
          const [list, took] = timed(() => runCaseOperation(db, 'mentions.list', { entityId: entityIds[Math.floor((i * ENTITIES) / 50)] as string }, ctx));
          perEntity.push(took);
          places += list.mentions.length;
        }
        perEntity.sort((a, b) => a - b);
        const [all, listAll] = timed(() => runCaseOperation(db, 'mentions.list', {}, ctx));
        db.close();

        const figures = {
          entities: ENTITIES,
          names: ENTITIES * 3,
          pages: FILES * PAGES,
          textMegabytes: +(textChars / 1e6).toFixed(1),
          mentions: stored,
          fullMs: Math.round(full),
          renameMs: Math.round(rename),
          aliasMs: Math.round(alias),
          addFileMs: Math.round(add),
          writeWithoutMarksMs: +bare.toFixed(1),
          listEntityMedianMs: +(perEntity[25] ?? 0).toFixed(1),
          listEntityMaxMs: +(perEntity[perEntity.length - 1] ?? 0).toFixed(1),
          placesPerEntity: +(places / 50).toFixed(1),
          listAllMs: Math.round(listAll),
          listAllCount: all.mentions.length,
          loadAverage: os.loadavg()[0]?.toFixed(1),
        };
        mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
        writeFileSync(path.join(repoRoot, 'test-results', 'mentions-bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
        process.stdout.write(
          [
            `Mentions: ${figures.entities} entities (${figures.names} names) against ${figures.pages} pages (${figures.textMegabytes} M characters): ${stored} mentions`,
            `  from nothing: ${ms(full)}; rename: ${ms(rename)}; alias added: ${ms(alias)}; file of ${PAGES} pages added: ${ms(add)}; a write that touches no name or page: ${ms(bare)}`,
            `  one entity's mentions: median ${ms(figures.listEntityMedianMs)}, max ${ms(figures.listEntityMaxMs)} (${figures.placesPerEntity} places on average); all ${all.mentions.length}: ${ms(listAll)}`,
            `  load average ${figures.loadAverage}`,
            '',
          ].join('\n'),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
