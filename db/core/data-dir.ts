import os from 'node:os';
import path from 'node:path';

/**
 * The user data folder, the same one Electron's app.getPath('userData') gives,
 * so the window, the command line and the browser mode share recent cases.
 * CASEBOARD_HOME overrides it (tests, portable installs).
 */
export function defaultDataDir(): string {
  const override = process.env.CASEBOARD_HOME;
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Caseboard');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Caseboard');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Caseboard');
}
