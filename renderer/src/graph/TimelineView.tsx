import { useEffect, useMemo, useRef, useState, type FormEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { partialDateRange } from '../../../shared/partial-date';
import { caseFilters, dayOf, isoDay, linkSpan, today, type LinkSpan } from '../ui/filters';
import { FilterBar } from '../ui/FilterBar';
import { linkTypeColours, linkTypeCounts, NO_AREA_COLOUR, OTHER_LINK_COLOUR } from './appearance';
import { computeVisibility } from './visibility';
import { caseGraph, showCaseGraph, useCaseFilters, useLoadState, useSelection, useGraphFilterOptions } from './store';
import './graph.css';

type LaneMode = 'entity' | 'type';

interface Bar {
  edge: string;
  span: LinkSpan;
  /** Day numbers where the imprecise start and end periods give way to the known stretch. */
  certainFrom: number;
  certainTo: number;
  colour: string;
  title: string;
  label: string;
  touchesSelection: boolean;
}

interface Lane {
  key: string;
  label: string;
  selected: boolean;
  rows: Bar[][];
}

const LABEL_WIDTH = 230;
const CHART_HEIGHT = 120;
const AXIS_HEIGHT = 26;
const ROW = 16;
const LANE_PAD = 6;
const MAX_LANES = 300;

function periodEnd(text: string | null, fallback: number): number {
  const r = text ? partialDateRange(text) : null;
  return r ? dayOf(r.end) : fallback;
}

function periodStart(text: string | null, fallback: number): number {
  const r = text ? partialDateRange(text) : null;
  return r ? dayOf(r.start) : fallback;
}

/** Puts bars on as few rows as keeps them from overlapping. */
function pack(bars: Bar[]): Bar[][] {
  const rows: Bar[][] = [];
  const ends: number[] = [];
  for (const bar of [...bars].sort((a, b) => a.span.start - b.span.start)) {
    let i = ends.findIndex((end) => end < bar.span.start);
    if (i < 0) {
      i = rows.length;
      rows.push([]);
      ends.push(0);
    }
    rows[i]?.push(bar);
    ends[i] = bar.span.end;
  }
  return rows;
}

/** Dated links on a time axis, one lane per entity or per link type, with a brush that sets the shared period filter. */
/** The links that start in one year, for the chart above the timeline. */
interface YearCount {
  links: number;
  /** Per area: how many of the year's links carry it. */
  tagged: Map<string, number>;
  /** Per area: its share of the year's bar; a link with k areas gives each 1/k. */
  share: Map<string, number>;
}

export function TimelineView({ caseId }: { caseId: string }) {
  const load = useLoadState();
  const filterOptions = useGraphFilterOptions(load.version);
  const filters = useCaseFilters();
  const selection = useSelection();
  const [mode, setMode] = useState<LaneMode>('entity');
  const [width, setWidth] = useState(1100);
  const scroller = useRef<HTMLDivElement>(null);
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [periodError, setPeriodError] = useState<string | null>(null);

  // While the view is open the timeline follows every change to the case (see store.ts).
  useEffect(() => showCaseGraph(caseId), [caseId]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(700, el.clientWidth - 2)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const asOf = today();
  const model = useMemo(() => {
    void load.version;
    // Everything the other filters let through; the period is what the brush chooses, so it does not hide bars here.
    const { edges } = computeVisibility(caseGraph, { ...filters, period: null }, { areas: load.areas, hiddenByHand: new Set(), expanded: new Set(), asOf });
    const areaById = new Map(load.areas.map((a) => [a.id, a]));
    const bars = new Map<string, Bar>();
    let min = Infinity;
    let max = -Infinity;
    // Per year: how many links start then, and per area how many of them carry it and their share of the
    // bar. A link with two areas is one link: it counts once in the total and fills half its height in each.
    const perYear = new Map<number, YearCount>();
    let undated = 0;
    // The same colours as the graph: ranked over every link in the case, not only those shown.
    const typeColours = linkTypeColours(linkTypeCounts(caseGraph));
    for (const edge of edges) {
      const a = caseGraph.getEdgeAttributes(edge);
      const span = linkSpan(a, asOf);
      if (!span) {
        undated += 1;
        continue;
      }
      const source = caseGraph.source(edge);
      const target = caseGraph.target(edge);
      const from = caseGraph.getNodeAttribute(source, 'label');
      const to = caseGraph.getNodeAttribute(target, 'label');
      const certainFrom = periodEnd(a.startDate, span.start);
      const certainTo = a.endDate ? periodStart(a.endDate, span.end) : span.end;
      const dates = `${a.startDate ?? '?'} – ${a.endDate ?? (span.openEnd ? 'ongoing' : '')}`;
      bars.set(edge, {
        edge,
        span,
        certainFrom,
        certainTo,
        colour: typeColours.get(a.linkType) ?? OTHER_LINK_COLOUR,
        title: `${from} — ${a.linkType} — ${to}, ${dates}`,
        label: a.linkType,
        touchesSelection: selection.has(source) || selection.has(target),
      });
      min = Math.min(min, span.start);
      max = Math.max(max, span.end);
      if (a.startDate) {
        const year = Number(a.startDate.slice(0, 4));
        const count = perYear.get(year) ?? { links: 0, tagged: new Map<string, number>(), share: new Map<string, number>() };
        const keys = a.areaIds.length ? a.areaIds : ['none'];
        count.links += 1;
        for (const k of keys) {
          count.tagged.set(k, (count.tagged.get(k) ?? 0) + 1);
          count.share.set(k, (count.share.get(k) ?? 0) + 1 / keys.length);
        }
        perYear.set(year, count);
      }
    }
    const lanes: Lane[] = [];
    if (mode === 'type') {
      const byType = new Map<string, Bar[]>();
      for (const bar of bars.values()) {
        const t = caseGraph.getEdgeAttribute(bar.edge, 'linkType');
        byType.set(t, [...(byType.get(t) ?? []), bar]);
      }
      for (const [t, list] of [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0]))) lanes.push({ key: t, label: t, selected: false, rows: pack(list) });
    } else {
      const byEntity = new Map<string, Bar[]>();
      for (const bar of bars.values()) {
        for (const node of [caseGraph.source(bar.edge), caseGraph.target(bar.edge)]) byEntity.set(node, [...(byEntity.get(node) ?? []), bar]);
      }
      const ordered = [...byEntity.entries()].sort((a, b) => Math.min(...a[1].map((x) => x.span.start)) - Math.min(...b[1].map((x) => x.span.start)) || b[1].length - a[1].length);
      for (const [node, list] of ordered) lanes.push({ key: node, label: caseGraph.getNodeAttribute(node, 'label'), selected: selection.has(node), rows: pack(list) });
    }
    const years = [...perYear.keys()];
    const areaKeys = new Set<string>();
    for (const m of perYear.values()) for (const k of m.tagged.keys()) areaKeys.add(k);
    const areaLegend = [...areaKeys].map((k) => ({ key: k, label: areaById.get(k)?.name ?? 'no area', colour: areaById.get(k)?.colour ?? NO_AREA_COLOUR }));
    return { bars, lanes, min, max, perYear, years, areaLegend, undated };
  }, [load.version, load.areas, filters, mode, selection, asOf]);

  const hasData = Number.isFinite(model.min);
  const startYear = hasData ? new Date(model.min * 86_400_000).getUTCFullYear() : 2000;
  const endYear = hasData ? new Date(model.max * 86_400_000).getUTCFullYear() : 2001;
  const domainStart = dayOf(`${startYear}-01-01`);
  const domainEnd = dayOf(`${endYear + 1}-01-01`);
  const plotWidth = width - LABEL_WIDTH - 16;
  const x = (day: number) => LABEL_WIDTH + ((day - domainStart) / (domainEnd - domainStart)) * plotWidth;
  const dayAt = (px: number) => domainStart + ((px - LABEL_WIDTH) / plotWidth) * (domainEnd - domainStart);
  const yearCount = endYear - startYear + 1;
  const showMonths = yearCount <= 3;

  const shownLanes = model.lanes.slice(0, MAX_LANES);
  const laneTops: number[] = [];
  let y = CHART_HEIGHT + AXIS_HEIGHT + 8;
  for (const lane of shownLanes) {
    laneTops.push(y);
    y += lane.rows.length * ROW + LANE_PAD;
  }
  const height = y + 10;

  let maxYear = 1;
  for (const m of model.perYear.values()) maxYear = Math.max(maxYear, m.links);
  const yearWidth = plotWidth / yearCount;

  const svgPoint = (event: ReactPointerEvent<SVGRectElement>) => {
    const rect = (event.currentTarget.ownerSVGElement as SVGSVGElement).getBoundingClientRect();
    return Math.min(LABEL_WIDTH + plotWidth, Math.max(LABEL_WIDTH, event.clientX - rect.left));
  };
  const onDown = (event: ReactPointerEvent<SVGRectElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    const px = svgPoint(event);
    setBrush({ from: px, to: px });
  };
  const onMove = (event: ReactPointerEvent<SVGRectElement>) => {
    if (brush) setBrush({ ...brush, to: svgPoint(event) });
  };
  const onUp = () => {
    if (!brush) return;
    const a = Math.min(brush.from, brush.to);
    const b = Math.max(brush.from, brush.to);
    setBrush(null);
    if (b - a < 4) {
      caseFilters.set({ ...caseFilters.get(), period: null });
      return;
    }
    // Whole months: the brush is as precise as the dates it filters.
    const from = isoDay(dayAt(a)).slice(0, 7);
    const to = isoDay(dayAt(b)).slice(0, 7);
    const range = { from: partialDateRange(from)?.start ?? `${from}-01`, to: partialDateRange(to)?.end ?? `${to}-28` };
    caseFilters.set({ ...caseFilters.get(), period: range });
  };

  const applyPeriod = (event: FormEvent) => {
    event.preventDefault();
    const from = fromText.trim() ? partialDateRange(fromText.trim()) : null;
    const to = toText.trim() ? partialDateRange(toText.trim()) : null;
    if ((fromText.trim() && !from) || (toText.trim() && !to)) {
      setPeriodError('Use a year, a year and month, or a full date: 2019, 2019-06, 2019-06-30.');
      return;
    }
    setPeriodError(null);
    if (!from && !to) caseFilters.set({ ...caseFilters.get(), period: null });
    else caseFilters.set({ ...caseFilters.get(), period: { from: from?.start ?? '1000-01-01', to: to?.end ?? '9999-12-31' } });
  };

  const period = filters.period;
  const brushRect = brush ? { x: Math.min(brush.from, brush.to), w: Math.abs(brush.to - brush.from) } : period ? { x: x(Math.max(domainStart, dayOf(period.from))), w: Math.max(2, x(Math.min(domainEnd, dayOf(period.to) + 1)) - x(Math.max(domainStart, dayOf(period.from)))) } : null;

  return (
    <div className="timeline-view">
      <div className="toolbar">
        <h2>Timeline</h2>
        <span className="count">{hasData ? `${model.bars.size} dated ${model.bars.size === 1 ? 'link' : 'links'}` : ''}{model.undated ? `, ${model.undated} without dates (not shown)` : ''}</span>
        <span className="toolbar-spacer" />
        <label className="inline-field">
          Lanes
          <select value={mode} onChange={(e) => setMode(e.target.value as LaneMode)}>
            <option value="entity">one per entity</option>
            <option value="type">one per link type</option>
          </select>
        </label>
      </div>
      <FilterBar filters={filters} areas={load.areas} options={filterOptions} />
      <form className="timeline-controls" onSubmit={applyPeriod} aria-label="Period">
        <span className="muted">Drag across the chart to choose a period, or type one:</span>
        <input aria-label="Period from" placeholder="from, e.g. 2019" value={fromText} onChange={(e) => setFromText(e.target.value)} size={12} />
        <input aria-label="Period to" placeholder="to, e.g. 2024-06" value={toText} onChange={(e) => setToText(e.target.value)} size={12} />
        <button type="submit">Set period</button>
        {period ? (
          <button type="button" className="link-button" onClick={() => caseFilters.set({ ...caseFilters.get(), period: null })}>
            Clear period
          </button>
        ) : null}
        {periodError ? (
          <span className="field-error" role="alert">
            {periodError}
          </span>
        ) : null}
      </form>
      <div className="timeline-scroll" ref={scroller}>
        {!hasData ? (
          <div className="graph-empty">{load.status === 'loading' ? 'Loading…' : 'No dated links yet. Give links a start or end date (a year is enough) and they appear here.'}</div>
        ) : (
          <svg className="timeline-svg" width={width} height={height} role="img" aria-label="Timeline of dated links">
            <defs>
              <pattern id="imprecise" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" fill="#ffffff" fillOpacity="0.0" />
                <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2.5" strokeOpacity="0.7" />
              </pattern>
            </defs>
            <g className="chart" aria-label="Links starting each year, by technology area">
              <text x={8} y={16} className="chart-title">
                Links starting each year, by area
              </text>
              {model.years.map((year) => {
                const count = model.perYear.get(year) ?? { links: 0, tagged: new Map<string, number>(), share: new Map<string, number>() };
                let top = CHART_HEIGHT;
                const left = x(dayOf(`${year}-01-01`)) + yearWidth * 0.15;
                return (
                  <g key={year}>
                    {model.areaLegend.map((area) => {
                      const n = count.tagged.get(area.key) ?? 0;
                      if (!n) return null;
                      const h = ((count.share.get(area.key) ?? 0) / maxYear) * (CHART_HEIGHT - 30);
                      top -= h;
                      return (
                        <rect key={area.key} x={left} y={top} width={Math.max(2, yearWidth * 0.7)} height={h} fill={area.colour}>
                          <title>{`${year}: ${n} ${n === 1 ? 'link' : 'links'} in ${area.label}${n > (count.share.get(area.key) ?? 0) + 1e-9 ? ', some also in other areas' : ''}`}</title>
                        </rect>
                      );
                    })}
                    <text x={left + yearWidth * 0.35} y={top - 3} textAnchor="middle">
                      {count.links}
                    </text>
                  </g>
                );
              })}
              {model.areaLegend.map((area, i) => (
                <g key={area.key} transform={`translate(8, ${30 + i * 14})`}>
                  <rect width={9} height={9} fill={area.colour} />
                  <text x={13} y={8}>
                    {area.label}
                  </text>
                </g>
              ))}
            </g>
            <g className="axis">
              {Array.from({ length: yearCount + 1 }, (_, i) => startYear + i).map((year) => {
                const px = x(dayOf(`${year}-01-01`));
                return (
                  <g key={year}>
                    <line className="grid-line" x1={px} x2={px} y1={20} y2={height} />
                    {year <= endYear && (yearWidth > 34 || year % Math.ceil(34 / yearWidth) === 0) ? (
                      <text x={px + 3} y={CHART_HEIGHT + 18}>
                        {year}
                      </text>
                    ) : null}
                  </g>
                );
              })}
              {showMonths
                ? Array.from({ length: yearCount * 12 }, (_, i) => i).map((i) => {
                    const year = startYear + Math.floor(i / 12);
                    const month = (i % 12) + 1;
                    if (month === 1) return null;
                    const px = x(dayOf(`${year}-${String(month).padStart(2, '0')}-01`));
                    return <line key={i} className="grid-line" x1={px} x2={px} y1={CHART_HEIGHT + 4} y2={CHART_HEIGHT + 10} />;
                  })
                : null}
            </g>
            {shownLanes.map((lane, i) => {
              const top = laneTops[i] ?? 0;
              return (
                <g key={lane.key} className="lane">
                  <rect className="lane-band" x={0} y={top - 2} width={width} height={lane.rows.length * ROW + LANE_PAD - 2} fill={i % 2 ? '#f2f4f7' : 'transparent'} />
                  <text className={lane.selected ? 'lane-label selected' : 'lane-label'} x={8} y={top + ROW / 2 + 2}>
                    {lane.label.length > 34 ? `${lane.label.slice(0, 33)}…` : lane.label}
                  </text>
                  {lane.rows.map((row, r) =>
                    row.map((bar) => {
                      const x0 = x(bar.span.start);
                      const x1 = Math.max(x0 + 3, x(bar.span.end + 1));
                      const c0 = Math.min(x1, x(bar.certainFrom + 1));
                      const c1 = Math.max(c0, x(bar.certainTo));
                      const yTop = top + r * ROW;
                      const dim = selection.size > 0 && !bar.touchesSelection;
                      return (
                        <g key={`${lane.key}-${bar.edge}`} className={`bar${dim ? ' dim' : ''}${bar.touchesSelection ? ' selected' : ''}`} data-link={bar.edge}>
                          <title>{bar.title}</title>
                          <rect x={x0} y={yTop} width={x1 - x0} height={ROW - 4} rx={2} fill={bar.colour} fillOpacity={0.35} />
                          <rect x={x0} y={yTop} width={Math.max(0, c0 - x0)} height={ROW - 4} fill="url(#imprecise)" />
                          {c1 > c0 ? <rect x={c0} y={yTop} width={c1 - c0} height={ROW - 4} fill={bar.colour} fillOpacity={0.9} /> : null}
                          {bar.span.openEnd ? <path d={`M${x1},${yTop - 1} l6,${(ROW - 4) / 2 + 1} l-6,${(ROW - 4) / 2 + 1} z`} fill={bar.colour} /> : null}
                          {x1 - x0 > 70 ? (
                            <text x={x0 + 4} y={yTop + ROW - 7} fontSize={10} fill="#1c2330" stroke="#ffffff" strokeWidth={3} paintOrder="stroke">
                              {bar.label}
                            </text>
                          ) : null}
                        </g>
                      );
                    }),
                  )}
                </g>
              );
            })}
            {brushRect ? <rect className="brush" x={brushRect.x} y={20} width={brushRect.w} height={CHART_HEIGHT + AXIS_HEIGHT - 20} pointerEvents="none" /> : null}
            <rect
              className="brush-area"
              data-testid="timeline-brush"
              x={LABEL_WIDTH}
              y={20}
              width={plotWidth}
              height={CHART_HEIGHT + AXIS_HEIGHT - 20}
              fill="transparent"
              onPointerDown={onDown}
              onPointerMove={onMove}
              onPointerUp={onUp}
            />
          </svg>
        )}
        {model.lanes.length > MAX_LANES ? <p className="muted">Showing the first {MAX_LANES} of {model.lanes.length} lanes; filter to see the others.</p> : null}
      </div>
    </div>
  );
}
