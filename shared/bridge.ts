// What the Electron preload puts on `window.caseboard`, and the IPC channels
// behind it. Free of zod and Node so the sandboxed preload can bundle it.
import type { ErrorPayload } from './errors';
import type { OperationName } from './operation-names';

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
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

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

/** What every operation channel answers: failures travel as data, so no stack or internal detail crosses. */
export type OperationReply = { ok: true; value: unknown } | { ok: false; error: ErrorPayload };

export interface CaseboardBridge {
  /**
   * Runs an operation in the main process. Resolves with its value; rejects
   * with an ErrorPayload (plain data, because contextBridge drops the fields of
   * Error subclasses), which the API client turns back into a CaseboardError.
   */
  call(name: string, input: unknown): Promise<unknown>;
  /** Subscribes to menu commands; returns the function that unsubscribes. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
