import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Door } from '../../../shared/contract';
import { caseUpdate, type CaseDetails } from '../../../shared/schemas';
import { api, errorMessage } from '../ui/api';
import { fieldErrorsFromError, fieldErrorsFromZod, type FieldErrors } from '../ui/form-errors';
import { runCommand, shortcutLabel, shortcutProps, useCommands } from '../ui/shortcuts';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { HeaderSearch } from './HeaderSearch';
import { ShareDialog } from '../exchange/ShareDialog';
import { UndoRedo } from '../history/UndoRedo';
import { useVerifyCaseRequests, VerifyCaseDialog } from './VerifyCaseDialog';
import { HelpDialog } from './HelpDialog';
import { onToolRequest } from '../ui/view-requests';

function EditCaseDialog({ details, onClose, onSaved }: { details: CaseDetails; onClose: () => void; onSaved: () => void }) {
  const [title, setTitle] = useState(details.title);
  const [marking, setMarking] = useState(details.marking ?? '');
  const [description, setDescription] = useState(details.description ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { title, marking, description };
    const parsed = caseUpdate.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    setBusy(true);
    try {
      await api.call('case.update', input);
      onSaved();
    } catch (error) {
      setErrors(fieldErrorsFromError(error));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Case details" labelledBy="case-dialog-title" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field id="case-title" label="Title" error={errors.title}>
          <input id="case-title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus aria-invalid={Boolean(errors.title)} />
        </Field>
        <Field id="case-marking" label="Handling marking" error={errors.marking} hint="Printed as a banner on every page of every export, e.g. SENSITIVE.">
          <input id="case-marking" value={marking} onChange={(e) => setMarking(e.target.value)} aria-invalid={Boolean(errors.marking)} />
        </Field>
        <Field id="case-description" label="Description" error={errors.description}>
          <textarea id="case-description" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {failure ? <p className="form-failure" role="alert">{failure}</p> : null}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const EDIT_CASE_EVENT = 'caseboard:edit-case';

/** Opens the case details dialog (title, handling marking, description) from anywhere. */
export function openCaseDetails(): void {
  window.dispatchEvent(new Event(EDIT_CASE_EVENT));
}

export function CaseHeader({ details, door, onChanged }: { details: CaseDetails; door: Door; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [verifying, setVerifying] = useState(false);
  useVerifyCaseRequests(useCallback(() => setVerifying(true), []));
  const [closeFailure, setCloseFailure] = useState<string | null>(null);
  useCommands({
    'export-case': () => setSharing(true),
    find: () => document.querySelector<HTMLInputElement>('.case-header input[type="search"]')?.focus(),
  });
  useEffect(() => {
    const open = () => setEditing(true);
    window.addEventListener(EDIT_CASE_EVENT, open);
    return () => window.removeEventListener(EDIT_CASE_EVENT, open);
  }, []);
  const closeCase = useCallback(async () => {
    try {
      await api.call('app.closeCase', {});
      onChanged();
    } catch (error) {
      setCloseFailure(errorMessage(error));
    }
  }, [onChanged]);
  const [helping, setHelping] = useState(false);
  useEffect(
    () =>
      onToolRequest(['switch-case', 'help'], (tool) => {
        if (tool === 'help') setHelping(true);
        else void closeCase();
      }),
    [closeCase],
  );
  return (
    <header className="case-header">
      <div className="brand" aria-hidden="true">
        Caseboard
      </div>
      <div className="case-title">
        <h1 title={details.title}>{details.title}</h1>
        <span className="case-file" title={details.path}>
          {details.fileName}
        </span>
      </div>
      {details.marking ? (
        <span className="marking" aria-label={`Handling marking: ${details.marking}`} title={`Handling marking: ${details.marking}`}>
          {details.marking}
        </span>
      ) : (
        <button type="button" className="marking none" onClick={() => setEditing(true)} title="Set a handling marking for every export">
          No marking
        </button>
      )}
      <div className="header-actions">
        <UndoRedo />
        <HeaderSearch />
        <button type="button" className="palette-button" onClick={() => runCommand('command-palette')} aria-label="Commands" {...shortcutProps('command-palette', 'Find an action, entity or source')}>
          <span className="palette-button-label">Commands</span> <kbd>{shortcutLabel('command-palette')}</kbd>
        </button>
        <span className="header-divider" aria-hidden="true" />
        <button type="button" onClick={() => setEditing(true)} title="Edit the case title, handling marking and description">
          Case details
        </button>
        <button type="button" onClick={() => setSharing(true)} {...shortcutProps('export-case', 'Export the case for sharing, encrypted if you like')}>
          Share…
        </button>
        {door === 'browser' ? (
          <button type="button" onClick={() => void closeCase()} title="Close this case and open or create another">
            Switch case
          </button>
        ) : null}
        {closeFailure ? (
          <span className="form-failure" role="alert">
            {closeFailure}
          </span>
        ) : null}
      </div>
      {sharing ? <ShareDialog details={details} onClose={() => setSharing(false)} /> : null}
      {verifying ? <VerifyCaseDialog onClose={() => setVerifying(false)} /> : null}
      {helping ? <HelpDialog onClose={() => setHelping(false)} /> : null}
      {editing ? (
        <EditCaseDialog
          details={details}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </header>
  );
}
