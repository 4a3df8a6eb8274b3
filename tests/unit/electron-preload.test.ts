import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import type { CaseboardBridge, MenuCommand } from '../../shared/bridge';
import { contextBridge, ipcRenderer } from '../helpers/electron-mock';

let exposedKey: string;
let bridge: CaseboardBridge;

beforeAll(async () => {
  await import('../../electron/preload');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
  exposedKey = key ?? '';
  bridge = api as CaseboardBridge;
});

beforeEach(() => {
  ipcRenderer.invoke.mockReset();
});

describe('what the preload exposes', () => {
  it('puts exactly call, cancel, onMenuCommand, onProgress and choosePath on window.caseboard, as plain functions', () => {
    expect(exposedKey).toBe('caseboard');
    expect(Object.keys(bridge).sort()).toEqual(['call', 'cancel', 'choosePath', 'onMenuCommand', 'onProgress']);
    expect(typeof bridge.choosePath).toBe('function');
    expect(typeof bridge.call).toBe('function');
    expect(typeof bridge.onMenuCommand).toBe('function');
  });

  it('never hands out ipcRenderer or anything that reaches it', () => {
    const values: unknown[] = Object.values(bridge);
    expect(values).not.toContain(ipcRenderer);
    expect(values.every((value) => typeof value === 'function')).toBe(true);
  });
});

describe('the preload bundle', () => {
  it('needs nothing but electron at run time, as a sandboxed preload must, and carries no validator', async () => {
    // The same shape scripts/build.mjs produces: one CommonJS file with only 'electron' left to require.
    const result = await build({
      entryPoints: [path.resolve(__dirname, '../../electron/preload.ts')],
      bundle: true,
      platform: 'browser',
      format: 'cjs',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((imported) => imported.path));
    expect(imports).toEqual(['electron']);
    expect(Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'))).toEqual([]);
  });
});

describe('call', () => {
  it('invokes the operation channel and resolves with the value', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { door: 'electron' } });
    await expect(bridge.call('app.state', {})).resolves.toEqual({ door: 'electron' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('caseboard:op:app.state', {});
  });

  it('resolves with the parsed value of an answer that came as JSON text', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, json: '{"format":"packed","nodes":[["a","Ниже 名字"]]}' });
    await expect(bridge.call('graph.load', {})).resolves.toEqual({ format: 'packed', nodes: [['a', 'Ниже 名字']] });
  });

  it('refuses a JSON answer that is not text', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, json: { format: 'packed' } });
    await expect(bridge.call('graph.load', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it.each(['app.quit', 'shell.openExternal', 'sources.get ', '', '__proto__', 'caseboard:op:app.state'])('refuses the unknown operation %j without touching IPC', async (name) => {
    await expect(bridge.call(name, {})).rejects.toMatchObject({ code: 'unknown_operation' });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('refuses a name that is not a string', async () => {
    await expect(bridge.call({ toString: () => 'app.state' } as unknown as string, {})).rejects.toMatchObject({ code: 'unknown_operation' });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('rejects with the error payload the main process answered', async () => {
    const error = { code: 'invalid_input', message: 'Not a valid Caseboard ID. (id)', issues: [{ path: 'id', message: 'Not a valid Caseboard ID.' }] };
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error });
    await expect(bridge.call('sources.get', { id: 'x' })).rejects.toEqual(error);
  });

  it.each([undefined, null, 'ok', { ok: 'yes' }, { ok: false, error: 'broken' }])('rejects an answer it does not understand (%j) as internal', async (reply) => {
    ipcRenderer.invoke.mockResolvedValueOnce(reply);
    await expect(bridge.call('app.state', {})).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('onMenuCommand', () => {
  it('passes known commands to the listener, and nothing of the IPC event', () => {
    const listener = vi.fn<(command: MenuCommand) => void>();
    const unsubscribe = bridge.onMenuCommand(listener);
    const event = { sender: ipcRenderer };
    ipcRenderer.emit('caseboard:menu', event, 'case-changed');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual(['case-changed']);
    unsubscribe();
  });

  it('ignores commands that are not on the list', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.onMenuCommand(listener);
    ipcRenderer.emit('caseboard:menu', {}, 'delete-everything');
    ipcRenderer.emit('caseboard:menu', {}, { command: 'case-changed' });
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('stops delivering after unsubscribing', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.onMenuCommand(listener);
    unsubscribe();
    ipcRenderer.emit('caseboard:menu', {}, 'case-changed');
    expect(listener).not.toHaveBeenCalled();
    expect(ipcRenderer.listenerCount('caseboard:menu')).toBe(0);
  });
});

describe('choosePath', () => {
  it('asks the main process for a dialog and gives back only the chosen path', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: '/home/ana/cases/out.caseboard' });
    await expect(bridge.choosePath({ mode: 'save', purpose: 'case', title: 'Export Case' })).resolves.toBe('/home/ana/cases/out.caseboard');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('caseboard:choose-path', { mode: 'save', purpose: 'case', title: 'Export Case' });
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: null });
    await expect(bridge.choosePath({ mode: 'open', purpose: 'file', title: 'Attach' })).resolves.toBeNull();
  });

  it('refuses a malformed request without calling IPC', async () => {
    for (const request of [{ mode: 'delete', purpose: 'case', title: 'x' }, { mode: 'open', purpose: 'case', title: 'x', defaultName: '../../.bashrc' }, { mode: 'open', purpose: 'case', title: 'x', extra: 1 }]) {
      await expect(bridge.choosePath(request as never)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});

describe('progress and cancel', () => {
  it('passes a call id through, and well-formed progress reports back', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { imported: 3 } });
    await bridge.call('exchange.importFtm', { text: '' }, 'call-1');
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('caseboard:op:exchange.importFtm', { text: '' }, 'call-1');
    const listener = vi.fn();
    const unsubscribe = bridge.onProgress(listener);
    ipcRenderer.emit('caseboard:progress', { sender: ipcRenderer }, 'call-1', { done: 2, total: 5, message: 'Rows' });
    ipcRenderer.emit('caseboard:progress', {}, 'call-1', { done: 'lots', total: 5 });
    ipcRenderer.emit('caseboard:progress', {}, '../x', { done: 1, total: 5 });
    unsubscribe();
    ipcRenderer.emit('caseboard:progress', {}, 'call-1', { done: 3, total: 5 });
    expect(listener.mock.calls).toEqual([['call-1', { done: 2, total: 5, message: 'Rows' }]]);
  });

  it('cancels by id, and ignores a malformed id', () => {
    bridge.cancel('call-1');
    bridge.cancel('not an id!');
    expect(ipcRenderer.invoke.mock.calls).toEqual([['caseboard:cancel', 'call-1']]);
  });
});
