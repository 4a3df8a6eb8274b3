import { existsSync } from 'node:fs';
import path from 'node:path';
import type { App } from 'electron';

/**
 * Where scripts/electron-native.mjs puts better-sqlite3 built for one
 * Electron version. The copy in node_modules stays built for Node, so the
 * tests and the command line keep working next to `npm start`.
 */
export function electronNativeBindingPath(appPath: string, electronVersion: string): string {
  return path.join(appPath, '.electron-native', electronVersion, 'better_sqlite3.node');
}

/**
 * The better-sqlite3 binary the database worker should load: in development
 * the one built for this Electron, when it exists; otherwise undefined, and
 * better-sqlite3 finds its own, which electron-builder rebuilt for packaged apps.
 */
export function developmentNativeBinding(app: Pick<App, 'isPackaged' | 'getAppPath'>, electronVersion: string = process.versions.electron): string | undefined {
  if (app.isPackaged) return undefined;
  const binding = electronNativeBindingPath(app.getAppPath(), electronVersion);
  return existsSync(binding) ? binding : undefined;
}
