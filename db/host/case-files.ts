// What a door does with case files as files, beside the operations on an open
// case: create one, open one for a single command, check and decrypt one
// received from someone else, write an output file. The doors reach the
// database through here and the operation registry, never a domain's internals.
import type { OpInput, OpOutput, Progress } from '../../shared/contract';
import { createCaseFile, leftLogUnread, openCaseFile } from '../core/case-file';
import { buildNewFile } from '../core/output-file';
import { runStepsInterruptibly } from '../core/private-files';
import { isEncryptedFile } from '../share/encryption';
import { checkCaseFileSteps, decryptCaseFileSteps, type CheckReport } from '../share/share';
import { runCaseOperationAsync, type CaseOperationName } from './operations';
import { createSampleCase } from './sample-case';
import { defaultDataDir, SettingsStore } from './settings';

export { findChromium } from '../reports/pdf';
export { checkPassphrase } from '../share/encryption';
export type { CheckReport } from '../share/share';

/** A case file opened for one command, with the operations of the contract on it. */
export interface OpenedCase {
  /** Whether a write-ahead log lay beside the file and was not read (a read-only open reads the main file alone). */
  readonly logUnread: boolean;
  /** Validates the input against the contract and runs the operation; writing operations are one transaction each. */
  run<N extends CaseOperationName>(name: N, input: OpInput<N>, progress?: (progress: Progress) => void): Promise<OpOutput<N>>;
}

/**
 * Opens a case file in this thread for one command, runs `work` on it and
 * closes it whatever happens. What it writes is recorded under the
 * investigator's name from the settings.
 */
export async function withCaseFile<T>(file: string, options: { readonly?: boolean }, work: (opened: OpenedCase) => Promise<T>): Promise<T> {
  const db = openCaseFile(file, options.readonly ? { readonly: true } : {});
  let actor: string | null = null;
  const investigator = () => (actor ??= new SettingsStore(defaultDataDir()).actor());
  try {
    return await work({
      logUnread: leftLogUnread(db),
      run: (name, input, progress) => runCaseOperationAsync(db, name, input, { actor: investigator(), progress: progress ?? (() => undefined), throwIfCancelled: () => undefined }),
    });
  } finally {
    db.close();
  }
}

/** Prints the PDF reports of this process with `executable` (the command line's --chromium), as CASEBOARD_CHROMIUM would. */
export function printReportsWith(executable: string): void {
  process.env.CASEBOARD_CHROMIUM = executable;
}

/** Creates a new, empty case file at `target`, never over an existing file. */
export function createCaseFileAt(target: string, title: string, marking: string | null): void {
  buildNewFile(target, (built) => createCaseFile(built, { title, marking }).close());
}

/** Creates the sample case at `target`, never over an existing file. */
export function createSampleCaseFileAt(target: string): void {
  buildNewFile(target, (built) => createSampleCase(built).close());
}

/** Whether a file is an encrypted case file; false for one that is missing or unreadable, which the next step reports in its own words. */
export function isEncryptedCaseFile(file: string): boolean {
  try {
    return isEncryptedFile(file);
  } catch {
    return false;
  }
}

/** Checks a received case file on a private copy of its main file alone; the file is never changed. Ctrl+C stops it between steps. */
export function checkReceivedCaseFile(file: string, passphrase: string | undefined): Promise<CheckReport> {
  return runStepsInterruptibly(checkCaseFileSteps(file, passphrase));
}

/** Decrypts a received encrypted case file into a new case file, and checks it. Ctrl+C stops it between steps. */
export function decryptReceivedCaseFile(file: string, target: string, passphrase: string): Promise<CheckReport> {
  return runStepsInterruptibly(decryptCaseFileSteps(file, target, passphrase));
}
