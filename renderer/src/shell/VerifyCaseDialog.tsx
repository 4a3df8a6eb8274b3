import { useEffect, useRef, useState } from 'react';
import type { Progress } from '../../../shared/contract';
import { CaseboardError } from '../../../shared/errors';
import type { CaseVerifyReport } from '../../../shared/schemas';
import { callWithProgress, errorMessage } from '../ui/api';
import { Dialog } from '../ui/Dialog';

const VERIFY_CASE_EVENT = 'caseboard:verify-case';

/** Opens Verify case file from anywhere (the command palette). */
export function openVerifyCase(): void {
  window.dispatchEvent(new Event(VERIFY_CASE_EVENT));
}

/** Calls `open` whenever Verify case file is asked for. */
export function useVerifyCaseRequests(open: () => void): void {
  useEffect(() => {
    window.addEventListener(VERIFY_CASE_EVENT, open);
    return () => window.removeEventListener(VERIFY_CASE_EVENT, open);
  }, [open]);
}

type State = { kind: 'running'; progress: Progress | null; cancelling: boolean } | { kind: 'done'; report: CaseVerifyReport } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

/** The verdict on a finished check, in words. */
function verdict(report: CaseVerifyReport): { healthy: boolean; text: string } {
  if (report.integrity === 'ok' && report.foreignKeyProblems === 0) {
    return { healthy: true, text: `The case file is healthy: all ${report.tables} tables and their indexes read back whole, and every reference points at an item of the case.` };
  }
  if (report.integrity !== 'ok') return { healthy: false, text: 'The case file is damaged: SQLite found pages or index entries that do not read back as they were written.' };
  return { healthy: false, text: `${report.foreignKeyProblems} ${report.foreignKeyProblems === 1 ? 'reference points' : 'references point'} at an item that is no longer in the case.` };
}

/**
 * Verify case file: reads every table and index of the open case, showing how
 * far it has come, and may be cancelled; it changes nothing. Opening a case
 * skips this whole-file read so that a large case opens at once.
 */
export function VerifyCaseDialog({ onClose }: { onClose: () => void }) {
  const [state, setState] = useState<State>({ kind: 'running', progress: null, cancelling: false });
  const abort = useRef<AbortController | null>(null);
  const [runs, setRuns] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', progress: null, cancelling: false });
    callWithProgress('case.verify', {}, { signal: controller.signal, onProgress: (progress) => setState((s) => (s.kind === 'running' && !controller.signal.aborted ? { ...s, progress } : s)) })
      .then((report) => setState({ kind: 'done', report }))
      .catch((error: unknown) => {
        if (error instanceof CaseboardError && error.code === 'cancelled') setState({ kind: 'cancelled' });
        else setState({ kind: 'failed', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [runs]);

  const cancel = () => {
    abort.current?.abort();
    setState((s) => (s.kind === 'running' ? { ...s, cancelling: true } : s));
  };
  const close = () => {
    if (state.kind === 'running') abort.current?.abort();
    onClose();
  };

  return (
    <Dialog title="Verify case file" labelledBy="verify-case-title" onClose={close}>
      <div className="verify-case">
        {state.kind === 'running' ? (
          <div className="long-task" role="group" aria-label="Verifying the case file">
            <div className="long-task-head">
              <strong>Reading every table and index</strong>
              <span className="muted" aria-live="polite">
                {state.cancelling ? 'Cancelling…' : (state.progress?.message ?? 'Starting…')}
              </span>
            </div>
            <div className="long-task-bar">
              {state.progress && state.progress.total > 0 ? (
                <progress max={state.progress.total} value={state.progress.done} aria-label="Verify case file: progress" />
              ) : (
                <progress aria-label="Verify case file: progress" />
              )}
              <button type="button" onClick={cancel} disabled={state.cancelling}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        {state.kind === 'done' ? (
          <>
            <p role="status" className={verdict(state.report).healthy ? 'verify-ok' : 'form-failure'}>
              {verdict(state.report).text}
            </p>
            {state.report.integrity !== 'ok' ? (
              <>
                <p>Keep this file as it is, and work from a backup or a copy someone shared with you. SQLite reported:</p>
                <pre className="verify-findings">{state.report.integrity}</pre>
              </>
            ) : null}
          </>
        ) : null}
        {state.kind === 'cancelled' ? <p role="status">Verification cancelled; nothing was changed.</p> : null}
        {state.kind === 'failed' ? (
          <p className="form-failure" role="alert">
            {state.message}
          </p>
        ) : null}
        <div className="form-actions">
          {state.kind !== 'running' ? (
            <button type="button" onClick={() => setRuns((n) => n + 1)}>
              Verify again
            </button>
          ) : null}
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
