import { useCallback, useEffect, useState } from 'react';
import type { UndoState } from '../../../shared/model';
import { api, errorMessage } from '../ui/api';
import { CASE_DOMAINS, changed, useInvalidated } from '../ui/data';

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type));
}

/**
 * Undo and Redo in the header, and their shortcuts (Ctrl+Z, Ctrl+Shift+Z or
 * Ctrl+Y; Cmd on macOS). While the cursor is in a text field the shortcuts
 * undo typing there instead, as everywhere else.
 */
export function UndoRedo() {
  const [state, setState] = useState<UndoState>({ undo: null, redo: null });
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .call('history.state', {})
      .then(setState)
      .catch(() => undefined);
  }, []);
  useEffect(load, [load]);
  useInvalidated(CASE_DOMAINS, load);

  const step = useCallback(
    async (direction: 'undo' | 'redo') => {
      if (busy) return;
      setBusy(true);
      try {
        const next = await api.call(direction === 'undo' ? 'history.undo' : 'history.redo', {});
        setState(next);
        setMessage(null);
        changed(CASE_DOMAINS);
      } catch (error) {
        setMessage(errorMessage(error));
      } finally {
        setBusy(false);
      }
    },
    [busy],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || typingInField(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void step('undo');
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        void step('redo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  return (
    <div className="undo-redo">
      <button type="button" onClick={() => void step('undo')} disabled={!state.undo || busy} title={state.undo ? `Undo: ${state.undo.summary} (Ctrl+Z)` : 'Nothing to undo'} aria-label="Undo" aria-description={state.undo ? `Undo: ${state.undo.summary}` : undefined}>
        ↶ Undo
      </button>
      <button type="button" onClick={() => void step('redo')} disabled={!state.redo || busy} title={state.redo ? `Redo: ${state.redo.summary} (Ctrl+Shift+Z)` : 'Nothing to redo'} aria-label="Redo" aria-description={state.redo ? `Redo: ${state.redo.summary}` : undefined}>
        ↷ Redo
      </button>
      {message ? (
        <span className="undo-message" role="alert">
          {message}
        </span>
      ) : null}
    </div>
  );
}
