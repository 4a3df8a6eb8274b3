import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';
import type { Workspace } from '../db/host/workspace';
import { MENU_CHANNEL, type MenuCommand } from '../shared/bridge';
import { CaseboardError, toErrorPayload } from '../shared/errors';
import { SHORTCUTS, type ShortcutCommand } from '../shared/shortcuts';

export interface MenuContext {
  workspace: Workspace;
  /** The window dialogs belong to and that hears about case changes; null while none is open. */
  getWindow: () => BrowserWindow | null;
}

const CASE_FILE_FILTERS = [{ name: 'Caseboard case', extensions: [CASE_FILE_EXTENSION.slice(1)] }];

/** Tells the window about something that happened outside it, such as a case opened from the menu. */
export function sendMenuCommand(window: BrowserWindow | null, command: MenuCommand): void {
  if (window && !window.isDestroyed()) window.webContents.send(MENU_CHANNEL, command);
}

/** Shows why something failed in the user's words; details of unexpected failures go to the log only. */
export function showFailure(heading: string, error: unknown): void {
  if (!(error instanceof CaseboardError)) console.error(`caseboard: ${heading}`, error);
  dialog.showErrorBox(heading, toErrorPayload(error).message);
}

// Save dialogs on Linux do not add the extension the filter names.
function withCaseExtension(file: string): string {
  return file.toLowerCase().endsWith(CASE_FILE_EXTENSION) ? file : `${file}${CASE_FILE_EXTENSION}`;
}

// Menus read `&` as an access-key marker; a case called "R&D" must show as written.
function menuLabel(text: string): string {
  return text.replaceAll('&', '&&');
}

async function askSavePath(window: BrowserWindow | null, options: SaveDialogOptions): Promise<string | null> {
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : withCaseExtension(result.filePath);
}

