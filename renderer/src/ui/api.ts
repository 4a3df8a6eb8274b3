import type { CaseboardApi, OpInput, OpOutput, Progress } from '../../../shared/contract';
import { CaseboardError, isErrorPayload } from '../../../shared/errors';
import type { OperationName } from '../../../shared/operation-names';
import { BRIDGE_KEY, type CaseboardBridge, type MenuCommand, type PathRequest } from '../../../shared/bridge';
import { withAccessToken } from './access-token';

function preloadBridge(): CaseboardBridge | undefined {
  return (window as unknown as Partial<Record<typeof BRIDGE_KEY, CaseboardBridge>>)[BRIDGE_KEY];
}

async function callOverIpc(bridge: CaseboardBridge, name: string, input: unknown): Promise<unknown> {
  try {
    return await bridge.call(name, input);
  } catch (error) {
    // The preload rejects with plain error data; make it a CaseboardError again.
    throw isErrorPayload(error) ? CaseboardError.fromPayload(error) : error;
  }
}

async function callOverHttp(name: string, input: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: withAccessToken({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
    });
  } catch {
    throw new CaseboardError('internal', 'Caseboard is not reachable; is `caseboard serve` still running?');
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new CaseboardError('internal', `Caseboard answered with an unreadable response (HTTP ${response.status}).`);
  }
  const result = body as { ok?: boolean; value?: unknown; error?: unknown };
  if (result.ok) return result.value;
  if (response.status === 401) throw new CaseboardError('invalid_input', 'This page has no valid access token for this server; open the URL that `caseboard serve` printed.');
  if (isErrorPayload(result.error)) throw CaseboardError.fromPayload(result.error);
  throw new CaseboardError('internal', `Caseboard refused the request (HTTP ${response.status}).`);
}

/** The one client the UI uses; it cannot tell which door is behind it. */
export const api: CaseboardApi = {
  async call<N extends OperationName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
    const bridge = preloadBridge();
    const value = bridge ? await callOverIpc(bridge, name, input) : await callOverHttp(name, input);
    return value as OpOutput<N>;
  },
};

export interface LongCallOptions {
  onProgress: (progress: Progress) => void;
  signal: AbortSignal;
}

function cancelled(): CaseboardError {
  return new CaseboardError('cancelled', 'The operation was cancelled; the case file was left as it was.');
}

/** Reads the JSON lines of a streamed operation: progress reports, then the result. */
async function callStreamingOverHttp(name: string, input: unknown, options: LongCallOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: withAccessToken({ 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }),
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
      signal: options.signal,
    });
  } catch {
    if (options.signal.aborted) throw cancelled();
    throw new CaseboardError('internal', 'Caseboard is not reachable; is `caseboard serve` still running?');
  }
  if (!response.body || !(response.headers.get('Content-Type') ?? '').startsWith('application/x-ndjson')) {
    // Refused before it started (no token, bad request): an ordinary JSON answer.
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    if (isErrorPayload(body?.error)) throw CaseboardError.fromPayload(body.error);
    throw new CaseboardError('internal', `Caseboard refused the request (HTTP ${response.status}).`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as { progress?: Progress; ok?: boolean; value?: unknown; error?: unknown };
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (line.progress) options.onProgress(line.progress);
        else if (line.ok) return line.value;
        else if (isErrorPayload(line.error)) throw CaseboardError.fromPayload(line.error);
      }
    }
  } catch (error) {
    if (options.signal.aborted) throw cancelled();
    throw error;
  }
  if (options.signal.aborted) throw cancelled();
  throw new CaseboardError('internal', 'Caseboard stopped answering before the operation finished.');
}

/** Over IPC: the call carries an id; progress comes back under that id, and cancelling sends it. */
async function callWithProgressOverIpc(bridge: CaseboardBridge, name: string, input: unknown, options: LongCallOptions): Promise<unknown> {
  if (options.signal.aborted) throw cancelled();
  const callId = crypto.randomUUID();
  const unsubscribe = bridge.onProgress((id, progress) => {
    if (id === callId) options.onProgress(progress);
  });
  const cancel = () => bridge.cancel(callId);
  options.signal.addEventListener('abort', cancel, { once: true });
  try {
    return await bridge.call(name, input, callId);
  } catch (error) {
    throw isErrorPayload(error) ? CaseboardError.fromPayload(error) : error;
  } finally {
    options.signal.removeEventListener('abort', cancel);
    unsubscribe();
  }
}

/**
 * Runs a long operation (an import, a merge) with progress reports; aborting
 * `signal` cancels it and the case stays as it was.
 */
export async function callWithProgress<N extends OperationName>(name: N, input: OpInput<N>, options: LongCallOptions): Promise<OpOutput<N>> {
  const bridge = preloadBridge();
  const value = bridge ? await callWithProgressOverIpc(bridge, name, input, options) : await callStreamingOverHttp(name, input, options);
  return value as OpOutput<N>;
}

/** Subscribes to menu commands from the Electron window; a no-op in the browser. */
/**
 * Whether this door picks files with native dialogs (the desktop window). There,
 * operations accept only paths chosen this way; the browser mode takes typed paths.
 */
export function canChoosePaths(): boolean {
  return typeof preloadBridge()?.choosePath === 'function';
}

/** Shows the desktop's file dialog; null when the user cancelled or the door has none. */
export async function choosePath(request: PathRequest): Promise<string | null> {
  const bridge = preloadBridge();
  if (!bridge) return null;
  try {
    return await bridge.choosePath(request);
  } catch (error) {
    throw isErrorPayload(error) ? CaseboardError.fromPayload(error) : error;
  }
}

export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return preloadBridge()?.onMenuCommand(listener) ?? (() => undefined);
}

export function errorMessage(error: unknown): string {
  if (error instanceof CaseboardError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
