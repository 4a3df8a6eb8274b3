import type { CaseDb } from '../../db/core/case-file';

/**
 * OpenSanctions-like lines: `entities` companies and people (Latin, Cyrillic
 * and Chinese names, aliases, identifiers, descriptions), an ownership for
 * every second one naming entities anywhere in the file, and a sanction for
 * every fiftieth. `windows` ends the lines with CR LF, as a file saved on
 * Windows; `broken` puts a line that is not JSON eighth. `entities` is a
 * multiple of three.
 */
export function ftmDataSet(entities: number, options: { windows?: boolean; broken?: boolean } = {}): string {
  const third = entities / 3;
  const person = (j: number) => `p-${3 * (j % third) + 2}`;
  const company = (j: number) => `cn-${3 * (j % third) + 1}`;
  const out: string[] = [];
  for (let i = 0; i < entities; i += 1) {
    if (i % 3 === 0) out.push(JSON.stringify({ id: `ru-inn-${i}`, schema: 'Company', properties: { name: [`ООО Волга Авиа ${i}`], alias: [`Volga Avia ${i} LLC`], jurisdiction: ['ru'], innCode: [`77${i}`] } }));
    else if (i % 3 === 1) out.push(JSON.stringify({ id: `cn-${i}`, schema: 'Company', properties: { name: [`哈尔滨航空科技 ${i}`], alias: [`Harbin Aero Technology ${i}`], country: ['cn'], description: [i % 7 === 1 ? 'turbine blades' : 'bearings'] } }));
    else out.push(JSON.stringify({ id: `p-${i}`, schema: 'Person', properties: { name: [`Ivan Petrov ${i}`], nationality: ['ru'], birthDate: ['1970-01-02'] }, datasets: ['us_ofac_sdn'] }));
    if (i % 2 === 0) out.push(JSON.stringify({ id: `own-${i}`, schema: 'Ownership', properties: { owner: [person(i * 7)], asset: [company(i + 5)], percentage: ['51'], startDate: [i % 4 === 0 ? '2019' : '2021-06'] } }));
    if (i % 50 === 2) out.push(JSON.stringify({ id: `san-${i}`, schema: 'Sanction', properties: { entity: [person(i + 11)], authority: ['OFAC'], program: ['RUSSIA-EO14024'], startDate: ['2022-03-01'] } }));
  }
  if (options.broken) out.splice(7, 0, '{"id": "broken", "schema": "Company", ');
  const end = options.windows ? '\r\n' : '\n';
  return `${out.join(end)}${end}`;
}

/** What an FtM import wrote, without the IDs it made up: entities by name, links and sanctions by the names they join, and every entity's count of links. */
export function ftmWritten(db: CaseDb): Record<string, unknown[]> {
  return {
    entities: db.prepare('SELECT name, type, country, description, ftm_schema, ftm_properties FROM entities ORDER BY name').raw().all(),
    aliases: db.prepare('SELECT e.name, a.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id ORDER BY 1, 2').raw().all(),
    identifiers: db.prepare('SELECT e.name, i.key, i.value FROM entity_identifiers i JOIN entities e ON e.id = i.entity_id ORDER BY 1, 2, 3').raw().all(),
    links: db.prepare('SELECT f.name, t.name, l.type, l.start_date, l.ftm_id FROM links l JOIN entities f ON f.id = l.from_id JOIN entities t ON t.id = l.to_id ORDER BY 1, 2, 3, 5').raw().all(),
    sanctions: db.prepare('SELECT e.name, s.authority, s.program, s.list, s.ftm_id FROM sanctions s JOIN entities e ON e.id = s.entity_id ORDER BY 1, 5').raw().all(),
    degrees: db.prepare('SELECT e.name, d.degree FROM entity_degrees d JOIN entities e ON e.id = d.entity_id WHERE d.degree > 0 ORDER BY 1').raw().all(),
  };
}
