import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';
import { createCaseFile, type CaseDb } from '../core/case-file';
import type { CaseOperationName } from '../core/handler';
import { DEFAULT_AREAS } from '../core/migrations/030-case-model';
import { runCaseOperation } from './operations';

/**
 * The sample case: one public news report on Chinese defence-linked
 * universities and their Russian partners, restated in our own words, with
 * every claim as an excerpt, every entity and link, and citations from each
 * link to the claims it rests on. Built through the same operations a user's
 * actions run, so it passes the same validation as any case.
 */
export const SAMPLE_TITLE = 'Sample: Chinese defence universities and Russian partners';
const ACTOR = 'Caseboard sample';

const SOURCE = {
  kind: 'article',
  title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows",
  publisher: 'Radio Free Europe/Radio Liberty (RFE/RL)',
  authors: ['RFE/RL'],
  language: 'en',
  reliability: 'B',
  notes:
    'Reports preliminary, not yet published findings of the Australian Strategic Policy Institute (ASPI), cross-checked by RFE/RL. The publication date is not stated in our copy and is left unknown. Quotes Bethany Allen, head of China investigations at ASPI and lead author of the research.',
} as const;

/** Each claim the report makes, as an excerpt: [number, passage in our words, credibility, analyst comment]. */
const CLAIMS: [number, string, number, string | null][] = [
  [1, 'All 68 Chinese universities described as part of China’s defence system, or supervised by a defence agency, have deepened research ties with Russian institutions since 2019.', 2, 'ASPI finding, cross-checked by RFE/RL.'],
  [2, 'The 68 are the "Seven Sons of National Defence" and 61 further universities in the defence network or supervised by SASTIND.', 2, null],
  [3, 'The cooperation is concentrated in aeronautics and drone technology.', 2, null],
  [4, 'Beihang University and the Moscow Aviation Institute have run a joint Master’s programme since 2017, aimed at aircraft-engine development; Beihang’s Aero-Engine Research Institute states the goal of moving from imitation to independent engine development.', 2, null],
  [5, 'Beihang is one of the Seven Sons, China’s leading aerospace research university, strong in drones, drone swarming and advanced aircraft engines.', 3, 'Stated by the article without attribution.'],
  [6, 'The Moscow Aviation Institute is one of Russia’s leading aerospace institutes and leads Russian aircraft-engine research.', 3, 'Stated by the article without attribution.'],
  [7, 'Xi’an Technological University, described as one of the Seven Sons, set up a joint training programme with Peter the Great St. Petersburg Polytechnic University in 2023 and researches advanced weapons systems with Chinese weapons companies.', 3, 'CONTESTED: lists of the Seven Sons usually do not include Xi’an Technological University. Treat its membership as unconfirmed.'],
  [8, 'SPbPU has advanced hydro-aerodynamics laboratories and close ties to Russia’s military-industrial complex; its leadership publicly supported the invasion of Ukraine.', 3, null],
  [9, 'SPbPU’s Special Technology Center is under US and EU sanctions and developed the Orlan-10 UAV, used in Russian strikes on Ukrainian infrastructure.', 2, null],
  [10, 'Harbin Institute of Technology was sanctioned by the US government in 2020 for allegedly procuring items for China’s military.', 2, null],
  [11, 'HIT and Bauman Moscow State Technical University created the Association of Sino-Russian Technical Universities in 2011; it grew into a joint institute with 59 undergraduates studying in both countries.', 2, null],
  [12, 'HIT trains more than 1,500 Chinese and Russian students at a science education centre created with St Petersburg State University.', 2, null],
  [13, 'In 2024 HIT signed a strategic cooperation agreement with the Skolkovo Institute of Science and Technology and the Russian Academy of Engineering.', 2, null],
  [14, 'Vladimir Putin visited HIT in 2024 during a state visit to China and described it as inseparably connected with Russia.', 2, null],
];

type EntitySpec = { key: string; type: string; subtype?: string; name: string; country?: string; aliases: [string, string | null][]; description?: string; claims: number[] };