async function askOpenPath(window: BrowserWindow | null, options: OpenDialogOptions): Promise<string | null> {
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function newCase({ workspace, getWindow }: MenuContext): Promise<void> {
  const file = await askSavePath(getWindow(), {
    title: 'New Case',
    buttonLabel: 'Create',
    defaultPath: path.join(workspace.casesFolder, `Untitled${CASE_FILE_EXTENSION}`),
    filters: CASE_FILE_FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (!file) return;
  await workspace.call('app.newCase', { path: file, title: path.basename(file, path.extname(file)) });
  sendMenuCommand(getWindow(), 'case-changed');
}

async function openCase({ workspace, getWindow }: MenuContext, file: string): Promise<void> {
  await workspace.call('app.openCase', { path: file });
  sendMenuCommand(getWindow(), 'case-changed');
}

async function chooseAndOpenCase(context: MenuContext): Promise<void> {
  const file = await askOpenPath(context.getWindow(), {
    title: 'Open Case',
    defaultPath: context.workspace.casesFolder,
    filters: CASE_FILE_FILTERS,
    properties: ['openFile'],
  });
  if (file) await openCase(context, file);
}

async function openRecent(context: MenuContext, file: string): Promise<void> {
  if (!existsSync(file)) {
    // Moved or deleted since: drop it so the list stops offering it.
    context.workspace.settings.forget(file);
    setApplicationMenu(context);
    throw new CaseboardError('not_found', `The case file ${file} is no longer there; it was removed from the recent cases.`);
  }
  await openCase(context, file);
}

async function saveCopy({ workspace, getWindow }: MenuContext): Promise<void> {
  const current = workspace.currentCase;
  if (!current) return;
  const file = await askSavePath(getWindow(), {
    title: 'Save a Copy As',
    buttonLabel: 'Save Copy',
    defaultPath: path.join(path.dirname(current.path), `${path.basename(current.path, CASE_FILE_EXTENSION)} copy${CASE_FILE_EXTENSION}`),
    filters: CASE_FILE_FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (!file) return;
  await workspace.call('app.saveCopy', { path: file });
}

async function closeCase({ workspace, getWindow }: MenuContext): Promise<void> {
  await workspace.call('app.closeCase', {});
  sendMenuCommand(getWindow(), 'case-changed');
}

async function openSample({ workspace, getWindow }: MenuContext): Promise<void> {
  await workspace.call('app.openSample', {});
  sendMenuCommand(getWindow(), 'case-changed');
}

/** Runs a menu action; a failure is shown to the user, never left as an unhandled rejection. */
function action(heading: string, run: () => Promise<void>): () => void {
  return () => {
    run().catch((error: unknown) => showFailure(heading, error));
  };
}

/**
 * A menu item for an action the window runs. The window handles the keys
 * itself (in the browser mode too), so on Windows and Linux the menu only
 * shows them; macOS menus always take their keys and send the command.
 */
function windowAction(context: MenuContext, label: string, command: ShortcutCommand, enabled: boolean): MenuItemConstructorOptions {
  const accelerator = SHORTCUTS[command];
  return { label, enabled, ...(accelerator ? { accelerator, registerAccelerator: false } : {}), click: () => sendMenuCommand(context.getWindow(), command) };
}

const GO_TO: [ShortcutCommand, string][] = [
  ['go-overview', 'Overview'],
  ['go-sources', 'Sources'],
  ['go-entities', 'Entities'],
  ['go-links', 'Links'],
  ['go-areas', 'Technology Areas'],
  ['go-graph', 'Graph'],
  ['go-timeline', 'Timeline'],
  ['go-reports', 'Reports'],
  ['go-search', 'Search'],
  ['go-history', 'History'],
  ['go-exchange', 'Merge && Exchange'],
  ['go-screening', 'Screening'],
];

function recentCasesMenu(context: MenuContext): MenuItemConstructorOptions[] {
  const recent = context.workspace.settings.recentCases();
  if (recent.length === 0) return [{ label: 'No Recent Cases', enabled: false }];
  return recent.map((entry) => ({
    label: menuLabel(`${entry.title} — ${path.basename(entry.path)}`),
    click: action('Could not open the case', () => openRecent(context, entry.path)),
  }));
}

/** The application menu for the current state: which case is open, which were open recently. */
export function applicationMenuTemplate(context: MenuContext, platform: NodeJS.Platform = process.platform, isPackaged: boolean = app.isPackaged): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const hasCase = context.workspace.currentCase !== null;
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Case…', accelerator: 'CmdOrCtrl+N', click: action('Could not create the case', () => newCase(context)) },
      { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: action('Could not open the case', () => chooseAndOpenCase(context)) },
      { label: 'Open Recent', submenu: recentCasesMenu(context) },
      { type: 'separator' },
      { label: 'Save a Copy As…', accelerator: 'CmdOrCtrl+Shift+S', enabled: hasCase, click: action('Could not save a copy', () => saveCopy(context)) },
      windowAction(context, 'Export Case for Sharing…', 'export-case', hasCase),
      { label: 'Merge Case Into This…', enabled: hasCase, click: () => sendMenuCommand(context.getWindow(), 'merge-case') },
      { type: 'separator' },
      { label: 'Close Case', accelerator: 'CmdOrCtrl+W', enabled: hasCase, click: action('Could not close the case', () => closeCase(context)) },
      // macOS keeps Quit in the application menu.
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const caseMenu: MenuItemConstructorOptions = {
    label: '&Case',
    submenu: [
      windowAction(context, 'Command Palette…', 'command-palette', hasCase),
      { type: 'separator' },
      windowAction(context, 'Add Source…', 'add-source', hasCase),
      windowAction(context, 'Add Entity…', 'add-entity', hasCase),
      windowAction(context, 'Add Link…', 'add-link', hasCase),
      windowAction(context, 'New Briefing', 'new-report', hasCase),
      { type: 'separator' },
      windowAction(context, 'Search the Case…', 'find', hasCase),
    ],
  };
  const go: MenuItemConstructorOptions = { label: '&Go', submenu: GO_TO.map(([command, label]) => windowAction(context, label, command, hasCase)) };
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    caseMenu,
    view,
    go,
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Open Sample Case', click: action('Could not open the sample case', () => openSample(context)) },
        { type: 'separator' },
        { label: 'About Caseboard', role: 'about' },
      ],
    },
  ];
}

function setApplicationMenu(context: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(context)));
}

/**
 * Sets the application menu and rebuilds it whenever the case changes, which
 * changes the recent list and what can be saved or closed. Returns the
 * function that stops the rebuilding.
 */
export function installApplicationMenu(context: MenuContext): () => void {
  setApplicationMenu(context);
  return context.workspace.onCaseChanged(() => setApplicationMenu(context));
}
