// What the Electron preload puts on `window.caseboard`, and the IPC channels
// behind it. Free of zod and Node so the sandboxed preload can bundle it.
import type { Progress } from './contract';
import type { ErrorPayload } from './errors';
import type { OperationName } from './operation-names';
import type { ShortcutCommand } from './shortcuts';

/** The property of `window` the preload fills in. */
export const BRIDGE_KEY = 'caseboard';

/** Commands the main process sends to the window without the window asking. */
export const MENU_COMMANDS = [
  // A case was opened, created or closed from the menu or the desktop: reload app.state.
  'case-changed',
  // File > Export Case…: open the export dialog.
  'export-case',
  // File > Merge Case Into This…: open the merge view.
  'merge-case',
  // Menu items of the actions in shortcuts.ts: open the command palette, add an item, go to a view.
  'command-palette',
  'add-source',
  'add-entity',
  'add-link',
  'new-report',
  'find',
  'go-overview',
  'go-sources',
  'go-entities',
  'go-links',
  'go-areas',
  'go-graph',
  'go-timeline',
  'go-reports',
  'go-search',
  'go-history',
  'go-exchange',
  'go-screening',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

// Every action with a shortcut can be sent by the menu; this fails to compile if the lists drift.
const shortcutsAreMenuCommands: [Exclude<ShortcutCommand, MenuCommand>] extends [never] ? true : false = true;
void shortcutsAreMenuCommands;

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** Channel of menu commands, main process to window. */
export const MENU_CHANNEL = 'caseboard:menu';

const OPERATION_CHANNEL_PREFIX = 'caseboard:op:';

/** The IPC channel one operation is invoked on. */
export function operationChannel(name: OperationName): string {
  return `${OPERATION_CHANNEL_PREFIX}${name}`;
}

/** Channel of progress reports of calls that carry an id, main process to window: (callId, progress). */
export const PROGRESS_CHANNEL = 'caseboard:progress';

/** Channel on which the window cancels one of its calls by id. */
export const CANCEL_CHANNEL = 'caseboard:cancel';

/** An id the window gives a long call so it can follow its progress and cancel it. */
export function isCallId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value);
}

/** Channel of file dialogs, window to main process. */
export const PATH_CHANNEL = 'caseboard:choose-path';

/** What the window asks a file dialog for; the main process picks the dialog's wording and filters. */
export interface PathRequest {
  /** Open an existing file, or save to a new one. */
  mode: 'open' | 'save';
  /** A case file (filtered to .caseboard and encrypted case files), a report, or any file. */
  purpose: 'case' | 'report' | 'file';
  /** The dialog's title. */
  title: string;
  /** Suggested file name for a save dialog: a name only, never a folder. */
  defaultName?: string;
  /** File extensions to offer, without dots. */
  extensions?: string[];
}

export function isPathRequest(value: unknown): value is PathRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const request = value as Record<string, unknown>;
  const known = new Set(['mode', 'purpose', 'title', 'defaultName', 'extensions']);
  if (Object.keys(request).some((key) => !known.has(key))) return false;
  if (request.mode !== 'open' && request.mode !== 'save') return false;
  if (request.purpose !== 'case' && request.purpose !== 'report' && request.purpose !== 'file') return false;
  if (typeof request.title !== 'string' || request.title.length === 0 || request.title.length > 80) return false;
  if (request.defaultName !== undefined && (typeof request.defaultName !== 'string' || request.defaultName.length > 200 || /[\\/\0]/.test(request.defaultName) || request.defaultName.startsWith('.'))) return false;
  if (request.extensions !== undefined && (!Array.isArray(request.extensions) || request.extensions.length > 8 || !request.extensions.every((ext) => typeof ext === 'string' && /^[a-z0-9]{1,10}$/.test(ext)))) return false;
  return true;
}

/** What every operation channel answers: failures travel as data, so no stack or internal detail crosses. */
/** An operation's answer over IPC: its value, or (for large answers) its value as JSON text, or the error. */
export type OperationReply = { ok: true; value: unknown } | { ok: true; json: string } | { ok: false; error: ErrorPayload };

export interface CaseboardBridge {
  /**
   * Runs an operation in the main process. Resolves with its value; rejects
   * with an ErrorPayload (plain data, because contextBridge drops the fields of
   * Error subclasses), which the API client turns back into a CaseboardError.
   */
  call(name: string, input: unknown, callId?: string): Promise<unknown>;
  /** Cancels a call made with that id; the case stays as it was. */
  cancel(callId: string): void;
  /** Subscribes to progress reports of calls made with an id; returns the function that unsubscribes. */
  onProgress(listener: (callId: string, progress: Progress) => void): () => void;
  /** Subscribes to menu commands; returns the function that unsubscribes. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /**
   * Shows a native file dialog; resolves to the chosen path, or null when the
   * user cancelled. Operations in the window accept only paths chosen this way.
   */
  choosePath(request: PathRequest): Promise<string | null>;
}