const ENTITIES: EntitySpec[] = [
  { key: 'beihang', type: 'organisation', subtype: 'university', name: 'Beihang University', country: 'CN', aliases: [['Beijing University of Aeronautics and Astronautics', 'en'], ['BUAA', 'en'], ['北京航空航天大学', 'zh']], description: 'One of the Seven Sons of National Defence; China’s top aerospace research university.', claims: [4, 5] },
  { key: 'beihang-aeri', type: 'organisation', subtype: 'research institute', name: 'Beihang Aero-Engine Research Institute', country: 'CN', aliases: [['北京航空航天大学航空发动机研究院', 'zh']], claims: [4] },
  { key: 'xatu', type: 'organisation', subtype: 'university', name: 'Xi’an Technological University', country: 'CN', aliases: [['XATU', 'en'], ['西安工业大学', 'zh']], claims: [7] },
  { key: 'hit', type: 'organisation', subtype: 'university', name: 'Harbin Institute of Technology', country: 'CN', aliases: [['HIT', 'en'], ['哈尔滨工业大学', 'zh']], description: 'One of China’s most important military research universities.', claims: [10, 11, 12, 13, 14] },
  { key: 'mai', type: 'organisation', subtype: 'university', name: 'Moscow Aviation Institute', country: 'RU', aliases: [['MAI', 'en'], ['Московский авиационный институт', 'ru']], description: 'Leads Russian aircraft-engine research.', claims: [4, 6] },
  { key: 'spbpu', type: 'organisation', subtype: 'university', name: 'Peter the Great St. Petersburg Polytechnic University', country: 'RU', aliases: [['SPbPU', 'en'], ['Санкт-Петербургский политехнический университет Петра Великого', 'ru']], claims: [7, 8] },
  { key: 'stc', type: 'organisation', subtype: 'lab', name: 'Special Technology Center', country: 'RU', aliases: [['STC', 'en'], ['Специальный технологический центр', 'ru']], description: 'Part of SPbPU; under US and EU sanctions.', claims: [9] },
  { key: 'orlan', type: 'product', subtype: 'UAV', name: 'Orlan-10', country: 'RU', aliases: [['Орлан-10', 'ru']], claims: [9] },
  { key: 'bmstu', type: 'organisation', subtype: 'university', name: 'Bauman Moscow State Technical University', country: 'RU', aliases: [['BMSTU', 'en'], ['МГТУ им. Н. Э. Баумана', 'ru']], claims: [11] },
  { key: 'spbu', type: 'organisation', subtype: 'university', name: 'St Petersburg State University', country: 'RU', aliases: [['SPbU', 'en'], ['Санкт-Петербургский государственный университет', 'ru']], claims: [12] },
  { key: 'skoltech', type: 'organisation', subtype: 'university', name: 'Skolkovo Institute of Science and Technology', country: 'RU', aliases: [['Skoltech', 'en'], ['Сколтех', 'ru']], claims: [13] },
  { key: 'rae', type: 'organisation', subtype: 'association', name: 'Russian Academy of Engineering', country: 'RU', aliases: [['Российская инженерная академия', 'ru']], claims: [13] },
  { key: 'asrtu', type: 'organisation', subtype: 'association', name: 'Association of Sino-Russian Technical Universities', aliases: [['ASRTU', 'en']], claims: [11] },
  { key: 'sastind', type: 'organisation', subtype: 'government agency', name: 'State Administration of Science, Technology and Industry for National Defence', country: 'CN', aliases: [['SASTIND', 'en'], ['国家国防科技工业局', 'zh']], claims: [2] },
  { key: 'seven-sons', type: 'organisation', subtype: 'group', name: 'Seven Sons of National Defence', country: 'CN', aliases: [['国防七子', 'zh']], claims: [2] },
  { key: 'aspi', type: 'organisation', subtype: 'think tank', name: 'Australian Strategic Policy Institute', country: 'AU', aliases: [['ASPI', 'en']], claims: [1] },
  { key: 'allen', type: 'person', subtype: 'researcher', name: 'Bethany Allen', aliases: [], description: 'Head of China investigations at ASPI; lead author of the research.', claims: [] },
  { key: 'putin', type: 'person', subtype: 'official', name: 'Vladimir Putin', country: 'RU', aliases: [['Владимир Путин', 'ru']], claims: [14] },
  { key: 'usg', type: 'organisation', subtype: 'government', name: 'United States government', country: 'US', aliases: [], claims: [] },
  { key: 'eu', type: 'organisation', subtype: 'government', name: 'European Union', country: 'EU', aliases: [], claims: [] },
];

