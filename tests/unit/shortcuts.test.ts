import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import { applicationMenuTemplate, type MenuContext } from '../../electron/menu';
import { commandForKey, keysAria, keysLabel } from '../../renderer/src/ui/shortcuts';
import { isMenuCommand, MENU_CHANNEL } from '../../shared/bridge';
import { SHORTCUT_COMMANDS, SHORTCUTS } from '../../shared/shortcuts';
import { FakeBrowserWindow } from '../helpers/electron-mock';

function press(init: Partial<{ key: string; code: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>) {
  return { key: '', code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...init };
}

function menuItems(hasCase: boolean, platform: NodeJS.Platform = 'linux') {
  const window = new FakeBrowserWindow({});
  const context = {
    workspace: { currentCase: hasCase ? { path: '/cases/a.caseboard' } : null, settings: { read: () => ({ recent: [] }), recentCases: () => [] }, casesFolder: '/cases' },
    getWindow: () => window,
  } as unknown as MenuContext;
  const flat: MenuItemConstructorOptions[] = [];
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const item of items) {
      flat.push(item);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  const template = applicationMenuTemplate(context, platform, true);
  walk(template);
  // The items that act in the window rather than through a native dialog or the workspace.
  const inWindow = template
    .filter((menu) => menu.label === '&Case' || menu.label === '&Go')
    .flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []))
    .concat(flat.filter((item) => item.label === 'Export Case for Sharing…'))
    .filter((item) => item.click);
  return { flat, inWindow, window };
}

describe('keyboard shortcuts', () => {
  it('give each key combination to one action only', () => {
    const accelerators = Object.values(SHORTCUTS).filter((a): a is NonNullable<typeof a> => a !== null);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('keep clear of text editing, of the keys browsers keep, and of AltGr', () => {
    const taken = ['CmdOrCtrl+N', 'CmdOrCtrl+T', 'CmdOrCtrl+W', 'CmdOrCtrl+Shift+N', 'CmdOrCtrl+Shift+T', 'CmdOrCtrl+Shift+W', 'CmdOrCtrl+Q', 'CmdOrCtrl+Tab'];
    const editing = ['A', 'C', 'V', 'X', 'Y', 'Z'].map((k) => `CmdOrCtrl+${k}`).concat(['CmdOrCtrl+Shift+V', 'CmdOrCtrl+Shift+U', 'CmdOrCtrl+Shift+Z', 'CmdOrCtrl+0']);
    for (const accelerator of Object.values(SHORTCUTS)) {
      if (accelerator === null) continue;
      expect(taken.concat(editing)).not.toContain(accelerator);
      expect(accelerator).not.toMatch(/Alt/);
      expect(accelerator).toMatch(/^CmdOrCtrl\+/);
    }
  });

  it('turn key presses into actions: Ctrl on Windows and Linux, Cmd on macOS', () => {
    expect(commandForKey(press({ key: 'k', code: 'KeyK', ctrlKey: true }), false)).toBe('command-palette');
    expect(commandForKey(press({ key: 'k', code: 'KeyK', metaKey: true }), true)).toBe('command-palette');
    expect(commandForKey(press({ key: 'k', code: 'KeyK', metaKey: true }), false)).toBeNull();
    expect(commandForKey(press({ key: 'k', code: 'KeyK' }), false)).toBeNull();
    expect(commandForKey(press({ key: 'D', code: 'KeyD', ctrlKey: true, shiftKey: true }), false)).toBe('add-source');
    expect(commandForKey(press({ key: 'd', code: 'KeyD', ctrlKey: true }), false)).toBeNull();
    expect(commandForKey(press({ key: '1', code: 'Digit1', ctrlKey: true }), false)).toBe('go-overview');
    expect(commandForKey(press({ key: 'z', code: 'KeyZ', ctrlKey: true }), false)).toBeNull();
  });

  it('work on Russian and French keyboards: letters fall back to the key, digits come from it', () => {
    // Ctrl+K with a Russian layout types л.
    expect(commandForKey(press({ key: 'л', code: 'KeyK', ctrlKey: true }), false)).toBe('command-palette');
    // On AZERTY the 2 key without Shift is é.
    expect(commandForKey(press({ key: 'é', code: 'Digit2', ctrlKey: true }), false)).toBe('go-sources');
    // AltGr arrives as Ctrl+Alt: it types characters and runs nothing.
    expect(commandForKey(press({ key: '€', code: 'KeyE', ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('read as people write them, and as aria-keyshortcuts wants them', () => {
    expect(keysLabel('CmdOrCtrl+Shift+D', false)).toBe('Ctrl+Shift+D');
    expect(keysLabel('CmdOrCtrl+Shift+D', true)).toBe('⌘⇧D');
    expect(keysAria('CmdOrCtrl+K', false)).toBe('Control+K');
    expect(keysAria('CmdOrCtrl+K', true)).toBe('Meta+K');
  });
});

describe('the application menu', () => {
  it('shows every shortcut, leaves the keys to the window on Linux and Windows, and sends only listed commands', () => {
    const { inWindow, window } = menuItems(true);
    const sent = new Map<string, MenuItemConstructorOptions>();
    for (const item of inWindow) {
      window.webContents.send.mockClear();
      (item.click as () => void)();
      expect(window.webContents.send.mock.calls).toHaveLength(1);
      const [channel, command] = window.webContents.send.mock.calls[0] as [string, unknown];
      expect(channel).toBe(MENU_CHANNEL);
      expect(isMenuCommand(command), String(command)).toBe(true);
      sent.set(String(command), item);
    }
    expect([...sent.keys()].sort()).toEqual([...SHORTCUT_COMMANDS].sort());
    for (const command of SHORTCUT_COMMANDS) {
      const item = sent.get(command);
      expect(item?.enabled, command).toBe(true);
      const accelerator = SHORTCUTS[command];
      if (accelerator) expect({ accelerator: item?.accelerator, registerAccelerator: item?.registerAccelerator }, command).toEqual({ accelerator, registerAccelerator: false });
      else expect(item?.accelerator, command).toBeUndefined();
    }
  });

  it('disables the case actions while no case is open', () => {
    const { flat } = menuItems(false);
    const addSource = flat.find((i) => i.label === 'Add Source…');
    expect(addSource?.enabled).toBe(false);
    expect(flat.find((i) => i.label === 'Command Palette…')?.enabled).toBe(false);
  });
});
