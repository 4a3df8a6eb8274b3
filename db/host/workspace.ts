import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AppState, Door, OpOutput, OpParsedInput, Progress } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';
import type { OperationName } from '../../shared/operation-names';
import type { CaseDetails } from '../../shared/schemas';
import { parseOperationInput } from '../../shared/validate';
import { CASE_FILE_EXTENSION } from '../../shared/case-file-name';
import { CaseWorker, type CaseWorkerOptions } from './case-worker';
import { isEncryptedFile } from '../share/encryption';
import { JsonAnswer } from '../core/json-answer';

// A door sends a JSON answer on as text; it knows the class from here.
export { JsonAnswer };
import { sweepPrivateFolder } from '../core/private-files';
import { defaultDataDir, SettingsStore } from './settings';
// Before any database thread starts: the threads inherit what the main thread set.
import '../core/sqlite-uri';

export interface WorkspaceOptions extends CaseWorkerOptions {
  door: Door;
  dataDir?: string;
}

export interface CallOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** Makes a file name from a case title: letters of any script kept, the rest dashed. */
export function fileNameForTitle(title: string): string {
  const base = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'case'}${CASE_FILE_EXTENSION}`;
}

/**
 * What every door shares: which case file is open, the recent list, and the
 * single entry point `call` that validates input and runs the operation.
 */
export class Workspace {
  readonly settings: SettingsStore;
  readonly casesFolder: string;
  private readonly worker: CaseWorker;
  private current: CaseDetails | null = null;
  private readonly listeners = new Set<(details: CaseDetails | null) => void>();

  constructor(private readonly options: WorkspaceOptions) {
    const dataDir = options.dataDir ?? defaultDataDir();
    this.settings = new SettingsStore(dataDir);
    this.casesFolder = path.join(dataDir, 'cases');
    // Private copies a killed Caseboard left behind (received files being checked, exports being made).
    sweepPrivateFolder(dataDir);
    this.worker = new CaseWorker({ startReaderWithCase: true, ...options });
  }

  get currentCase(): CaseDetails | null {
    return this.current;
  }

  /** Called whenever the open case or its title changes (window title, menus). */
  onCaseChanged(listener: (details: CaseDetails | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setCurrent(details: CaseDetails | null): void {
    this.current = details;
    if (details) this.settings.rememberOpened({ path: details.path, title: details.title });
    for (const listener of this.listeners) listener(details);
  }

  /** Resolves where a new case file goes: bare names land in the cases folder. */
  resolveNewCasePath(requested: string | undefined, title: string): string {
    mkdirSync(this.casesFolder, { recursive: true });
    if (!requested) {
      const name = fileNameForTitle(title);
      let candidate = path.join(this.casesFolder, name);
      for (let n = 2; existsSync(candidate); n += 1) candidate = path.join(this.casesFolder, name.replace(CASE_FILE_EXTENSION, `-${n}${CASE_FILE_EXTENSION}`));
      return candidate;
    }
    const withExtension = path.extname(requested) ? requested : `${requested}${CASE_FILE_EXTENSION}`;
    return path.isAbsolute(withExtension) ? withExtension : path.join(this.casesFolder, withExtension);
  }

  async openCase(file: string, passphrase?: string): Promise<CaseDetails> {
    const absolute = path.resolve(file);
    if (existsSync(absolute) && isEncryptedFile(absolute)) return this.openEncrypted(absolute, passphrase);
    const details = (await this.worker.open(absolute)) as CaseDetails;
    this.setCurrent(details);
    return details;
  }

  /** A received encrypted case is decrypted in the private folder, checked there, then put in the cases folder and opened; the encrypted file stays as it was. */
  private async openEncrypted(file: string, passphrase: string | undefined): Promise<CaseDetails> {
    if (!passphrase) throw new CaseboardError('invalid_input', `${path.basename(file)} is encrypted; enter its passphrase to open it.`, [{ path: 'passphrase', message: 'This case file is encrypted; enter its passphrase.' }]);
    const base = path.basename(file).replace(/\.enc$/i, '').replace(new RegExp(`\\${CASE_FILE_EXTENSION}$`, 'i'), '');
    mkdirSync(this.casesFolder, { recursive: true });
    let target = path.join(this.casesFolder, `${base}${CASE_FILE_EXTENSION}`);
    for (let n = 2; existsSync(target); n += 1) target = path.join(this.casesFolder, `${base}-${n}${CASE_FILE_EXTENSION}`);
    await this.worker.decrypt(file, target, passphrase);
    return this.openCase(target);
  }

  async newCase(file: string | undefined, title: string, marking?: string): Promise<CaseDetails> {
    const target = this.resolveNewCasePath(file, title);
    const details = (await this.worker.create(target, title, marking?.trim() || null)) as CaseDetails;
    this.setCurrent(details);
    return details;
  }

  /**
   * Opens what the user had last; on a first start, creates a case in the
   * user data folder. A last case that has gone missing is dropped from the list.
   */
  async openInitial(): Promise<CaseDetails> {
    const last = this.settings.read().lastCase;
    if (last && existsSync(last)) {
      try {
        return await this.openCase(last);
      } catch {
        this.settings.forget(last);
      }
    } else if (last) {
      this.settings.forget(last);
    }
    return this.newCase(undefined, 'My first case');
  }

  /** Opens the sample case from the cases folder, creating it there the first time. */
  async openSample(): Promise<CaseDetails> {
    mkdirSync(this.casesFolder, { recursive: true });
    const file = path.join(this.casesFolder, `Sample case${CASE_FILE_EXTENSION}`);
    if (existsSync(file)) return this.openCase(file);
    const details = (await this.worker.createSample(file)) as CaseDetails;
    this.setCurrent(details);
    return details;
  }

  async closeCase(): Promise<void> {
    await this.worker.close();
    this.settings.forgetLastCase();
    this.setCurrent(null);
  }

  appState(): AppState {
    const settings = this.settings.read();
    return { door: this.options.door, case: this.current, recent: this.settings.recentCases(), casesFolder: this.casesFolder, investigator: settings.investigator, defaultInvestigator: this.settings.actor() };
  }

  /** The one entry point every door uses: validate against the contract, then run. */
  async call<N extends OperationName>(name: N, rawInput: unknown, options: CallOptions = {}): Promise<OpOutput<N>> {
    const answer = await this.callKeepingJson(name, rawInput, options);
    return (answer instanceof JsonAnswer ? answer.value() : answer) as OpOutput<N>;
  }

  /** As `call`, but an answer the database thread wrote as JSON stays text, for a door to send on as it is. */
  callKeepingJson<N extends OperationName>(name: N, rawInput: unknown, options: CallOptions = {}): Promise<OpOutput<N> | JsonAnswer> {
    return this.runKeepingJson(name, parseOperationInput(name, rawInput), options);
  }

  /**
   * Runs an operation whose input the door has already parsed against the
   * contract (it checks what it parsed, as the window's path guard does), so
   * nothing parses it twice. A JSON answer stays text.
   */
  async runKeepingJson<N extends OperationName>(name: N, input: OpParsedInput<N>, options: CallOptions = {}): Promise<OpOutput<N> | JsonAnswer> {
    return (await this.dispatch(name, input, options)) as OpOutput<N> | JsonAnswer;
  }

  private async dispatch(name: OperationName, input: unknown, options: CallOptions): Promise<unknown> {
    switch (name) {
      case 'app.state':
        return this.appState();
      case 'app.newCase': {
        const i = input as { path?: string; title: string; marking?: string };
        return this.newCase(i.path, i.title, i.marking);
      }
      case 'app.openCase': {
        const i = input as { path: string; passphrase?: string };
        return this.openCase(i.path, i.passphrase);
      }
      case 'app.openSample':
        return this.openSample();
      case 'app.setInvestigator':
        this.settings.setInvestigator((input as { name: string }).name);
        return null;
      case 'app.closeCase':
        await this.closeCase();
        return null;
      case 'app.saveCopy': {
        const target = (input as { path: string }).path;
        if (!path.isAbsolute(target)) throw new CaseboardError('invalid_input', 'Give the full path of the copy to save.');
        return this.worker.saveCopy(target);
      }
      default: {
        const value = await this.worker.run(name, input, this.settings.actor(), options.onProgress, options.signal);
        if (name === 'case.update') this.setCurrent(value as CaseDetails);
        return value;
      }
    }
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }
}
