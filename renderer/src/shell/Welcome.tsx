import { useState, type FormEvent } from 'react';
import type { AppState } from '../../../shared/contract';
import { api, errorMessage } from '../ui/api';
import { fieldErrorsFromError, type FieldErrors } from '../ui/form-errors';
import { Field } from '../ui/Field';
import { PathInput } from '../ui/PathInput';

/** Shown when no case is open: create one, or open a recent or known case file. */
export function Welcome({ state, onOpened }: { state: AppState; onOpened: () => void }) {
  const [title, setTitle] = useState('');
  const [marking, setMarking] = useState('');
  const [fileName, setFileName] = useState('');
  const [openPath, setOpenPath] = useState('');
  // Asked for only once a file turns out to be encrypted.
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (!title.trim()) {
      setErrors({ title: 'The case title is required.' });
      return;
    }
    try {
      await api.call('app.newCase', { title, ...(marking.trim() ? { marking } : {}), ...(fileName.trim() ? { path: fileName } : {}) });
      onOpened();
    } catch (error) {
      setErrors(fieldErrorsFromError(error));
      setFailure(errorMessage(error));
    }
  };

  const openSample = async () => {
    setFailure(null);
    try {
      await api.call('app.openSample', {});
      onOpened();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  const open = async (path: string) => {
    setFailure(null);
    try {
      await api.call('app.openCase', { path, ...(passphrase ? { passphrase } : {}) });
      onOpened();
    } catch (error) {
      if (fieldErrorsFromError(error).passphrase !== undefined && passphrase === null) {
        setOpenPath(path);
        setPassphrase('');
      }
      setFailure(errorMessage(error));
    }
  };

  return (
    <main className="welcome">
      <h1>Caseboard</h1>
      <p className="lede">Keep a case in one file: log sources, quote excerpts, link entities, and export briefings whose every statement points back to its source.</p>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="welcome-columns">
        <section aria-labelledby="new-case-title">
          <h2 id="new-case-title">New case</h2>
          <form onSubmit={(e) => void create(e)} noValidate>
            <Field id="new-title" label="Title" error={errors.title}>
              <input id="new-title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
            </Field>
            <Field id="new-marking" label="Handling marking (optional)" error={errors.marking}>
              <input id="new-marking" value={marking} onChange={(e) => setMarking(e.target.value)} placeholder="e.g. SENSITIVE" />
            </Field>
            <Field id="new-file" label="File name (optional)" error={errors.path} hint={`Saved in ${state.casesFolder} unless you give a full path.`}>
              <PathInput id="new-file" value={fileName} onChange={setFileName} allowTyping invalid={Boolean(errors.path)} request={{ mode: 'save', purpose: 'case', title: 'New Case' }} />
            </Field>
            <div className="form-actions">
              <button type="submit" className="primary">
                Create case
              </button>
            </div>
          </form>
        </section>
        <section aria-labelledby="open-case-title">
          <h2 id="open-case-title">Open a case</h2>
          <p className="sample-offer">
            New to Caseboard?{' '}
            <button type="button" className="link" onClick={() => void openSample()}>
              Open the sample case
            </button>{' '}
            — a public report on Chinese defence universities and their Russian partners, with every view filled in.
          </p>
          {state.recent.length > 0 ? (
            <ul className="recent">
              {state.recent.map((r) => (
                <li key={r.path}>
                  <button type="button" className="link" onClick={() => void open(r.path)}>
                    {r.title}
                  </button>
                  <span className="muted">{r.path}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No recent cases.</p>
          )}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (openPath.trim()) void open(openPath.trim());
            }}
          >
            <Field id="open-path" label="Case file path">
              <PathInput id="open-path" value={openPath} onChange={setOpenPath} placeholder="/path/to/case.caseboard" request={{ mode: 'open', purpose: 'case', title: 'Open Case' }} />
            </Field>
            {passphrase !== null ? (
              <Field id="open-passphrase" label="Passphrase" hint="The file is decrypted into a new case file in your cases folder; the received file is not changed.">
                <input id="open-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
              </Field>
            ) : null}
            <div className="form-actions">
              <button type="submit">Open</button>
            </div>
          </form>
        </section>
      </div>
    </main>
  );
}
