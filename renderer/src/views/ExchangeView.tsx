import { useRef, useState, type ChangeEvent } from 'react';
import type { OpInput, OpOutput, Progress } from '../../../shared/contract';
import { CaseboardError } from '../../../shared/errors';
import type { OperationName } from '../../../shared/operation-names';
import { CSV_KINDS, EXPORT_FORMATS, type CsvKind, type CsvPreview, type ExportFormat, type ImportReport } from '../../../shared/ops/exchange';
import type { MergePlan, MergeSide, MergeTable } from '../../../shared/ops/merge';
import { api, callWithProgress, errorMessage } from '../api';
import { PathInput } from '../components/PathInput';

const TABLE_LABELS: Record<MergeTable, string> = {
  technology_areas: 'Technology areas',
  link_types: 'Link types',
  sources: 'Sources',
  attachments: 'Attached files',
  excerpts: 'Excerpts',
  entities: 'Entities',
  entity_aliases: 'Aliases',
  entity_identifiers: 'Identifiers',
  links: 'Links',
  citations: 'Citations',
  area_tags: 'Technology-area tags',
};

/** How much of a CSV file is sent for the preview of its first rows. */
const PREVIEW_CHARS = 1024 * 1024;

interface RunningTask {
  label: string;
  progress: Progress | null;
  abort: AbortController;
  cancelling: boolean;
}

/**
 * A long operation with its progress and a way to cancel it. `run` resolves
 * with the operation's result, or with null when the investigator cancelled
 * (the case is then as it was before).
 */
function useLongTask() {
  const [task, setTask] = useState<RunningTask | null>(null);
  const running = useRef(false);
  const run = async <N extends OperationName>(label: string, name: N, input: OpInput<N>): Promise<OpOutput<N> | null> => {
    if (running.current) return null;
    running.current = true;
    const abort = new AbortController();
    setTask({ label, progress: null, abort, cancelling: false });
    try {
      return await callWithProgress(name, input, { signal: abort.signal, onProgress: (progress) => setTask((t) => (t && t.abort === abort ? { ...t, progress } : t)) });
    } catch (error) {
      if (error instanceof CaseboardError && error.code === 'cancelled') return null;
      throw error;
    } finally {
      running.current = false;
      setTask(null);
    }
  };
  const cancel = () => {
    task?.abort.abort();
    setTask((t) => (t ? { ...t, cancelling: true } : t));
  };
  return { task, run, cancel };
}

