import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { registerOperations, trustedSender, type OperationRunner } from '../../electron/ipc';
import { createCaseWindow, isCaseWindow } from '../../electron/window';
import { JsonAnswer } from '../../db/core/json-answer';
import { CaseboardError } from '../../shared/errors';
import { OPERATION_NAMES } from '../../shared/operation-names';
import { FakeBrowserWindow, FakeFrame, FakeIpcMain, FakeWebContents } from '../helpers/electron-mock';

const SOURCE_ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const UI = 'app://caseboard/index.html';

interface Harness {
  ipcMain: FakeIpcMain;
  workspace: OperationRunner & { call: ReturnType<typeof vi.fn> };
  window: FakeBrowserWindow;
  unregister: () => void;
}

function setUp(call: OperationRunner['call'] = async (name, input) => ({ ran: name, input })): Harness {
  const ipcMain = new FakeIpcMain();
  const workspace = { call: vi.fn(call) };
  const unregister = registerOperations(ipcMain, workspace, trustedSender(isCaseWindow));
  createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
  const window = FakeBrowserWindow.instances.at(-1);
  if (!window) throw new Error('The factory made no window.');
  window.webContents.mainFrame.url = UI;
  return { ipcMain, workspace, window, unregister };
}

function eventFrom(sender: FakeWebContents, senderFrame: FakeFrame | null = sender.mainFrame): IpcMainInvokeEvent {
  return { sender, senderFrame } as unknown as IpcMainInvokeEvent;
}

const REFUSED = { ok: false, error: { code: 'invalid_input', message: expect.stringContaining('did not come from the Caseboard window') } };

beforeEach(() => {
  FakeBrowserWindow.instances.length = 0;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('registerOperations', () => {
  it('registers one channel per operation of the contract and the cancel channel, and nothing else', () => {
    const { ipcMain } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...OPERATION_NAMES.map((name) => `caseboard:op:${name}`), 'caseboard:cancel'].sort());
  });

  it('removes every channel again when asked', () => {
    const { ipcMain, unregister } = setUp();
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('an operation called from our window', () => {
  it('runs with the validated input and answers ok with the value', async () => {
    const { ipcMain, workspace, window } = setUp();
    const reply = await ipcMain.invoke('caseboard:op:sources.get', eventFrom(window.webContents), { id: SOURCE_ID });
    expect(reply).toEqual({ ok: true, value: { ran: 'sources.get', input: { id: SOURCE_ID } } });
    expect(workspace.call).toHaveBeenCalledWith('sources.get', { id: SOURCE_ID }, { signal: expect.any(AbortSignal) });
  });

  it('sends an answer the database thread wrote as JSON on as text, without parsing it', async () => {
    // The database thread hands the door UTF-8 bytes; the window's IPC carries text.
    const json = '{"format":"columns","nodes":{"names":["Московский авиационный институт","北京航空航天大学"]}}';
    const { ipcMain, window } = setUp(async () => new JsonAnswer(Buffer.from(json)));
    const reply = await ipcMain.invoke('caseboard:op:graph.load', eventFrom(window.webContents), {});
    expect(reply).toEqual({ ok: true, json });
  });

  it('passes the input as the contract parsed it', async () => {
    const { ipcMain, workspace, window } = setUp();
    await ipcMain.invoke('caseboard:op:app.newCase', eventFrom(window.webContents), { title: '  Drone programmes  ' });
    expect(workspace.call).toHaveBeenCalledWith('app.newCase', { title: 'Drone programmes' }, expect.anything());
  });

  it('accepts a missing input for operations that take none', async () => {
    const { ipcMain, window } = setUp();
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents), undefined)).resolves.toMatchObject({ ok: true });
  });

  it('answers a CaseboardError with its payload', async () => {
    const { ipcMain, window } = setUp(async () => {
      throw new CaseboardError('not_found', 'That source is not in this case.');
    });
    const reply = await ipcMain.invoke('caseboard:op:sources.get', eventFrom(window.webContents), { id: SOURCE_ID });
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'That source is not in this case.' } });
  });

  it('answers any other failure as internal, without its message, path or stack', async () => {
    const { ipcMain, window } = setUp(async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /home/analyst/secret.caseboard');
    });
    const reply = await ipcMain.invoke('caseboard:op:case.info', eventFrom(window.webContents), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(reply)).not.toMatch(/SQLITE|secret|\/home/);
  });

  it('cancels the operations in flight when the window goes away', async () => {
    const signals: AbortSignal[] = [];
    const { ipcMain, window } = setUp(
      (_name, _input, options) =>
        new Promise((_resolve, reject) => {
          if (options.signal) signals.push(options.signal);
          options.signal?.addEventListener('abort', () => reject(new CaseboardError('cancelled', 'The operation was cancelled.')));
        }),
    );
    const pending = Array.from({ length: 20 }, () => ipcMain.invoke('caseboard:op:case.info', eventFrom(window.webContents), {}));
    expect(signals).toHaveLength(20);
    expect(signals.some((signal) => signal.aborted)).toBe(false);
    // However many calls are running, the window carries one listener, not one per call.
    expect(window.webContents.listenerCount('destroyed')).toBe(1);
    window.webContents.emit('destroyed');
    for (const reply of await Promise.all(pending)) expect(reply).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('does not cancel a finished call when the window later goes away', async () => {
    let seen: AbortSignal | undefined;
    const { ipcMain, window } = setUp(async (_name, _input, options) => {
      seen = options.signal;
      return null;
    });
    await ipcMain.invoke('caseboard:op:case.info', eventFrom(window.webContents), {});
    window.webContents.emit('destroyed');
    expect(seen?.aborted).toBe(false);
  });
});

