import { useState, type FormEvent } from 'react';
import { exportCaseInput } from '../../../shared/ops/share';
import type { CaseDetails } from '../../../shared/schemas';
import { api, canChoosePaths, errorMessage } from '../ui/api';
import { fieldErrorsFromError, fieldErrorsFromZod, type FieldErrors } from '../ui/form-errors';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { PathInput } from '../ui/PathInput';

/** Next to the open case: "<name>-shared-<date>.caseboard", ".enc" added when encrypted. */
function suggestedPath(details: CaseDetails, encrypted: boolean): string {
  const folder = details.path.slice(0, details.path.length - details.fileName.length);
  const base = details.fileName.replace(/\.caseboard$/i, '');
  const date = new Date().toISOString().slice(0, 10);
  return `${folder}${base}-shared-${date}.caseboard${encrypted ? '.enc' : ''}`;
}

function fileNameOf(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Export a snapshot of the case for a colleague: optionally without attachments or notes, optionally encrypted. */
export function ShareDialog({ details, onClose }: { details: CaseDetails; onClose: () => void }) {
  const [encrypt, setEncrypt] = useState(true);
  // The desktop window writes only where the user chose in its save dialog, so it suggests a name there instead.
  const [target, setTarget] = useState(() => (canChoosePaths() ? '' : suggestedPath(details, true)));
  const [omitAttachments, setOmitAttachments] = useState(false);
  const [omitNotes, setOmitNotes] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggleEncrypt = (next: boolean) => {
    setEncrypt(next);
    if (target === suggestedPath(details, encrypt)) setTarget(suggestedPath(details, next));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setDone(null);
    const input = { path: target, omitAttachments, omitNotes, ...(encrypt ? { passphrase } : {}) };
    const parsed = exportCaseInput.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    if (encrypt && passphrase !== repeat) {
      setErrors({ repeat: 'The two passphrases differ.' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await api.call('share.exportCase', input);
      setDone(`Written to ${result.path}${result.encrypted ? ', encrypted' : ''}. Send the passphrase by another channel than the file.`);
    } catch (error) {
      setErrors(fieldErrorsFromError(error));
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Export the case for sharing" labelledBy="share-dialog-title" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">A consistent snapshot of the whole case file; the open case is not changed.</p>
        <label className="check">
          <input type="checkbox" checked={encrypt} onChange={(e) => toggleEncrypt(e.target.checked)} /> Encrypt with a passphrase
        </label>
        <label className="check">
          <input type="checkbox" checked={omitAttachments} onChange={(e) => setOmitAttachments(e.target.checked)} /> Leave out attached files
        </label>
        <label className="check">
          <input type="checkbox" checked={omitNotes} onChange={(e) => setOmitNotes(e.target.checked)} /> Leave out analyst notes and comments
        </label>
        {encrypt ? (
          <div className="field-row">
            <Field id="share-passphrase" label="Passphrase" error={errors.passphrase}>
              <input id="share-passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            </Field>
            <Field id="share-repeat" label="Repeat passphrase" error={errors.repeat}>
              <input id="share-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
            </Field>
          </div>
        ) : null}
        <Field id="share-path" label="Write to" error={errors.path}>
          <PathInput
            id="share-path"
            value={target}
            onChange={setTarget}
            invalid={Boolean(errors.path)}
            request={{ mode: 'save', purpose: 'case', title: 'Export Case', defaultName: fileNameOf(suggestedPath(details, encrypt)), ...(encrypt ? { extensions: ['enc'] } : {}) }}
          />
        </Field>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        {done ? (
          <p className="form-status" role="status">
            {done}
          </p>
        ) : null}
        <div className="form-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
