import { useRef, useState } from 'react';
import { CaseboardError } from '../../../shared/errors';
import { errorMessage } from '../ui/api';
import { uploadAttachment } from './api';

interface Outcome {
  name: string;
  status: 'imported' | 'duplicate' | 'failed';
  message?: string;
}

interface Batch {
  total: number;
  done: number;
  current: string | null;
  outcomes: Outcome[];
  cancelled: boolean;
  finished: boolean;
}

/**
 * Imports many files at once, each as a new source of its own: one file, one
 * operation, one transaction, so cancelling keeps every file imported so far.
 */
export function useFileImport(onImported: () => void) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async (files: File[]) => {
    if (files.length === 0 || abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    const outcomes: Outcome[] = [];
    setBatch({ total: files.length, done: 0, current: files[0]?.name ?? null, outcomes, cancelled: false, finished: false });
    for (const [index, file] of files.entries()) {
      if (controller.signal.aborted) break;
      setBatch((b) => b && { ...b, done: index, current: file.name });
      try {
        const result = await uploadAttachment(file, { signal: controller.signal });
        const note = result.attachment.textStatus === 'failed' || result.attachment.textStatus === 'no_text' ? result.attachment.textNote : null;
        outcomes.push(note ? { name: file.name, status: 'imported', message: note } : { name: file.name, status: 'imported' });
      } catch (error) {
        if (error instanceof CaseboardError && error.code === 'cancelled') break;
        outcomes.push({ name: file.name, status: error instanceof CaseboardError && error.code === 'conflict' ? 'duplicate' : 'failed', message: errorMessage(error) });
      }
      setBatch((b) => b && { ...b, done: index + 1, outcomes: [...outcomes] });
      onImported();
    }
    abort.current = null;
    setBatch((b) => b && { ...b, current: null, outcomes: [...outcomes], cancelled: controller.signal.aborted, finished: true });
    onImported();
  };

  const cancel = () => abort.current?.abort();
  const dismiss = () => setBatch(null);
  return { batch, start, cancel, dismiss };
}

export function ImportProgress({ batch, onCancel, onDismiss }: { batch: Batch; onCancel: () => void; onDismiss: () => void }) {
  const imported = batch.outcomes.filter((o) => o.status === 'imported').length;
  const problems = batch.outcomes.filter((o) => o.status !== 'imported' || o.message);
  return (
    <div className="import-progress" role="region" aria-label="Import">
      <div className="import-line">
        <progress max={batch.total} value={batch.done} aria-label="Files imported" />
        <span aria-live="polite">
          {batch.finished
            ? `${batch.cancelled ? 'Import cancelled' : 'Import finished'}: ${imported} of ${batch.total} ${batch.total === 1 ? 'file' : 'files'} imported.`
            : `Importing ${batch.done + 1} of ${batch.total}: ${batch.current ?? ''}`}
        </span>
        {batch.finished ? (
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        ) : (
          <button type="button" onClick={onCancel}>
            Cancel import
          </button>
        )}
      </div>
      {problems.length > 0 ? (
        <ul className="import-problems">
          {problems.map((o, i) => (
            <li key={`${o.name}-${i}`} className={o.status}>
              {o.status === 'imported' ? `${o.name} was imported, but: ${o.message ?? ''}` : o.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