type LinkSpec = { from: string; type: string; to: string; start?: string; status?: string; areas: string[]; claims: number[]; notes?: string };

const LINKS: LinkSpec[] = [
  { from: 'beihang', type: 'joint programme', to: 'mai', start: '2017', areas: ['aero-engines'], claims: [4], notes: 'Joint Master’s programme aimed at aircraft-engine development.' },
  { from: 'beihang-aeri', type: 'part of', to: 'beihang', areas: ['aero-engines'], claims: [4] },
  { from: 'beihang', type: 'member of', to: 'seven-sons', areas: [], claims: [5] },
  { from: 'xatu', type: 'joint programme', to: 'spbpu', start: '2023', areas: ['advanced weapons', 'hydro-aerodynamics'], claims: [7, 8], notes: 'Joint training programme.' },
  { from: 'xatu', type: 'member of', to: 'seven-sons', status: 'contested', areas: [], claims: [7], notes: 'Contested: lists of the Seven Sons usually do not include Xi’an Technological University.' },
  { from: 'stc', type: 'part of', to: 'spbpu', areas: ['drones'], claims: [9] },
  { from: 'stc', type: 'developed', to: 'orlan', areas: ['drones'], claims: [9] },
  { from: 'usg', type: 'sanctioned', to: 'stc', areas: [], claims: [9] },
  { from: 'eu', type: 'sanctioned', to: 'stc', areas: [], claims: [9] },
  { from: 'usg', type: 'sanctioned', to: 'hit', start: '2020', areas: [], claims: [10] },
  { from: 'hit', type: 'co-founded', to: 'asrtu', start: '2011', areas: [], claims: [11] },
  { from: 'bmstu', type: 'co-founded', to: 'asrtu', start: '2011', areas: [], claims: [11] },
  { from: 'hit', type: 'joint centre', to: 'spbu', areas: [], claims: [12] },
  { from: 'hit', type: 'cooperation agreement', to: 'skoltech', start: '2024', areas: [], claims: [13] },
  { from: 'hit', type: 'cooperation agreement', to: 'rae', start: '2024', areas: [], claims: [13] },
  { from: 'putin', type: 'visited', to: 'hit', start: '2024', areas: [], claims: [14] },
  { from: 'allen', type: 'works for', to: 'aspi', areas: [], claims: [1] },
];

function areaId(name: string): string {
  const area = DEFAULT_AREAS.find((a) => a.name === name);
  if (!area) throw new Error(`The sample names an unknown technology area: ${name}`);
  return area.id;
}

