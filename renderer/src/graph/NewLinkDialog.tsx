import { useEffect, useState, type FormEvent } from 'react';
import { LINK_DIRECTION_LABELS, LINK_DIRECTIONS, type Link, type LinkDirection } from '../../../shared/model';
import { api, errorMessage } from '../api';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { fieldErrorsFromError, type FieldErrors } from '../form-errors';

/** Asks for the few facts a new link needs after it was drawn from one entity to another; the link panel takes it from there. */
export function NewLinkDialog({ from, to, onClose, onCreated }: { from: { id: string; name: string }; to: { id: string; name: string }; onClose: () => void; onCreated: (link: Link) => void }) {
  const [types, setTypes] = useState<string[]>([]);
  const [type, setType] = useState('');
  const [direction, setDirection] = useState<LinkDirection>('directed');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .call('links.types', {})
      .then(setTypes)
      .catch(() => setTypes([]));
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    api
      .call('links.create', { fields: { fromId: from.id, toId: to.id, type, direction, startDate, endDate } })
      .then(onCreated)
      .catch((error: unknown) => {
        const fields = fieldErrorsFromError(error, 'fields');
        setErrors(fields);
        if (Object.keys(fields).length === 0) setFailure(errorMessage(error));
      })
      .finally(() => setBusy(false));
  };

  return (
    <Dialog title="New link" labelledBy="new-link-title" onClose={onClose}>
      <form onSubmit={submit} className="new-link-form">
        <p>
          <strong>{from.name}</strong> → <strong>{to.name}</strong>
        </p>
        <Field id="new-link-type" label="Link type" error={errors.type}>
          <input id="new-link-type" list="new-link-types" value={type} onChange={(e) => setType(e.target.value)} autoFocus />
        </Field>
        <datalist id="new-link-types">
          {types.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <Field id="new-link-direction" label="Direction">
          <select id="new-link-direction" value={direction} onChange={(e) => setDirection(e.target.value as LinkDirection)}>
            {LINK_DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {LINK_DIRECTION_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="new-link-start" label="Start" hint="A year, year and month, or full date: 2017, 2023-05, 2024-05-16" error={errors.startDate}>
          <input id="new-link-start" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
        </Field>
        <Field id="new-link-end" label="End" error={errors.endDate}>
          <input id="new-link-end" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        </Field>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create link
          </button>
        </div>
      </form>
    </Dialog>
  );
}
