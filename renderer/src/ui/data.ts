import { useCallback, useEffect, useRef, useState } from 'react';
import { CASE_DOMAINS, type CaseDomain } from '../../../shared/changes';
import type { OpInput, OpOutput } from '../../../shared/contract';
import { CaseboardError } from '../../../shared/errors';
import type { OperationName } from '../../../shared/operation-names';
import { api, errorMessage } from './api';

export { CASE_DOMAINS, type CaseDomain };

type Listener = (domains: ReadonlySet<CaseDomain>) => void;

const listeners = new Set<Listener>();

/** Tells every view that shows these domains to fetch again. */
export function invalidate(domains: readonly CaseDomain[]): void {
  if (domains.length === 0) return;
  const changed = new Set(domains);
  for (const listener of [...listeners]) listener(changed);
}

/** Subscribes outside React (a store that outlives the views); returns the way to unsubscribe. */
export function onInvalidated(domains: readonly CaseDomain[], callback: () => void): () => void {
  const listener: Listener = (changed) => {
    if (domains.some((d) => changed.has(d))) callback();
  };
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Runs the callback whenever one of the domains changes, in this page or anywhere else. */
export function useInvalidated(domains: readonly CaseDomain[], callback: () => void): void {
  const ref = useRef(callback);
  ref.current = callback;
  const key = domains.join(' ');
  useEffect(() => onInvalidated(key.split(' ') as CaseDomain[], () => ref.current()), [key]);
}

/** Whether an item asked for is no longer in the case (deleted or merged, here or elsewhere). */
export function isGone(error: unknown): boolean {
  return error instanceof CaseboardError && error.code === 'not_found';
}

/** A number that grows whenever one of the domains changes: an effect that lists it runs again then. */
export function useChangeCount(domains: readonly CaseDomain[]): number {
  const [count, setCount] = useState(0);
  useInvalidated(domains, () => setCount((c) => c + 1));
  return count;
}

export interface OperationState<T> {
  data: T | undefined;
  error: string | null;
  /** Fetch again now, keeping the current data on screen until the answer comes. */
  refetch: () => void;
}

/**
 * The answer of a read operation, fetched again whenever one of `domains`
 * changes. The last answer stays on screen while the next is on its way, and
 * an answer that comes back after a newer request was made is dropped.
 */
export function useOperation<N extends OperationName>(name: N, input: OpInput<N> | null, options: { domains: readonly CaseDomain[] }): OperationState<OpOutput<N>> {
  const [data, setData] = useState<OpOutput<N> | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  const inputKey = input === null ? null : JSON.stringify(input);

  const refetch = useCallback(() => {
    if (inputKey === null) return;
    const ask = ++asked.current;
    api
      .call(name, JSON.parse(inputKey) as OpInput<N>)
      .then((answer) => {
        if (ask !== asked.current) return;
        setData(answer);
        setError(null);
      })
      .catch((e: unknown) => {
        if (ask === asked.current) setError(errorMessage(e));
      });
  }, [name, inputKey]);

  useEffect(refetch, [refetch]);
  useInvalidated(options.domains, refetch);
  return { data, error, refetch };
}

/**
 * A writing operation made in this page: once it succeeds, the views of the
 * domains it changes fetch again at once, without waiting for the change watcher.
 */
export function useMutation<N extends OperationName>(name: N, options: { invalidates: readonly CaseDomain[] }) {
  const invalidates = useRef(options.invalidates);
  invalidates.current = options.invalidates;
  return useCallback(
    async (input: OpInput<N>): Promise<OpOutput<N>> => {
      const answer = await api.call(name, input);
      changed(invalidates.current);
      return answer;
    },
    [name],
  );
}

/** After a write made in this page: its domains fetch again now, and the watcher learns of it so they do not fetch twice. */
export function changed(domains: readonly CaseDomain[]): void {
  invalidate(domains);
  void checkForChanges(domains);
}

/** How often the change watcher asks while the page is visible. */
const WATCH_EVERY_MS = 1000;

let seen: number | null = null;
let checking: Promise<void> | null = null;
let watchedCase: string | null = null;

/**
 * Asks the case how far it has come and makes the views of whatever changed
 * since the last look fetch again. `fresh` names domains the caller has just
 * invalidated itself. Resolves once the views have been told.
 */
export function checkForChanges(fresh: readonly CaseDomain[] = []): Promise<void> {
  if (checking) return checking.then(() => checkForChanges(fresh));
  const caseId = watchedCase;
  checking = api
    .call('case.changes', { since: seen ?? 0 })
    .then((answer) => {
      if (caseId !== watchedCase) return;
      const first = seen === null;
      seen = answer.version;
      if (!first) invalidate(answer.domains.filter((d) => !fresh.includes(d)));
    })
    .catch(() => undefined)
    .finally(() => {
      checking = null;
    });
  return checking;
}

/**
 * The page's one change watcher: while the case is open and the page visible,
 * asks about every second whether the case changed (in this page, another
 * window, a command line import, a merge) and invalidates what did. Hidden, it
 * stops asking; shown or focused again, it asks at once.
 */
export function useChangeWatcher(caseId: string | null): void {
  useEffect(() => {
    if (caseId === null) return;
    watchedCase = caseId;
    seen = null;
    void checkForChanges();
    const look = () => {
      if (document.visibilityState === 'visible') void checkForChanges();
    };
    const timer = window.setInterval(look, WATCH_EVERY_MS);
    document.addEventListener('visibilitychange', look);
    window.addEventListener('focus', look);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', look);
      window.removeEventListener('focus', look);
      if (watchedCase === caseId) watchedCase = null;
    };
  }, [caseId]);
}
