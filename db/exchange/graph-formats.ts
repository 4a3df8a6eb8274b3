import type { CaseDb } from '../case-file';

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

const NODE_ATTRIBUTES = ['type', 'subtype', 'country', 'aliases'] as const;
const EDGE_ATTRIBUTES = ['type', 'direction', 'start', 'end', 'status'] as const;

function graphRows(db: CaseDb): { nodes: Row[]; edges: Row[] } {
  const nodes = db
    .prepare("SELECT e.id, e.name, e.type, e.subtype, e.country, (SELECT group_concat(name, '; ') FROM entity_aliases a WHERE a.entity_id = e.id) AS aliases FROM entities e ORDER BY e.rowid")
    .all() as Row[];
  const edges = db.prepare('SELECT id, from_id, to_id, type, direction, start_date AS start, end_date AS "end", status FROM links ORDER BY rowid').all() as Row[];
  return { nodes, edges };
}

/** The graph as GEXF 1.3 for Gephi: entities as nodes and links as edges, with their fields as attributes. */
export function exportGexf(db: CaseDb): string {
  const { nodes, edges } = graphRows(db);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">', '  <graph defaultedgetype="directed" mode="static">'];
  out.push('    <attributes class="node">', ...NODE_ATTRIBUTES.map((a, i) => `      <attribute id="n${i}" title="${a}" type="string"/>`), '    </attributes>');
  out.push('    <attributes class="edge">', ...EDGE_ATTRIBUTES.map((a, i) => `      <attribute id="e${i}" title="${a}" type="string"/>`), '    </attributes>');
  out.push('    <nodes>');
  for (const n of nodes) {
    out.push(`      <node id="${xml(n.id)}" label="${xml(n.name)}"><attvalues>${NODE_ATTRIBUTES.map((a, i) => (n[a] ? `<attvalue for="n${i}" value="${xml(n[a])}"/>` : '')).join('')}</attvalues></node>`);
  }
  out.push('    </nodes>', '    <edges>');
  for (const e of edges) {
    out.push(
      `      <edge id="${xml(e.id)}" source="${xml(e.from_id)}" target="${xml(e.to_id)}" type="${e.direction === 'mutual' ? 'undirected' : 'directed'}" label="${xml(e.type)}"><attvalues>${EDGE_ATTRIBUTES.map((a, i) => (e[a] ? `<attvalue for="e${i}" value="${xml(e[a])}"/>` : '')).join('')}</attvalues></edge>`,
    );
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

/** The graph as GraphML, with the entities' and links' fields as data keys. */
export function exportGraphml(db: CaseDb): string {
  const { nodes, edges } = graphRows(db);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  out.push('  <key id="label" for="node" attr.name="label" attr.type="string"/>');
  for (const a of NODE_ATTRIBUTES) out.push(`  <key id="n_${a}" for="node" attr.name="${a}" attr.type="string"/>`);
  for (const a of EDGE_ATTRIBUTES) out.push(`  <key id="e_${a}" for="edge" attr.name="${a}" attr.type="string"/>`);
  out.push('  <graph id="case" edgedefault="directed">');
  for (const n of nodes) {
    out.push(`    <node id="${xml(n.id)}"><data key="label">${xml(n.name)}</data>${NODE_ATTRIBUTES.map((a) => (n[a] ? `<data key="n_${a}">${xml(n[a])}</data>` : '')).join('')}</node>`);
  }
  for (const e of edges) {
    out.push(
      `    <edge id="${xml(e.id)}" source="${xml(e.from_id)}" target="${xml(e.to_id)}" directed="${e.direction === 'mutual' ? 'false' : 'true'}">${EDGE_ATTRIBUTES.map((a) => (e[a] ? `<data key="e_${a}">${xml(e[a])}</data>` : '')).join('')}</edge>`,
    );
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
