import { useCallback, useEffect, useRef, useState } from 'react';
import type { Area, EntityRef, ExcerptOption } from '../../../shared/model';
import { DEFAULT_REPORT_SECTIONS, EMPTY_SCOPE, PORTION_ABBREVIATIONS, PORTION_MARKINGS, REPORT_SECTION_LABELS, type PortionMarking, type ReportDefinition, type ReportExport, type ReportFieldsInput, type ReportFormat, type ReportSection, type ReportSummary } from '../../../shared/report';
import { api, errorMessage } from '../ui/api';
import { CASE_DOMAINS, useChangeCount } from '../ui/data';
import { downloadFile } from '../ui/download';
import { EntityPicker } from '../ui/EntityPicker';
import { ExcerptPicker } from '../ui/ExcerptPicker';
import { caseFilters } from '../ui/filters';
import { styleNonce } from '../ui/grid';
import './reports.css';

interface FindingDraft {
  key: number;
  text: string;
  excerpts: { id: string; label: string }[];
}

interface Draft {
  id: string | null;
  name: string;
  title: string;
  author: string;
  date: string;
  marking: string;
  summary: string;
  areaIds: string[];
  entities: EntityRef[];
  from: string;
  to: string;
  sections: ReportSection[];
  findings: FindingDraft[];
  keyEntities: EntityRef[];
}

let nextKey = 1;

function emptyDraft(caseTitle: string, marking: string | null): Draft {
  return {
    id: null,
    name: 'New briefing',
    title: caseTitle,
    author: '',
    date: new Date().toISOString().slice(0, 10),
    marking: marking ?? '',
    summary: '',
    areaIds: [],
    entities: [],
    from: '',
    to: '',
    sections: DEFAULT_REPORT_SECTIONS.map((s) => ({ ...s })),
    findings: [],
    keyEntities: [],
  };
}

async function draftOf(report: ReportDefinition): Promise<Draft> {
  const entityRef = (id: string) => api.call('entities.get', { id }).then((e): EntityRef => ({ id: e.id, name: e.name, type: e.type })).catch(() => null);
  const entities = await Promise.all(report.scope.entityIds.map(entityRef));
  const keyEntities = await Promise.all(report.keyEntityIds.map(entityRef));
  const findings = await Promise.all(
    report.findings.map(async (f) => ({
      key: nextKey++,
      text: f.text,
      excerpts: await Promise.all(f.excerptIds.map((id) => api.call('citations.excerpt', { id }).then((x) => ({ id, label: `${x.grade} ${x.quote.slice(0, 80)}` })).catch(() => ({ id, label: 'excerpt' })))),
    })),
  );
  return {
    id: report.id,
    name: report.name,
    title: report.title,
    author: report.author ?? '',
    date: report.date ?? '',
    marking: report.marking ?? '',
    summary: report.summary ?? '',
    areaIds: report.scope.areaIds,
    entities: entities.filter((e): e is EntityRef => e !== null),
    from: report.scope.from ?? '',
    to: report.scope.to ?? '',
    sections: report.sections,
    findings,
    keyEntities: keyEntities.filter((e): e is EntityRef => e !== null),
  };
}

function fieldsOf(d: Draft): ReportFieldsInput {
  return {
    name: d.name,
    title: d.title,
    author: d.author,
    date: d.date,
    marking: d.marking,
    summary: d.summary,
    scope: { ...EMPTY_SCOPE, areaIds: d.areaIds, entityIds: d.entities.map((e) => e.id), from: d.from, to: d.to },
    sections: d.sections,
    findings: d.findings.filter((f) => f.text.trim() !== '').map((f) => ({ text: f.text, excerptIds: f.excerpts.map((x) => x.id) })),
    keyEntityIds: d.keyEntities.map((e) => e.id),
  };
}

function download(result: ReportExport): void {
  if (!result.base64) return;
  const bytes = Uint8Array.from(atob(result.base64), (c) => c.charCodeAt(0));
  downloadFile(new Blob([bytes], { type: result.mediaType }), result.fileName);
}