/** Fills an open, empty case with the sample. */
export function fillSampleCase(db: CaseDb): void {
  const ctx = { actor: ACTOR, progress: () => undefined, throwIfCancelled: () => undefined };
  const run = <N extends CaseOperationName & OperationName>(name: N, input: OpInput<N>): OpOutput<N> => runCaseOperation(db, name, input, ctx);

  run('case.update', {
    title: SAMPLE_TITLE,
    marking: 'SAMPLE — PUBLIC SOURCES',
    description: 'How Chinese universities tied to the defence sector work with Russian institutions, and whether that work helps Russia get around sanctions and export controls. Built from one public news report; a starting point, not the whole picture.',
  });
  const source = run('sources.create', { ...SOURCE, authors: [...SOURCE.authors] });
  run('areas.tag', { areaId: areaId('aerospace and aeronautics'), kind: 'source', itemId: source.id });
  run('areas.tag', { areaId: areaId('drones'), kind: 'source', itemId: source.id });

  const excerpts = new Map<number, string>();
  for (const [number, quote, credibility, comment] of CLAIMS) {
    const excerpt = run('excerpts.create', { sourceId: source.id, fields: { quote, credibility, location: `claim ${number}`, comment } });
    excerpts.set(number, excerpt.id);
  }
  const cite = (claims: number[]) => claims.map((n) => excerpts.get(n)).filter((id): id is string => id !== undefined);

  const entities = new Map<string, string>();
  for (const spec of ENTITIES) {
    const entity = run('entities.create', {
      fields: {
        type: spec.type as 'organisation',
        subtype: spec.subtype ?? null,
        name: spec.name,
        country: spec.country ?? null,
        aliases: spec.aliases.map(([name, language]) => ({ name, language })),
        description: spec.description ?? null,
      },
      excerptIds: cite(spec.claims),
    });
    entities.set(spec.key, entity.id);
  }
  const entity = (key: string): string => {
    const id = entities.get(key);
    if (!id) throw new Error(`The sample names an unknown entity: ${key}`);
    return id;
  };
  for (const spec of LINKS) {
    run('links.create', {
      fields: {
        fromId: entity(spec.from),
        toId: entity(spec.to),
        type: spec.type,
        startDate: spec.start ?? null,
        status: (spec.status ?? 'active') as 'active',
        notes: spec.notes ?? null,
      },
      areaIds: spec.areas.map(areaId),
      excerptIds: cite(spec.claims),
    });
  }
  addBriefing(run, excerpts);
}

function addBriefing(run: <N extends CaseOperationName & OperationName>(name: N, input: OpInput<N>) => OpOutput<N>, excerpts: Map<number, string>): void {
  const cite = (...claims: number[]) => claims.map((n) => excerpts.get(n)).filter((id): id is string => id !== undefined);
  run('reports.create', {
    fields: {
      name: 'Sample briefing',
      title: 'Chinese defence universities and their Russian partners',
      author: 'Caseboard sample',
      marking: 'SAMPLE — PUBLIC SOURCES',
      summary:
        'Research ties between China’s defence-linked universities and Russian institutions have deepened since 2019, concentrated in aeronautics, aero-engines and drones. Several Russian partners are sanctioned or tied to Russia’s military-industrial complex. All of this rests on one news report of preliminary think-tank findings; it needs corroboration.',
      sections: [
        { kind: 'summary', enabled: true, notes: null },
        { kind: 'findings', enabled: true, notes: null },
        { kind: 'graph', enabled: true, notes: null },
        { kind: 'timeline', enabled: true, notes: 'Undated links are not drawn on the timeline.' },
        { kind: 'entities', enabled: true, notes: null },
        { kind: 'relationships', enabled: true, notes: 'The membership of Xi’an Technological University in the Seven Sons is contested.' },
        { kind: 'evidence', enabled: true, notes: null },
        { kind: 'bibliography', enabled: true, notes: null },
      ],
      findings: [
        { text: 'All 68 defence-linked Chinese universities have deepened research ties with Russian institutions since 2019.', excerptIds: cite(1, 2) },
        { text: 'Beihang University and the Moscow Aviation Institute have trained engine specialists together since 2017.', excerptIds: cite(4, 6) },
        { text: 'A sanctioned SPbPU unit developed the Orlan-10 drone used against Ukraine; a Chinese university started a joint programme with SPbPU in 2023.', excerptIds: cite(7, 9) },
        { text: 'Harbin Institute of Technology, under US sanctions since 2020, signed new Russian agreements in 2024 and hosted Vladimir Putin.', excerptIds: cite(10, 13, 14) },
      ],
    },
  });
}

/** Creates the sample case file at `file`. */
export function createSampleCase(file: string): CaseDb {
  const db = createCaseFile(file, { title: SAMPLE_TITLE });
  try {
    fillSampleCase(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
