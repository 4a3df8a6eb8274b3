import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent, Session } from 'electron';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const openExternal = vi.hoisted(() => vi.fn(async (_url: string, _options?: unknown) => undefined));
vi.mock('electron', async () => ({ ...(await import('../helpers/electron-mock')), shell: { openExternal } }));

import { isAllowedExternalUrl, openExternalLink } from '../../electron/external-links';
import { registerOperations, trustedSender } from '../../electron/ipc';
import { blockNetwork, createAppRequestHandler, resolveRendererFile } from '../../electron/protocol';
import { createCaseWindow, createPrintWindow, isCaseWindow } from '../../electron/window';
import { OPERATION_NAMES, type OperationName } from '../../shared/operation-names';
import { parseOperationInput } from '../../shared/validate';
import { FakeBrowserWindow, FakeFrame, FakeIpcMain, FakeSession, FakeWebContents, defaultSession } from '../helpers/electron-mock';
import { repoRoot } from '../helpers/temp';
import { recordFigures } from './support/figures';
import { APP_PAGES, hostileUrls } from './support/hostile-urls';
import { below, seededRandom } from './support/random';

const HOSTILE = hostileUrls();
const UI = 'app://caseboard/index.html';

/** Source files of every runtime, as text: what the static checks below read. */
function sourceFiles(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name)) found.push({ file: path.relative(repoRoot, full), text: readFileSync(full, 'utf8') });
    }
  };
  for (const dir of ['electron', 'cli', 'db', 'shared', 'renderer', 'scripts']) walk(path.join(repoRoot, dir));
  return found;
}