/** The progress bar of a running import or merge, with its Cancel button. */
function TaskProgress({ task, onCancel }: { task: RunningTask; onCancel: () => void }) {
  const { progress } = task;
  const known = progress !== null && progress.total > 0;
  const percent = known ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="long-task" role="group" aria-label={task.label}>
      <div className="long-task-head">
        <strong>{task.label}</strong>
        <span className="muted" aria-live="polite">
          {task.cancelling ? 'Cancelling…' : (progress?.message ?? 'Starting…')}
          {percent !== null && !task.cancelling ? ` (${percent}%)` : ''}
        </span>
      </div>
      <div className="long-task-bar">
        {known ? <progress max={progress.total} value={progress.done} aria-label={`${task.label}: progress`} /> : <progress aria-label={`${task.label}: progress`} />}
        <button type="button" onClick={onCancel} disabled={task.cancelling}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The fields of one side of a conflict, bookkeeping columns left out. */
function fieldsOf(row: Record<string, unknown> | null): [string, string][] {
  if (!row) return [];
  return Object.entries(row)
    .filter(([key]) => !['id', 'name_key', 'created_at', 'entity_id'].includes(key))
    .map(([key, value]) => [key, Array.isArray(value) ? value.map((v) => (v && typeof v === 'object' && 'name' in v ? String((v as { name: unknown }).name) : JSON.stringify(v))).join('; ') : value === null ? '' : String(value)]);
}

function Side({ title, row }: { title: string; row: Record<string, unknown> | null }) {
  return (
    <div className="merge-side">
      <h4>{title}</h4>
      {row ? (
        <dl>
          {fieldsOf(row).map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">Deleted</p>
      )}
    </div>
  );
}

/** Merge another investigator's copy: preview, conflicts side by side, duplicates, then one undoable step. */
function MergePanel() {
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [plan, setPlan] = useState<MergePlan | null>(null);
  const [choices, setChoices] = useState<Record<string, MergeSide>>({});
  const [merges, setMerges] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [merged, setMerged] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { task, run: runLong, cancel } = useLongTask();
  const input = () => ({ path: file, ...(passphrase ? { passphrase } : {}), choices, mergeDuplicates: Object.entries(merges).map(([incomingId, intoId]) => ({ incomingId, intoId })) });

  const run = async (what: () => Promise<void>) => {
    setFailure(null);
    setBusy(true);
    try {
      await what();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const preview = () =>
    run(async () => {
      setStatus(null);
      setPlan(await api.call('merge.plan', { path: file, ...(passphrase ? { passphrase } : {}) }));
      setChoices({});
      setMerges({});
    });
  const apply = () =>
    run(async () => {
      const result = await runLong('Merging', 'merge.apply', input());
      if (!result) {
        setStatus('The merge was cancelled; this case is as it was.');
        setMerged(false);
        return;
      }
      setPlan(null);
      setMerged(true);
      setStatus(`Merged ${result.otherTitle}. Undo takes the whole merge back.`);
    });
  const undo = () =>
    run(async () => {
      await api.call('history.undo', {});
      setMerged(false);
      setStatus('The merge was undone.');
    });

  return (
    <section className="exchange-panel" aria-labelledby="merge-title">
      <h2 id="merge-title">Merge a case file into this one</h2>
      <p className="muted">The other file is checked and read from a copy; it is never changed. Items with the same ID are matched; edits both of you made are shown side by side.</p>
      <div className="field-row">
        <label>
          Case file to merge in
          <PathInput id="merge-path" value={file} onChange={setFile} placeholder="/path/to/colleague.caseboard" request={{ mode: 'open', purpose: 'case', title: 'Merge Case Into This' }} />
        </label>
        <label>
          Passphrase (if encrypted)
          <input id="merge-passphrase" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </label>
      </div>
      <div className="form-actions">
        <button type="button" onClick={() => void preview()} disabled={busy || !file.trim()}>
          Preview merge
        </button>
        {merged ? (
          <button type="button" onClick={() => void undo()} disabled={busy}>
            Undo merge
          </button>
        ) : null}
      </div>
      {task ? <TaskProgress task={task} onCancel={cancel} /> : null}
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      {status ? (
        <p className="form-status" role="status">
          {status}
        </p>
      ) : null}
      {plan ? (
        <div className="merge-plan">
          <p>
            <strong>{plan.otherTitle}</strong> by {plan.investigators.join(', ') || 'unknown investigators'}
          </p>
          <table className="merge-counts">
            <thead>
              <tr>
                <th>Items</th>
                <th>Added</th>
                <th>Changed</th>
                <th>Deleted</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(plan.counts) as MergeTable[])
                .filter((t) => plan.counts[t].added + plan.counts[t].updated + plan.counts[t].deleted > 0)
                .map((t) => (
                  <tr key={t}>
                    <td>{TABLE_LABELS[t]}</td>
                    <td>{plan.counts[t].added}</td>
                    <td>{plan.counts[t].updated}</td>
                    <td>{plan.counts[t].deleted}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {plan.conflicts.length > 0 ? <h3>Conflicts: choose which version to keep</h3> : <p>No conflicts.</p>}
          {plan.conflicts.map((c) => (
            <fieldset key={c.key} className="merge-conflict">
              <legend>{c.label}</legend>
              <div className="merge-sides">
                <Side title={`This case${c.ourInvestigators.length ? ` (${c.ourInvestigators.join(', ')})` : ''}`} row={c.ours} />
                <Side title={`Other file${c.theirInvestigators.length ? ` (${c.theirInvestigators.join(', ')})` : ''}`} row={c.theirs} />
              </div>
              <label className="check">
                <input type="radio" name={c.key} checked={(choices[c.key] ?? 'ours') === 'ours'} onChange={() => setChoices({ ...choices, [c.key]: 'ours' })} /> Keep this case&apos;s version
              </label>
              <label className="check">
                <input type="radio" name={c.key} checked={choices[c.key] === 'theirs'} onChange={() => setChoices({ ...choices, [c.key]: 'theirs' })} /> Take the other file&apos;s version
              </label>
            </fieldset>
          ))}
          {plan.duplicates.length > 0 ? <h3>Entities that look like the same one</h3> : null}
          {plan.duplicates.map((d) => (
            <div key={d.incomingId} className="merge-duplicate">
              {d.candidates.map((candidate) => (
                <label key={candidate.id} className="check">
                  <input
                    type="checkbox"
                    checked={merges[d.incomingId] === candidate.id}
                    onChange={(e) => {
                      const next = { ...merges };
                      if (e.target.checked) next[d.incomingId] = candidate.id;
                      else delete next[d.incomingId];
                      setMerges(next);
                    }}
                  />{' '}
                  Merge “{d.incomingName}” into “{candidate.name}” (matches {candidate.matched})
                </label>
              ))}
            </div>
          ))}
          {plan.notes.map((n) => (
            <p key={`${n.table}:${n.id}`} className="muted">
              {TABLE_LABELS[n.table]}: {n.reason}
            </p>
          ))}
          <div className="form-actions">
            <button type="button" className="primary" onClick={() => void apply()} disabled={busy}>
              {busy ? 'Merging…' : 'Merge'}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** CSV import with a preview and a column-to-field mapping; FtM import; exports to download. */
function ImportExportPanel() {
  const [kind, setKind] = useState<CsvKind>('entities');
  const [text, setText] = useState<string | null>(null);
  const [format, setFormat] = useState<'csv' | 'ftm'>('csv');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [map, setMap] = useState<Record<string, string>>({});
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [exportFormat, setExportFormat] = useState<ExportFormat>('csv');
  const [notice, setNotice] = useState<string | null>(null);
  const { task, run: runLong, cancel } = useLongTask();

  const load = async (content: string, nextKind: CsvKind, nextFormat: 'csv' | 'ftm') => {
    setFailure(null);
    setReport(null);
    setPreview(null);
    if (nextFormat === 'ftm') return;
    try {
      // The first rows are all the preview reads; a large file need not travel for them.
      const p = await api.call('exchange.previewCsv', { text: content.slice(0, PREVIEW_CHARS), kind: nextKind, rows: 5 });
      setPreview(p);
      setMap(p.suggested);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const content = await file.text();
    const nextFormat = /\.(json|jsonl|ndjson|ftm)$/i.test(file.name) ? 'ftm' : 'csv';
    setFormat(nextFormat);
    setText(content);
    await load(content, kind, nextFormat);
  };
  const runImport = async () => {
    if (text === null) return;
    setFailure(null);
    setNotice(null);
    setReport(null);
    try {
      const result =
        format === 'ftm'
          ? await runLong('Importing FollowTheMoney entities', 'exchange.importFtm', { text })
          : await runLong(`Importing ${kind} from CSV`, 'exchange.importCsv', { text, kind, map });
      if (result) setReport(result);
      else setNotice('The import was cancelled; nothing was imported and the case is as it was.');
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const download = async () => {
    setFailure(null);
    try {
      const result = await api.call('exchange.export', { format: exportFormat, kind });
      const url = URL.createObjectURL(new Blob([result.text], { type: result.mediaType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `case.${result.extension}`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return (
    <section className="exchange-panel" aria-labelledby="import-title">
      <h2 id="import-title">Import and export</h2>
      <div className="field-row">
        <label>
          What the CSV holds
          <select
            id="import-kind"
            value={kind}
            onChange={(e) => {
              const next = e.target.value as CsvKind;
              setKind(next);
              if (text !== null) void load(text, next, format);
            }}
          >
            {CSV_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          CSV or FollowTheMoney file
          <input id="import-file" type="file" accept=".csv,.json,.jsonl,.ndjson,.ftm,text/csv" onChange={(e) => void choose(e)} />
        </label>
      </div>
      {preview ? (
        <table className="import-preview">
          <thead>
            <tr>
              {preview.headers.map((h) => (
                <th key={h}>
                  <div>{h}</div>
                  <select
                    aria-label={`Field for column ${h}`}
                    value={map[h] ?? ''}
                    onChange={(e) => {
                      const next = { ...map };
                      if (e.target.value) next[h] = e.target.value;
                      else delete next[h];
                      setMap(next);
                    }}
                  >
                    <option value="">(skip)</option>
                    {preview.fields.map((f) => (
                      <option key={f} value={f}>
                        {f}
                        {preview.required.includes(f) ? ' *' : ''}
                      </option>
                    ))}
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {preview.headers.map((h, j) => (
                  <td key={h}>{row[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {text !== null ? (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void runImport()} disabled={task !== null}>
            Import {format === 'ftm' ? 'FollowTheMoney entities' : kind}
          </button>
        </div>
      ) : null}
      {task ? <TaskProgress task={task} onCancel={cancel} /> : null}
      {notice ? (
        <p className="form-status" role="status">
          {notice}
        </p>
      ) : null}
      {report ? (
        <div role="status" className="form-status">
          Imported {report.imported} of {report.total} rows.
          {report.errors.length > 0 ? (
            <ul className="import-errors">
              {report.errors.map((e) => (
                <li key={`${e.row}:${e.message}`}>
                  Line {e.row}: {e.message}
                </li>
              ))}
              {report.moreErrors > 0 ? <li>and {report.moreErrors} more</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="field-row export-row">
        <label>
          Export as
          <select id="export-format" value={exportFormat} onChange={(e) => setExportFormat(e.target.value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f === 'csv' ? `CSV (${kind})` : f === 'ftm' ? 'FollowTheMoney JSON lines' : f.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void download()}>
          Export
        </button>
      </div>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
    </section>
  );
}

/** Merging case files and moving data in and out in other tools' formats. */
export function ExchangeView() {
  return (
    <div className="exchange-view">
      <MergePanel />
      <ImportExportPanel />
    </div>
  );
}
