import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { createCaseWindow, isCaseWindow, windowTitle } from '../../electron/window';
import { defaultSession, dialog, FakeBrowserWindow, FakeWebContents } from '../helpers/electron-mock';

const PRELOAD = '/opt/Caseboard/resources/app.asar/dist/electron/preload.cjs';

const HOSTILE_URLS = [
  'https://evil.example/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'app://other/index.html',
  'app://caseboard.evil.example/index.html',
  'devtools://devtools/bundled/inspector.html',
  'about:blank',
];

function openWindow(devTools = false): FakeBrowserWindow {
  createCaseWindow({ preloadPath: PRELOAD, devTools });
  const window = FakeBrowserWindow.instances.at(-1);
  if (!window) throw new Error('The factory made no window.');
  return window;
}

/** Emits a navigation event the way Electron does and reports whether the window stopped it. */
function navigationPrevented(contents: FakeWebContents, eventName: string, url: string): boolean {
  const event = { url, preventDefault: vi.fn() };
  contents.emit(eventName, event, url);
  return event.preventDefault.mock.calls.length > 0;
}

beforeEach(() => {
  FakeBrowserWindow.instances.length = 0;
});

describe('the window factory', () => {
  it('runs every window isolated, sandboxed and without Node, with exactly these preferences', () => {
    const window = openWindow();
    expect(window.options.webPreferences).toStrictEqual({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('allows developer tools only when asked to (development builds)', () => {
    expect((openWindow(true).options.webPreferences as { devTools: boolean }).devTools).toBe(true);
  });

  it('loads the UI from app://caseboard/ and shows the window once it is painted', () => {
    const window = openWindow();
    expect(window.loadURL).toHaveBeenCalledWith('app://caseboard/index.html');
    expect(window.options.show).toBe(false);
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('denies window.open whatever the URL, our own included', () => {
    const { webContents } = openWindow();
    expect(webContents.windowOpenHandler).not.toBeNull();
    for (const url of [...HOSTILE_URLS, 'app://caseboard/index.html']) {
      expect(webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  describe.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('on %s', (eventName) => {
    it.each(HOSTILE_URLS)('prevents leaving for %s', (url) => {
      const { webContents } = openWindow();
      expect(navigationPrevented(webContents, eventName, url)).toBe(true);
    });

    it.each(['app://caseboard/index.html', 'app://caseboard/index.html#/sources', 'app://caseboard/'])('lets the UI move within %s', (url) => {
      const { webContents } = openWindow();
      expect(navigationPrevented(webContents, eventName, url)).toBe(false);
    });
  });

  it('refuses to attach a <webview>', () => {
    const { webContents } = openWindow();
    const event = { preventDefault: vi.fn() };
    webContents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check', () => {
    const { webContents } = openWindow();
    expect(webContents.session).toBe(defaultSession);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      defaultSession.permissionRequestHandler?.(webContents, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(defaultSession.permissionCheckHandler?.(webContents, permission, 'app://caseboard', {})).toBe(false);
    }
    expect(defaultSession.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
    expect(defaultSession.spellChecker).toBe(false);
  });

  it('keeps its own title instead of the page title', () => {
    const window = openWindow();
    const event = { preventDefault: vi.fn() };
    window.emit('page-title-updated', event, 'Some page title', true);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('asks before closing over unsaved typing, and closes only on Discard', () => {
    const window = openWindow();
    dialog.showMessageBoxSync.mockReturnValueOnce(0);
    const kept = { preventDefault: vi.fn() };
    window.webContents.emit('will-prevent-unload', kept);
    expect(dialog.showMessageBoxSync).toHaveBeenLastCalledWith(window, expect.objectContaining({ message: 'Discard what you typed?', buttons: ['Keep editing', 'Discard'], cancelId: 0 }));
    expect(kept.preventDefault).not.toHaveBeenCalled();
    dialog.showMessageBoxSync.mockReturnValueOnce(1);
    const discarded = { preventDefault: vi.fn() };
    window.webContents.emit('will-prevent-unload', discarded);
    expect(discarded.preventDefault).toHaveBeenCalledOnce();
  });

  it('knows its own windows, and forgets them once closed', () => {
    const window = openWindow();
    const asWebContents = (fake: FakeWebContents) => fake as unknown as WebContents;
    expect(isCaseWindow(asWebContents(window.webContents))).toBe(true);
    expect(isCaseWindow(asWebContents(new FakeWebContents()))).toBe(false);
    window.close();
    expect(isCaseWindow(asWebContents(window.webContents))).toBe(false);
  });
});

describe('windowTitle', () => {
  it('names the case and its file', () => {
    expect(windowTitle({ title: 'Drone programmes', fileName: 'drones.caseboard' })).toBe('Drone programmes — drones.caseboard — Caseboard');
  });

  it('is just the app name when no case is open', () => {
    expect(windowTitle(null)).toBe('Caseboard');
  });
});
