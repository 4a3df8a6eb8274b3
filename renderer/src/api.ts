import type { CaseboardApi, OpInput, OpOutput } from '../../shared/contract';
import { CaseboardError, isErrorPayload } from '../../shared/errors';
import type { OperationName } from '../../shared/operation-names';
import { BRIDGE_KEY, type CaseboardBridge, type MenuCommand } from '../../shared/bridge';

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
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
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
  if (response.status === 401) throw new CaseboardError('invalid_input', 'This page lost its access token; open the URL that `caseboard serve` printed.');
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

/** Subscribes to menu commands from the Electron window; a no-op in the browser. */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return preloadBridge()?.onMenuCommand(listener) ?? (() => undefined);
}

export function errorMessage(error: unknown): string {
  if (error instanceof CaseboardError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
