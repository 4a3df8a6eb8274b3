import { useState, type MouseEvent, type ReactNode } from 'react';
import { ENTITY_TYPE_LABELS } from '../../../shared/model';
import type { CaseOverview } from '../../../shared/ops/model';
import { RELIABILITY_LABELS, type ReliabilityGrade } from '../../../shared/schemas';
import { api, errorMessage } from '../ui/api';
import { openCaseDetails } from './CaseHeader';
import { openItemDialog } from './ItemDialog';
import { caseFilters, NO_FILTERS, type CaseFilters } from '../ui/filters';
import { CASE_DOMAINS, useOperation } from '../ui/data';
import type { ViewId } from '../ui/routes';
import { runCommand, shortcutLabel, shortcutProps } from '../ui/shortcuts';
import './overview.css';

type Area = CaseOverview['areas'][number];

/** Sets the shared filters to exactly these and opens the grid, so it shows what the figure counted. */
function showFiltered(view: ViewId, filters: Partial<CaseFilters>) {
  return (event: MouseEvent) => {
    event.preventDefault();
    caseFilters.set({ ...NO_FILTERS, ...filters });
    window.location.hash = `#/${view}`;
  };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A timestamp as the investigator reads it: the time today, else the day and time, in local time. */
function when(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? `today ${time}` : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function Card({ title, id, children, action }: { title: string; id: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="overview-card" aria-labelledby={id}>
      <div className="overview-card-head">
        <h3 id={id}>{title}</h3>
        {action}
      </div>
      {children}
    </section>
  );
}

/** One bar of a chart: the label and count are the link; the bar only draws the proportion. */
function BarRow({ label, count, max, colour, href, onClick, title, indent = 0 }: { label: ReactNode; count: number; max: number; colour?: string | undefined; href: string; onClick: (event: MouseEvent) => void; title: string; indent?: number }) {
  const width = max > 0 ? Math.max((count / max) * 100, count > 0 ? 2 : 0) : 0;
  const body = (
    <>
      <span className="bar-label" style={indent ? { paddingLeft: `${indent * 14}px` } : undefined}>
        {label}
      </span>
      <span className="bar-track" aria-hidden="true">
        <span className="bar-fill" style={{ width: `${width}%`, ...(colour ? { background: colour } : {}) }} />
      </span>
      <span className="bar-count">{count}</span>
    </>
  );
  if (count === 0) return <li className="bar-row empty">{body}</li>;
  return (
    <li>
      <a className="bar-row" href={href} onClick={onClick} title={title}>
        {body}
      </a>
    </li>
  );
}

/** The totals, and the handling marking as the header shows it (it changes without a reload of the overview). */
function Totals({ overview, marking }: { overview: CaseOverview; marking: string | null }) {
  const t = overview.totals;
  const figure = (n: number, one: string, many: string, view: ViewId, hint: string) => (
    <a className="total" href={`#/${view}`} onClick={showFiltered(view, {})} title={hint}>
      <span className="total-number">{n}</span>
      <span className="total-label">{n === 1 ? one : many}</span>
    </a>
  );
  return (
    <div className="overview-totals">
      {figure(t.sources, 'source', 'sources', 'sources', 'Open the sources, without filters')}
      <div className="total static">
        <span className="total-number">{t.excerpts}</span>
        <span className="total-label">{t.excerpts === 1 ? 'excerpt' : 'excerpts'}</span>
      </div>
      {figure(t.entities, 'entity', 'entities', 'entities', 'Open the entities, without filters')}
      {figure(t.links, 'link', 'links', 'links', 'Open the links, without filters')}
      <div className={marking ? 'total marking-tile' : 'total marking-tile none'}>
        <span className="total-caption">Handling marking</span>
        {marking ? <span className="marking ov-marking">{marking}</span> : <span className="muted">None set</span>}
        <button type="button" className="link" onClick={openCaseDetails}>
          {marking ? 'Change' : 'Set a marking'}
        </button>
      </div>
    </div>
  );
}

function EntityTypes({ overview }: { overview: CaseOverview }) {
  const max = Math.max(...overview.entityTypes.map((t) => t.count), 0);
  return (
    <Card title="Entities by type" id="overview-types">
      {overview.totals.entities === 0 ? (
        <p className="muted">No entities yet. Add the organisations, people, programmes and places your sources talk about.</p>
      ) : (
        <ul className="bar-chart">
          {overview.entityTypes.map((t) => (
            <BarRow
              key={t.type}
              label={ENTITY_TYPE_LABELS[t.type]}
              count={t.count}
              max={max}
              colour={`var(--type-${t.type})`}
              href="#/entities"
              onClick={showFiltered('entities', { entityTypes: [t.type] })}
              title={`Show the ${plural(t.count, 'entity', 'entities')} of type ${ENTITY_TYPE_LABELS[t.type]}`}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function AreaCount({ area, n, view, one, many }: { area: Area; n: number; view: ViewId; one: string; many: string }) {
  if (n === 0) return <span className="area-count empty">0</span>;
  return (
    <a className="area-count" href={`#/${view}`} onClick={showFiltered(view, { areaIds: [area.id] })} title={`Show the ${plural(n, one, many)} in ${area.name}`} aria-label={`${plural(n, one, many)} in ${area.name}`}>
      {n}
    </a>
  );
}

function Areas({ overview }: { overview: CaseOverview }) {
  const used = overview.areas.filter((a) => a.entities + a.links + a.sources > 0);
  const unused = overview.areas.length - used.length;
  const max = Math.max(...used.map((a) => a.links), 0);
  return (
    <Card
      title="Technology areas"
      id="overview-areas"
      action={
        <a className="card-link" href="#/areas">
          Manage areas
        </a>
      }
    >
      {used.length === 0 ? (
        <p className="muted">Nothing is tagged with a technology area yet. Tag sources, entities and links with areas to see where the case stands in each.</p>
      ) : (
        <table className="area-table">
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col" className="num">
                Entities
              </th>
              <th scope="col" className="num">
                Links
              </th>
              <th scope="col" className="num">
                Sources
              </th>
            </tr>
          </thead>
          <tbody>
            {used.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <div className="ov-area-name" style={a.depth ? { paddingLeft: `${a.depth * 16}px` } : undefined}>
                    <span className="ov-dot" aria-hidden="true" style={{ background: a.colour }} />
                    <span className="ov-area-label">{a.name}</span>
                    <span className="ov-area-bar" aria-hidden="true" title={`${plural(a.links, 'link', 'links')}`}>
                      <span style={{ width: `${max ? (a.links / max) * 100 : 0}%`, background: a.colour }} />
                    </span>
                  </div>
                </th>
                <td className="num">
                  <AreaCount area={a} n={a.entities} view="entities" one="entity" many="entities" />
                </td>
                <td className="num">
                  <AreaCount area={a} n={a.links} view="links" one="link" many="links" />
                </td>
                <td className="num">
                  <AreaCount area={a} n={a.sources} view="sources" one="source" many="sources" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {used.length > 0 ? (
        <p className="card-foot muted">
          Bars show the links in each area. A number opens its grid filtered to the area.
          {unused > 0 ? ` ${plural(unused, 'other area has', 'other areas have')} nothing tagged yet.` : null}
        </p>
      ) : null}
    </Card>
  );
}

function Reliability({ overview }: { overview: CaseOverview }) {
  const max = Math.max(...overview.reliability.map((r) => r.count), 0);
  const label = (grade: ReliabilityGrade) => RELIABILITY_LABELS[grade].replace(/^[A-F]: /, '');
  return (
    <Card title="Sources by reliability" id="overview-grades">
      {overview.totals.sources === 0 ? (
        <p className="muted">No sources yet. Log every source you read and grade how reliable it is, from A (completely reliable) to F (cannot be judged).</p>
      ) : (
        <>
          <ul className="bar-chart grades">
            {overview.reliability.map((r) => (
              <BarRow
                key={r.grade}
                label={
                  <>
                    <span className="ov-grade" style={{ background: `var(--grade-${r.grade})` }}>
                      {r.grade}
                    </span> {label(r.grade)}
                  </>
                }
                count={r.count}
                max={max}
                colour={`var(--grade-${r.grade})`}
                href="#/sources"
                onClick={showFiltered('sources', { minReliability: r.grade })}
                title={`${plural(r.count, 'source', 'sources')} graded ${r.grade}. Show the sources graded ${r.grade} or better`}
              />
            ))}
          </ul>
          <p className="card-foot muted">A grade opens the sources graded so or better.</p>
        </>
      )}
    </Card>
  );
}

function Unsourced({ overview }: { overview: CaseOverview }) {
  const u = overview.unsourced;
  const total = u.entities + u.links;
  const claims = overview.totals.entities + overview.totals.links;
  return (
    <Card title="Unsourced claims to fix" id="overview-unsourced">
      {claims === 0 ? (
        <p className="muted">Every entity and link you add is a claim. Cite the excerpts that support it, and it shows here until you do.</p>
      ) : total === 0 ? (
        <p className="all-sourced">
          <span aria-hidden="true">✓</span> Every entity and link cites at least one excerpt.
        </p>
      ) : (
        <>
          <p className="unsourced-summary">
            <strong>{plural(u.entities, 'entity', 'entities')}</strong> and <strong>{plural(u.links, 'link', 'links')}</strong> cite no excerpt yet.
            {total > u.items.length ? ` The ${u.items.length} changed most recently:` : null}
          </p>
          <ul className="unsourced-list">
            {u.items.map((item) => (
              <li key={`${item.kind}:${item.id}`}>
                <span className="ov-kind">{item.kind}</span>
                <button type="button" className="link" onClick={() => openItemDialog({ kind: item.kind, id: item.id })} title={`Open this ${item.kind} to cite an excerpt`}>
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function Recent({ overview }: { overview: CaseOverview }) {
  return (
    <Card
      title="Recent changes"
      id="overview-recent"
      action={
        <a className="card-link" href="#/history">
          Full history
        </a>
      }
    >
      {overview.recent.length === 0 ? (
        <p className="muted">Nothing has changed yet. Every change you make is recorded here and in the History view, with who made it and when.</p>
      ) : (
        <ol className="recent-changes">
          {overview.recent.map((r) => (
            <li key={r.id}>
              <span className="change-summary">{r.summary}</span>
              <span className="change-meta">
                {r.actor} · <time dateTime={r.at}>{when(r.at)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function GettingStarted({ onOpenSample }: { onOpenSample: () => void }) {
  return (
    <section className="overview-start" aria-labelledby="overview-start-title">
      <h3 id="overview-start-title">This case is empty. Where to begin:</h3>
      <ol>
        <li>
          <button type="button" className="primary" onClick={() => runCommand('add-source')} {...shortcutProps('add-source', 'Log a source you have read')}>
            Add a source
          </button>
          <span>Log what you read, where it came from and how reliable it is; attach the file.</span>
        </li>
        <li>
          <span className="step">Quote excerpts</span>
          <span>In a source, mark the passages that matter and grade their credibility.</span>
        </li>
        <li>
          <button type="button" onClick={() => runCommand('add-entity')} {...shortcutProps('add-entity', 'Add an organisation, person, programme or place')}>
            Add an entity
          </button>
          <span>Then link entities, and cite the excerpts that support each claim.</span>
        </li>
      </ol>
      <p className="muted">
        New to Caseboard?{' '}
        <button type="button" className="link" onClick={onOpenSample}>
          Open the sample case
        </button>{' '}
        to see every view filled in; this case stays as it is. Press <kbd>{shortcutLabel('command-palette')}</kbd> to find any action.
      </p>
    </section>
  );
}

/** The landing view of an open case: what it holds, what needs fixing, what changed. */
export function OverviewView({ description, marking, onCaseChanged }: { description: string | null; marking: string | null; onCaseChanged: () => void }) {
  const { data: overview = null, error: loadFailure, refetch: load } = useOperation('case.overview', {}, { domains: CASE_DOMAINS });
  const [openFailure, setFailure] = useState<string | null>(null);
  const failure = openFailure ?? loadFailure;

  const openSample = () => {
    api
      .call('app.openSample', {})
      .then(onCaseChanged)
      .catch((error: unknown) => setFailure(errorMessage(error)));
  };

  const empty = overview !== null && overview.totals.sources === 0 && overview.totals.entities === 0;
  return (
    <div className="overview">
      <div className="toolbar">
        <h2>Overview</h2>
        {description ? <p className="overview-description">{description}</p> : null}
      </div>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}{' '}
          <button type="button" onClick={load}>
            Try again
          </button>
        </p>
      ) : null}
      {overview === null && !failure ? <p className="muted">Loading the overview…</p> : null}
      {overview ? (
        <>
          <Totals overview={overview} marking={marking} />
          {empty ? <GettingStarted onOpenSample={openSample} /> : null}
          <div className="overview-grid">
            <EntityTypes overview={overview} />
            <Reliability overview={overview} />
            <Unsourced overview={overview} />
            <Areas overview={overview} />
            <Recent overview={overview} />
          </div>
        </>
      ) : null}
    </div>
  );
}
