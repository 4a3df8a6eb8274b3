import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ENTITY_TYPE_LABELS } from '../../../shared/model';
import type { UndoState } from '../../../shared/model';
import { SOURCE_KIND_LABELS } from '../../../shared/schemas';
import { api, errorMessage } from '../ui/api';
import { caseFilters, isFiltered, NO_FILTERS } from '../ui/filters';
import { CASE_DOMAINS, changed } from '../ui/data';
import { placeHash, searchHash } from '../ui/place';
import { VIEWS } from '../ui/routes';
import { requestTool, type ViewTool } from '../ui/view-requests';
import { isMac, modalOpen, runCommand, shortcutLabel, useCommands, useShortcutKeys, useViewCommands, VIEW_COMMANDS, type ShortcutCommand } from '../ui/shortcuts';
import './palette.css';
import { openCaseDetails } from './CaseHeader';
import { openItemDialog } from './ItemDialog';
import { openVerifyCase } from './VerifyCaseDialog';

interface PaletteItem {
  id: string;
  group: 'Actions' | 'Entities' | 'Sources';
  label: string;
  /** Extra words the filter matches, and a muted line under the label. */
  detail?: string;
  keywords?: string;
  keys?: string | null;
  run: () => void | Promise<void>;
}

const MAX_FOUND = 6;

