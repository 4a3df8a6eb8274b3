import { useRef, useState, type ChangeEvent } from 'react';
import type { OpInput, OpOutput, Progress } from '../../../shared/contract';
import { CaseboardError } from '../../../shared/errors';
import type { OperationName } from '../../../shared/operation-names';
import {
  CSV_ENCODINGS,
  CSV_KINDS,
  CSV_PREVIEW_BYTES,
  EXPORT_FORMATS,
  FTM_FILE_EXTENSIONS,
  IMPORT_FILE_EXTENSIONS,
  KIND_ONE,
  MAX_SENT_FILE_BYTES,
  ON_MATCH,
  separatedCountOf,
  type CsvDelimiter,
  type CsvKind,
  type CsvPreview,
  type ExportFormat,
  type ImportReport,
  type OnMatch,
} from '../../../shared/ops/exchange';
import type { MergePlan, MergeSide, MergeTable } from '../../../shared/ops/merge';
import { formatBytes } from '../../../shared/evidence';
import { api, callWithProgress, canChoosePaths, errorMessage } from '../ui/api';
import { downloadFile } from '../ui/download';
import { PathInput } from '../ui/PathInput';

const TABLE_LABELS: Record<MergeTable, string> = {
  technology_areas: 'Technology areas',
  link_types: 'Link types',
  sources: 'Sources',
  attachments: 'Attached files',
  excerpts: 'Excerpts',
  entities: 'Entities',
  entity_aliases: 'Aliases',
  entity_identifiers: 'Identifiers',
  sanctions: 'Sanction records',
  links: 'Links',
  citations: 'Citations',
  area_tags: 'Technology-area tags',
};

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
  const [unrelatedOk, setUnrelatedOk] = useState(false);
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
      setUnrelatedOk(false);
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
          {plan.unrelated ? (
            <div className="merge-unrelated" role="alert">
              <p>
                This file looks like another case: it shares no item and no history with this one, and its title is not this case&apos;s. Merging adds all of its items beside this case&apos;s.
              </p>
              <label className="check">
                <input type="checkbox" checked={unrelatedOk} onChange={(e) => setUnrelatedOk(e.target.checked)} /> Merge it into this case anyway
              </label>
            </div>
          ) : null}
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
            <button type="button" className="primary" onClick={() => void apply()} disabled={busy || (plan.unrelated && !unrelatedOk)}>
              {busy ? 'Merging…' : 'Merge'}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/**
 * What the import form reads: a file picked in the page, sent with the request
 * (up to MAX_SENT_FILE_BYTES), or a file on this machine named by its path,
 * which the operation reads itself, whatever its size.
 */
type ImportSource = { file: File } | { path: string };

function sourceName(source: ImportSource): string {
  return 'file' in source ? source.file.name : (source.path.split(/[\\/]/).pop() ?? source.path);
}

/** FollowTheMoney files end in .json, .jsonl, .ndjson or .ftm; everything else is read as CSV. */
function formatOf(name: string): 'csv' | 'ftm' {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && FTM_FILE_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase()) ? 'ftm' : 'csv';
}

/** The two ways a file the form cannot send is imported. */
function otherWays(name: string): string {
  const by = canChoosePaths() ? 'choose it with Choose… under “File on this machine”' : 'type its path under “File on this machine”';
  return `${by} so that Caseboard reads it from the disk, or import it with: caseboard import <case> "${name}"${formatOf(name) === 'ftm' ? ' --format ftm' : ''}`;
}

/** Why a picked file is not sent, and how it is imported instead. */
function tooLargeToSend(name: string, size: number): string {
  return `${name} is ${formatBytes(size)}, more than the ${formatBytes(MAX_SENT_FILE_BYTES)} the form can send: ${otherWays(name)}`;
}

/** A file's bytes as base64, for the import operations (which detect its encoding). */
async function base64Of(blob: Blob): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file cannot be read.'));
    reader.readAsDataURL(blob);
  });
  return url.slice(url.indexOf(',') + 1);
}

const DELIMITER_LABELS: Record<CsvDelimiter, string> = { comma: 'comma ,', semicolon: 'semicolon ;', tab: 'tab', pipe: 'pipe |' };
const ON_MATCH_LABELS: Record<OnMatch, string> = {
  skip: 'leave the item as it is (skip the row)',
  update: 'update the item with the row’s values',
  new: 'add the row as a new item anyway',
};