describe('a foreign sender', () => {
  it('is refused when our window has navigated away from the UI', async () => {
    const { ipcMain, workspace, window } = setUp();
    window.webContents.mainFrame.url = 'https://evil.example/';
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it.each(['app://other/index.html', 'app://caseboard.evil.example/', 'file:///work/main/dist/renderer/index.html', ''])('is refused from %j', async (url) => {
    const { ipcMain, workspace, window } = setUp();
    window.webContents.mainFrame.url = url;
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused from a subframe of our window, even one showing our UI', async () => {
    const { ipcMain, workspace, window } = setUp();
    const frame = window.webContents.subframe(UI);
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents, frame), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused from a window the factory did not make', async () => {
    const { ipcMain, workspace } = setUp();
    const stranger = new FakeWebContents(undefined, UI);
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(stranger), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused when the frame is not the main frame of the sending window', async () => {
    const { ipcMain, workspace, window } = setUp();
    const elsewhere = new FakeWebContents(undefined, UI);
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents, elsewhere.mainFrame), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused once our window has closed', async () => {
    const { ipcMain, workspace, window } = setUp();
    window.close();
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused when the sending frame is gone', async () => {
    const { ipcMain, workspace, window } = setUp();
    await expect(ipcMain.invoke('caseboard:op:app.state', eventFrom(window.webContents, null), {})).resolves.toEqual(REFUSED);
    expect(workspace.call).not.toHaveBeenCalled();
  });

  it('is refused before its input is looked at', async () => {
    const { ipcMain, window } = setUp();
    window.webContents.mainFrame.url = 'https://evil.example/';
    const input = {
      get id(): string {
        throw new Error('The input was read.');
      },
    };
    await expect(ipcMain.invoke('caseboard:op:sources.get', eventFrom(window.webContents), input)).resolves.toEqual(REFUSED);
  });
});

describe('a bad payload from our window', () => {
  it.each([
    ['sources.get', { id: 'not-an-id' }, 'id'],
    ['sources.get', {}, 'id'],
    ['sources.create', { kind: 'article', reliability: 'A' }, 'title'],
    ['sources.create', { kind: 'rumour', title: 'A source', reliability: 'A' }, 'kind'],
    ['sources.update', { id: SOURCE_ID, fields: { kind: 'article', title: 'A source', reliability: 'Z' } }, 'fields.reliability'],
    ['sources.page', { startRow: 0, endRow: 100000 }, 'endRow'],
    ['app.state', { unexpected: true }, ''],
    ['app.openCase', { path: '' }, 'path'],
    ['app.openCase', 'C:\\cases\\drones.caseboard', ''],
    ['sources.delete', [SOURCE_ID], ''],
  ] as const)('%s with %j is answered invalid_input without reaching the workspace', async (name, input, field) => {
    const { ipcMain, workspace, window } = setUp();
    const reply = (await ipcMain.invoke(`caseboard:op:${name}`, eventFrom(window.webContents), input)) as { ok: boolean; error: { code: string; issues?: { path: string }[] } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('invalid_input');
    expect(reply.error.issues?.map((issue) => issue.path)).toContain(field);
    expect(workspace.call).not.toHaveBeenCalled();
  });
});
