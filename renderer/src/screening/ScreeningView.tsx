import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { DEFAULT_THRESHOLD, type HitDecision, type ReferenceList, type ScreeningHit, type ScreeningResults } from '../../../shared/ops/screening';
import { api, errorMessage } from '../ui/api';
import { CASE_DOMAINS, changed, useOperation } from '../ui/data';
import { PathInput } from '../ui/PathInput';
import './screening.css';

const CHANGE_LABELS: Record<ScreeningHit['change'], string> = { new: 'New', changed: 'Changed', same: 'As before', gone: 'No longer found' };
const DECISION_LABELS: Record<HitDecision, string> = { open: 'Open', confirmed: 'Confirmed', dismissed: 'False positive' };

/** The reference lists on this machine: add one from an FtM file, remove one. */
function ListsPanel({ lists, onChanged }: { lists: ReferenceList[] | undefined; onChanged: () => void }) {
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [filePath, setFilePath] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const add = async () => {
    setFailure(null);
    setBusy(`Adding ${name}: reading and indexing every name…`);
    try {
      const source = filePath.trim() ? { path: filePath.trim() } : { text: await (file as File).text() };
      await api.call('screening.addList', { name: name.trim(), ...(version.trim() ? { version: version.trim() } : {}), ...source });
      setName('');
      setVersion('');
      setFilePath('');
      setFile(null);
      onChanged();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(null);
    }
  };
  const remove = async (list: ReferenceList) => {
    if (!window.confirm(`Remove the reference list ${list.name}? Hits and decisions already kept in cases stay there.`)) return;
    setFailure(null);
    try {
      await api.call('screening.removeList', { name: list.name });
      onChanged();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.target.files?.[0] ?? null);
    setFilePath('');
  };

  return (
    <section className="screening-panel" aria-labelledby="lists-title">
      <h2 id="lists-title">Reference lists</h2>
      <p className="screening-hint">Watchlists you bring as FollowTheMoney JSON lines (an OpenSanctions or Aleph export). They are kept on this machine, in the user data folder, not in the case; nothing is downloaded.</p>
      {lists && lists.length > 0 ? (
        <table className="screening-lists">
          <thead>
            <tr>
              <th>List</th>
              <th>Version</th>
              <th>Entities</th>
              <th>File SHA-256</th>
              <th>Added</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.name}>
                <td>{l.name}</td>
                <td>{l.version ?? '—'}</td>
                <td className="number">{l.entities.toLocaleString('en')}</td>
                <td>
                  <code title={l.sha256}>{l.sha256.slice(0, 16)}…</code>
                </td>
                <td>{l.addedAt.slice(0, 10)}</td>
                <td>
                  <button type="button" onClick={() => void remove(l)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No reference list yet.</p>
      )}
      <form
        className="screening-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label htmlFor="list-name">Name</label>
        <input id="list-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="OpenSanctions sanctions" />
        <label htmlFor="list-version">Version</label>
        <input id="list-version" value={version} onChange={(e) => setVersion(e.target.value)} placeholder="2026-11-30" />
        <label htmlFor="list-path">File</label>
        <PathInput id="list-path" value={filePath} onChange={setFilePath} request={{ mode: 'open', purpose: 'file', title: 'Choose a FollowTheMoney list' }} placeholder="Path of the .json file on this machine" />
        <label htmlFor="list-upload">or upload</label>
        <input id="list-upload" type="file" accept=".json,.jsonl,.ndjson,.ftm" onChange={choose} />
        <button type="submit" disabled={busy !== null || !name.trim() || (!filePath.trim() && !file)}>
          Add list
        </button>
      </form>
      {busy ? <p role="status">{busy}</p> : null}
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
    </section>
  );
}

