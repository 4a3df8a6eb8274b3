import type { CaseDb } from '../core/case-file';

type Row = Record<string, string | null>;

// XML 1.0 cannot hold most control characters, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

// Tabs and line breaks as character references: XML parsers turn them into spaces in attributes and fold \r\n in text.
function xml(value: string | null | undefined): string {
  return (value ?? '')
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A declared attribute: its name in the file and its type (GEXF and GraphML both know string and boolean). */
interface Attribute {
  name: string;
  type: 'string' | 'boolean';
}

/**
 * What a node and an edge carry. Lists (aliases, tags, areas) are joined
 * with "; "; an area path names its parents first, joined with " > ".
 * Notes are written when the case has them; `--no-notes` blanks them first.
 */
const NODE_ATTRIBUTES: readonly Attribute[] = [
  { name: 'type', type: 'string' },
  { name: 'subtype', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'aliases', type: 'string' },
  { name: 'description', type: 'string' },
  { name: 'confidence', type: 'string' },
  { name: 'tags', type: 'string' },
  { name: 'areas', type: 'string' },
  { name: 'area_paths', type: 'string' },
  { name: 'notes', type: 'string' },
];

/**
 * A mutual link is written as two directed edges, one each way, both marked
 * `mutual` and naming the link in `link_id`: Gephi and networkx read a
 * directed graph with no undirected edge in it, and a reader that wants the
 * link once keeps the edge whose id is the link's.
 */
const EDGE_ATTRIBUTES: readonly Attribute[] = [
  { name: 'link_id', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'direction', type: 'string' },
  { name: 'mutual', type: 'boolean' },
  { name: 'start', type: 'string' },
  { name: 'end', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'confidence', type: 'string' },
  { name: 'tags', type: 'string' },
  { name: 'areas', type: 'string' },
  { name: 'area_paths', type: 'string' },
  { name: 'notes', type: 'string' },
];

/** The id of the reverse edge of a mutual link. */
export const REVERSE_EDGE_SUFFIX = ':reverse';

interface Edge {
  id: string;
  source: string;
  target: string;
  values: Row;
}

function tagList(json: string | null): string | null {
  try {
    const tags = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(tags) && tags.length > 0 ? tags.map(String).join('; ') : null;
  } catch {
    return null;
  }
}

function graphRows(db: CaseDb): { nodes: { id: string; label: string; values: Row }[]; edges: Edge[] } {
  const areas = new Map((db.prepare('SELECT id, name, parent_id FROM technology_areas').all() as { id: string; name: string; parent_id: string | null }[]).map((a) => [a.id, a]));
  const pathOf = (id: string): string => {
    const names: string[] = [];
    for (let area = areas.get(id); area && names.length < 50; area = area.parent_id ? areas.get(area.parent_id) : undefined) names.unshift(area.name);
    return names.join(' > ');
  };
  const tagged = (column: 'entity_id' | 'link_id') => {
    const byItem = new Map<string, string[]>();
    for (const t of db.prepare(`SELECT ${column} AS item, area_id FROM area_tags WHERE ${column} IS NOT NULL ORDER BY rowid`).all() as { item: string; area_id: string }[]) {
      byItem.set(t.item, [...(byItem.get(t.item) ?? []), t.area_id]);
    }
    return (item: string): Row => {
      const ids = (byItem.get(item) ?? []).filter((id) => areas.has(id));
      const names = ids.map((id) => areas.get(id)?.name ?? '');
      return { areas: names.length ? names.join('; ') : null, area_paths: ids.length ? ids.map(pathOf).join('; ') : null };
    };
  };
  const entityAreas = tagged('entity_id');
  const linkAreas = tagged('link_id');
  const nodes = (
    db
      .prepare(
        "SELECT e.id, e.name, e.type, e.subtype, e.country, e.description, e.confidence, e.tags, e.notes, (SELECT group_concat(name, '; ') FROM (SELECT name FROM entity_aliases a WHERE a.entity_id = e.id ORDER BY a.position, a.id)) AS aliases FROM entities e ORDER BY e.rowid",
      )
      .all() as Row[]
  ).map((n) => ({ id: String(n.id), label: String(n.name), values: { ...n, tags: tagList(n.tags ?? null), ...entityAreas(String(n.id)) } }));
  const edges: Edge[] = [];
  for (const e of db.prepare('SELECT id, from_id, to_id, type, direction, start_date AS start, end_date AS "end", status, confidence, tags, notes FROM links ORDER BY rowid').all() as Row[]) {
    const id = String(e.id);
    const mutual = e.direction === 'mutual';
    const values: Row = { ...e, link_id: id, mutual: mutual ? 'true' : 'false', tags: tagList(e.tags ?? null), ...linkAreas(id) };
    edges.push({ id, source: String(e.from_id), target: String(e.to_id), values });
    if (mutual) edges.push({ id: `${id}${REVERSE_EDGE_SUFFIX}`, source: String(e.to_id), target: String(e.from_id), values });
  }
  return { nodes, edges };
}

/** The graph as GEXF 1.3 for Gephi: entities as nodes and links as edges, with their fields as declared, typed attributes. */
export function exportGexf(db: CaseDb): string {
  const { nodes, edges } = graphRows(db);
  const attvalues = (prefix: string, attributes: readonly Attribute[], values: Row) =>
    attributes.map((a, i) => (values[a.name] ? `<attvalue for="${prefix}${i}" value="${xml(values[a.name])}"/>` : '')).join('');
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">', '  <graph defaultedgetype="directed" mode="static">'];
  out.push('    <attributes class="node">', ...NODE_ATTRIBUTES.map((a, i) => `      <attribute id="n${i}" title="${a.name}" type="${a.type}"/>`), '    </attributes>');
  out.push('    <attributes class="edge">', ...EDGE_ATTRIBUTES.map((a, i) => `      <attribute id="e${i}" title="${a.name}" type="${a.type}"/>`), '    </attributes>');
  out.push('    <nodes>');
  for (const n of nodes) out.push(`      <node id="${xml(n.id)}" label="${xml(n.label)}"><attvalues>${attvalues('n', NODE_ATTRIBUTES, n.values)}</attvalues></node>`);
  out.push('    </nodes>', '    <edges>');
  for (const e of edges) {
    out.push(`      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}" label="${xml(e.values.type)}"><attvalues>${attvalues('e', EDGE_ATTRIBUTES, e.values)}</attvalues></edge>`);
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

/** The graph as GraphML, with the entities' and links' fields as declared, typed data keys. */
export function exportGraphml(db: CaseDb): string {
  const { nodes, edges } = graphRows(db);
  const data = (prefix: string, attributes: readonly Attribute[], values: Row) =>
    attributes.map((a) => (values[a.name] ? `<data key="${prefix}${a.name}">${xml(values[a.name])}</data>` : '')).join('');
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  out.push('  <key id="label" for="node" attr.name="label" attr.type="string"/>');
  for (const a of NODE_ATTRIBUTES) out.push(`  <key id="n_${a.name}" for="node" attr.name="${a.name}" attr.type="${a.type}"/>`);
  for (const a of EDGE_ATTRIBUTES) out.push(`  <key id="e_${a.name}" for="edge" attr.name="${a.name}" attr.type="${a.type}"/>`);
  out.push('  <graph id="case" edgedefault="directed">');
  for (const n of nodes) out.push(`    <node id="${xml(n.id)}"><data key="label">${xml(n.label)}</data>${data('n_', NODE_ATTRIBUTES, n.values)}</node>`);
  for (const e of edges) out.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">${data('e_', EDGE_ATTRIBUTES, e.values)}</edge>`);
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
