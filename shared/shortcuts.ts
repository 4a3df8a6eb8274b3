/**
 * The keyboard shortcuts of the main actions, in Electron's accelerator
 * syntax; null where an action has none. The application menu shows them and
 * the window handles the keys, so they work the same in the browser mode.
 *
 * Chosen so that none edits text (Ctrl+Shift+V, Ctrl+Shift+U and the arrows
 * stay with text fields), none is one browsers keep for themselves (Ctrl+N,
 * Ctrl+T, Ctrl+W, Ctrl+Tab), and none needs Ctrl+Alt, which is AltGr on many
 * keyboards and types characters such as € and ś.
 */
export const SHORTCUTS = {
  'command-palette': 'CmdOrCtrl+K',
  'add-source': 'CmdOrCtrl+Shift+D',
  'add-entity': 'CmdOrCtrl+Shift+E',
  'add-link': 'CmdOrCtrl+Shift+L',
  'new-report': 'CmdOrCtrl+Shift+B',
  'find': 'CmdOrCtrl+Shift+F',
  'export-case': 'CmdOrCtrl+E',
  'go-overview': 'CmdOrCtrl+1',
  'go-sources': 'CmdOrCtrl+2',
  'go-entities': 'CmdOrCtrl+3',
  'go-links': 'CmdOrCtrl+4',
  'go-areas': 'CmdOrCtrl+5',
  'go-graph': 'CmdOrCtrl+6',
  'go-timeline': 'CmdOrCtrl+7',
  'go-reports': 'CmdOrCtrl+8',
  'go-search': 'CmdOrCtrl+9',
  'go-history': null,
  'go-exchange': null,
  'go-screening': null,
} as const satisfies Record<string, string | null>;

export type ShortcutCommand = keyof typeof SHORTCUTS;

/** Every action with an entry in SHORTCUTS, in menu order. */
export const SHORTCUT_COMMANDS = Object.keys(SHORTCUTS) as ShortcutCommand[];

export function isShortcutCommand(value: unknown): value is ShortcutCommand {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SHORTCUTS, value);
}