/** One hit: who met whom, the score, why, the list's sanctions, and the investigator's decision with a note. */
function HitRow({ hit, onDecided }: { hit: ScreeningHit; onDecided: (failure: string | null) => void }) {
  const [note, setNote] = useState(hit.note ?? '');
  const decide = async (decision: HitDecision) => {
    try {
      await api.call('screening.decide', { id: hit.id, decision, ...(note.trim() ? { note: note.trim() } : {}) });
      changed(CASE_DOMAINS);
      onDecided(null);
    } catch (error) {
      onDecided(errorMessage(error));
    }
  };
  return (
    <tr className={`hit hit-${hit.decision} change-${hit.change}`}>
      <td className="number">{hit.score.toFixed(2)}</td>
      <td>
        <strong>{hit.entity.name}</strong>
        <div className="hit-matched">
          “{hit.matched[0]}” ~ “{hit.matched[1]}”
        </div>
      </td>
      <td>
        {hit.entry.names.slice(0, 3).join(' · ')}
        <div className="hit-entry">
          {hit.entry.list} · <code>{hit.entry.id}</code>
        </div>
      </td>
      <td className="hit-why">
        {hit.why}
        {hit.sanctions.length ? (
          <ul className="hit-sanctions">
            {hit.sanctions.map((s, i) => (
              <li key={i}>{[s.authority, s.program, s.startDate ? `since ${s.startDate}` : null].filter(Boolean).join(', ')}</li>
            ))}
          </ul>
        ) : null}
      </td>
      <td>{CHANGE_LABELS[hit.change]}</td>
      <td className="hit-decision">
        <span className="decision">{DECISION_LABELS[hit.decision]}</span>
        <input aria-label={`Note on ${hit.entity.name} ~ ${hit.matched[1]}`} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Note" />
        {hit.decision === 'confirmed' ? null : (
          <span className="hit-actions">
            <button type="button" onClick={() => void decide('confirmed')} title="Adds the list's sanction records to the entity, citing the list">
              Confirm
            </button>
            <button type="button" onClick={() => void decide('dismissed')}>
              False positive
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

/** Screening: reference lists, a run against them, and the hits with their reasons and decisions. */
export function ScreeningView() {
  const [lists, setLists] = useState<ReferenceList[] | undefined>(undefined);
  const [threshold, setThreshold] = useState(String(DEFAULT_THRESHOLD));
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const results = useOperation('screening.results', {}, { domains: CASE_DOMAINS });

  const loadLists = useCallback(() => {
    api
      .call('screening.lists', {})
      .then(setLists)
      .catch((error: unknown) => setFailure(errorMessage(error)));
  }, []);
  useEffect(loadLists, [loadLists]);

  const run = async () => {
    setFailure(null);
    const value = Number(threshold);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      setFailure('The threshold is a score from 0 to 1, such as 0.8.');
      return;
    }
    setRunning(true);
    try {
      await api.call('screening.run', { lists: chosen ?? [], threshold: value });
      changed(CASE_DOMAINS);
      results.refetch();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setRunning(false);
    }
  };

  const data: ScreeningResults | undefined = results.data;
  const hits = (data?.hits ?? []).filter((h) => showAll || (h.decision === 'open' && h.change !== 'gone'));
  const toggle = (name: string) => {
    const current = chosen ?? (lists ?? []).map((l) => l.name);
    setChosen(current.includes(name) ? current.filter((n) => n !== name) : [...current, name]);
  };

  return (
    <div className="screening-view">
      <ListsPanel lists={lists} onChanged={loadLists} />
      <section className="screening-panel" aria-labelledby="run-title">
        <h2 id="run-title">Screen the case</h2>
        <p className="screening-hint">Every entity’s name and aliases, in every script, against the lists: Chinese through pinyin, Russian through the passport (ICAO), BGN/PCGN, GOST and scientific romanisations. Decisions stay when you screen again.</p>
        <div className="screening-run">
          {(lists ?? []).map((l) => (
            <label key={l.name}>
              <input type="checkbox" checked={(chosen ?? (lists ?? []).map((x) => x.name)).includes(l.name)} onChange={() => toggle(l.name)} /> {l.name}
            </label>
          ))}
          <label htmlFor="screening-threshold">Threshold</label>
          <input id="screening-threshold" type="number" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          <button type="button" onClick={() => void run()} disabled={running || !lists?.length}>
            {running ? 'Screening…' : 'Screen'}
          </button>
        </div>
        {data?.run ? (
          <p role="status" className="screening-summary">
            Last run {data.run.runAt.replace('T', ' ').slice(0, 16)} UTC against {data.run.lists.map((l) => `${l.name}${l.version ? ` ${l.version}` : ''}`).join(', ')}: {data.run.entities} entities, {data.run.hits} hits at {data.run.threshold} or above; {data.run.changed.new} new, {data.run.changed.changed} changed, {data.run.changed.gone} no longer found.
          </p>
        ) : null}
        {failure || results.error ? (
          <p className="form-failure" role="alert">
            {failure ?? results.error}
          </p>
        ) : null}
      </section>
      <section className="screening-panel" aria-labelledby="hits-title">
        <h2 id="hits-title">Hits</h2>
        <label>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show decided hits and those no longer found
        </label>
        {hits.length ? (
          <table className="screening-hits">
            <thead>
              <tr>
                <th>Score</th>
                <th>Entity</th>
                <th>List entry</th>
                <th>Why</th>
                <th>Change</th>
                <th>Decision</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((h) => (
                <HitRow key={`${h.id}:${h.decision}`} hit={h} onDecided={(f) => (f ? setFailure(f) : results.refetch())} />
              ))}
            </tbody>
          </table>
        ) : (
          <p>{data?.hits.length ? 'Every hit is decided.' : 'No hits yet.'}</p>
        )}
      </section>
    </div>
  );
}