/** What the checked file would do, in one sentence. */
function checkSummary(kind: CsvKind, report: ImportReport, partial: boolean): string {
  const problems = report.errors.length + report.moreErrors;
  const m = report.matched ?? { skipped: 0, updated: 0, addedAnyway: 0 };
  const matched = m.skipped + m.updated + m.addedAnyway;
  const parts = [`${partial ? 'In the first ' : ''}${separatedCountOf(report.total, 'row', 'rows')}: ${separatedCountOf(report.imported, KIND_ONE[kind], kind)} would be added`];
  if (matched > 0) parts.push(`${separatedCountOf(matched, 'row matches', 'rows match')} an item already in the case`);
  if (problems > 0) parts.push(`${separatedCountOf(problems, 'row has', 'rows have')} problems and would be skipped`);
  return `${parts.join('; ')}.`;
}

/** The report of an import that ran, in one sentence. */
function importSummary(kind: CsvKind | null, report: ImportReport): string {
  const one = kind ? KIND_ONE[kind] : 'item';
  const many = kind ?? 'items';
  const m = report.matched;
  const extra = [
    m?.skipped ? `${separatedCountOf(m.skipped, 'row', 'rows')} matched the case and ${m.skipped === 1 ? 'was' : 'were'} skipped` : '',
    m?.updated ? `${separatedCountOf(m.updated, one, many)} updated` : '',
    m?.addedAnyway ? `${separatedCountOf(m.addedAnyway, 'matching row', 'matching rows')} added as new` : '',
  ].filter(Boolean);
  return `Imported ${report.imported.toLocaleString('en')} of ${report.total.toLocaleString('en')} rows${extra.length ? ` (${extra.join('; ')})` : ''}.`;
}

