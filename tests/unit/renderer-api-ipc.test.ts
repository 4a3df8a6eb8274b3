import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseboardBridge } from '../../shared/bridge';
import type { Progress } from '../../shared/contract';
import { CaseboardError } from '../../shared/errors';

/** A stand-in for what the preload puts on window.caseboard, with a main process that answers on release. */
function fakeBridge() {
  const listeners = new Set<(callId: string, progress: Progress) => void>();
  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const bridge: CaseboardBridge = {
    call: vi.fn((_name: string, _input: unknown, callId?: string) => new Promise((resolve, reject) => pending.set(callId ?? '', { resolve, reject }))),
    cancel: vi.fn((callId: string) => pending.get(callId)?.reject({ code: 'cancelled', message: 'The import was cancelled; the case file was left as it was.' })),
    onProgress: vi.fn((listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    onMenuCommand: vi.fn(() => () => undefined),
    choosePath: vi.fn(async () => null),
  };
  const progress = (callId: string, report: Progress) => {
    for (const listener of listeners) listener(callId, report);
  };
  return { bridge, pending, progress, listeners };
}

beforeEach(() => {
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('long calls in the desktop window', () => {
  it('follow their own progress and finish with the value', async () => {
    const fake = fakeBridge();
    vi.stubGlobal('window', { caseboard: fake.bridge });
    const { callWithProgress } = await import('../../renderer/src/ui/api');
    const seen: Progress[] = [];
    const running = callWithProgress('exchange.importFtm', { text: '{}' }, { onProgress: (p) => seen.push(p), signal: new AbortController().signal });
    const [[, , callId]] = vi.mocked(fake.bridge.call).mock.calls as [[string, unknown, string]];
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    fake.progress(callId, { done: 1, total: 2 });
    fake.progress('someone-else', { done: 9, total: 9 });
    fake.pending.get(callId)?.resolve({ created: 1 });
    await expect(running).resolves.toEqual({ created: 1 });
    expect(seen).toEqual([{ done: 1, total: 2 }]);
    expect(fake.listeners.size).toBe(0);
  });

  it('cancel through the bridge when aborted, and reject with a CaseboardError', async () => {
    const fake = fakeBridge();
    vi.stubGlobal('window', { caseboard: fake.bridge });
    const { callWithProgress } = await import('../../renderer/src/ui/api');
    const abort = new AbortController();
    const running = callWithProgress('exchange.importFtm', { text: '{}' }, { onProgress: () => undefined, signal: abort.signal });
    abort.abort();
    // Modules are fresh per test, so the class is compared by name.
    await expect(running).rejects.toSatisfy((error: unknown) => error instanceof Error && error.constructor.name === CaseboardError.name);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(fake.bridge.cancel).toHaveBeenCalledTimes(1);
  });
});
