import { formatBytes } from './evidence';
import { linkTypeColours, OTHER_LINK_COLOUR, SHAPE_BY_TYPE, shapePath, TYPE_COLOURS } from './graph-style';
import { CONFIDENCE_LABELS, ENTITY_TYPE_LABELS, ENTITY_TYPES, LINK_STATUS_LABELS, type Confidence, type EntityType } from './model';
import { countOf } from './ops/exchange';
import { formatDateSpan, formatDateTime, formatPartialDate } from './partial-date';
import { paragraphMarking, PORTION_ABBREVIATIONS, printedTexts, REPORT_SECTION_LABELS, sectionMarking, shortenAtWord, textParagraphs, type ReportData, type ReportEntity, type ReportEvidence, type ReportSanction, type ReportSection, type ReportSectionKind } from './report';
import { RELIABILITY_LABELS, SOURCE_KIND_LABELS } from './schemas';

// ---- Escaping by construction ----

/** Markup this module built; the only thing `html` inserts without escaping. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part as string | number));
}

/** Tagged template: every interpolated value is escaped unless it is SafeHtml built here. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** A CSS string literal that cannot end the string, the rule or the style element. */
function cssString(text: string): string {
  return `"${[...text].map((c) => (/^[A-Za-z0-9 .,:;_-]$/.test(c) ? c : `\\${(c.codePointAt(0) ?? 32).toString(16)} `)).join('')}"`;
}

/** Only web addresses become links; anything else (javascript:, data:, file:) prints as text. */
export function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Analyst text as plain paragraphs: blank lines separate paragraphs, single line breaks are kept. A paragraph
 * that starts with a portion mark, "(S) …", prints it as one.
 */
function paragraphs(text: string | null, className = ''): SafeHtml {
  if (!text) return html``;
  return html`${textParagraphs(text).map((p) => {
    const marked = paragraphMarking(p);
    const body = marked ? marked.rest : p;
    const mark = marked ? html`<span class="portion" title="${marked.marking}">(${PORTION_ABBREVIATIONS[marked.marking]})</span> ` : '';
    return html`<p${className ? html` class="${className}"` : ''}>${mark}${body.split('\n').map((line, i) => (i === 0 ? line : html`<br>${line}`))}</p>`;
  })}`;
}

/** The language of a name, for the right glyphs when the alias carries none. */
function langOf(name: string, given: string | null): string | null {
  if (given) return given;
  if (/[\u3400-\u9fff]/.test(name)) return 'zh-Hans';
  if (/[\u0400-\u04ff]/.test(name)) return 'ru';
  return null;
}

function named(name: string, language: string | null): SafeHtml {
  const lang = langOf(name, language);
  return lang ? html`<span lang="${lang}">${name}</span>` : html`${name}`;
}

// ---- Options ----

export interface ReportHtmlOptions {
  /**
   * Who draws the running header and footer: 'css' puts the marking and page
   * numbers in @page margin boxes (the HTML file, printed from any browser);
   * 'printer' leaves them to the PDF printer's header and footer templates.
   */
  pageChrome: 'css' | 'printer';
  /** Nonce for the style element when the HTML is shown inside the app (the app's CSP needs it). */
  styleNonce?: string;
}

/** The Content-Security-Policy every exported report carries: no scripts, no requests, inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Page margins shared by the CSS and the PDF printers, so the header and footer sit in the same place. */
export const REPORT_MARGINS = { top: '22mm', bottom: '20mm', left: '18mm', right: '18mm' } as const;

// ---- Citations ----

