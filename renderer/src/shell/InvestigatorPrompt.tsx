import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../ui/api';

/**
 * Asked once per installation: the name the audit log records for every
 * change. Not a modal, so it never stands between the user and their case.
 */
export function InvestigatorPrompt({ defaultName, onDone }: { defaultName: string; onDone: () => void }) {
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  const save = async (value: string) => {
    try {
      await api.call('app.setInvestigator', { name: value });
      onDone();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return (
    <form
      className="investigator-prompt"
      aria-label="Your name for the audit log"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void save(name);
      }}
    >
      <label htmlFor="investigator-name">Who is working on this machine? Every change is recorded in the audit log under this name.</label>
      <input id="investigator-name" value={name} onChange={(e) => setName(e.target.value)} placeholder={defaultName} maxLength={200} />
      <button type="submit" className="primary" disabled={!name.trim()}>
        Save name
      </button>
      <button type="button" onClick={() => void save('')} title={`Keep recording changes as “${defaultName}”`}>
        Not now
      </button>
      {failure ? <span className="form-failure">{failure}</span> : null}
    </form>
  );
}
