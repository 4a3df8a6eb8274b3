import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { registerOperations, trustedSender } from '../../electron/ipc';
import { PathAccess, pathsIn } from '../../electron/path-access';
import { createCaseWindow, isCaseWindow } from '../../electron/window';
import type { PathRequest } from '../../shared/bridge';
import { contract } from '../../shared/contract';
import { IMPORT_FILE_EXTENSIONS } from '../../shared/ops/exchange';
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

/** Dotted paths of every string field in a schema (zod's definition tree), through optionals, defaults, transforms and unions. */
function stringFields(schema: unknown, prefix = '', seen = new Set<unknown>()): string[] {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return [];
  if (def.type === 'string') return [prefix];
  const shape = (def.shape as Record<string, unknown> | undefined) ?? {};
  const inShape = Object.entries(shape).flatMap(([key, field]) => stringFields(field, prefix ? `${prefix}.${key}` : key, seen));
  const wrapped = ['innerType', 'in', 'schema'].flatMap((key) => stringFields(def[key], prefix, seen));
  const items = stringFields(def.element, `${prefix}[]`, seen);
  const options = ((def.options as unknown[] | undefined) ?? []).flatMap((option) => stringFields(option, prefix, seen));
  return [...new Set([...inShape, ...wrapped, ...items, ...options])];
}

const namedLikePath = (field: string) => /path$/i.test(field.split('.').at(-1) ?? '');

describe('paths the window may name', () => {
  it('declares in the contract every string field named like a path, and only string fields', () => {
    const declared = OPERATION_NAMES.flatMap((name) => (contract[name].paths ?? []).map(({ field }) => `${name} ${field}`)).sort();
    const inSchemas = OPERATION_NAMES.flatMap((name) => stringFields(contract[name].input).filter(namedLikePath).map((field) => `${name} ${field}`)).sort();
    expect(inSchemas.length).toBeGreaterThan(5);
    expect(declared).toEqual(inSchemas);
  });

  it('finds a declared path however deep it lies in the input, and nothing where the input has none', () => {
    expect(pathsIn('attachments.add', { file: { path: '/home/ana/notes.txt' } })).toEqual([{ field: 'file.path', path: '/home/ana/notes.txt', mode: 'open' }]);
    expect(pathsIn('attachments.add', { file: { name: 'a.txt', base64: 'aGVsbG8=' } })).toEqual([]);
    expect(pathsIn('reports.export', { id: ATTACHMENT, format: 'pdf', path: '/tmp/brief.pdf' })).toEqual([{ field: 'path', path: '/tmp/brief.pdf', mode: 'save' }]);
    expect(pathsIn('entities.get', { id: ATTACHMENT, path: '/etc/passwd' })).toEqual([]);
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

  it('lets the import form preview and import the file chosen for it, whatever its size, and no other', async () => {
    const { run, call, choose, showDialog } = setUp(['/home/ana/Documents/registry-extract.csv', '/home/ana/Documents/opensanctions.ftm.json']);
    const request = { mode: 'open', purpose: 'file', title: 'Import a CSV or FollowTheMoney File', extensions: IMPORT_FILE_EXTENSIONS };
    expect(await choose(request)).toEqual({ ok: true, value: '/home/ana/Documents/registry-extract.csv' });
    expect(showDialog.mock.calls[0]?.[1]).toEqual(request);
    expect(await run('exchange.previewCsv', { path: '/home/ana/Documents/registry-extract.csv', kind: 'entities' })).toMatchObject({ ok: true });
    expect(await run('exchange.importCsv', { path: '/home/ana/Documents/registry-extract.csv', kind: 'entities', map: {} })).toMatchObject({ ok: true });
    expect(await run('exchange.importFtm', { path: '/home/ana/Documents/opensanctions.ftm.json' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('Choose the file') } });
    await choose(request);
    expect(await run('exchange.importFtm', { path: '/home/ana/Documents/opensanctions.ftm.json' })).toMatchObject({ ok: true });
    expect(await run('exchange.importCsv', { path: '/home/ana/.ssh/id_ed25519', kind: 'entities', map: {} })).toMatchObject({ ok: false });
    expect(call.mock.calls.map(([name]) => name)).toEqual(['exchange.previewCsv', 'exchange.importCsv', 'exchange.importFtm']);
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
