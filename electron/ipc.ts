import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { JsonAnswer, type CallOptions } from '../db/host/workspace';
import { CANCEL_CHANNEL, isCallId, operationChannel, PATH_CHANNEL, PROGRESS_CHANNEL, type OperationReply } from '../shared/bridge';
import type { Progress } from '../shared/contract';
import { CaseboardError, toErrorPayload } from '../shared/errors';
import { OPERATION_NAMES, type OperationName } from '../shared/operation-names';
import { parseOperationInput } from '../shared/validate';
import type { PathAccess } from './path-access';
import { isAppUrl } from './protocol';

/** What the IPC layer needs of the workspace. A JsonAnswer goes to the window as text, which the preload parses. */
export interface OperationRunner {
  /** Runs an operation with the input as the IPC layer parsed it: the workspace does not parse it again. */
  call(name: OperationName, input: unknown, options: CallOptions): Promise<unknown>;
}

/** Decides whether an IPC message may run an operation at all. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

// Same code as the browser mode uses when it refuses a request from elsewhere.
const REFUSED: OperationReply = {
  ok: false,
  error: new CaseboardError('invalid_input', 'This request did not come from the Caseboard window, so it was refused.').toPayload(),
};

/**
 * The sender check for operations: the message must come from the top frame
 * of a window the factory made, while that frame shows our own UI. Anything
 * else (a subframe, a page that navigated elsewhere, some other web contents)
 * is refused before its input is even read.
 */
export function trustedSender(isOurWindow: (contents: WebContents) => boolean): SenderCheck {
  return (event) => {
    // Null when the frame navigated or was destroyed after sending.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    if (!isOurWindow(event.sender)) return false;
    // WebFrameMain objects are not guaranteed identical for one frame; the frame tree node id is.
    if (frame.frameTreeNodeId !== event.sender.mainFrame.frameTreeNodeId) return false;
    return isAppUrl(frame.url);
  };
}

// Calls in flight per window, by the id the window gave them (if any). Closing a window cancels
// its calls, as a dropped connection does in the browser mode; one 'destroyed' listener per
// window serves them all. A window can cancel its own calls by id, never another window's.
const callsInFlight = new WeakMap<WebContents, Map<AbortController, string | null>>();

function startCall(contents: WebContents, callId: string | null): { signal: AbortSignal; finish: () => void } {
  let calls = callsInFlight.get(contents);
  if (!calls) {
    const started = new Map<AbortController, string | null>();
    contents.once('destroyed', () => {
      for (const call of started.keys()) call.abort();
      started.clear();
    });
    callsInFlight.set(contents, started);
    calls = started;
  }
  const call = new AbortController();
  calls.set(call, callId);
  return { signal: call.signal, finish: () => calls.delete(call) };
}

function cancelCall(contents: WebContents, callId: string): boolean {
  for (const [call, id] of callsInFlight.get(contents) ?? []) {
    if (id === callId) {
      call.abort();
      return true;
    }
  }
  return false;
}

function guarded(name: OperationName, workspace: OperationRunner, isTrustedSender: SenderCheck, paths: PathAccess | undefined) {
  return async (event: IpcMainInvokeEvent, rawInput: unknown, rawCallId?: unknown): Promise<OperationReply> => {
    if (!isTrustedSender(event)) {
      console.warn(`caseboard: refused ${name} from ${(event.senderFrame?.url ?? 'a frame that is gone').slice(0, 200)}`);
      return REFUSED;
    }
    // A call with an id reports progress to its window and can be cancelled by it.
    const callId = isCallId(rawCallId) ? rawCallId : null;
    const sender = event.sender;
    const call = startCall(sender, callId);
    const onProgress = callId
      ? (progress: Progress) => {
          if (!sender.isDestroyed()) sender.send(PROGRESS_CHANNEL, callId, progress);
        }
      : undefined;
    try {
      const input = parseOperationInput(name, rawInput);
      paths?.check(sender, name, input);
      const value = await workspace.call(name, input, { signal: call.signal, ...(onProgress ? { onProgress } : {}) });
      return value instanceof JsonAnswer ? { ok: true, json: value.text } : { ok: true, value };
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error(`caseboard: ${name} failed:`, error);
      return { ok: false, error: toErrorPayload(error) };
    } finally {
      call.finish();
    }
  };
}

function pathChooser(paths: PathAccess, isTrustedSender: SenderCheck) {
  return async (event: IpcMainInvokeEvent, request: unknown): Promise<OperationReply> => {
    if (!isTrustedSender(event)) {
      console.warn(`caseboard: refused a file dialog for ${(event.senderFrame?.url ?? 'a frame that is gone').slice(0, 200)}`);
      return REFUSED;
    }
    try {
      return { ok: true, value: await paths.choose(event.sender, request) };
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error('caseboard: the file dialog failed:', error);
      return { ok: false, error: toErrorPayload(error) };
    }
  };
}

/**
 * Registers every operation of the contract on its channel, each behind the
 * sender check and input validation, and, given path access, the file dialog
 * channel, with paths in operations checked against what the user chose; the
 * only place the app calls `ipcMain.handle`. Returns a function that removes
 * them again.
 */
export function registerOperations(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, workspace: OperationRunner, isTrustedSender: SenderCheck, paths?: PathAccess): () => void {
  for (const name of OPERATION_NAMES) ipcMain.handle(operationChannel(name), guarded(name, workspace, isTrustedSender, paths));
  if (paths) ipcMain.handle(PATH_CHANNEL, pathChooser(paths, isTrustedSender));
  ipcMain.handle(CANCEL_CHANNEL, (event: IpcMainInvokeEvent, callId: unknown): boolean => isTrustedSender(event) && isCallId(callId) && cancelCall(event.sender, callId));
  return () => {
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(operationChannel(name));
    ipcMain.removeHandler(CANCEL_CHANNEL);
    if (paths) ipcMain.removeHandler(PATH_CHANNEL);
  };
}