beforeEach(() => {
  FakeBrowserWindow.instances.length = 0;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('windows', () => {
  it('are made in one place: only the two factories in electron/window.ts construct a BrowserWindow, and nothing makes views', () => {
    const makers = sourceFiles()
      .filter(({ text }) => /new\s+(BrowserWindow|BrowserView|WebContentsView)\b/.test(text))
      .map(({ file }) => file);
    expect(makers).toEqual(['electron/window.ts']);
    const factory = readFileSync(path.join(repoRoot, 'electron/window.ts'), 'utf8');
    expect(factory.match(/new\s+BrowserWindow\b/g)).toHaveLength(2);
    // One in the case window factory, one in the print window factory, nowhere else in that file.
    const bodies = factory.split(/\nexport function /).filter((body) => /new\s+BrowserWindow\b/.test(body));
    expect(bodies.map((body) => body.slice(0, body.indexOf('(')))).toEqual(['createCaseWindow', 'createPrintWindow']);
  });

  it('make print windows only hidden, sandboxed and without JavaScript, and refuse navigation from them', () => {
    const safe = { show: false, webPreferences: { javascript: false, sandbox: true, nodeIntegration: false } };
    expect(() => createPrintWindow({ ...safe, show: true })).toThrow(/hidden, sandboxed/);
    expect(() => createPrintWindow({ ...safe, webPreferences: { ...safe.webPreferences, javascript: true } })).toThrow(/hidden, sandboxed/);
    const contents = createPrintWindow(safe).webContents as unknown as FakeWebContents;
    for (const url of HOSTILE.slice(0, 20)) {
      expect(contents.windowOpenHandler?.({ url }).action).toBe('deny');
      const event = { url, preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
  });

  it(`refuse window.open, navigation, frame navigation and redirects to ${HOSTILE.length} hostile URLs`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(100);
    const window = createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    const contents = window.webContents as unknown as FakeWebContents;
    const allowed: string[] = [];
    for (const url of HOSTILE) {
      if (contents.windowOpenHandler?.({ url }).action !== 'deny') allowed.push(`window.open ${url}`);
      for (const eventName of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
        const event = { url, preventDefault: vi.fn() };
        contents.emit(eventName, event, url);
        if (event.preventDefault.mock.calls.length === 0) allowed.push(`${eventName} ${url}`);
      }
    }
    expect(allowed).toEqual([]);
    for (const url of APP_PAGES) {
      const event = { url, preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault, url).not.toHaveBeenCalled();
    }
  });

  it('deny every permission, whatever page asks and for whatever it asks', () => {
    createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'idle-detection', 'hid', 'serial', 'usb', 'storage-access', 'window-management', 'unknown'];
    for (const url of [...HOSTILE, ...APP_PAGES]) {
      for (const permission of permissions) {
        const callback = vi.fn();
        defaultSession.permissionRequestHandler?.({}, permission, callback, { requestingUrl: url, isMainFrame: true });
        expect(callback, `${permission} for ${url}`).toHaveBeenCalledWith(false);
        expect(defaultSession.permissionCheckHandler?.({}, permission, url, { requestingUrl: url })).toBe(false);
      }
    }
    expect(defaultSession.devicePermissionHandler?.({ deviceType: 'hid', origin: UI })).toBe(false);
  });

  it('let no request leave the session except our own files and in-memory data', () => {
    const session = new FakeSession();
    blockNetwork(session as unknown as Session);
    const passed: string[] = [];
    for (const url of HOSTILE) {
      const callback = vi.fn();
      session.beforeRequest?.({ url }, callback);
      if (callback.mock.calls[0]?.[0]?.cancel !== true) passed.push(url);
    }
    // data: and blob: stay in memory (and the CSP limits them), devtools:// is Chromium's own; nothing else may pass.
    expect(passed.filter((url) => !/^(data|blob|devtools):/.test(url))).toEqual([]);
  });

  it('block the network before anything can load: main.ts installs the block before the protocol and the window', () => {
    const main = readFileSync(path.join(repoRoot, 'electron/main.ts'), 'utf8');
    const start = main.slice(main.indexOf('async function start'));
    const block = start.indexOf('blockNetwork(session.defaultSession)');
    expect(block).toBeGreaterThan(0);
    expect(block).toBeLessThan(start.indexOf('serveRenderer('));
    expect(block).toBeLessThan(start.indexOf('showWindow()'));
    expect(main).toContain('app.enableSandbox()');
  });
});

describe('the app:// handler under 1,000+ generated paths', () => {
  let base: string;
  let rendererRoot: string;
  const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';

  beforeAll(() => {
    base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'caseboard-app-fuzz-')));
    rendererRoot = path.join(base, 'app', 'dist', 'renderer');
    mkdirSync(path.join(rendererRoot, 'assets', 'fonts'), { recursive: true });
    writeFileSync(path.join(rendererRoot, 'index.html'), '<!doctype html><title>ui</title>');
    writeFileSync(path.join(rendererRoot, 'assets', 'app.js'), 'console.log("ui")');
    writeFileSync(path.join(rendererRoot, 'assets', 'fonts', 'noto.woff2'), 'font');
    for (const dir of [base, path.join(base, 'app'), path.join(base, 'app', 'dist')]) {
      writeFileSync(path.join(dir, 'secret.txt'), SECRET);
      writeFileSync(path.join(dir, 'package.json'), SECRET);
    }
    mkdirSync(path.join(base, 'app', 'dist', 'renderer-evil'));
    writeFileSync(path.join(base, 'app', 'dist', 'renderer-evil', 'index.html'), SECRET);
    symlinkSync(path.join(base, 'secret.txt'), path.join(rendererRoot, 'assets', 'link.txt'));
    symlinkSync(base, path.join(rendererRoot, 'assets', 'up'));
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  function generatedPaths(count: number): string[] {
    const random = seededRandom(0xa99);
    const segments = [
      '..', '.', '%2e%2e', '%2E%2E', '%2e.', '.%2e', '%252e%252e', '%c0%ae%c0%ae', '%e0%80%ae', '．．', '..%00', '%00', '%2f', '%5c', '\\', '..\\..', '',
      'assets', 'fonts', 'app.js', 'index.html', 'secret.txt', 'package.json', 'link.txt', 'up', 'renderer', 'renderer-evil', 'dist', 'app', '%2e%2e%2fsecret.txt',
      'C:', 'C:%5c', '%2fetc%2fpasswd', '~', '%7e', '?x=1', '#frag', ';', '%3b', '%E0%A4%A', '%ff', 'noto.woff2',
    ];
    const paths = new Set<string>(['/', '/index.html', '/assets/app.js', '/assets/fonts/noto.woff2']);
    while (paths.size < count) {
      const length = 1 + below(random, 6);
      const parts = Array.from({ length }, () => segments[below(random, segments.length)] as string);
      const separator = random() < 0.8 ? '/' : (['%2f', '%5c', '\\', '//'][below(random, 4)] as string);
      paths.add(`/${parts.join(separator)}`);
    }
    return [...paths];
  }

  it('serves only files inside the renderer folder, for every generated path', async () => {
    const handle = createAppRequestHandler(rendererRoot);
    const paths = generatedPaths(1500);
    let served = 0;
    const leaks: string[] = [];
    for (const urlPath of paths) {
      const resolved = resolveRendererFile(rendererRoot, urlPath);
      if (resolved !== null && !realpathSync(resolved).startsWith(rendererRoot + path.sep)) leaks.push(`resolve ${urlPath} -> ${resolved}`);
      let response: Response;
      try {
        response = await handle({ url: `app://caseboard${urlPath}`, method: 'GET' });
      } catch (error) {
        leaks.push(`handler threw on ${urlPath}: ${(error as Error).message}`);
        continue;
      }
      const body = await response.text();
      if (body.includes(SECRET)) leaks.push(`served a secret for ${urlPath}`);
      if (response.status === 200) served += 1;
      else if (response.status !== 404) leaks.push(`status ${response.status} for ${urlPath}`);
    }
    recordFigures('app-protocol-fuzz', { paths: paths.length, served, refused: paths.length - served });
    expect(leaks).toEqual([]);
    expect(paths.length).toBeGreaterThanOrEqual(1000);
    // The generator must reach real files too, or it proves nothing about what is served.
    expect(served).toBeGreaterThan(3);
  });
});

describe('IPC', () => {
  function setUp() {
    const ipcMain = new FakeIpcMain();
    const call = vi.fn(async (name: OperationName, input: unknown) => ({ name, input }));
    registerOperations(ipcMain, { call }, trustedSender(isCaseWindow));
    const window = createCaseWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    const contents = window.webContents as unknown as FakeWebContents;
    contents.mainFrame.url = UI;
    return { ipcMain, call, window, contents };
  }

  const event = (sender: FakeWebContents, senderFrame: FakeFrame | null) => ({ sender, senderFrame }) as unknown as IpcMainInvokeEvent;

  it(`every one of the ${OPERATION_NAMES.length} channels refuses forged senders without reading the input`, async () => {
    const { ipcMain, call, window, contents } = setUp();
    const stranger = new FakeWebContents(undefined, UI);
    const untouchable = {
      get id(): string {
        throw new Error('The input was read.');
      },
    };
    const forged: [string, () => IpcMainInvokeEvent][] = [
      ['a window the factory did not make', () => event(stranger, stranger.mainFrame)],
      ['a subframe showing our UI', () => event(contents, contents.subframe(UI))],
      ['a subframe of another origin', () => event(contents, contents.subframe('https://evil.example/'))],
      ['another frame claiming our window', () => event(contents, stranger.mainFrame)],
      ['a frame that is gone', () => event(contents, null)],
      ...HOSTILE.slice(0, 40).map((url): [string, () => IpcMainInvokeEvent] => [`our window after navigating to ${url}`, () => event(contents, new FakeFrame(url))]),
    ];
    let refusals = 0;
    for (const name of OPERATION_NAMES) {
      for (const [label, make] of forged) {
        const reply = (await ipcMain.invoke(`caseboard:op:${name}`, make(), untouchable)) as { ok: boolean; error?: { code: string } };
        expect(reply, `${name} from ${label}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        refusals += 1;
      }
    }
    window.close();
    for (const name of OPERATION_NAMES) expect(await ipcMain.invoke(`caseboard:op:${name}`, event(contents, contents.mainFrame), {})).toMatchObject({ ok: false });
    expect(call).not.toHaveBeenCalled();
    recordFigures('ipc-forged-senders', { channels: OPERATION_NAMES.length, refusals });
  });

  it('every channel answers malformed payloads with invalid_input, or runs only what the contract parsed', async () => {
    const { ipcMain, call, contents } = setUp();
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i += 1) deep = { id: deep, fields: deep };
    const payloads: unknown[] = [
      null,
      0,
      -1,
      Number.NaN,
      'text',
      '',
      true,
      [],
      [{}],
      { id: 42 },
      { id: { $gt: '' } },
      { id: "' OR 1=1 --" },
      { id: '01890a5d-ac96-774b-bcce-b302099a8057', fields: 'x' },
      { path: 42, title: ['a'] },
      JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
      { title: 'x'.repeat(1_000_000) },
      deep,
    ];
    const problems: string[] = [];
    let rejected = 0;
    for (const name of OPERATION_NAMES) {
      for (const [index, payload] of payloads.entries()) {
        call.mockClear();
        const reply = (await ipcMain.invoke(`caseboard:op:${name}`, event(contents, contents.mainFrame), payload)) as { ok: boolean; error?: { code: string; message: string } };
        let expected: unknown;
        let valid = true;
        try {
          expected = parseOperationInput(name, payload);
        } catch {
          valid = false;
        }
        if (!valid) {
          if (reply.ok || reply.error?.code !== 'invalid_input') problems.push(`${name} payload ${index}: ${JSON.stringify(reply).slice(0, 200)}`);
          if (call.mock.calls.length > 0) problems.push(`${name} payload ${index} reached the workspace`);
          if (/\n\s+at /.test(reply.error?.message ?? '')) problems.push(`${name} payload ${index}: a stack trace in the answer`);
          rejected += 1;
        } else if (!reply.ok || JSON.stringify(call.mock.calls[0]?.[1]) !== JSON.stringify(expected)) {
          problems.push(`${name} payload ${index}: ran with something other than the parsed input`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(rejected).toBeGreaterThan(OPERATION_NAMES.length * (payloads.length - 3));
    recordFigures('ipc-malformed-payloads', { channels: OPERATION_NAMES.length, payloads: payloads.length, rejected });
  });
});

describe('links to the outside world', () => {
  beforeEach(() => openExternal.mockClear());

  it.each([
    'https://example.org/report.pdf',
    'https://www.example.org/path?q=1#x',
    'https://xn--80ak6aa92e.com/',
    'mailto:analyst@example.org',
    'mailto:analyst@example.org?subject=Case',
  ])('hands %s to the system', async (url) => {
    expect(await openExternalLink(url)).toBe(true);
    expect(openExternal).toHaveBeenCalledOnce();
    expect(openExternal.mock.calls[0]?.[0]).toBe(new URL(url).href);
  });

  it.each([
    ...HOSTILE.filter((url) => !url.startsWith('mailto:') && !url.startsWith('https://')),
    'http://example.org/',
    'https://user:pass@example.org/',
    'https://user@example.org/',
    'https://example.org/\u0000calc',
    'https://example.org/a\nb',
    'https://example.org/a b',
    'https://example.org\\@evil.example/',
    'mailto:',
    'MAILTO',
    'file:///C:/Windows/System32/calc.exe',
    'ms-settings:',
    'steam://run/1',
  ])('refuses %j', async (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
    expect(await openExternalLink(url)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('refuses anything that is not a string, and overlong links', async () => {
    for (const value of [undefined, null, 42, {}, ['https://example.org/'], new URL('https://example.org/'), `https://example.org/${'a'.repeat(3000)}`]) expect(await openExternalLink(value)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('are opened only by electron/external-links.ts: nothing else calls shell.openExternal', () => {
    const callers = sourceFiles()
      .filter(({ text }) => /\bopenExternal\b/.test(text))
      .map(({ file }) => file);
    expect(callers).toEqual(['electron/external-links.ts']);
    // And nothing reaches it through a renamed import of shell either.
    const shellUsers = sourceFiles()
      .filter(({ text }) => /\bshell\b[^;]*from ['"]electron['"]|\bshell\s*}\s*=\s*require\(['"]electron['"]\)|electron['"]\)\.shell/.test(text))
      .map(({ file }) => file);
    expect(shellUsers).toEqual(['electron/external-links.ts']);
  });
});

describe('the browser mode server', () => {
  const serve = readFileSync(path.join(repoRoot, 'cli/serve.ts'), 'utf8');

  it('compares the token in constant time, and only through that comparison', () => {
    expect(serve).toMatch(/import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
    const start = serve.indexOf('function sameToken');
    const sameToken = serve.slice(start, serve.indexOf('\n}\n', start));
    expect(sameToken).toContain('timingSafeEqual(');
    // No plain comparison of a token anywhere: === or !== or includes/startsWith on it would leak its bytes by timing.
    expect(serve).not.toMatch(/[!=]==\s*token\b|\btoken\s*[!=]==|token\.(startsWith|endsWith|includes|localeCompare)\(|\(token\)\s*[!=]==/);
    // Its definition and the one check every request but the app shell's passes.
    const uses = serve.match(/sameToken\(/g) ?? [];
    expect(uses.length).toBeGreaterThanOrEqual(2);
  });

  it('never reads or sets a cookie: a cookie for 127.0.0.1 reaches every port', () => {
    expect(serve).not.toMatch(/set-cookie|headers\.cookie/i);
  });

  it('listens on 127.0.0.1 only', () => {
    const listens = [...serve.matchAll(/\.listen\(([^)]*)/g)].map((match) => match[1]);
    expect(listens.length).toBeGreaterThan(0);
    for (const args of listens) expect(args).toMatch(/,\s*'127\.0\.0\.1'\s*,/);
    expect(serve).not.toMatch(/0\.0\.0\.0|'::'|INADDR_ANY/);
  });
});
