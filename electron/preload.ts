// Runs sandboxed in the window before the UI. Exposes two named functions and
// nothing else: the page never sees ipcRenderer, events or Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, isMenuCommand, MENU_CHANNEL, operationChannel, type CaseboardBridge, type MenuCommand, type OperationReply } from '../shared/bridge';
import { isErrorPayload, type ErrorPayload } from '../shared/errors';
import { isOperationName } from '../shared/operation-names';

function isReply(value: unknown): value is OperationReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown };
  return reply.ok === true || (reply.ok === false && isErrorPayload(reply.error));
}

// Rejections carry the payload itself, not an Error: contextBridge keeps only an Error's message.
function fail(error: ErrorPayload): Promise<never> {
  return Promise.reject(error);
}

async function call(name: string, input: unknown): Promise<unknown> {
  // Checked here too so a wrong name never reaches IPC, where it would only meet a missing handler.
  if (!isOperationName(name)) return fail({ code: 'unknown_operation', message: `There is no operation called "${String(name).slice(0, 80)}".` });
  const reply: unknown = await ipcRenderer.invoke(operationChannel(name), input);
  if (!isReply(reply)) return fail({ code: 'internal', message: 'Caseboard gave an answer the window does not understand.' });
  return reply.ok ? reply.value : fail(reply.error);
}

function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  // The IPC event stays here: it carries the sender, which the page must not get.
  const receive = (_event: IpcRendererEvent, command: unknown) => {
    if (isMenuCommand(command)) listener(command);
  };
  ipcRenderer.on(MENU_CHANNEL, receive);
  return () => {
    ipcRenderer.removeListener(MENU_CHANNEL, receive);
  };
}

const bridge = { call, onMenuCommand } satisfies CaseboardBridge;

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