/** The Reports view: saved briefings, their editor, a live preview and export to PDF and HTML. */
export function ReportsView({ caseTitle, marking }: { caseTitle: string; marking: string | null }) {
  const [reports, setReports] = useState<ReportSummary[]>([]);
  const [areas, setAreas] = useState<Area[]>([]);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(caseTitle, marking));
  const [preview, setPreview] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [picking, setPicking] = useState<number | null>(null);
  const [entityToAdd, setEntityToAdd] = useState<EntityRef | null>(null);
  const [keyEntityToAdd, setKeyEntityToAdd] = useState<EntityRef | null>(null);
  const previewTimer = useRef<number | undefined>(undefined);

  const refreshList = useCallback(() => {
    api.call('reports.list', {}).then(setReports).catch((e: unknown) => setStatus(errorMessage(e)));
  }, []);

  // The list, the areas and the preview follow the case as it changes here or elsewhere.
  const reportChanges = useChangeCount(['reports']);
  const areaChanges = useChangeCount(['areas']);
  const caseChanges = useChangeCount(CASE_DOMAINS);
  useEffect(() => {
    void reportChanges;
    refreshList();
  }, [refreshList, reportChanges]);
  useEffect(() => {
    void areaChanges;
    api.call('areas.list', {}).then(setAreas).catch(() => undefined);
  }, [areaChanges]);

  // The preview follows the editor, a moment after the last keystroke.
  useEffect(() => {
    window.clearTimeout(previewTimer.current);
    let live = true;
    previewTimer.current = window.setTimeout(() => {
      api
        .call('reports.preview', { fields: fieldsOf(draft), ...(styleNonce ? { styleNonce } : {}) })
        .then((r) => live && setPreview(r.html))
        .catch((e: unknown) => live && setStatus(errorMessage(e)));
    }, 400);
    return () => {
      live = false;
      window.clearTimeout(previewTimer.current);
    };
  }, [draft, caseChanges]);

  const update = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const setSections = (sections: ReportSection[]) => update({ sections });
  const move = (index: number, by: number) => {
    const next = [...draft.sections];
    const [item] = next.splice(index, 1);
    if (!item) return;
    next.splice(Math.max(0, Math.min(next.length, index + by)), 0, item);
    setSections(next);
  };

  const open = (id: string) => {
    api
      .call('reports.get', { id })
      .then(draftOf)
      .then((d) => {
        setDraft(d);
        setStatus(null);
      })
      .catch((e: unknown) => setStatus(errorMessage(e)));
  };

  const save = () => {
    const fields = fieldsOf(draft);
    const call = draft.id ? api.call('reports.update', { id: draft.id, fields }) : api.call('reports.create', { fields });
    call
      .then((saved) => {
        update({ id: saved.id });
        setStatus(`Saved ${saved.name}.`);
        refreshList();
      })
      .catch((e: unknown) => setStatus(errorMessage(e)));
  };

  const remove = () => {
    if (!draft.id) return;
    if (!window.confirm(`Delete the report ${draft.name}? The case data stays as it is.`)) return;
    api
      .call('reports.delete', { id: draft.id })
      .then(() => {
        setDraft(emptyDraft(caseTitle, marking));
        setStatus('Report deleted.');
        refreshList();
      })
      .catch((e: unknown) => setStatus(errorMessage(e)));
  };

  const exportAs = (format: ReportFormat) => {
    setBusy(format);
    setStatus(format === 'pdf' ? 'Printing the PDF…' : 'Writing the HTML file…');
    api
      .call('reports.export', { fields: fieldsOf(draft), format })
      .then((result) => {
        download(result);
        const pages = result.pages !== null ? `${result.pages} ${result.pages === 1 ? 'page' : 'pages'}, ` : '';
        setStatus(`Exported ${result.fileName} (${pages}${(result.millis / 1000).toFixed(1)} s).`);
      })
      .catch((e: unknown) => setStatus(errorMessage(e)))
      .finally(() => setBusy(null));
  };

  const useGraphFilter = () => {
    const filters = caseFilters.get();
    update({ areaIds: filters.areaIds, from: filters.period?.from ?? '', to: filters.period?.to ?? '' });
    setStatus('Scope set from the current graph filter (areas and period).');
  };

  const addExcerpt = (findingKey: number, excerpt: ExcerptOption) => {
    update({
      findings: draft.findings.map((f) => (f.key === findingKey && !f.excerpts.some((x) => x.id === excerpt.id) ? { ...f, excerpts: [...f.excerpts, { id: excerpt.id, label: `${excerpt.grade} ${excerpt.quote.slice(0, 80)}` }] } : f)),
    });
  };

  return (
    <section className="reports-view" aria-label="Reports">
      <aside className="reports-list">
        <div className="reports-list-head">
          <h2>Briefings</h2>
          <button type="button" onClick={() => setDraft(emptyDraft(caseTitle, marking))}>
            New briefing
          </button>
        </div>
        {reports.length === 0 ? <p className="muted">No saved briefings yet.</p> : null}
        <ul>
          {reports.map((r) => (
            <li key={r.id}>
              <button type="button" className={r.id === draft.id ? 'report-item current' : 'report-item'} onClick={() => open(r.id)}>
                <strong>{r.name}</strong>
                <span>{r.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </aside>

      <form
        className="report-editor"
        aria-label="Briefing"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <fieldset>
          <legend>Briefing</legend>
          <label className="field">
            <span>Report name</span>
            <input value={draft.name} onChange={(e) => update({ name: e.target.value })} />
          </label>
          <label className="field">
            <span>Title</span>
            <input value={draft.title} onChange={(e) => update({ title: e.target.value })} />
          </label>
          <div className="field-row">
            <label className="field">
              <span>Author</span>
              <input value={draft.author} onChange={(e) => update({ author: e.target.value })} />
            </label>
            <label className="field">
              <span>Date</span>
              <input value={draft.date} placeholder="YYYY-MM-DD" onChange={(e) => update({ date: e.target.value })} />
            </label>
          </div>
          <label className="field">
            <span>Handling marking</span>
            <input value={draft.marking} placeholder="e.g. SENSITIVE" onChange={(e) => update({ marking: e.target.value })} />
          </label>
        </fieldset>

        <fieldset>
          <legend>Scope</legend>
          <div className="report-areas" role="group" aria-label="Technology areas">
            {areas.map((a) => (
              <label key={a.id} className="check">
                <input type="checkbox" checked={draft.areaIds.includes(a.id)} onChange={(e) => update({ areaIds: e.target.checked ? [...draft.areaIds, a.id] : draft.areaIds.filter((id) => id !== a.id) })} />
                {a.parentId ? '\u2003' : ''}
                {a.name}
              </label>
            ))}
          </div>
          <div className="field">
            <span>Entities</span>
            <div className="report-entity-add">
              <EntityPicker id="report-entity" value={entityToAdd} onChange={setEntityToAdd} />
              <button
                type="button"
                disabled={!entityToAdd}
                onClick={() => {
                  if (entityToAdd && !draft.entities.some((e) => e.id === entityToAdd.id)) update({ entities: [...draft.entities, entityToAdd] });
                  setEntityToAdd(null);
                }}
              >
                Add
              </button>
            </div>
            <ul className="chips">
              {draft.entities.map((e) => (
                <li key={e.id}>
                  {e.name}
                  <button type="button" aria-label={`Remove ${e.name}`} onClick={() => update({ entities: draft.entities.filter((x) => x.id !== e.id) })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div className="field">
            <span>Key entities (a page each)</span>
            <div className="report-entity-add">
              <EntityPicker id="report-key-entity" value={keyEntityToAdd} onChange={setKeyEntityToAdd} />
              <button
                type="button"
                aria-label="Add key entity"
                disabled={!keyEntityToAdd}
                onClick={() => {
                  if (keyEntityToAdd && !draft.keyEntities.some((e) => e.id === keyEntityToAdd.id)) update({ keyEntities: [...draft.keyEntities, keyEntityToAdd] });
                  setKeyEntityToAdd(null);
                }}
              >
                Add
              </button>
            </div>
            <ul className="chips">
              {draft.keyEntities.map((e) => (
                <li key={e.id}>
                  {e.name}
                  <button type="button" aria-label={`Remove key entity ${e.name}`} onClick={() => update({ keyEntities: draft.keyEntities.filter((x) => x.id !== e.id) })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div className="field-row">
            <label className="field">
              <span>From</span>
              <input value={draft.from} placeholder="YYYY" onChange={(e) => update({ from: e.target.value })} />
            </label>
            <label className="field">
              <span>To</span>
              <input value={draft.to} placeholder="YYYY" onChange={(e) => update({ to: e.target.value })} />
            </label>
          </div>
          <button type="button" onClick={useGraphFilter}>
            Use the current graph filter
          </button>
        </fieldset>

        <fieldset>
          <legend>Executive summary</legend>
          <textarea aria-label="Executive summary" rows={5} value={draft.summary} onChange={(e) => update({ summary: e.target.value })} />
        </fieldset>

        <fieldset>
          <legend>Key findings</legend>
          <ol className="report-findings">
            {draft.findings.map((f, i) => (
              <li key={f.key}>
                <textarea aria-label={`Finding ${i + 1}`} rows={2} value={f.text} onChange={(e) => update({ findings: draft.findings.map((x) => (x.key === f.key ? { ...x, text: e.target.value } : x)) })} />
                <ul className="chips">
                  {f.excerpts.map((x) => (
                    <li key={x.id}>
                      {x.label}
                      <button type="button" aria-label="Remove citation" onClick={() => update({ findings: draft.findings.map((y) => (y.key === f.key ? { ...y, excerpts: y.excerpts.filter((z) => z.id !== x.id) } : y)) })}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
                <div className="row-actions">
                  <button type="button" onClick={() => setPicking(f.key)}>
                    Cite an excerpt…
                  </button>
                  <button type="button" onClick={() => update({ findings: draft.findings.filter((x) => x.key !== f.key) })}>
                    Remove finding
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => update({ findings: [...draft.findings, { key: nextKey++, text: '', excerpts: [] }] })}>
            Add a finding
          </button>
        </fieldset>

        <fieldset>
          <legend>Sections</legend>
          <ol className="report-sections">
            {draft.sections.map((s, i) => (
              <li key={s.kind}>
                <div className="section-head">
                  <label className="check">
                    <input type="checkbox" checked={s.enabled} onChange={(e) => setSections(draft.sections.map((x) => (x.kind === s.kind ? { ...x, enabled: e.target.checked } : x)))} />
                    {REPORT_SECTION_LABELS[s.kind]}
                  </label>
                  <select
                    aria-label={`Portion marking of ${REPORT_SECTION_LABELS[s.kind]}`}
                    title="Portion marking, printed at the start of the section; a paragraph that starts with (C), (S) and so on raises it; the page marking is the highest of them"
                    value={s.marking ?? ''}
                    onChange={(e) => setSections(draft.sections.map((x) => (x.kind === s.kind ? { ...x, marking: (PORTION_MARKINGS as readonly string[]).includes(e.target.value) ? (e.target.value as PortionMarking) : null } : x)))}
                  >
                    <option value="">No portion mark</option>
                    {PORTION_MARKINGS.map((level) => (
                      <option key={level} value={level}>
                        ({PORTION_ABBREVIATIONS[level]}) {level}
                      </option>
                    ))}
                  </select>
                  <button type="button" aria-label={`Move ${REPORT_SECTION_LABELS[s.kind]} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move ${REPORT_SECTION_LABELS[s.kind]} down`} disabled={i === draft.sections.length - 1} onClick={() => move(i, 1)}>
                    ↓
                  </button>
                </div>
                <textarea
                  aria-label={`Note on ${REPORT_SECTION_LABELS[s.kind]}`}
                  placeholder="Analyst note, printed as a callout; start a paragraph with (C), (S)… to mark it"
                  rows={1}
                  value={s.notes ?? ''}
                  onChange={(e) => setSections(draft.sections.map((x) => (x.kind === s.kind ? { ...x, notes: e.target.value } : x)))}
                />
              </li>
            ))}
          </ol>
        </fieldset>

        <div className="form-actions report-actions">
          <button type="submit">{draft.id ? 'Save briefing' : 'Save as new briefing'}</button>
          <button type="button" disabled={busy !== null} onClick={() => exportAs('pdf')}>
            {busy === 'pdf' ? 'Exporting PDF…' : 'Export PDF'}
          </button>
          <button type="button" disabled={busy !== null} onClick={() => exportAs('html')}>
            {busy === 'html' ? 'Exporting HTML…' : 'Export HTML'}
          </button>
          {draft.id ? (
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          ) : null}
        </div>
        {busy ? <progress className="report-progress" aria-label="Export in progress" /> : null}
        {status ? (
          <p className="form-status report-status" role="status">
            {status}
          </p>
        ) : null}
      </form>

      <div className="report-preview">
        {/* No script can run in the preview: an empty sandbox, and the report's own CSP forbids scripts too. */}
        <iframe title="Briefing preview" sandbox="" srcDoc={preview} />
      </div>

      {picking !== null ? (
        <ExcerptPicker
          title="Cite an excerpt"
          actionLabel="Cite"
          onChoose={(excerpt) => {
            addExcerpt(picking, excerpt);
            setPicking(null);
          }}
          onClose={() => setPicking(null)}
        />
      ) : null}
    </section>
  );
}
