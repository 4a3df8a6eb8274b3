import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { CaseDomain } from '../../../shared/changes';
import { errorMessage } from './api';
import { changed, isGone } from './data';
import { fieldErrorsFromError, type FieldErrors } from './form-errors';
import { DISCARD_QUESTION, useDraft, useLeaveGuard, type Draft, type LeaveGuard } from './use-draft';
import { GoneNotice } from './GoneNotice';
import './claim-panel.css';

/** The state of a side panel that edits one source, entity or link (or adds a new one). */
export interface ClaimForm<D> {
  draft: Draft<D>;
  guard: LeaveGuard;
  errors: FieldErrors;
  setErrors: (errors: FieldErrors) => void;
  failure: string | null;
  status: string | null;
  busy: boolean;
  loaded: boolean;
  /** Why the item can no longer be shown: deleted or merged, here or elsewhere. */
  gone: string | null;
  /** Fetches the item and hands its fields to the draft, which keeps any typing. */
  load: (fetch: () => Promise<D>) => void;
  /** Validates, writes, and on success settles the draft and says so. */
  save: <T>(steps: { invalid: () => FieldErrors | null; write: () => Promise<T>; message: string; done: (saved: T, message: string) => void; fieldErrors?: (errors: FieldErrors) => FieldErrors; domains?: readonly CaseDomain[] }) => Promise<void>;
  remove: (write: () => Promise<unknown>, done: () => void, domains?: readonly CaseDomain[]) => Promise<void>;
  /** A write beside the draft (a tag, a citation): the panel fetches again after it. */
  run: (work: () => Promise<unknown>, domains?: readonly CaseDomain[]) => Promise<void>;
}

