import { useEffect, useRef } from 'react';
import { SHORTCUTS, type ShortcutCommand } from '../../../shared/shortcuts';
import type { ViewId } from './routes';

export type { ShortcutCommand } from '../../../shared/shortcuts';

/** The view each go-to action opens; fails to compile when a view is added without one. */
export const VIEW_COMMANDS: Record<ViewId, ShortcutCommand> = {
  overview: 'go-overview',
  sources: 'go-sources',
  entities: 'go-entities',
  links: 'go-links',
  areas: 'go-areas',
  graph: 'go-graph',
  timeline: 'go-timeline',
  reports: 'go-reports',
  search: 'go-search',
  history: 'go-history',
  exchange: 'go-exchange',
  screening: 'go-screening',
};

export function viewOfCommand(command: ShortcutCommand): ViewId | null {
  const entry = Object.entries(VIEW_COMMANDS).find(([, c]) => c === command);
  return entry ? (entry[0] as ViewId) : null;
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

interface Keys {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  /** Lower-case letter or digit. */
  key: string;
}

function parse(accelerator: string): Keys {
  const parts = accelerator.split('+');
  const key = (parts.pop() ?? '').toLowerCase();
  return { mod: parts.includes('CmdOrCtrl'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key };
}

/** Shortcuts written as people read them: "Ctrl+Shift+D", or "⌘⇧D" on macOS. */
export function keysLabel(accelerator: string, mac = isMac): string {
  const k = parse(accelerator);
  const key = k.key.toUpperCase();
  if (mac) return `${k.mod ? '⌘' : ''}${k.alt ? '⌥' : ''}${k.shift ? '⇧' : ''}${key}`;
  return [k.mod ? 'Ctrl' : null, k.alt ? 'Alt' : null, k.shift ? 'Shift' : null, key].filter(Boolean).join('+');
}

/** The same keys in the form aria-keyshortcuts wants: "Control+Shift+D". */
export function keysAria(accelerator: string, mac = isMac): string {
  const k = parse(accelerator);
  return [k.mod ? (mac ? 'Meta' : 'Control') : null, k.alt ? 'Alt' : null, k.shift ? 'Shift' : null, k.key.toUpperCase()].filter(Boolean).join('+');
}

/** The label of an action's shortcut, or null when it has none. */
export function shortcutLabel(command: ShortcutCommand): string | null {
  const accelerator = SHORTCUTS[command];
  return accelerator ? keysLabel(accelerator) : null;
}

/** Props that announce an action's shortcut: a tooltip and aria-keyshortcuts. */
export function shortcutProps(command: ShortcutCommand, tooltip: string): { title: string; 'aria-keyshortcuts'?: string } {
  const accelerator = SHORTCUTS[command];
  if (!accelerator) return { title: tooltip };
  return { title: `${tooltip} (${keysLabel(accelerator)})`, 'aria-keyshortcuts': keysAria(accelerator) };
}

/**
 * The key an event stands for. Letters come from the layout when it is a
 * Latin one, else from the physical key, so Ctrl+K works while typing Russian
 * or Chinese; digits always come from the physical key (AZERTY needs Shift for them).
 */
function eventKey(event: Pick<KeyboardEvent, 'key' | 'code'>): string {
  if (/^Digit\d$/.test(event.code)) return event.code.slice(5);
  if (/^[a-z]$/i.test(event.key)) return event.key.toLowerCase();
  if (/^Key[A-Z]$/.test(event.code)) return event.code.slice(3).toLowerCase();
  return event.key.toLowerCase();
}

/** The action a key press asks for, if any. */
export function commandForKey(event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac = isMac): ShortcutCommand | null {
  const mod = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  if (!mod || otherMod) return null;
  const key = eventKey(event);
  for (const [command, accelerator] of Object.entries(SHORTCUTS) as [ShortcutCommand, string | null][]) {
    if (!accelerator) continue;
    const k = parse(accelerator);
    if (k.mod && k.key === key && k.shift === event.shiftKey && k.alt === event.altKey) return command;
  }
  return null;
}

const EVENT = 'caseboard:command';
const UNCLAIMED = 'caseboard:command-unclaimed';

/**
 * Runs an action. A view that handles it (useCommands) claims it; otherwise
 * the app-wide fallback runs (useCommandFallbacks), e.g. the item dialog for
 * "add entity" on a view that has no entity panel of its own.
 */
export function runCommand(command: ShortcutCommand): void {
  const event = new CustomEvent<ShortcutCommand>(EVENT, { detail: command, cancelable: true });
  window.dispatchEvent(event);
  if (!event.defaultPrevented) window.dispatchEvent(new CustomEvent<ShortcutCommand>(UNCLAIMED, { detail: command }));
}

function useCommandListener(type: string, handlers: Partial<Record<ShortcutCommand, () => void>>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const listener = (event: Event) => {
      const handler = ref.current[(event as CustomEvent<ShortcutCommand>).detail];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener(type, listener);
    return () => window.removeEventListener(type, listener);
  }, [type]);
}

/** Handles (and claims) the given actions while the component is mounted. */
export function useCommands(handlers: Partial<Record<ShortcutCommand, () => void>>): void {
  useCommandListener(EVENT, handlers);
}

/** Handles the given actions when no mounted view claimed them. */
export function useCommandFallbacks(handlers: Partial<Record<ShortcutCommand, () => void>>): void {
  useCommandListener(UNCLAIMED, handlers);
}

/** True while a modal dialog is open: shortcuts then stay with it. */
export function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Runs an action the application menu sent, with the same rule as its keys while a dialog is open. */
export function runFromMenu(command: ShortcutCommand): void {
  if (modalOpen() && command !== 'command-palette') return;
  runCommand(command);
}

/** Turns key presses into actions while a case is open. */
export function useShortcutKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const command = commandForKey(event);
      if (!command) return;
      // The palette toggles itself; everything else waits until the open dialog is done.
      if (modalOpen() && command !== 'command-palette') return;
      event.preventDefault();
      runCommand(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The go-to actions: each opens its view; a new briefing starts in the Reports view. */
export function useViewCommands(): void {
  const handlers: Partial<Record<ShortcutCommand, () => void>> = {
    'new-report': () => {
      window.location.hash = '#/reports';
    },
  };
  for (const [view, command] of Object.entries(VIEW_COMMANDS)) {
    handlers[command] = () => {
      window.location.hash = `#/${view}`;
    };
  }
  useCommands(handlers);
}
