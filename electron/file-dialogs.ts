// Native file dialogs the window asks for through the bridge (see path-access.ts).
import path from 'node:path';
import { app, BrowserWindow, dialog, type FileFilter, type OpenDialogOptions, type SaveDialogOptions, type WebContents } from 'electron';
import type { PathRequest } from '../shared/bridge';
import { CASE_FILE_EXTENSION } from '../shared/case-file-name';

function filtersFor(request: PathRequest): FileFilter[] {
  if (request.extensions?.length) return [{ name: request.extensions.map((ext) => ext.toUpperCase()).join(', '), extensions: request.extensions }];
  if (request.purpose === 'case') {
    const cases: FileFilter = { name: 'Caseboard case', extensions: [CASE_FILE_EXTENSION.slice(1)] };
    // Encrypted exports end in .caseboard.enc; they open (with their passphrase) and merge like any case.
    return request.mode === 'open' ? [{ name: 'Caseboard case', extensions: [CASE_FILE_EXTENSION.slice(1), 'enc'] }] : [cases];
  }
  return [{ name: 'All files', extensions: ['*'] }];
}

/** Shows the dialog for the window that asked, next to the user's cases or documents; resolves to the path or null. */
export async function showPathDialog(sender: WebContents, request: PathRequest, casesFolder: string): Promise<string | null> {
  const window = BrowserWindow.fromWebContents(sender);
  const folder = request.purpose === 'case' ? casesFolder : app.getPath('documents');
  const defaultPath = request.defaultName ? path.join(folder, request.defaultName) : folder;
  if (request.mode === 'open') {
    const options: OpenDialogOptions = { title: request.title, defaultPath, filters: filtersFor(request), properties: ['openFile'] };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }
  const options: SaveDialogOptions = { title: request.title, defaultPath, filters: filtersFor(request), properties: ['createDirectory', 'showOverwriteConfirmation'] };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}
