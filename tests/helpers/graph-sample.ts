import type { OpInput, OpOutput } from '../../shared/contract';
import type { OperationName } from '../../shared/operation-names';

/** Calls one operation through some door: straight on a case file, or over HTTP to `caseboard serve`. */
export type Caller = <N extends OperationName>(name: N, input: OpInput<N>) => Promise<OpOutput<N>>;

type EntityKind = 'organisation' | 'person' | 'programme' | 'event' | 'product' | 'place';

/** The entities of the sample case (case-facts.md). */
export const SAMPLE_ENTITIES: { name: string; type: EntityKind; subtype?: string; country?: string; aliases?: string[] }[] = [
  { name: 'Beihang University', type: 'organisation', subtype: 'university', country: 'CN', aliases: ['Beijing University of Aeronautics and Astronautics', 'BUAA', '北京航空航天大学'] },
  { name: 'Beihang Aero-Engine Research Institute', type: 'organisation', subtype: 'research institute', country: 'CN', aliases: ['北京航空航天大学航空发动机研究院'] },
  { name: "Xi'an Technological University", type: 'organisation', subtype: 'university', country: 'CN', aliases: ['XATU', '西安工业大学'] },
  { name: 'Harbin Institute of Technology', type: 'organisation', subtype: 'university', country: 'CN', aliases: ['HIT', '哈尔滨工业大学'] },
  { name: 'Moscow Aviation Institute', type: 'organisation', subtype: 'university', country: 'RU', aliases: ['MAI', 'Московский авиационный институт'] },
  { name: 'Peter the Great St. Petersburg Polytechnic University', type: 'organisation', subtype: 'university', country: 'RU', aliases: ['SPbPU', 'Санкт-Петербургский политехнический университет Петра Великого'] },
  { name: 'Special Technology Center', type: 'organisation', subtype: 'lab', country: 'RU', aliases: ['STC', 'Специальный технологический центр'] },
  { name: 'Orlan-10', type: 'product', subtype: 'UAV', country: 'RU', aliases: ['Орлан-10'] },
  { name: 'Bauman Moscow State Technical University', type: 'organisation', subtype: 'university', country: 'RU', aliases: ['BMSTU', 'МГТУ им. Н. Э. Баумана'] },
  { name: 'St Petersburg State University', type: 'organisation', subtype: 'university', country: 'RU', aliases: ['SPbU', 'Санкт-Петербургский государственный университет'] },
  { name: 'Skolkovo Institute of Science and Technology', type: 'organisation', subtype: 'university', country: 'RU', aliases: ['Skoltech', 'Сколтех'] },
  { name: 'Russian Academy of Engineering', type: 'organisation', subtype: 'association', country: 'RU', aliases: ['Российская инженерная академия'] },
  { name: 'Association of Sino-Russian Technical Universities', type: 'organisation', subtype: 'association', aliases: ['ASRTU'] },
  { name: 'State Administration of Science, Technology and Industry for National Defence', type: 'organisation', subtype: 'government agency', country: 'CN', aliases: ['SASTIND', '国家国防科技工业局'] },
  { name: 'Seven Sons of National Defence', type: 'organisation', subtype: 'group', country: 'CN', aliases: ['国防七子'] },
  { name: 'Australian Strategic Policy Institute', type: 'organisation', subtype: 'think tank', country: 'AU', aliases: ['ASPI'] },
  { name: 'Bethany Allen', type: 'person' },
  { name: 'Vladimir Putin', type: 'person', country: 'RU', aliases: ['Владимир Путин'] },
  { name: 'United States government', type: 'organisation', subtype: 'government', country: 'US' },
  { name: 'European Union', type: 'organisation', subtype: 'government', country: 'EU' },
];

