import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { registerOperations, trustedSender } from '../../electron/ipc';
import { OPERATIONS_WITH_PATHS, PathAccess } from '../../electron/path-access';
import { createCaseWindow, isCaseWindow } from '../../electron/window';
import type { PathRequest } from '../../shared/bridge';
import { contract } from '../../shared/contract';
import { OPERATION_NAMES } from '../../shared/operation-names';
import { FakeBrowserWindow, FakeIpcMain, type FakeWebContents } from '../helpers/electron-mock';

const UI = 'app://caseboard/index.html';
const ATTACHMENT = '01890a5d-ac96-774b-bcce-b302099a8057';

function setUp(answers: (string | null)[] = []) {
  const ipcMain = new FakeIpcMain();
  const call = vi.fn(async (name: string) => ({ ran: name }));
  const showDialog = vi.fn(async (_sender: WebContents, _request: PathRequest) => answers.shift() ?? null);
  const paths = new PathAccess({ showDialog, recentCases: () => ['/home/ana/cases/Drones.caseboard'] });
  registerOperations(ipcMain, { call }, trustedSender(isCaseWindow), paths);
  createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
  const window = FakeBrowserWindow.instances.at(-1);
  if (!window) throw new Error('The factory made no window.');
  window.webContents.mainFrame.url = UI;
  const event = (sender: FakeWebContents = window.webContents) => ({ sender, senderFrame: sender.mainFrame }) as unknown as IpcMainInvokeEvent;
  const run = (name: string, input: unknown) => ipcMain.invoke(`caseboard:op:${name}`, event(), input) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
  const choose = (request: unknown, sender?: FakeWebContents) => ipcMain.invoke('caseboard:choose-path', event(sender), request) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
  return { ipcMain, call, showDialog, window, run, choose };
}

beforeEach(() => {
  FakeBrowserWindow.instances.length = 0;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Whether an operation's input schema has a field called path anywhere (zod's definition tree). */
function hasPathField(schema: unknown, seen = new Set<unknown>()): boolean {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return false;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return false;
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape && ('path' in shape || Object.values(shape).some((field) => hasPathField(field, seen)))) return true;
  return ['innerType', 'in', 'out', 'schema', 'element'].some((key) => hasPathField(def[key], seen)) || ((def.options as unknown[] | undefined) ?? []).some((option) => hasPathField(option, seen));
}

describe('paths the window may name', () => {
  it('covers every operation whose input holds a path', () => {
    const withPaths = OPERATION_NAMES.filter((name) => hasPathField(contract[name].input));
    expect(withPaths.length).toBeGreaterThan(5);
    expect([...OPERATIONS_WITH_PATHS].sort()).toEqual(withPaths.sort());
  });

  it('refuses a path the user never chose, before the operation runs', async () => {
    const { run, call } = setUp();
    for (const [name, input] of [
      ['attachments.export', { id: ATTACHMENT, path: '/home/ana/.config/autostart/run.desktop' }],
      ['attachments.add', { file: { path: '/home/ana/.ssh/id_ed25519' } }],
      ['share.exportCase', { path: '/tmp/out.caseboard' }],
      ['app.saveCopy', { path: '/tmp/copy.caseboard' }],
      ['merge.plan', { path: '/tmp/theirs.caseboard' }],
      ['app.openCase', { path: '/tmp/other.caseboard' }],
      ['app.newCase', { title: 'X', path: '../../outside' }],
    ] as const) {
      const reply = await run(name, input);
      expect(reply, name).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('Choose the file') } });
    }
    expect(call).not.toHaveBeenCalled();
  });

  it('accepts the path the user chose in a dialog, for that use only', async () => {
    const { run, call, choose, showDialog } = setUp(['/home/ana/Documents/photo.jpg', '/home/ana/Documents/notes.txt']);
    const chosen = await choose({ mode: 'save', purpose: 'file', title: 'Save attachment', defaultName: 'photo.jpg' });
    expect(chosen).toEqual({ ok: true, value: '/home/ana/Documents/photo.jpg' });
    expect(showDialog.mock.calls[0]?.[1]).toEqual({ mode: 'save', purpose: 'file', title: 'Save attachment', defaultName: 'photo.jpg' });
    expect(await run('attachments.export', { id: ATTACHMENT, path: '/home/ana/Documents/photo.jpg' })).toMatchObject({ ok: true });
    // Chosen for saving, so it may not be read into the case.
    expect(await run('attachments.add', { file: { path: '/home/ana/Documents/photo.jpg' } })).toMatchObject({ ok: false });
    await choose({ mode: 'open', purpose: 'file', title: 'Attach a file' });
    expect(await run('attachments.add', { file: { path: '/home/ana/Documents/notes.txt' } })).toMatchObject({ ok: true });
    expect(call.mock.calls.map(([name]) => name)).toEqual(['attachments.export', 'attachments.add']);
  });

  it('adds the case extension to a case saved without it', async () => {
    const { choose, run } = setUp(['/home/ana/cases/Drones copy']);
    expect(await choose({ mode: 'save', purpose: 'case', title: 'Save a Copy' })).toEqual({ ok: true, value: '/home/ana/cases/Drones copy.caseboard' });
    expect(await run('app.saveCopy', { path: '/home/ana/cases/Drones copy.caseboard' })).toMatchObject({ ok: true });
  });

  it('lets the window reopen a recent case, name a new one in the cases folder, and work without paths', async () => {
    const { run } = setUp();
    expect(await run('app.openCase', { path: '/home/ana/cases/Drones.caseboard' })).toMatchObject({ ok: true });
    expect(await run('app.newCase', { title: 'Aero-engines', path: 'Aero-engines' })).toMatchObject({ ok: true });
    expect(await run('app.newCase', { title: 'Aero-engines' })).toMatchObject({ ok: true });
    expect(await run('attachments.add', { file: { name: 'a.txt', base64: 'aGVsbG8=' } })).toMatchObject({ ok: true });
    expect(await run('reports.export', { id: ATTACHMENT, format: 'html' })).toMatchObject({ ok: true });
  });

  it('keeps each window to its own choices', async () => {
    const { run, choose, window } = setUp(['/tmp/out.caseboard']);
    createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    const other = FakeBrowserWindow.instances.at(-1);
    if (!other || other === window) throw new Error('no second window');
    other.webContents.mainFrame.url = UI;
    await choose({ mode: 'save', purpose: 'case', title: 'Export Case' }, other.webContents);
    expect(await run('share.exportCase', { path: '/tmp/out.caseboard' })).toMatchObject({ ok: false });
  });

  it('shows no dialog for a forged sender or a malformed request', async () => {
    const { choose, showDialog, window } = setUp(['/tmp/x']);
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(await choose({ mode: 'open', purpose: 'case', title: 'Open' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    window.webContents.mainFrame.url = UI;
    for (const request of [null, 'open', { mode: 'open', purpose: 'case' }, { mode: 'save', purpose: 'file', title: 'x', defaultName: '/etc/passwd' }, { mode: 'save', purpose: 'file', title: 'x', extensions: ['pdf', '../x'] }]) {
      expect(await choose(request)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(showDialog).not.toHaveBeenCalled();
  });
});