function citeMarks(numbers: readonly number[], linked: boolean): SafeHtml {
  if (numbers.length === 0 || !linked) return html``;
  const sorted = [...numbers].sort((a, b) => a - b);
  return html`<sup class="cite">[${sorted.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="#ev-${n}">${n}</a>`)}]</sup>`;
}

/** Evidence cited against a claim: "contradicted by [4]". */
function contradictionMarks(numbers: readonly number[], linked: boolean): SafeHtml {
  if (numbers.length === 0) return html``;
  const sorted = [...numbers].sort((a, b) => a - b);
  const list = linked ? html`[${sorted.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="#ev-${n}">${n}</a>`)}]` : html`${countOf(sorted.length, 'excerpt', 'excerpts')}`;
  return html` <span class="contradicted">contradicted by ${list}</span>`;
}

/** "Moderate — 1 source, B2": the level and what it rests on; "Unsourced" when nothing is cited. */
function confidenceText(item: { confidence: Confidence | null; confidenceBasis: string | null }): SafeHtml {
  if (!item.confidence) return html`<span class="unsourced">Unsourced</span>`;
  return html`${CONFIDENCE_LABELS[item.confidence]}${item.confidenceBasis ? html`<span class="basis"> — ${item.confidenceBasis}</span>` : ''}`;
}

/** Claims that evidence speaks against, each with both sides. */
function contestedClaims(data: ReportData, linked: boolean): SafeHtml {
  const claims = [
    ...data.entities.filter((e) => e.contradictions.length > 0).map((e) => ({ claim: html`${named(e.name, null)}`, support: e.citations, against: e.contradictions })),
    ...data.links
      .filter((l) => l.contradictions.length > 0)
      .map((l) => ({ claim: html`${named(l.from, null)} — ${l.type}${l.direction === 'mutual' ? ' (both ways)' : ''} — ${named(l.to, null)}`, support: l.citations, against: l.contradictions })),
  ];
  if (claims.length === 0) return html``;
  return html`<div class="contested"><h3>Contested claims</h3><p class="muted">Evidence speaks against these claims; both sides are listed.</p><ul>${claims.map(
    (c) => html`<li>${c.claim}: supported by ${c.support.length > 0 ? citeMarks(c.support, linked) : html`no excerpt`}${linked ? '' : html` ${countOf(c.support.length, 'excerpt', 'excerpts')}`};${contradictionMarks(c.against, linked)}</li>`,
  )}</ul></div>`;
}

// ---- Pictures ----

/** A small picture of an entity type's shape, for the legend. */
function shapeIcon(type: EntityType): SafeHtml {
  return html`<svg class="key-icon" width="12" height="12" viewBox="-7 -7 14 14" aria-hidden="true"><path d="${shapePath(SHAPE_BY_TYPE[type], 0, 0, 4.8)}" fill="${TYPE_COLOURS[type]}"/></svg>`;
}

/** A short stroke in a link type's colour, for the legend. */
function lineIcon(colour: string): SafeHtml {
  return html`<svg class="key-icon" width="22" height="12" viewBox="0 0 22 12" aria-hidden="true"><line x1="1" y1="6" x2="21" y2="6" stroke="${colour}" stroke-width="3" stroke-linecap="round"/></svg>`;
}

/**
 * The network picture: every entity in the graph view's shape and colour for
 * its type, every link in its type's colour by the graph view's rule (the most
 * frequent types get the palette, the rest share one grey), and a legend of both.
 */
function graphSvg(data: ReportData): SafeHtml {
  const { nodes, edges } = data.graph;
  if (nodes.length === 0) return html`<p class="muted">No entities in scope to draw.</p>`;
  const width = 1000;
  const height = 660;
  const pad = 40;
  const labelRoom = 220;
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const scale = Math.min((width - 2 * pad - labelRoom) / Math.max(1e-9, maxX - minX), (height - 2 * pad) / Math.max(1e-9, maxY - minY));
  const fit = Number.isFinite(scale) && maxX > minX ? scale : 1;
  const px = (x: number) => (maxX > minX ? pad + (x - minX) * fit : width / 2);
  const py = (y: number) => (maxY > minY ? pad + (y - minY) * fit : height / 2);
  const pos = new Map(nodes.map((n) => [n.id, { x: px(n.x), y: py(n.y), r: Math.min(16, 6 + Math.sqrt(n.degree) * 2.4), shape: SHAPE_BY_TYPE[n.type] }]));
  const labelled = new Set([...nodes].sort((a, b) => b.degree - a.degree).slice(0, nodes.length <= 60 ? nodes.length : 40).map((n) => n.id));
  const counts = new Map<string, number>();
  for (const e of edges) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const colours = linkTypeColours(counts);
  const colourOf = (type: string) => colours.get(type) ?? OTHER_LINK_COLOUR;
  const arrowColours = [...new Set(edges.filter((e) => e.directed).map((e) => colourOf(e.type)))];
  const markerId = (colour: string) => `arrow-${arrowColours.indexOf(colour)}`;
  const f = (n: number) => n.toFixed(1);
  const edgeMarks = edges.map((e) => {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) return '';
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.max(1e-9, Math.hypot(dx, dy));
    const x2 = b.x - (dx / len) * (b.r * 1.15 + 2);
    const y2 = b.y - (dy / len) * (b.r * 1.15 + 2);
    const colour = colourOf(e.type);
    return html`<line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${colour}" class="edge"${e.directed ? html` marker-end="url(#${markerId(colour)})"` : ''}/>`;
  });
  const nodeMarks = nodes.map((n) => {
    const p = pos.get(n.id);
    return p ? html`<path d="${shapePath(p.shape, p.x, p.y, p.r)}" fill="${TYPE_COLOURS[n.type]}" class="node"/>` : '';
  });
  const placed = placeLabels(
    nodes.filter((n) => labelled.has(n.id)).sort((a, b) => b.degree - a.degree || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    pos,
    { width, height },
  );
  const labels = placed.labels.map((l) => html`<text x="${f(l.x)}" y="${f(l.y)}" text-anchor="${l.anchor}" class="label">${l.text}</text>`);
  const types = ENTITY_TYPES.filter((t) => nodes.some((n) => n.type === t));
  const named = [...colours.entries()].filter(([, colour]) => colour !== OTHER_LINK_COLOUR);
  const others = colours.size - named.length;
  const legend = html`<div class="graph-key"><p><span class="key-head">Entities</span>${types.map((t) => html`<span class="key-item">${shapeIcon(t)}${ENTITY_TYPE_LABELS[t]}</span>`)}</p>${
    named.length > 0
      ? html`<p><span class="key-head">Links</span>${named.map(([type, colour]) => html`<span class="key-item">${lineIcon(colour)}${type} (${counts.get(type) ?? 0})</span>`)}${
          others > 0 ? html`<span class="key-item">${lineIcon(OTHER_LINK_COLOUR)}${countOf(others, 'other type', 'other types')}</span>` : ''
        }</p>`
      : ''
  }</div>`;
  return html`<svg class="picture" viewBox="0 0 ${width} ${height}" role="img" aria-label="Network graph of the entities and links in scope" xmlns="http://www.w3.org/2000/svg">
<defs>${arrowColours.map((colour) => html`<marker id="${markerId(colour)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`)}</defs>
<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>
${edgeMarks}${nodeMarks}${labels}
</svg>${legend}${placed.left > 0 ? html`<p class="graph-note">${countOf(placed.left, 'name is', 'names are')} left off the picture where ${placed.left === 1 ? 'it' : 'they'} would cover another; every entity is listed in the entity profiles.</p>` : ''}`;
}

/** How wide a label of the picture is drawn (15 px, bold): wide characters (CJK) take a full em. */
function labelTextWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 15 : 8.8;
  return width;
}

interface LabelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: LabelBox, b: LabelBox) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places the picture's labels, the most linked entities first: right of the entity, else left, above or
 * below it, wherever the label covers no other label and no other entity and stays inside the picture.
 * A label with no free place is left off and counted, rather than printed over another.
 */
export function placeLabels(
  nodes: readonly { id: string; label: string }[],
  pos: ReadonlyMap<string, { x: number; y: number; r: number }>,
  size: { width: number; height: number },
): { labels: { id: string; text: string; x: number; y: number; anchor: 'start' | 'end' | 'middle' }[]; left: number } {
  const shapes = [...pos.entries()].map(([id, p]) => ({ id, box: { x0: p.x - p.r, y0: p.y - p.r, x1: p.x + p.r, y1: p.y + p.r } }));
  const taken: LabelBox[] = [];
  const labels: { id: string; text: string; x: number; y: number; anchor: 'start' | 'end' | 'middle' }[] = [];
  let left = 0;
  for (const n of nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const text = n.label.length > 34 ? `${n.label.slice(0, 32)}…` : n.label;
    const w = labelTextWidth(text);
    const gap = p.r * 1.2 + 4;
    const candidates: { x: number; y: number; anchor: 'start' | 'end' | 'middle'; box: LabelBox }[] = [
      { x: p.x + gap, y: p.y + 5, anchor: 'start', box: { x0: p.x + gap, y0: p.y - 10, x1: p.x + gap + w, y1: p.y + 8 } },
      { x: p.x - gap, y: p.y + 5, anchor: 'end', box: { x0: p.x - gap - w, y0: p.y - 10, x1: p.x - gap, y1: p.y + 8 } },
      { x: p.x, y: p.y - p.r - 6, anchor: 'middle', box: { x0: p.x - w / 2, y0: p.y - p.r - 21, x1: p.x + w / 2, y1: p.y - p.r - 3 } },
      { x: p.x, y: p.y + p.r + 17, anchor: 'middle', box: { x0: p.x - w / 2, y0: p.y + p.r + 2, x1: p.x + w / 2, y1: p.y + p.r + 20 } },
    ];
    const free = candidates.find(
      (c) =>
        c.box.x0 >= 0 &&
        c.box.x1 <= size.width &&
        c.box.y0 >= 0 &&
        c.box.y1 <= size.height &&
        !taken.some((t) => overlaps(t, c.box)) &&
        !shapes.some((s) => s.id !== n.id && overlaps(s.box, c.box)),
    );
    if (!free) {
      left += 1;
      continue;
    }
    taken.push(free.box);
    labels.push({ id: n.id, text, x: free.x, y: free.y, anchor: free.anchor });
  }
  return { labels, left };
}

function yearOf(date: string | null): number | null {
  const y = date ? Number(date.slice(0, 4)) : NaN;
  return Number.isFinite(y) ? y : null;
}

function fraction(date: string, end: boolean): number {
  const year = Number(date.slice(0, 4));
  const month = date.length >= 7 ? Number(date.slice(5, 7)) : end ? 12 : 1;
  return year + (end ? month : month - 1) / 12;
}

const TIMELINE_ROWS = 60;

function timelineSvg(data: ReportData): SafeHtml {
  const dated = data.links.filter((l) => l.startDate || l.endDate);
  if (dated.length === 0) return html`<p class="muted">None of the links in scope is dated.</p>`;
  const shown = dated.slice(0, TIMELINE_ROWS);
  const exportYear = yearOf(data.provenance.exportedAt) ?? new Date().getUTCFullYear();
  const years = shown.flatMap((l) => [yearOf(l.startDate), yearOf(l.endDate)]).filter((y): y is number => y !== null);
  const first = Math.min(...years);
  const last = Math.max(exportYear, ...years) + 1;
  const width = 1000;
  const labelWidth = 430;
  const row = 22;
  const top = 34;
  const height = top + shown.length * row + 16;
  const x = (t: number) => labelWidth + ((t - first) / Math.max(1, last - first)) * (width - labelWidth - 20);
  const f = (n: number) => n.toFixed(1);
  const step = last - first > 24 ? 5 : last - first > 12 ? 2 : 1;
  const ticks: number[] = [];
  for (let y = first; y <= last; y += step) ticks.push(y);
  const grid = ticks.map((y) => html`<line x1="${f(x(y))}" y1="${top - 8}" x2="${f(x(y))}" y2="${height - 10}" class="grid"/><text x="${f(x(y))}" y="${top - 14}" class="tick">${y}</text>`);
  const bars = shown.map((l, i) => {
    const cy = top + i * row + row / 2;
    const start = l.startDate ? fraction(l.startDate, false) : l.endDate ? fraction(l.endDate, false) : first;
    const open = !l.endDate && (l.status === 'active' || l.status === 'planned');
    const end = l.endDate ? fraction(l.endDate, true) : open ? exportYear + 1 : start + 1 / 12;
    const colour = l.areas[0]?.colour ?? '#2458b3';
    const label = `${l.from} — ${l.type} — ${l.to}`;
    return html`<text x="${labelWidth - 10}" y="${f(cy + 4)}" class="row-label">${label.length > 64 ? `${label.slice(0, 62)}…` : label}</text>
<rect x="${f(x(start))}" y="${f(cy - 6)}" width="${f(Math.max(4, x(end) - x(start)))}" height="12" rx="3" fill="${colour}" class="${open ? 'bar open' : 'bar'}"/>`;
  });
  return html`<svg class="picture" viewBox="0 0 ${width} ${height}" role="img" aria-label="Timeline of dated links" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>
${grid}${bars}
</svg>${dated.length > shown.length ? html`<p class="muted">The chart shows the first ${shown.length} of ${dated.length} dated links; the relationship table lists them all.</p>` : ''}`;
}

// ---- Sections ----

interface Numbered {
  section: ReportSection;
  number: number;
  anchor: string;
}

function callout(notes: string | null): SafeHtml {
  return notes ? html`<aside class="callout"><p class="callout-label">Analyst note</p>${paragraphs(notes)}</aside>` : html``;
}

/** One sanction record in a line: who, under which programme, when, from which list, and why. */
function sanctionLine(s: ReportSanction): SafeHtml {
  const start = s.startDate ? formatPartialDate(s.startDate) : null;
  const end = s.endDate ? formatPartialDate(s.endDate) : null;
  const dates = start && end ? `${start} to ${end}` : start ? `since ${start}` : end ? `until ${end}` : '';
  const head = [s.authority ?? 'Sanctioned', s.program].filter(Boolean).join(', ');
  const href = safeHref(s.sourceUrl);
  return html`<li>${head}${dates ? html` <span class="dates">(${dates})</span>` : ''}${s.list ? html` <span class="muted">· list: ${s.list}</span>` : ''}${s.reason ? html`<br>${s.reason}` : ''}${
    href ? html` <a href="${href}">source</a>` : ''
  }</li>`;
}

function entityProfile(e: ReportEntity, linked: boolean): SafeHtml {
  const kind = [e.subtype ?? ENTITY_TYPE_LABELS[e.type], e.country].filter(Boolean).join(' · ');
  const shownLinks = e.keyLinks.slice(0, 12);
  return html`<article class="profile">
<h3>${named(e.name, null)}${citeMarks(e.citations, linked)} <span class="kind">${kind}</span></h3>
${e.contradictions.length > 0 ? html`<p class="contested-note">Contested:${contradictionMarks(e.contradictions, linked)}</p>` : ''}
<dl class="facts">
${e.aliases.length > 0 ? html`<dt>Also known as</dt><dd>${e.aliases.map((a, i) => html`${i > 0 ? '; ' : ''}${named(a.name, a.language)}`)}</dd>` : ''}
${e.identifiers.length > 0 ? html`<dt>Identifiers</dt><dd>${e.identifiers.map((i, n) => html`${n > 0 ? '; ' : ''}${i.key}: ${i.value}`)}</dd>` : ''}
${e.areas.length > 0 ? html`<dt>Technology areas</dt><dd>${e.areas.join(', ')}</dd>` : ''}
${e.sanctions.length > 0 ? html`<dt>Sanctions</dt><dd><ul class="sanctions">${e.sanctions.map(sanctionLine)}</ul></dd>` : ''}
<dt>Confidence</dt><dd>${confidenceText(e)}</dd>
</dl>
${paragraphs(e.description)}
${e.notes ? html`<div class="entity-notes"><p class="notes-label">Analyst notes</p>${paragraphs(e.notes)}</div>` : ''}
${shownLinks.length > 0
    ? html`<ul class="key-links">${shownLinks.map((l) => html`<li>${l.label}${l.dates ? html` <span class="dates">(${l.dates})</span>` : ''}${citeMarks(l.citations, linked)}</li>`)}${e.keyLinks.length > shownLinks.length ? html`<li class="muted">and ${countOf(e.keyLinks.length - shownLinks.length, 'more link', 'more links')} in the relationship table</li>` : ''}</ul>`
    : ''}
</article>`;
}

function sectionBody(kind: ReportSectionKind, data: ReportData, linked: boolean): SafeHtml {
  switch (kind) {
    case 'summary':
      return data.summary ? paragraphs(data.summary, 'lead') : html`<p class="muted">No executive summary has been written.</p>`;
    case 'findings':
      return data.findings.length > 0
        ? html`<ol class="findings">${data.findings.map((f) => html`<li>${paragraphs(f.text)}${citeMarks(f.citations, linked)}</li>`)}</ol>`
        : html`<p class="muted">No key findings have been written.</p>`;
    case 'entities':
      return data.entities.length > 0 ? html`${data.entities.map((e) => entityProfile(e, linked))}` : html`<p class="muted">No entities in scope.</p>`;
    case 'relationships':
      return data.links.length > 0
        ? html`<table class="grid-table relationships"><thead><tr><th>From</th><th>Link</th><th>To</th><th>Dates</th><th>Status</th><th>Areas</th><th>Confidence</th></tr></thead><tbody>${data.links.map(
            (l) =>
              html`<tr><td>${named(l.from, null)}</td><td>${l.type}${l.direction === 'mutual' ? ' (both ways)' : ''}${citeMarks(l.citations, linked)}${contradictionMarks(l.contradictions, linked)}</td><td>${named(l.to, null)}</td><td class="nowrap">${formatDateSpan(l.startDate, l.endDate) || '—'}</td><td class="nowrap">${LINK_STATUS_LABELS[l.status]}</td><td>${l.areas.map((a) => a.name).join(', ')}</td><td>${confidenceText(l)}</td></tr>${l.notes ? html`<tr class="note-row"><td colspan="7">${l.notes}</td></tr>` : ''}`,
          )}</tbody></table>${contestedClaims(data, linked)}`
        : html`<p class="muted">No links in scope.</p>`;
    case 'graph':
      return html`<figure>${graphSvg(data)}<figcaption>Entities in scope and the links between them${data.graph.positioned ? ', as arranged in the graph view' : ''}. Shapes and fills show entity types, line colours link types; size grows with the number of links.</figcaption></figure>`;
    case 'timeline':
      return html`<figure>${timelineSvg(data)}<figcaption>Dated links by start and end; open bars run to the export date.</figcaption></figure>`;
    case 'evidence':
      return data.evidence.length > 0
        ? html`<table class="grid-table evidence"><thead><tr><th class="num">No.</th><th>Excerpt</th><th>Source</th><th>Location</th><th>Grade</th></tr></thead><tbody>${data.evidence.map(
            (x) =>
              html`<tr id="ev-${x.number}"><td class="num">${x.number}</td><td>${quoteWithTranslation(x)}${x.comment ? html`<p class="comment">${x.comment}</p>` : ''}</td><td><a href="#src-${x.sourceNumber}">S${x.sourceNumber}</a> ${x.sourceTitle}</td><td>${[x.page !== null ? `p. ${x.page}` : null, x.location].filter(Boolean).join(', ') || '—'}</td><td class="grade">${x.grade}</td></tr>`,
          )}</tbody></table>
<p class="muted">Grades: source reliability A (completely reliable) to F (cannot be judged) and information credibility 1 (confirmed) to 6 (cannot be judged).</p>`
        : html`<p class="muted">Nothing in this briefing cites evidence.</p>`;
    case 'bibliography':
      return data.sources.length > 0
        ? html`<ol class="bibliography">${data.sources.map((s) => {
            const href = safeHref(s.url);
            return html`<li id="src-${s.number}"><span class="src-no">S${s.number}</span><div><p class="src-title">${s.title}</p>
<p class="src-meta">${[SOURCE_KIND_LABELS[s.kind], s.publisher, s.authors.join(', ') || null, s.publishedDate ? `published ${formatPartialDate(s.publishedDate)}` : 'publication date not stated'].filter(Boolean).join(' · ')}</p>
<dl class="facts">${s.url ? html`<dt>URL</dt><dd class="url">${href ? html`<a href="${href}">${s.url}</a>` : s.url}</dd>` : ''}<dt>Accessed</dt><dd>${s.accessedAt ? formatDateTime(s.accessedAt) : 'not recorded'}</dd><dt>Reliability</dt><dd>${RELIABILITY_LABELS[s.reliability]}</dd>
${s.attachments.map((a) => html`<dt>Attachment</dt><dd>${a.name} (${a.mediaType}, ${formatBytes(a.size)})<br><span class="hash">SHA-256 ${a.sha256}</span></dd>`)}</dl></div></li>`;
          })}</ol>`
        : html`<p class="muted">No sources are cited.</p>`;
  }
}

/** The script a name is written in, by its letters. */
/** A language code as readers know it ("zh-Hans" as "Simplified Chinese"); the code itself where the name is not known. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An excerpt's quote, with its translation (when it has one) beside it. */
function quoteWithTranslation(x: ReportEvidence): SafeHtml {
  const original = html`<q${langOf(x.quote, null) ? html` lang="${langOf(x.quote, null) ?? ''}"` : ''}>${x.quote}</q>`;
  if (!x.translation) return original;
  const label = x.translationLanguage ? `Translation (${languageName(x.translationLanguage)})` : 'Translation';
  return html`<div class="quote-pair"><div class="original"><span class="pair-label">Original</span>${original}</div><div class="translation"${x.translationLanguage ? html` lang="${x.translationLanguage}"` : ''}><span class="pair-label">${label}</span><q>${x.translation}</q></div></div>`;
}

function scriptOf(name: string): string {
  if (/[\u3400-\u9fff]/.test(name)) return 'Chinese (Han)';
  if (/[\u0400-\u04ff]/.test(name)) return 'Cyrillic';
  if (/[\u0600-\u06ff]/.test(name)) return 'Arabic';
  if (/[\u0590-\u05ff]/.test(name)) return 'Hebrew';
  if (/[\uac00-\ud7af]/.test(name)) return 'Korean (Hangul)';
  if (/[\u3040-\u30ff]/.test(name)) return 'Japanese (kana)';
  return 'Latin';
}

/** A key entity's own page: every name it goes by with script and language, its links with dates and confidence, and its citations. */
function keyEntityPage(e: ReportEntity, no: string, anchor: string, data: ReportData, linked: boolean, pageMark: (anchor: string) => SafeHtml | string): SafeHtml {
  const kind = [e.subtype ?? ENTITY_TYPE_LABELS[e.type], e.country].filter(Boolean).join(' · ');
  const names = [{ name: e.name, language: null as string | null, main: true }, ...e.aliases.map((a) => ({ ...a, main: false }))];
  const links = data.links.filter((l) => l.fromId === e.id || l.toId === e.id);
  const evidence = (numbers: readonly number[]) => (numbers.length === 0 ? html`<span class="unsourced">none</span>` : linked ? citeMarks(numbers, true) : html`${[...numbers].sort((a, b) => a - b).join(', ')}`);
  const linkCitations = links.flatMap((l) => l.citations);
  return html`<section class="report-section newpage key-entity" id="${anchor}">
<h2>${pageMark(anchor)}<span class="sec-no">${no}</span>Key entity: ${named(e.name, null)}</h2>
<p class="muted">${kind}</p>
${e.description ? paragraphs(e.description) : ''}
<h3>Names</h3>
<table class="grid-table"><thead><tr><th>Name</th><th>Script</th><th>Language</th></tr></thead><tbody>${names.map(
    (n) => html`<tr><td>${named(n.name, n.language)}${n.main ? html` <span class="muted">(main name)</span>` : ''}</td><td>${scriptOf(n.name)}</td><td>${langOf(n.name, n.language) ?? 'not stated'}</td></tr>`,
  )}</tbody></table>
<h3>Links</h3>
${
  links.length > 0
    ? html`<table class="grid-table"><thead><tr><th>Link</th><th>Dates</th><th>Status</th><th>Confidence</th><th>Evidence</th></tr></thead><tbody>${links.map(
        (l) =>
          html`<tr><td>${named(l.from, null)} — ${l.type}${l.direction === 'mutual' ? ' (both ways)' : ''} — ${named(l.to, null)}</td><td class="nowrap">${formatDateSpan(l.startDate, l.endDate) || 'undated'}</td><td>${LINK_STATUS_LABELS[l.status]}</td><td>${confidenceText(l)}</td><td>${evidence(l.citations)}${contradictionMarks(l.contradictions, linked)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No links in scope.</p>`
}
<h3>Citations</h3>
<dl class="facts"><dt>Entity</dt><dd>${confidenceText(e)}; evidence ${evidence(e.citations)}${contradictionMarks(e.contradictions, linked)}</dd><dt>Its links</dt><dd>evidence ${evidence([...new Set(linkCitations)])}</dd></dl>
</section>`;
}

const STYLE = `
@page { size: A4; margin: ${REPORT_MARGINS.top} ${REPORT_MARGINS.right} ${REPORT_MARGINS.bottom} ${REPORT_MARGINS.left}; }
:root { --ink: #1b2230; --muted: #5b6575; --rule: #d5dae2; --accent: #1f3a68; --mark: #8a1c1c; --tint: #f3f5f8; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); font-family: "Noto Serif", "Noto Serif CJK SC", "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.5; }
h1, h2, h3, h4, th, .kind, .toc, .facts dt, .cover, figcaption, .graph-key, .callout-label, .notes-label, .src-no, .muted, table { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; }
h2 { font-size: 16pt; color: var(--accent); margin: 0 0 10pt; padding-bottom: 4pt; border-bottom: 1.5pt solid var(--accent); break-after: avoid; }
h2 .sec-no { color: var(--muted); font-weight: 600; margin-right: 8pt; }
h2 .portion { color: var(--mark); font-weight: 700; margin-right: 6pt; }
p > .portion { color: var(--mark); font-weight: 700; }
h3 { font-size: 12pt; margin: 0 0 4pt; break-after: avoid; }
p { margin: 0 0 7pt; orphans: 3; widows: 3; }
a { color: var(--accent); text-decoration: none; }
.muted { color: var(--muted); font-size: 9pt; }
.lead { font-size: 11pt; }
section.report-section { margin-bottom: 18pt; }
section.newpage { break-before: page; }
.cover { break-after: page; min-height: 240mm; display: flex; flex-direction: column; }
.cover-marking { border: 1.5pt solid var(--mark); color: var(--mark); font-weight: 700; letter-spacing: 0.12em; text-align: center; padding: 5pt; text-transform: uppercase; }
.cover-body { margin-top: 55mm; border-left: 5pt solid var(--accent); padding-left: 14pt; }
.cover-kicker { text-transform: uppercase; letter-spacing: 0.18em; color: var(--muted); font-size: 10pt; margin-bottom: 6pt; }
.cover h1 { font-size: 26pt; line-height: 1.2; margin: 0 0 10pt; color: var(--ink); }
.cover-case { font-size: 12pt; color: var(--muted); margin-bottom: 18pt; }
.cover .facts { font-size: 10pt; }
.cover-foot { margin-top: auto; font-size: 8.5pt; color: var(--muted); border-top: 0.75pt solid var(--rule); padding-top: 6pt; }
.toc { break-after: page; }
.toc h2 { border: none; }
.toc ol { list-style: none; padding: 0; margin: 0; font-size: 11pt; }
.toc li { display: flex; gap: 10pt; padding: 5pt 0; border-bottom: 0.5pt dotted var(--rule); }
.toc .toc-no { width: 26pt; color: var(--muted); }
.toc .toc-page { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.page-mark { position: absolute; font-size: 1px; color: #ffffff; font-weight: 400; }
.facts { display: grid; grid-template-columns: 34mm 1fr; gap: 2pt 10pt; margin: 4pt 0 8pt; font-size: 9.5pt; }
.facts dt { color: var(--muted); font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.04em; padding-top: 1.5pt; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { border-left: 3pt solid #c98a00; background: #fff8e6; padding: 6pt 10pt; margin: 0 0 10pt; break-inside: avoid; }
.callout-label, .notes-label { font-size: 8pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.08em; color: #8a5a00; margin: 0 0 3pt; }
.notes-label { color: var(--muted); }
.findings { padding-left: 18pt; }
.findings li { margin-bottom: 8pt; }
.findings li p { display: inline; }
.cite { font-family: "Noto Sans", sans-serif; font-size: 7pt; color: var(--accent); margin-left: 1pt; white-space: nowrap; }
.profile { border-top: 0.75pt solid var(--rule); padding-top: 8pt; margin-bottom: 10pt; break-inside: avoid; }
.key-entity h3 { margin-top: 12pt; }
.profile .kind { font-size: 9pt; font-weight: 400; color: var(--muted); margin-left: 6pt; }
.entity-notes { background: var(--tint); padding: 5pt 8pt; margin: 0 0 6pt; font-size: 9.5pt; }
.key-links { margin: 0; padding-left: 14pt; font-size: 9.5pt; }
.key-links .dates { color: var(--muted); }
.facts ul.sanctions { margin: 0; padding-left: 12pt; }
.sanctions .dates { color: var(--muted); }
.unsourced { color: var(--mark); font-weight: 600; }
.basis { color: var(--muted); font-size: 0.92em; }
.contradicted { font-size: 0.9em; color: var(--mark); white-space: nowrap; }
.contradicted a { color: var(--mark); }
.contested-note { margin: 0 0 4pt; font-size: 9.5pt; }
.contested { margin-top: 10pt; break-inside: avoid; }
.contested ul { margin: 0; padding-left: 14pt; font-size: 9.5pt; }
table.grid-table { width: 100%; border-collapse: collapse; font-size: 8.5pt; line-height: 1.35; }
.grid-table thead { display: table-header-group; }
.grid-table th { text-align: left; background: var(--accent); color: #fff; font-weight: 600; padding: 4pt 5pt; }
.grid-table td { border-bottom: 0.5pt solid var(--rule); padding: 4pt 5pt; vertical-align: top; overflow-wrap: anywhere; }
.grid-table tr { break-inside: avoid; }
.grid-table tbody tr:nth-child(even) td { background: var(--tint); }
.grid-table .num { width: 8mm; text-align: right; font-weight: 700; }
.grid-table .grade { font-weight: 700; text-align: center; width: 12mm; }
.grid-table .nowrap { white-space: nowrap; }
.note-row td { font-style: italic; color: var(--muted); }
.evidence q { quotes: "“" "”" "‘" "’"; }
.evidence .comment { color: var(--muted); font-size: 8pt; margin: 2pt 0 0; }
.quote-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 6pt; }
.quote-pair .translation { border-left: 0.75pt solid var(--rule); padding-left: 6pt; }
.quote-pair .pair-label { display: block; font-size: 7pt; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin-bottom: 1pt; }
figure { margin: 0 0 12pt; break-inside: avoid; }
.picture { width: 100%; height: auto; border: 0.75pt solid var(--rule); }
.picture .edge { stroke-width: 2; stroke-opacity: 0.85; }
.picture .node { stroke: #ffffff; stroke-width: 1.5; }
.graph-key { font-size: 9pt; line-height: 1.6; margin-top: 5pt; }
.graph-key p { margin: 0; }
.graph-key .key-head { font-weight: 700; color: var(--muted); margin-right: 8pt; text-transform: uppercase; font-size: 8pt; letter-spacing: 0.06em; }
.graph-key .key-item { white-space: nowrap; margin-right: 12pt; }
.graph-key .key-icon { vertical-align: -1pt; margin-right: 3pt; }
.picture text { font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; fill: #1b2230; }
.graph-note { font-size: 8.5pt; color: var(--muted); margin: 2pt 0 0; }
.picture .label { font-size: 15px; font-weight: 600; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
.picture .grid { stroke: #e3e7ee; stroke-width: 1; }
.picture .tick { font-size: 11px; text-anchor: middle; fill: #5b6575; }
.picture .row-label { font-size: 11px; text-anchor: end; }
.picture .bar.open { opacity: 0.75; }
figcaption { font-size: 8.5pt; color: var(--muted); margin-top: 4pt; }
.bibliography { list-style: none; padding: 0; margin: 0; }
.bibliography li { display: flex; gap: 10pt; border-top: 0.75pt solid var(--rule); padding: 7pt 0; break-inside: avoid; }
.src-no { font-weight: 700; color: var(--accent); min-width: 10mm; }
.src-title { font-weight: 600; margin: 0 0 2pt; }
.src-meta { color: var(--muted); font-size: 9pt; margin: 0 0 3pt; }
.hash, .url { font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; }
.screen-marking { display: none; }
@media screen {
  body { background: #e9edf2; padding: 0 0 40px; }
  .screen-marking { display: block; position: sticky; top: 0; z-index: 1; background: var(--mark); color: #fff; text-align: center; font: 700 12px "Noto Sans", sans-serif; letter-spacing: 0.12em; padding: 4px; }
  .sheet { max-width: 210mm; margin: 16px auto; background: #fff; padding: 18mm; box-shadow: 0 1px 6px rgba(20, 30, 50, 0.18); }
  .cover { min-height: 0; }
  .cover-body { margin-top: 30mm; }
}
`;

/** Characters of the title the footer has room for beside the marking and the page numbers. */
const FOOTER_TITLE_LENGTH = 80;

function pageChromeCss(marking: string | null, title: string): string {
  const mark = cssString(marking ?? '');
  const box = 'font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; font-size: 8pt; color: #5b6575;';
  return `@page {
  @top-center { content: ${mark}; ${box} color: #8a1c1c; font-weight: 700; letter-spacing: 0.1em; }
  @bottom-left { content: ${mark}; ${box} color: #8a1c1c; font-weight: 700; }
  @bottom-center { content: ${cssString(shortenAtWord(title, FOOTER_TITLE_LENGTH))}; ${box} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} }
}`;
}

/** Brackets the anchor of a section in the text of a first printing, so the page each section starts on can be read back. */
export const PAGE_MARK = 'QQPAGEMARK';

/** The anchors of the sections whose start pages the contents list, in the order they print. */
export function contentsAnchors(document: string): string[] {
  return [...document.matchAll(/data-page-of="([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
}

/**
 * The printer's HTML with the contents' page numbers filled in and the page
 * marks taken out: what the second printing prints. Only the contents page
 * changes, and it ends in a page break, so no section moves.
 */
export function fillContentsPages(document: string, pages: ReadonlyMap<string, number>): string {
  return document
    .replace(/<span class="page-mark">[^<]*<\/span>/g, '')
    .replace(/(data-page-of="([a-z0-9-]+)">)<\/span>/g, (_all, open: string, anchor: string) => `${open}${pages.get(anchor) ?? ''}</span>`);
}

/** The running header and footer the PDF printers draw: the marking on every page, title and page numbers below. */
export function reportHeaderFooter(data: Pick<ReportData, 'marking' | 'title'>): { header: string; footer: string } {
  const font = 'font-family: \'Noto Sans\', \'Noto Sans CJK SC\', sans-serif; font-size: 8px;';
  const marking = data.marking ?? '';
  const header = html`<div style="${font} width: 100%; text-align: center; color: #8a1c1c; font-weight: 700; letter-spacing: 0.1em; padding: 0 18mm;">${marking}</div>`;
  const footer = html`<div style="${font} width: 100%; display: flex; justify-content: space-between; gap: 12px; color: #5b6575; padding: 0 18mm;"><span style="color: #8a1c1c; font-weight: 700;">${marking}</span><span>${shortenAtWord(data.title, FOOTER_TITLE_LENGTH)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
  return { header: header.value, footer: footer.value };
}

/**
 * The briefing as one self-contained HTML document: cover, contents, the
 * enabled sections in their order, and the provenance appendix. Pure: the
 * same data always gives the same document, and every value from the case is
 * escaped on the way in.
 */
export function renderReportHtml(data: ReportData, options: ReportHtmlOptions): string {
  const enabled = data.sections.filter((s) => s.enabled);
  const linked = enabled.some((s) => s.kind === 'evidence');
  const numbered: Numbered[] = enabled.map((section, i) => ({ section, number: i + 1, anchor: `s-${section.kind}` }));
  const sectionTexts = printedTexts(data).bySection;
  const sectionMark = (section: ReportSection) => {
    const marking = sectionMarking(section, sectionTexts[section.kind]);
    return marking ? html`<span class="portion" title="${marking}">(${PORTION_ABBREVIATIONS[marking]})</span>` : '';
  };
  const BREAK_BEFORE: ReadonlySet<ReportSectionKind> = new Set(['entities', 'relationships', 'graph', 'evidence', 'bibliography']);
  const marking = data.marking;
  // The PDF's contents list page numbers, filled in after a first printing (see fillContentsPages); the HTML file has none to give.
  const printed = options.pageChrome === 'printer';
  const keyEntities = data.keyEntityIds.flatMap((id) => data.entities.filter((e) => e.id === id));
  const pageMark = (anchor: string) => (printed ? html`<span class="page-mark">${PAGE_MARK}${anchor}${PAGE_MARK}</span>` : '');
  const counts = [
    countOf(data.entities.length, 'entity', 'entities'),
    countOf(data.links.length, 'link', 'links'),
    countOf(data.evidence.length, 'cited excerpt', 'cited excerpts'),
    countOf(data.sources.length, 'source', 'sources'),
  ].join(', ');
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${new SafeHtml(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`)}
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${data.provenance.generator}">
<title>${data.title}</title>
<style${options.styleNonce ? html` nonce="${options.styleNonce}"` : ''}>${new SafeHtml(STYLE)}${options.pageChrome === 'css' ? new SafeHtml(pageChromeCss(marking, data.title)) : ''}</style>
</head>
<body>
${marking ? html`<div class="screen-marking">${marking}</div>` : ''}
<div class="sheet">
<section class="cover">
${marking ? html`<div class="cover-marking">${marking}</div>` : ''}
<div class="cover-body">
<p class="cover-kicker">Briefing</p>
<h1>${data.title}</h1>
<p class="cover-case">${data.caseTitle}</p>
<dl class="facts">
${data.author ? html`<dt>Author</dt><dd>${data.author}</dd>` : ''}
<dt>Date</dt><dd>${formatPartialDate(data.date ?? data.provenance.exportedAt.slice(0, 10))}</dd>
<dt>Scope</dt><dd>${data.scope.map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</dd>
${marking ? html`<dt>Handling</dt><dd>${marking}</dd>` : ''}
<dt>Contents</dt><dd>${counts}</dd>
</dl>
</div>
<p class="cover-foot">Every statement in this briefing carries numbered references to the evidence table; each excerpt is graded (source reliability A–F, information credibility 1–6). Appendix A identifies the case file it was exported from.</p>
</section>
<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>${[
  ...numbered.map((n) => ({ no: String(n.number), anchor: n.anchor, label: html`${REPORT_SECTION_LABELS[n.section.kind]}` })),
  ...keyEntities.map((e, i) => ({ no: `K${i + 1}`, anchor: `key-${i + 1}`, label: html`Key entity: ${named(e.name, null)}` })),
  { no: 'A', anchor: 'appendix', label: html`Provenance` },
].map(
  (entry) => html`<li><span class="toc-no">${entry.no}</span><a href="#${entry.anchor}">${entry.label}</a>${printed ? html`<span class="toc-page" data-page-of="${entry.anchor}"></span>` : ''}</li>`,
)}</ol>
</nav>
${numbered.map(
  (n) => html`<section class="report-section${BREAK_BEFORE.has(n.section.kind) ? ' newpage' : ''}" id="${n.anchor}">
<h2>${pageMark(n.anchor)}<span class="sec-no">${n.number}</span>${sectionMark(n.section)}${REPORT_SECTION_LABELS[n.section.kind]}</h2>
${callout(n.section.notes)}
${sectionBody(n.section.kind, data, linked)}
</section>`,
)}
${keyEntities.map((e, i) => keyEntityPage(e, `K${i + 1}`, `key-${i + 1}`, data, linked, pageMark))}
<section class="report-section newpage" id="appendix">
<h2>${pageMark('appendix')}<span class="sec-no">A</span>Provenance</h2>
<p>This briefing was exported from the case file below. To check that a copy of the case file is the one it came from, compute its SHA-256 (for example <code>sha256sum</code>) and compare.</p>
<dl class="facts">
<dt>Case</dt><dd>${data.caseTitle}</dd>
<dt>Case file</dt><dd>${data.provenance.caseFile}</dd>
<dt>Case ID</dt><dd class="hash">${data.provenance.caseId}</dd>
<dt>Case file SHA-256</dt><dd class="hash">${data.provenance.caseSha256 ?? 'computed when the briefing is exported'}</dd>
<dt>Exported at</dt><dd>${formatDateTime(data.provenance.exportedAt)}</dd>
<dt>Schema version</dt><dd>${data.provenance.schemaVersion}</dd>
<dt>Scope</dt><dd>${data.scope.join('; ')}</dd>
<dt>Contents</dt><dd>${counts}</dd>
${marking ? html`<dt>Handling</dt><dd>${marking}</dd>` : ''}
</dl>
</section>
</div>
</body>
</html>
`;
  return doc.value;
}
