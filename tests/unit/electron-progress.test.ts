import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { registerOperations, trustedSender, type OperationRunner } from '../../electron/ipc';
import { createCaseWindow, isCaseWindow } from '../../electron/window';
import { CaseboardError } from '../../shared/errors';
import { FakeBrowserWindow, FakeIpcMain, type FakeWebContents } from '../helpers/electron-mock';

const UI = 'app://caseboard/index.html';

/** A long operation: reports progress, then waits until it is cancelled or released. */
function slowImport() {
  let release: () => void = () => undefined;
  const call = vi.fn<OperationRunner['call']>(
    (_name, _input, options) =>
      new Promise((resolve, reject) => {
        options.onProgress?.({ done: 1, total: 4, message: 'Reading rows' });
        options.onProgress?.({ done: 2, total: 4 });
        options.signal?.addEventListener('abort', () => reject(new CaseboardError('cancelled', 'The import was cancelled; the case file was left as it was.')));
        release = () => resolve({ imported: 4 });
      }),
  );
  return { call, release: () => release() };
}

function setUp(call: OperationRunner['call']) {
  const ipcMain = new FakeIpcMain();
  registerOperations(ipcMain, { call }, trustedSender(isCaseWindow));
  const windows = [0, 1].map(() => {
    createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    const window = FakeBrowserWindow.instances.at(-1);
    if (!window) throw new Error('The factory made no window.');
    window.webContents.mainFrame.url = UI;
    return window;
  });
  const event = (sender: FakeWebContents) => ({ sender, senderFrame: sender.mainFrame }) as unknown as IpcMainInvokeEvent;
  return { ipcMain, windows, event };
}

const CSV = { text: 'name,type\nBeihang,organisation\n', kind: 'entities', map: { name: 'name', type: 'type' } };

beforeEach(() => {
  FakeBrowserWindow.instances.length = 0;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('progress and cancel over IPC', () => {
  it('sends the progress of a call with an id to its own window', async () => {
    const { call, release } = slowImport();
    const { ipcMain, windows, event } = setUp(call);
    const [window] = windows as [FakeBrowserWindow];
    const reply = ipcMain.invoke('caseboard:op:exchange.importCsv', event(window.webContents), CSV, 'import-1');
    release();
    expect(await reply).toEqual({ ok: true, value: { imported: 4 } });
    expect(window.webContents.send.mock.calls).toEqual([
      ['caseboard:progress', 'import-1', { done: 1, total: 4, message: 'Reading rows' }],
      ['caseboard:progress', 'import-1', { done: 2, total: 4 }],
    ]);
  });

  it('reports no progress for a call without an id, or with a malformed one', async () => {
    const { call, release } = slowImport();
    const { ipcMain, windows, event } = setUp(call);
    const [window] = windows as [FakeBrowserWindow];
    for (const id of [undefined, '', 'x'.repeat(65), '../1', { id: 1 }]) {
      const reply = ipcMain.invoke('caseboard:op:exchange.importCsv', event(window.webContents), CSV, id);
      release();
      await reply;
    }
    expect(window.webContents.send).not.toHaveBeenCalled();
  });

  it('cancels a call by its id, for the window that made it only', async () => {
    const { call } = slowImport();
    const { ipcMain, windows, event } = setUp(call);
    const [mine, other] = windows as [FakeBrowserWindow, FakeBrowserWindow];
    const reply = ipcMain.invoke('caseboard:op:exchange.importCsv', event(mine.webContents), CSV, 'import-2');
    expect(await ipcMain.invoke('caseboard:cancel', event(other.webContents), 'import-2')).toBe(false);
    expect(await ipcMain.invoke('caseboard:cancel', event(mine.webContents), 'import-3')).toBe(false);
    expect(await ipcMain.invoke('caseboard:cancel', event(mine.webContents), 'import-2')).toBe(true);
    expect(await reply).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('refuses a cancel from a forged sender', async () => {
    const { call } = slowImport();
    const { ipcMain, windows, event } = setUp(call);
    const [mine] = windows as [FakeBrowserWindow];
    const reply = ipcMain.invoke('caseboard:op:exchange.importCsv', event(mine.webContents), CSV, 'import-4');
    const forged = { sender: mine.webContents, senderFrame: mine.webContents.subframe('https://evil.example/') } as unknown as IpcMainInvokeEvent;
    expect(await ipcMain.invoke('caseboard:cancel', forged, 'import-4')).toBe(false);
    expect(await ipcMain.invoke('caseboard:cancel', event(mine.webContents), 'import-4')).toBe(true);
    await reply;
  });

  it('stops sending progress to a window that is gone', async () => {
    const { call, release } = slowImport();
    const { ipcMain, windows, event } = setUp(call);
    const [window] = windows as [FakeBrowserWindow];
    window.webContents.destroy();
    const reply = ipcMain.invoke('caseboard:op:exchange.importCsv', event(window.webContents), CSV, 'import-5');
    release();
    await reply;
    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});
