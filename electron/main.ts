// The Electron door: one window on the shared workspace, one running app per user.
import path from 'node:path';
import { app, ipcMain, session, type BrowserWindow } from 'electron';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';
import type { OperationName } from '../shared/operation-names';
import type { OpParsedInput } from '../shared/contract';
import { Workspace, type CallOptions } from '../db/host/workspace';
import { showPathDialog } from './file-dialogs';
import { registerOperations, trustedSender } from './ipc';
import { installApplicationMenu, sendMenuCommand, showFailure } from './menu';
import { developmentNativeBinding } from './native-binding';
import { PathAccess } from './path-access';
import { blockNetwork, registerAppScheme, serveRenderer } from './protocol';
import { withElectronPdf } from './report-pdf';
import { createCaseWindow, isCaseWindow, windowTitle } from './window';

// This file runs as dist/electron/main.cjs; the database worker and the renderer sit one folder up.
const distDir = path.join(__dirname, '..');
// How long quitting waits for the worker to close the case file cleanly. SQLite's journal
// keeps the file whole if we give up, so a stuck worker must not keep the app alive.
const CLOSE_TIMEOUT_MS = 5000;

let workspace: Workspace | null = null;
let mainWindow: BrowserWindow | null = null;
// A case file the desktop asked for before the workspace existed.
let pendingFile: string | undefined;

/** The case file on a command line, if any: Windows and Linux pass it when a .caseboard file is opened. */
function caseFileArgument(argv: readonly string[], workingDirectory: string): string | undefined {
  const file = argv.slice(1).findLast((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(CASE_FILE_EXTENSION));
  return file ? path.resolve(workingDirectory, file) : undefined;
}

function showWindow(): void {
  if (!workspace) return;
  if (!mainWindow || mainWindow.isDestroyed()) {
    const window = createCaseWindow({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged });
    window.setTitle(windowTitle(workspace.currentCase));
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function openRequestedCase(file: string): Promise<void> {
  if (!workspace) {
    pendingFile = file;
    return;
  }
  try {
    await workspace.call('app.openCase', { path: file });
    sendMenuCommand(mainWindow, 'case-changed');
  } catch (error) {
    showFailure('Could not open the case', error);
  }
  showWindow();
}

/** The case the user asked for on the desktop, else the one they had last, else a new first case. */
async function openFirstCase(current: Workspace): Promise<void> {
  const requested = pendingFile;
  pendingFile = undefined;
  if (requested) {
    try {
      await current.call('app.openCase', { path: requested });
      return;
    } catch (error) {
      showFailure('Could not open the case', error);
    }
  }
  try {
    await current.openInitial();
  } catch (error) {
    // The window still opens; it offers to create or open a case.
    showFailure('Could not open your last case', error);
  }
}

async function start(): Promise<void> {
  const nativeBinding = developmentNativeBinding(app);
  const current = new Workspace({
    door: 'electron',
    dataDir: app.getPath('userData'),
    workerPath: path.join(distDir, 'db-worker.cjs'),
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  workspace = current;

  // Before anything can load: no request leaves the machine, and the UI has its own origin.
  blockNetwork(session.defaultSession);
  serveRenderer(path.join(distDir, 'renderer'));
  const paths = new PathAccess({
    showDialog: (sender, request) => showPathDialog(sender, request, current.casesFolder),
    recentCases: () => current.settings.read().recent.map((entry) => entry.path),
  });
  // Large answers (the graph) stay JSON text from the database thread to the window.
  // The IPC layer has parsed the input (to check its paths), so the workspace runs it as it is.
  const runner = { call: (name: OperationName, input: unknown, options: CallOptions) => current.runKeepingJson(name, input as OpParsedInput<OperationName>, options) };
  registerOperations(ipcMain, withElectronPdf(runner), trustedSender(isCaseWindow), paths);
  installApplicationMenu({ workspace: current, getWindow: () => mainWindow });
  current.onCaseChanged((details) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setTitle(windowTitle(details));
  });
  app.setAboutPanelOptions({ applicationName: 'Caseboard', applicationVersion: app.getVersion() });

  await openFirstCase(current);
  showWindow();
}

function closeWorkspace(current: Workspace): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
  const closed = current.dispose().catch((error: unknown) => console.error('caseboard: closing the case file failed:', error));
  return Promise.race([closed, timeout]);
}

// Every renderer is sandboxed, whatever options a window is given.
app.enableSandbox();
// Privileged schemes can only be declared before the app is ready.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Caseboard is already running; it gets this command line through 'second-instance' and opens the file there.
  app.quit();
} else {
  pendingFile = caseFileArgument(process.argv, process.cwd());

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const file = caseFileArgument(argv, workingDirectory);
    if (file) void openRequestedCase(file);
    else showWindow();
  });

  // macOS delivers files opened from the Finder this way, possibly before the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    void openRequestedCase(file);
  });

  app.on('window-all-closed', () => {
    // macOS apps stay running without windows; 'activate' brings the window back.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());

  app.on('will-quit', (event) => {
    const current = workspace;
    if (!current) return;
    // Hold the quit until the worker has closed the case file, then quit for real.
    event.preventDefault();
    workspace = null;
    void closeWorkspace(current).finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      showFailure('Caseboard could not start', error);
      app.exit(1);
    });
}