function matches(item: PaletteItem, words: string[]): boolean {
  const text = `${item.label} ${item.keywords ?? ''} ${item.detail ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function command(id: ShortcutCommand, label: string, keywords = ''): PaletteItem {
  return { id: `cmd:${id}`, group: 'Actions', label, keywords, keys: shortcutLabel(id), run: () => runCommand(id) };
}

function staticActions(undo: UndoState): PaletteItem[] {
  const mod = isMac ? '⌘' : 'Ctrl+';
  const items: PaletteItem[] = [
    command('add-source', 'Add source…', 'new create log article report document'),
    command('add-entity', 'Add entity…', 'new create organisation person programme place'),
    command('add-link', 'Add link…', 'new create relation connect'),
    command('new-report', 'New briefing', 'report pdf create'),
    command('find', 'Search the case…', 'find full text'),
    command('export-case', 'Export case for sharing…', 'share encrypt copy'),
    { id: 'case-details', group: 'Actions', label: 'Edit case details…', keywords: 'title handling marking description', run: openCaseDetails },
    { id: 'verify-case', group: 'Actions', label: 'Verify case file…', keywords: 'check integrity damage corrupt health', run: openVerifyCase },
    { id: 'new-case', group: 'Actions', label: 'New case…', keywords: 'create start another file', run: () => requestTool('switch-case') },
    { id: 'switch-case', group: 'Actions', label: 'Switch case…', keywords: 'open close another recent file', run: () => requestTool('switch-case') },
    { id: 'import-data', group: 'Actions', label: 'Import a spreadsheet (CSV) or FollowTheMoney file…', keywords: 'import csv excel ftm opensanctions entities links data', run: () => goTo('#/exchange') },
    { id: 'import-files', group: 'Actions', label: 'Import documents as sources…', keywords: 'import files pdf web page attach documents', run: () => goTo('#/sources', 'sources-import') },
    { id: 'export-data', group: 'Actions', label: 'Export CSV, FollowTheMoney, GEXF or GraphML…', keywords: 'export download gephi networkx csv ftm json', run: () => goTo('#/exchange') },
    { id: 'merge-case', group: 'Actions', label: 'Merge another copy of the case…', keywords: 'merge combine colleague file', run: () => goTo('#/exchange') },
    { id: 'graph-path', group: 'Actions', label: 'Find the path between two entities…', keywords: 'shortest path route connection graph', run: () => goTo('#/graph', 'graph-path') },
    { id: 'graph-ranking', group: 'Actions', label: 'Rank entities by centrality…', keywords: 'centrality degree betweenness pagerank community measure graph key players', run: () => goTo('#/graph', 'graph-ranking') },
    { id: 'screen', group: 'Actions', label: 'Screen entities against watchlists…', keywords: 'sanctions screening lists opensanctions match', run: () => goTo('#/screening') },
    { id: 'help', group: 'Actions', label: 'Help and keyboard shortcuts', keywords: 'help guide keys shortcuts manual how', run: () => requestTool('help') },
  ];
  if (undo.undo) items.push({ id: 'undo', group: 'Actions', label: `Undo: ${undo.undo.summary}`, keys: `${mod}Z`, run: () => step('undo') });
  if (undo.redo) items.push({ id: 'redo', group: 'Actions', label: `Redo: ${undo.redo.summary}`, keys: isMac ? '⌘⇧Z' : 'Ctrl+Shift+Z', run: () => step('redo') });
  if (isFiltered(caseFilters.get())) items.push({ id: 'clear-filters', group: 'Actions', label: 'Clear all filters', keywords: 'reset', run: () => caseFilters.set(NO_FILTERS) });
  for (const view of VIEWS) items.push(command(VIEW_COMMANDS[view.id], `Go to ${view.label}`, 'view open show'));
  return items;
}

/** Goes to a view, and asks it for one of its tools once it is there. */
function goTo(hash: string, tool?: ViewTool): void {
  if (tool) requestTool(tool);
  window.location.hash = hash;
}

async function step(direction: 'undo' | 'redo'): Promise<void> {
  await api.call(direction === 'undo' ? 'history.undo' : 'history.redo', {});
  changed(CASE_DOMAINS);
}

/** Entities and sources whose names match, from the case's own search operations. */
function useFoundItems(text: string, open: boolean): PaletteItem[] {
  const [found, setFound] = useState<PaletteItem[]>([]);
  useEffect(() => {
    const query = text.trim();
    if (!open || query.length < 2) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      Promise.all([
        api.call('entities.search', { text: query, limit: MAX_FOUND }),
        api.call('sources.page', { startRow: 0, endRow: MAX_FOUND, sort: [], filter: {}, quick: query }),
      ])
        .then(([entities, sources]) => {
          if (!live) return;
          setFound([
            ...entities.map<PaletteItem>((e) => ({
              id: `entity:${e.id}`,
              group: 'Entities',
              label: e.name,
              detail: [ENTITY_TYPE_LABELS[e.type], e.country, e.alias ? `also “${e.alias}”` : null].filter(Boolean).join(' · '),
              run: () => openItemDialog({ kind: 'entity', id: e.id }),
            })),
            ...sources.rows.map<PaletteItem>((s) => ({
              id: `source:${s.id}`,
              group: 'Sources',
              label: s.title,
              detail: [SOURCE_KIND_LABELS[s.kind], `graded ${s.reliability}`, s.publisher].filter(Boolean).join(' · '),
              run: () => {
                window.location.hash = placeHash({ source: s.id });
              },
            })),
          ]);
        })
        .catch(() => live && setFound([]));
    }, 120);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [text, open]);
  return found;
}

/**
 * Ctrl+K (⌘K on macOS): find an action or an item by typing, run it with
 * Enter. A combobox over a listbox, so screen readers announce the option
 * that arrow keys move to; focus goes back where it was when it closes.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [undo, setUndo] = useState<UndoState>({ undo: null, redo: null });
  const [failure, setFailure] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const listId = useId();
  const found = useFoundItems(text, open);

  const show = useCallback(() => {
    if (modalOpen()) return;
    returnTo.current = document.activeElement as HTMLElement | null;
    setText('');
    setActive(0);
    setFailure(null);
    setOpen(true);
    api
      .call('history.state', {})
      .then(setUndo)
      .catch(() => setUndo({ undo: null, redo: null }));
  }, []);

  const hide = useCallback((restoreFocus = true) => {
    dialog.current?.close();
    setOpen(false);
    const back = returnTo.current;
    returnTo.current = null;
    if (restoreFocus && back?.isConnected) back.focus();
  }, []);

  // The palette is mounted while a case is open, and so are the keys that run actions.
  useShortcutKeys();
  useViewCommands();
  useCommands({ 'command-palette': () => (dialog.current?.open ? hide() : show()) });

  useEffect(() => {
    if (!open) return;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    input.current?.focus();
  }, [open]);

  const items = useMemo(() => {
    if (!open) return [];
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    const actions = staticActions(undo).filter((item) => matches(item, words));
    const query = text.trim();
    if (query) {
      actions.push({ id: 'search-text', group: 'Actions', label: `Search the case for “${query}”`, run: () => void (window.location.hash = searchHash(query)) });
    }
    return [...actions, ...found];
  }, [open, text, undo, found]);

  useEffect(() => setActive((a) => Math.min(a, Math.max(items.length - 1, 0))), [items.length]);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const runItem = async (item: PaletteItem | undefined) => {
    if (!item) return;
    hide();
    try {
      await item.run();
    } catch (error) {
      // Undo and redo can be refused; say why instead of failing silently.
      show();
      setFailure(errorMessage(error));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (items.length === 0) return;
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + delta + items.length) % items.length);
    } else if (event.key === 'PageDown' || event.key === 'PageUp') {
      event.preventDefault();
      setActive((a) => Math.max(0, Math.min(items.length - 1, a + (event.key === 'PageDown' ? 8 : -8))));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void runItem(items[active]);
    }
  };

  const optionId = (index: number) => `${listId}-option-${index}`;
  const groups = (['Actions', 'Entities', 'Sources'] as const)
    .map((group) => ({ group, entries: items.map((item, index) => ({ item, index })).filter((e) => e.item.group === group) }))
    .filter((g) => g.entries.length > 0);

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onCancel={(event) => {
        event.preventDefault();
        hide();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog itself.
        if (event.target === dialog.current) hide();
      }}
    >
      {open ? (
        <div className="palette-body">
          <input
            ref={input}
            className="palette-input"
            type="text"
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={items[active] ? optionId(active) : undefined}
            aria-label="Find an action, entity or source"
            placeholder="Type an action, or the name of an entity or source…"
            value={text}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setText(e.target.value);
              setActive(0);
              setFailure(null);
            }}
            onKeyDown={onKeyDown}
          />
          {failure ? (
            <p className="form-failure palette-failure" role="alert">
              {failure}
            </p>
          ) : null}
          <div ref={list} id={listId} role="listbox" aria-label="Results" className="palette-list">
            {groups.map(({ group, entries }) => (
              <div key={group} role="group" aria-labelledby={`${listId}-${group}`}>
                <div id={`${listId}-${group}`} className="palette-group">
                  {group}
                </div>
                {entries.map(({ item, index }) => (
                  <div
                    key={item.id}
                    id={optionId(index)}
                    data-index={index}
                    role="option"
                    aria-selected={index === active}
                    className={index === active ? 'palette-option active' : 'palette-option'}
                    onMouseMove={() => index !== active && setActive(index)}
                    onClick={() => void runItem(item)}
                  >
                    <span className="palette-label">
                      {item.label}
                      {item.detail ? <span className="palette-detail">{item.detail}</span> : null}
                    </span>
                    {item.keys ? <kbd>{item.keys}</kbd> : null}
                  </div>
                ))}
              </div>
            ))}
          </div>
          {items.length === 0 ? <p className="palette-empty">Nothing matches “{text.trim()}”. Try another word, or press Esc to close.</p> : null}
          <p className="palette-hint" aria-hidden="true">
            ↑↓ to move · Enter to run · Esc to close
          </p>
        </div>
      ) : null}
    </dialog>
  );
}
