// Runs sandboxed in the window before the UI. Exposes five named functions and
// nothing else: the page never sees ipcRenderer, events or Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_KEY,
  CANCEL_CHANNEL,
  isCallId,
  isMenuCommand,
  isPathRequest,
  MENU_CHANNEL,
  operationChannel,
  PATH_CHANNEL,
  PROGRESS_CHANNEL,
  type CaseboardBridge,
  type MenuCommand,
  type OperationReply,
  type PathRequest,
} from '../shared/bridge';
import type { Progress } from '../shared/contract';
import { isErrorPayload, type ErrorPayload } from '../shared/errors';
import { isOperationName } from '../shared/operation-names';

function isReply(value: unknown): value is OperationReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown; json?: unknown };
  return (reply.ok === true && (!('json' in reply) || typeof reply.json === 'string')) || (reply.ok === false && isErrorPayload(reply.error));
}

// Rejections carry the payload itself, not an Error: contextBridge keeps only an Error's message.
function fail(error: ErrorPayload): Promise<never> {
  return Promise.reject(error);
}

async function call(name: string, input: unknown, callId?: string): Promise<unknown> {
  // Checked here too so a wrong name never reaches IPC, where it would only meet a missing handler.
  if (!isOperationName(name)) return fail({ code: 'unknown_operation', message: `There is no operation called "${String(name).slice(0, 80)}".` });
  const reply: unknown = isCallId(callId) ? await ipcRenderer.invoke(operationChannel(name), input, callId) : await ipcRenderer.invoke(operationChannel(name), input);
  if (!isReply(reply)) return fail({ code: 'internal', message: 'Caseboard gave an answer the window does not understand.' });
  if (!reply.ok) return fail(reply.error);
  return 'json' in reply ? (JSON.parse(reply.json) as unknown) : reply.value;
}

function cancel(callId: string): void {
  if (isCallId(callId)) void ipcRenderer.invoke(CANCEL_CHANNEL, callId);
}

function isProgress(value: unknown): value is Progress {
  if (typeof value !== 'object' || value === null) return false;
  const progress = value as Record<string, unknown>;
  return typeof progress.done === 'number' && typeof progress.total === 'number' && (progress.message === undefined || typeof progress.message === 'string');
}

function onProgress(listener: (callId: string, progress: Progress) => void): () => void {
  const receive = (_event: IpcRendererEvent, callId: unknown, progress: unknown) => {
    if (isCallId(callId) && isProgress(progress)) listener(callId, { done: progress.done, total: progress.total, ...(progress.message === undefined ? {} : { message: progress.message }) });
  };
  ipcRenderer.on(PROGRESS_CHANNEL, receive);
  return () => {
    ipcRenderer.removeListener(PROGRESS_CHANNEL, receive);
  };
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

async function choosePath(request: PathRequest): Promise<string | null> {
  if (!isPathRequest(request)) return fail({ code: 'invalid_input', message: 'The request for a file dialog is not valid.' });
  const reply: unknown = await ipcRenderer.invoke(PATH_CHANNEL, request);
  if (!isReply(reply)) return fail({ code: 'internal', message: 'Caseboard gave an answer the window does not understand.' });
  if (!reply.ok) return fail(reply.error);
  return 'value' in reply && typeof reply.value === 'string' ? reply.value : null;
}

const bridge = { call, cancel, onMenuCommand, onProgress, choosePath } satisfies CaseboardBridge;

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
