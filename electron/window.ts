import { BrowserWindow, dialog, type BrowserWindowConstructorOptions, type Session, type WebContents, type WebPreferences } from 'electron';
import type { CaseDetails } from '../shared/schemas';
import { isAppUrl, UI_URL } from './protocol';

export interface CaseWindowOptions {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** Developer tools: allowed in development, never in a packaged app. */
  devTools: boolean;
}

// webContents ids of the windows this factory made: the IPC sender check trusts these and nothing else.
const caseWindows = new Set<number>();

/** Whether these web contents belong to a window the factory made (and that is still open). */
export function isCaseWindow(contents: WebContents): boolean {
  return caseWindows.has(contents.id);
}

/** The window title: the case, its file, the app; only the app when no case is open. */
export function windowTitle(details: Pick<CaseDetails, 'title' | 'fileName'> | null): string {
  return details ? `${details.title} — ${details.fileName} — Caseboard` : 'Caseboard';
}

/** The one set of web preferences every Caseboard window runs with. */
function caseWindowPreferences(options: CaseWindowOptions): WebPreferences {
  return {
    preload: options.preloadPath,
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
    devTools: options.devTools,
  };
}

/**
 * Keeps the web contents on our own pages: no new windows, no navigation or
 * redirect away from app://caseboard/ (a dropped file, a link in a source's
 * notes, a script), no <webview>.
 */
export function confineToApp(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  // Subframes too: the CSP allows none, and this holds even if that changes.
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Refuses every permission (camera, notifications, clipboard, geolocation, ...): the UI needs none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Spell checking downloads dictionaries; it is off in the window and off here.
  session.setSpellCheckerEnabled(false);
}

/**
 * A page with unsaved typing in a side panel holds its unload (beforeunload).
 * A browser asks the user then; Electron asks nothing and the window simply
 * stays open, so the window asks in the panel's own words, and lets the page
 * go only on Discard.
 */
export function askBeforeDiscarding(window: BrowserWindow): void {
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Keep editing', 'Discard'],
      defaultId: 0,
      cancelId: 0,
      message: 'Discard what you typed?',
      detail: 'A side panel has changes that are not saved. Keep editing to save them first.',
    });
    // Preventing this event is how Electron is told to unload after all.
    if (choice === 1) event.preventDefault();
  });
}

/** The one window factory: a sandboxed window showing the UI at app://caseboard/. */
export function createCaseWindow(options: CaseWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: windowTitle(null),
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    webPreferences: caseWindowPreferences(options),
  });
  const contents = window.webContents;
  const id = contents.id;
  caseWindows.add(id);
  window.on('closed', () => caseWindows.delete(id));

  denyAllPermissions(contents.session);
  confineToApp(contents);
  // The title says which case file is open; the page's <title> must not replace it.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  askBeforeDiscarding(window);

  window.loadURL(UI_URL).catch((error: unknown) => console.error('caseboard: the window could not load the UI:', error));
  return window;
}

/**
 * The hidden window that prints a briefing to PDF. Made here, beside the case
 * window, so every window gets the same refusals: no permissions, no new
 * windows, no navigation after the report file it was given.
 */
export function createPrintWindow(options: BrowserWindowConstructorOptions): BrowserWindow {
  if (options.show !== false || options.webPreferences?.javascript !== false || options.webPreferences.sandbox !== true || options.webPreferences.nodeIntegration) {
    throw new Error('A print window must be hidden, sandboxed and without JavaScript.');
  }
  const window = new BrowserWindow(options);
  const contents = window.webContents;
  denyAllPermissions(contents.session);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const refuse = (event: { preventDefault(): void }) => event.preventDefault();
  contents.on('will-navigate', refuse);
  contents.on('will-frame-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', refuse);
  return window;
}