/** CSV import with a preview, a column-to-field mapping and a check of every row before writing; FtM import; exports to download. */
function ImportExportPanel() {
  const [kind, setKind] = useState<CsvKind>('entities');
  const [source, setSource] = useState<ImportSource | null>(null);
  const [pathText, setPathText] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [format, setFormat] = useState<'csv' | 'ftm'>('csv');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [map, setMap] = useState<Record<string, string>>({});
  const [encoding, setEncoding] = useState('');
  const [delimiter, setDelimiter] = useState<CsvDelimiter | ''>('');
  const [onMatch, setOnMatch] = useState<OnMatch>('skip');
  const [createAreas, setCreateAreas] = useState(false);
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [reportKind, setReportKind] = useState<CsvKind | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [exportFormat, setExportFormat] = useState<ExportFormat>('csv');
  const [notice, setNotice] = useState<string | null>(null);
  const { task, run: runLong, cancel } = useLongTask();
  const checkSeq = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const desktop = canChoosePaths();

  interface CheckChoices {
    kind: CsvKind;
    map: Record<string, string> | undefined;
    encoding: string;
    delimiter: CsvDelimiter | '';
    onMatch: OnMatch;
    createAreas: boolean;
  }

  /** Reads the file's first rows and checks the rows against the case, writing nothing. */
  const check = async (chosen: ImportSource, c: CheckChoices) => {
    const seq = ++checkSeq.current;
    setChecking(true);
    setFailure(null);
    try {
      // A file on this machine is read by the operation, which takes only its start for the preview.
      const read = 'path' in chosen ? { path: chosen.path } : { base64: await base64Of(chosen.file.slice(0, CSV_PREVIEW_BYTES)), head: chosen.file.size > CSV_PREVIEW_BYTES };
      const p = await api.call('exchange.previewCsv', {
        ...read,
        kind: c.kind,
        rows: 5,
        ...(c.map ? { map: c.map } : {}),
        ...(c.encoding ? { encoding: c.encoding } : {}),
        ...(c.delimiter ? { delimiter: c.delimiter } : {}),
        onMatch: c.onMatch,
        createAreas: c.createAreas,
      });
      if (seq !== checkSeq.current) return;
      setPreview(p);
      setMap(p.map);
    } catch (error) {
      if (seq === checkSeq.current) {
        setPreview(null);
        setFailure(errorMessage(error));
      }
    } finally {
      if (seq === checkSeq.current) setChecking(false);
    }
  };
  const choices = (changes: Partial<CheckChoices> = {}): CheckChoices => ({ kind, map, encoding, delimiter, onMatch, createAreas, ...changes });
  const recheck = (changes: Partial<CheckChoices>) => {
    if (source && format === 'csv') void check(source, choices(changes));
  };

  /** Forgets the file chosen before, its check (one still running is ignored) and what the last import said. */
  const startOver = (chosen: ImportSource | null) => {
    checkSeq.current += 1;
    setSource(chosen);
    setFailure(null);
    setReport(null);
    setNotice(null);
    setPreview(null);
    setText(null);
    setChecking(false);
  };
  /** Starts over with a file: its format from its name, then a CSV file's preview and check. */
  const start = async (chosen: ImportSource) => {
    startOver(chosen);
    const nextFormat = formatOf(sourceName(chosen));
    setFormat(nextFormat);
    if (nextFormat === 'ftm') {
      if ('path' in chosen) return;
      try {
        setText(await chosen.file.text());
      } catch {
        // The page could not read the file (moved since it was picked, or more text than the page holds); the operation reads a file named by its path a piece at a time.
        setSource(null);
        if (fileInput.current) fileInput.current.value = '';
        setFailure(`${chosen.file.name} could not be read in the window: ${otherWays(chosen.file.name)}`);
      }
      return;
    }
    setEncoding('');
    setDelimiter('');
    await check(chosen, choices({ map: undefined, encoding: '', delimiter: '' }));
  };
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setPathText('');
    if (chosen.size > MAX_SENT_FILE_BYTES) {
      startOver(null);
      event.target.value = '';
      setFailure(tooLargeToSend(chosen.name, chosen.size));
      return;
    }
    await start({ file: chosen });
  };
  const readPath = async (value: string) => {
    const named = value.trim();
    if (!named) return;
    if (fileInput.current) fileInput.current.value = '';
    await start({ path: named });
  };
  const runImport = async () => {
    if (!source) return;
    setFailure(null);
    setNotice(null);
    setReport(null);
    try {
      // Sanction records of lines that name no data set are credited to the file, as on the command line.
      const listName = sourceName(source);
      const result =
        format === 'ftm'
          ? await runLong('Importing FollowTheMoney entities', 'exchange.importFtm', 'path' in source ? { path: source.path, listName } : { text: text ?? (await source.file.text()), listName })
          : await runLong(`Importing ${kind} from CSV`, 'exchange.importCsv', {
              ...('path' in source ? { path: source.path } : { base64: await base64Of(source.file) }),
              kind,
              map,
              ...(encoding ? { encoding } : {}),
              ...(delimiter ? { delimiter } : {}),
              onMatch,
              createAreas,
            });
      if (result) {
        setReport(result);
        setReportKind(format === 'csv' ? kind : null);
        setPreview(null);
      } else setNotice('The import was cancelled; nothing was imported and the case is as it was.');
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const download = async () => {
    setFailure(null);
    try {
      const result = await api.call('exchange.export', { format: exportFormat, kind });
      downloadFile(new Blob([result.text], { type: result.mediaType }), `case.${result.extension}`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  const checked = preview?.check ?? null;
  const blocked = format === 'csv' && (preview === null || preview.mappingProblem !== null || checking);
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
              recheck({ kind: next, map: undefined });
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
          CSV, TSV or FollowTheMoney file
          <input ref={fileInput} id="import-file" type="file" accept={`${IMPORT_FILE_EXTENSIONS.map((ext) => `.${ext}`).join(',')},text/csv,text/tab-separated-values`} onChange={(e) => void choose(e)} />
        </label>
        <div className="import-path">
          <label htmlFor="import-path">File on this machine{desktop ? '' : ', by its path'}</label>
          <form
            className="import-path-row"
            onSubmit={(e) => {
              // Enter in a typed path reads it, as Read does; the desktop's path comes from its dialog.
              e.preventDefault();
              if (!desktop && task === null) void readPath(pathText);
            }}
          >
            <PathInput
              id="import-path"
              value={pathText}
              onChange={(value) => {
                setPathText(value);
                if (desktop) void readPath(value);
              }}
              placeholder="/path/to/registry-extract.csv"
              request={{ mode: 'open', purpose: 'file', title: 'Import a CSV or FollowTheMoney File', extensions: IMPORT_FILE_EXTENSIONS }}
            />
            {desktop ? null : (
              <button type="submit" disabled={!pathText.trim() || task !== null}>
                Read
              </button>
            )}
          </form>
        </div>
      </div>
      {source && 'path' in source ? <p className="muted import-source">File chosen: {source.path}</p> : null}
      {preview ? (
        <div className="import-check">
          <div className="field-row import-reading">
            <label>
              Encoding
              <select
                id="import-encoding"
                value={encoding}
                onChange={(e) => {
                  setEncoding(e.target.value);
                  recheck({ encoding: e.target.value });
                }}
              >
                <option value="">{encoding ? 'detect' : `${preview.encoding} (detected)`}</option>
                {CSV_ENCODINGS.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Delimiter
              <select
                id="import-delimiter"
                value={delimiter}
                onChange={(e) => {
                  const next = e.target.value as CsvDelimiter | '';
                  setDelimiter(next);
                  recheck({ delimiter: next, map: undefined });
                }}
              >
                <option value="">{delimiter ? 'detect' : `${DELIMITER_LABELS[preview.delimiter]} (detected)`}</option>
                {(Object.keys(DELIMITER_LABELS) as CsvDelimiter[]).map((d) => (
                  <option key={d} value={d}>
                    {DELIMITER_LABELS[d]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              A row matching an item already in the case
              <select
                id="import-on-match"
                value={onMatch}
                onChange={(e) => {
                  const next = e.target.value as OnMatch;
                  setOnMatch(next);
                  recheck({ onMatch: next });
                }}
              >
                {ON_MATCH.map((m) => (
                  <option key={m} value={m}>
                    {ON_MATCH_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
            <label className="check import-create-areas">
              <input
                type="checkbox"
                checked={createAreas}
                onChange={(e) => {
                  setCreateAreas(e.target.checked);
                  recheck({ createAreas: e.target.checked });
                }}
              />
              Create technology areas the file names that the case does not have
            </label>
          </div>
          <div className="import-preview-scroll">
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
                          recheck({ map: next });
                        }}
                      >
                        <option value="">(skip)</option>
                        {preview.fields.map((f) => (
                          <option key={f} value={f} disabled={!preview.listFields.includes(f) && Object.entries(map).some(([column, field]) => field === f && column !== h)}>
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
          </div>
          <p className="muted import-hint">
            Fields marked * are required. Several columns may map to {preview.listFields.join(', ')}. Lists in a cell are separated by semicolons; technology areas by semicolons or commas, as
            names or paths such as “aerospace and aeronautics/drones”.
          </p>
          <div className="import-findings" role="region" aria-label="Check before importing" aria-busy={checking}>
            {checking ? <p className="muted">Checking the rows…</p> : null}
            {preview.mappingProblem ? (
              <p className="form-failure" role="alert">
                {preview.mappingProblem}
              </p>
            ) : null}
            {checked && !checking ? (
              <>
                <p className="import-summary">{checkSummary(kind, checked, preview.partial)}</p>
                {checked.unmapped && checked.unmapped.length > 0 ? <p className="muted">Columns not imported: {checked.unmapped.join(', ')}.</p> : null}
                {checked.createdAreas && checked.createdAreas.length > 0 ? <p className="muted">Technology areas to be created: {checked.createdAreas.join(', ')}.</p> : null}
                {preview.conversions.length > 0 ? (
                  <details className="import-conversions" open>
                    <summary>Values converted ({preview.conversions.length})</summary>
                    <ul>
                      {preview.conversions.map((c) => (
                        <li key={`${c.column}:${c.from}`}>
                          <span className="muted">{c.column}:</span> {c.from} → <strong>{c.to}</strong>
                          {c.rows > 1 ? <span className="muted"> ({c.rows} rows)</span> : null}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {checked.errors.length > 0 ? (
                  <details className="import-problems" open>
                    <summary>Rows that would not be imported ({checked.errors.length + checked.moreErrors})</summary>
                    <ul className="import-errors">
                      {checked.errors.map((e) => (
                        <li key={`${e.row}:${e.message}`}>
                          Line {e.row}: {e.message}
                        </li>
                      ))}
                      {checked.moreErrors > 0 ? <li>and {checked.moreErrors} more</li> : null}
                    </ul>
                  </details>
                ) : null}
                {preview.partial ? <p className="muted">Only the start of this large file was checked; the import checks every row and lists the rest.</p> : null}
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      {source !== null ? (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void runImport()} disabled={task !== null || blocked}>
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
          {importSummary(reportKind, report)}
          {report.unmapped && report.unmapped.length > 0 ? ` Columns not imported: ${report.unmapped.join(', ')}.` : ''}
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