/** The draft and the load, save and delete bookkeeping every claim panel shares. */
export function useClaimForm<D>({ initial, isNew, notice, guard }: { initial: D | (() => D); isNew: boolean; notice: string | undefined; guard: LeaveGuard | undefined }): ClaimForm<D> {
  const own = useLeaveGuard();
  const leaveGuard = guard ?? own;
  const [status, setStatus] = useState<string | null>(notice ?? null);
  const draft = useDraft(initial, leaveGuard, () => setStatus(null));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(isNew);
  const [gone, setGone] = useState<string | null>(null);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const { loaded: toDraft, settle } = draft;

  const load = useCallback(
    (fetch: () => Promise<D>) => {
      fetch()
        .then((fields) => {
          if (!live.current) return;
          toDraft(fields);
          setLoaded(true);
          setGone(null);
        })
        .catch((error: unknown) => {
          if (!live.current) return;
          if (isGone(error)) setGone(errorMessage(error));
          else setFailure(errorMessage(error));
        });
    },
    [toDraft],
  );

  const save: ClaimForm<D>['save'] = async ({ invalid, write, message, done, fieldErrors = (e) => e, domains = ['model'] }) => {
    setFailure(null);
    setStatus(null);
    const wrong = invalid();
    if (wrong) {
      setErrors(fieldErrors(wrong));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await write();
      settle();
      setStatus(message);
      changed(domains);
      done(saved, message);
    } catch (error) {
      setErrors(fieldErrors(fieldErrorsFromError(error, 'fields')));
      setFailure(errorMessage(error));
    } finally {
      if (live.current) setBusy(false);
    }
  };

  const remove = async (write: () => Promise<unknown>, done: () => void, domains: readonly CaseDomain[] = ['model']) => {
    setBusy(true);
    try {
      await write();
      // What was typed into a deleted item has nowhere to go.
      settle();
      changed(domains);
      done();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };

  const run = async (work: () => Promise<unknown>, domains: readonly CaseDomain[] = ['model']) => {
    setFailure(null);
    try {
      await work();
      changed(domains);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return { draft, guard: leaveGuard, errors, setErrors, failure, status, busy, loaded, gone, load, save, remove, run };
}

/** Asks "Discard what you typed?" for the guard, in place, when something would take the typing away. */
function useDiscardQuestion(guard: LeaveGuard, settle: () => void) {
  const [asking, setAsking] = useState<{ proceed: () => void } | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    guard.ask = (proceed) => {
      if (document.activeElement instanceof HTMLElement && !document.activeElement.closest('.discard-bar')) returnTo.current = document.activeElement;
      setAsking({ proceed });
    };
    return () => {
      guard.ask = null;
    };
  }, [guard]);
  const discard = () => {
    const proceed = asking?.proceed;
    settle();
    setAsking(null);
    proceed?.();
  };
  const keep = () => {
    setAsking(null);
    if (returnTo.current?.isConnected) returnTo.current.focus();
  };
  return { asking: asking !== null, discard, keep };
}

/**
 * The frame of a claim's side panel: its title and close button, the
 * question before typing is thrown away, what happened to the item
 * elsewhere, the form with its failure and status lines, and the delete and
 * save actions.
 */
export function ClaimPanel<D>({
  form,
  titleId,
  title,
  noun,
  wide = false,
  onClose,
  onSubmit,
  submitLabel,
  deleteQuestion,
  onDelete,
  actions,
  closeLabel,
  children,
  after,
}: {
  form: ClaimForm<D>;
  titleId: string;
  title: string;
  /** The item in the investigator's words: "entity", "link", "source". */
  noun: string;
  wide?: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  /** The question before deleting; none for an item not yet added. */
  deleteQuestion: string | null;
  onDelete: () => void;
  /** Further actions beside Delete, e.g. Merge…. */
  actions?: ReactNode;
  /** A Close button beside the save button, for panels that have one. */
  closeLabel?: string;
  children: ReactNode;
  /** Shown under the form once it is loaded. */
  after?: ReactNode;
}) {
  const { guard, draft, failure, status, busy, loaded, gone } = form;
  const question = useDiscardQuestion(guard, draft.settle);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const leave = () => guard.leave(onClose);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    // An open list inside the panel closes first; inside a dialog, the dialog's own Escape asks.
    if (target.closest('[aria-expanded="true"], dialog')) return;
    event.preventDefault();
    leave();
  };

  return (
    <aside className={wide ? 'side-panel wide' : 'side-panel'} aria-labelledby={titleId} onKeyDown={onKeyDown} data-dirty={draft.dirty ? 'true' : undefined}>
      <div className="panel-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon" onClick={leave} aria-label="Close panel">
          ×
        </button>
      </div>
      {question.asking ? (
        <div className="discard-bar" role="alert">
          <span>{DISCARD_QUESTION}</span>
          <button type="button" className="danger" onClick={question.discard}>
            Discard
          </button>
          <button type="button" autoFocus onClick={question.keep}>
            Keep editing
          </button>
        </div>
      ) : null}
      <GoneNotice message={gone} />
      {draft.changedElsewhere && !gone ? (
        <p className="changed-elsewhere" role="status">
          This {noun} was changed elsewhere while you typed. What you typed is kept; Save changes writes it over the change.
        </p>
      ) : null}
      {!loaded && !failure && !gone ? <p className="muted">Loading…</p> : null}
      {loaded ? (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            onSubmit();
          }}
          noValidate
          className="panel-form"
        >
          {children}
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
          <div className="form-actions">
            {deleteQuestion !== null ? (
              confirmDelete ? (
                <span className="confirm">
                  {deleteQuestion}{' '}
                  <button type="button" className="danger" onClick={onDelete} disabled={busy}>
                    Yes, delete
                  </button>{' '}
                  <button type="button" onClick={() => setConfirmDelete(false)}>
                    Keep
                  </button>
                </span>
              ) : (
                <>
                  <button type="button" className="danger-outline" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </button>
                  {actions}
                </>
              )
            ) : null}
            <span className="spacer" />
            {closeLabel ? (
              <button type="button" onClick={leave}>
                {closeLabel}
              </button>
            ) : null}
            <button type="submit" className="primary" disabled={busy}>
              {submitLabel}
            </button>
          </div>
        </form>
      ) : null}
      {loaded ? after : null}
      {!loaded && failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
    </aside>
  );
}