/** The links of the sample case, with dates, areas and the grade of the source behind each. */
export const SAMPLE_LINKS: { from: string; type: string; to: string; start?: string; areas?: string[]; grade: 'B' | 'C'; direction?: 'mutual' }[] = [
  { from: 'Beihang University', type: 'joint programme', to: 'Moscow Aviation Institute', start: '2017', areas: ['aero-engines'], grade: 'B', direction: 'mutual' },
  { from: 'Beihang Aero-Engine Research Institute', type: 'part of', to: 'Beihang University', areas: ['aero-engines'], grade: 'B' },
  { from: 'Beihang University', type: 'member of', to: 'Seven Sons of National Defence', grade: 'B' },
  { from: "Xi'an Technological University", type: 'joint programme', to: 'Peter the Great St. Petersburg Polytechnic University', start: '2023', areas: ['advanced weapons', 'hydro-aerodynamics'], grade: 'B', direction: 'mutual' },
  { from: "Xi'an Technological University", type: 'member of', to: 'Seven Sons of National Defence', grade: 'C' },
  { from: 'Special Technology Center', type: 'part of', to: 'Peter the Great St. Petersburg Polytechnic University', areas: ['drones'], grade: 'B' },
  { from: 'Special Technology Center', type: 'developed', to: 'Orlan-10', areas: ['drones'], grade: 'B' },
  { from: 'United States government', type: 'sanctioned', to: 'Special Technology Center', grade: 'B' },
  { from: 'European Union', type: 'sanctioned', to: 'Special Technology Center', grade: 'B' },
  { from: 'United States government', type: 'sanctioned', to: 'Harbin Institute of Technology', start: '2020', grade: 'B' },
  { from: 'Harbin Institute of Technology', type: 'co-founded', to: 'Association of Sino-Russian Technical Universities', start: '2011', grade: 'B' },
  { from: 'Bauman Moscow State Technical University', type: 'co-founded', to: 'Association of Sino-Russian Technical Universities', start: '2011', grade: 'B' },
  { from: 'Harbin Institute of Technology', type: 'joint centre', to: 'St Petersburg State University', grade: 'B', direction: 'mutual' },
  { from: 'Harbin Institute of Technology', type: 'cooperation agreement', to: 'Skolkovo Institute of Science and Technology', start: '2024', grade: 'B', direction: 'mutual' },
  { from: 'Harbin Institute of Technology', type: 'cooperation agreement', to: 'Russian Academy of Engineering', start: '2024', grade: 'B', direction: 'mutual' },
  { from: 'Vladimir Putin', type: 'visited', to: 'Harbin Institute of Technology', start: '2024', grade: 'B' },
  { from: 'Bethany Allen', type: 'works for', to: 'Australian Strategic Policy Institute', grade: 'B' },
];

/** Fills a case with the sample facts through the operations; returns entity and link IDs by name. */
export async function seedSampleCase(call: Caller): Promise<{ entities: Map<string, string>; links: string[] }> {
  const areas = await call('areas.list', {});
  const areaId = (name: string) => {
    const found = areas.find((a) => a.name === name);
    if (!found) throw new Error(`no area ${name}`);
    return found.id;
  };
  const article = await call('sources.create', { kind: 'article', title: "China's Defense Universities Help Russia Offset Sanctions And Export Controls, New Research Shows", publisher: 'Radio Free Europe/Radio Liberty', reliability: 'B' } as OpInput<'sources.create'>);
  const blog = await call('sources.create', { kind: 'web_page', title: 'A list of the Seven Sons', reliability: 'C' } as OpInput<'sources.create'>);
  const quoteB = await call('excerpts.create', { sourceId: article.id, fields: { quote: 'All 68 Chinese universities ... deepened their research ties with Russian institutions since 2019.', credibility: 2 } } as OpInput<'excerpts.create'>);
  const quoteC = await call('excerpts.create', { sourceId: blog.id, fields: { quote: "Xi'an Technological University, one of the Seven Sons.", credibility: 3 } } as OpInput<'excerpts.create'>);
  const entities = new Map<string, string>();
  for (const e of SAMPLE_ENTITIES) {
    const created = await call('entities.create', {
      fields: { type: e.type, subtype: e.subtype ?? null, name: e.name, country: e.country ?? null, aliases: (e.aliases ?? []).map((name) => ({ name })) },
    } as OpInput<'entities.create'>);
    entities.set(e.name, created.id);
  }
  const links: string[] = [];
  for (const l of SAMPLE_LINKS) {
    const created = await call('links.create', {
      fields: { fromId: entities.get(l.from) as string, toId: entities.get(l.to) as string, type: l.type, direction: l.direction ?? 'directed', startDate: l.start ?? null, status: l.type === 'member of' && l.grade === 'C' ? 'contested' : 'active' },
      areaIds: (l.areas ?? []).map(areaId),
      excerptIds: [l.grade === 'B' ? quoteB.id : quoteC.id],
    } as OpInput<'links.create'>);
    links.push(created.id);
  }
  return { entities, links };
}
