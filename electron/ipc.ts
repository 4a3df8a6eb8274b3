import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CallOptions } from '../db/workspace';
import { operationChannel, type OperationReply } from '../shared/bridge';
import { CaseboardError, toErrorPayload } from '../shared/errors';
import { OPERATION_NAMES, type OperationName } from '../shared/operation-names';
import { parseOperationInput } from '../shared/validate';
import { isAppUrl } from './protocol';

/** What the IPC layer needs of the workspace; Workspace fits. */
export interface OperationRunner {
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

// Calls in flight per window. Closing a window cancels its calls, as a dropped connection
// does in the browser mode; one 'destroyed' listener per window serves them all.
const callsInFlight = new WeakMap<WebContents, Set<AbortController>>();

function startCall(contents: WebContents): { signal: AbortSignal; finish: () => void } {
  let calls = callsInFlight.get(contents);
  if (!calls) {
    const started = new Set<AbortController>();
    contents.once('destroyed', () => {
      for (const call of started) call.abort();
      started.clear();
    });
    callsInFlight.set(contents, started);
    calls = started;
  }
  const call = new AbortController();
  calls.add(call);
  return { signal: call.signal, finish: () => calls.delete(call) };
}

function guarded(name: OperationName, workspace: OperationRunner, isTrustedSender: SenderCheck) {
  return async (event: IpcMainInvokeEvent, rawInput: unknown): Promise<OperationReply> => {
    if (!isTrustedSender(event)) {
      console.warn(`caseboard: refused ${name} from ${(event.senderFrame?.url ?? 'a frame that is gone').slice(0, 200)}`);
      return REFUSED;
    }
    const call = startCall(event.sender);
    try {
      const input = parseOperationInput(name, rawInput);
      return { ok: true, value: await workspace.call(name, input, { signal: call.signal }) };
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error(`caseboard: ${name} failed:`, error);
      return { ok: false, error: toErrorPayload(error) };
    } finally {
      call.finish();
    }
  };
}

/**
 * Registers every operation of the contract on its channel, each behind the
 * sender check and input validation; the only place the app calls
 * `ipcMain.handle`. Returns a function that removes them again.
 */
export function registerOperations(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, workspace: OperationRunner, isTrustedSender: SenderCheck): () => void {
  for (const name of OPERATION_NAMES) ipcMain.handle(operationChannel(name), guarded(name, workspace, isTrustedSender));
  return () => {
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(operationChannel(name));
  };
}
