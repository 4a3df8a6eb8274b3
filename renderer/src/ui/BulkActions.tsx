import type { CellContextMenuEvent, CellKeyDownEvent } from 'ag-grid-community';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { BulkKind, BulkPreview, BulkResult, BulkSelectionInput } from '../../../shared/bulk';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type AreaRef, type EntityType, type ExcerptOption } from '../../../shared/model';
import type { OpInput, Progress } from '../../../shared/contract';
import { api, callWithProgress, errorMessage } from './api';
import { AreaInput, AreaOptions, useAreas } from './AreaPicker';
import { AreaChip } from './Badges';
import type { GridSelection } from './case-grid';
import { isMenuKey, type MenuItem, type MenuPlace } from './ContextMenu';
import { changed } from './data';
import { Dialog } from './Dialog';
import { ExcerptPicker } from './ExcerptPicker';
import { Field } from './Field';
import { fieldErrorsFromError, type FieldErrors } from './form-errors';
import './bulk.css';

export type BulkAction = 'tag' | 'untag' | 'cite' | 'set' | 'delete';

/** What the bulk actions need of a grid: its selection and the way to send it. */
export interface BulkGrid {
  selection: GridSelection;
  selectedCount: number;
  total: number | null;
  filtered: boolean;
  quickText: string;
  selectAllMatching: () => void;
  clearSelection: () => void;
  bulkSelection: () => BulkSelectionInput;
}

const NOUNS: Record<BulkKind, [string, string]> = { entity: ['entity', 'entities'], link: ['link', 'links'], source: ['source', 'sources'] };

const number = new Intl.NumberFormat('en');

function items(kind: BulkKind, n: number): string {
  const [one, many] = NOUNS[kind];
  return `${number.format(n)} ${n === 1 ? one : many}`;
}

export const NOTHING_SELECTED = 'Select at least one row first: tick its box, or Ctrl-click or Shift-click rows.';

/**
 * The bar above a grid for working on many rows at once: how many are
 * selected, "select all matching", and the actions (tag, untag, cite, set,
 * delete), each one step that Undo takes back whole.
 */
export function BulkActions({ kind, grid, action, onAction }: { kind: BulkKind; grid: BulkGrid; action: BulkAction | null; onAction: (action: BulkAction | null) => void }) {
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);
  const count = grid.selectedCount;
  const all = grid.selection.mode === 'all';
  const many = NOUNS[kind][1];
  const matching = grid.filtered || grid.quickText ? ' matching the filters' : '';

  // A new selection is a new start: the last result or complaint goes.
  const selectionKey = grid.selection.mode === 'rows' ? grid.selection.ids.join(' ') : `all ${grid.selection.except.join(' ')}`;
  useEffect(() => setStatus((s) => (s?.failed ? null : s)), [selectionKey]);

  const start = (next: BulkAction) => {
    if (count === 0) {
      setStatus({ text: NOTHING_SELECTED, failed: true });
      return;
    }
    setStatus(null);
    onAction(next);
  };

  // An action asked for from a right-click menu arrives through `action` with the row already selected.
  const done = (text: string) => {
    setStatus({ text, failed: false });
    onAction(null);
  };

  const selectionText =
    count === 0 ? `No ${many} selected` : all ? `All ${items(kind, count)}${matching} selected` : `${items(kind, count)} selected`;
  const target = all ? `all ${items(kind, count)}${matching}` : items(kind, count);

  return (
    <div className="bulk-bar" role="toolbar" aria-label={`Work on several ${many}`}>
      <span className="bulk-count" aria-live="polite">
        {selectionText}
      </span>
      {!all && (grid.total ?? 0) > 0 && count < (grid.total ?? 0) ? (
        <button type="button" className="link" onClick={() => grid.selectAllMatching()}>
          Select all {number.format(grid.total ?? 0)}
          {matching}
        </button>
      ) : null}
      {count > 0 ? (
        <button type="button" className="link" onClick={() => grid.clearSelection()}>
          Clear selection
        </button>
      ) : null}
      <span className="toolbar-spacer" />
      <button type="button" onClick={() => start('tag')}>
        Tag…
      </button>
      <button type="button" onClick={() => start('untag')}>
        Untag…
      </button>
      {kind !== 'source' ? (
        <>
          <button type="button" onClick={() => start('cite')}>
            Cite…
          </button>
          <button type="button" onClick={() => start('set')}>
            {kind === 'entity' ? 'Set type or country…' : 'Set type…'}
          </button>
        </>
      ) : null}
      <button type="button" className="danger-outline" onClick={() => start('delete')}>
        Delete…
      </button>
      {status ? (
        <p className={status.failed ? 'bulk-status form-failure' : 'bulk-status'} role={status.failed ? 'alert' : 'status'}>
          {status.text}
        </p>
      ) : null}
      {action === 'tag' || action === 'untag' ? (
        <TagDialog kind={kind} untag={action === 'untag'} target={target} selection={grid.bulkSelection} onClose={() => onAction(null)} onDone={done} />
      ) : null}
      {action === 'cite' && kind !== 'source' ? <CiteDialog kind={kind} target={target} selection={grid.bulkSelection} onClose={() => onAction(null)} onDone={done} /> : null}
      {action === 'set' && kind === 'entity' ? <SetEntitiesDialog target={target} selection={grid.bulkSelection} onClose={() => onAction(null)} onDone={done} /> : null}
      {action === 'set' && kind === 'link' ? <SetLinksDialog target={target} selection={grid.bulkSelection} onClose={() => onAction(null)} onDone={done} /> : null}
      {action === 'delete' ? (
        <DeleteDialog
          kind={kind}
          selection={grid.bulkSelection}
          onClose={() => onAction(null)}
          onDone={(text) => {
            grid.clearSelection();
            done(text);
          }}
        />
      ) : null}
    </div>
  );
}

interface DialogProps {
  selection: () => BulkSelectionInput;
  onClose: () => void;
  onDone: (text: string) => void;
}

type BulkWrite = 'bulk.tag' | 'bulk.untag' | 'bulk.cite' | 'bulk.setEntities' | 'bulk.setLinks' | 'bulk.delete';

/**
 * Runs a bulk operation with its progress (tens of thousands of rows take a
 * while), and tells every view showing the model to fetch again. Cancel stops
 * it and leaves the case as it was.
 */
function useBulkRun() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const run = useCallback(async <N extends BulkWrite>(name: N, input: OpInput<N>): Promise<BulkResult> => {
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setProgress(null);
    try {
      const result = (await callWithProgress(name, input, { signal: controller.signal, onProgress: setProgress })) as BulkResult;
      // Citations and tags show in the evidence views too, and deleting sources takes their excerpts' citations.
      changed(['model', 'areas', 'evidence']);
      return result;
    } finally {
      setRunning(false);
      abort.current = null;
    }
  }, []);
  useEffect(() => () => abort.current?.abort(), []);
  const cancel = useCallback(() => abort.current?.abort(), []);
  return { run, running, progress, cancel };
}

/** The progress of a running bulk action, with Cancel. */
function BulkProgress({ running, progress, cancel }: { running: boolean; progress: Progress | null; cancel: () => void }) {
  if (!running) return null;
  return (
    <div className="bulk-progress" role="status">
      <span>{progress?.message ? `${progress.message}: ${number.format(progress.done)} of ${number.format(progress.total)}` : 'Working…'}</span>
      {progress && progress.total > 0 ? <progress max={progress.total} value={progress.done} aria-label="Progress" /> : <progress aria-label="Progress" />}
      <button type="button" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}

function TagDialog({ kind, untag, target, selection, onClose, onDone }: DialogProps & { kind: BulkKind; untag: boolean; target: string }) {
  const areas = useAreas();
  const [area, setArea] = useState<AreaRef | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const bulk = useBulkRun();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!area) {
      setFailure('Choose a technology area first.');
      return;
    }
    setFailure(null);
    try {
      const input = { kind, selection: selection(), areaId: area.id };
      const result = await bulk.run(untag ? 'bulk.untag' : 'bulk.tag', input);
      const unchanged = result.items - result.changed;
      const rest = unchanged ? ` (${items(kind, unchanged)} ${untag ? 'did not have it' : 'had it already'})` : '';
      onDone(untag ? `Removed ${area.name} from ${items(kind, result.changed)}${rest}.` : `Tagged ${items(kind, result.changed)} with ${area.name}${rest}.`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={untag ? `Remove a technology area from ${target}` : `Tag ${target}`} labelledBy="bulk-tag-title" onClose={onClose}>
      <form className="bulk-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="bulk-area-type" label="Technology area" hint="Type part of its name and press Enter, or pick it from the list.">
          <AreaInput id="bulk-area-type" areas={areas} autoFocus label="Type an area…" onPick={(a) => setArea(a)} />
        </Field>
        <select
          aria-label="Pick a technology area"
          value={area?.id ?? ''}
          onChange={(event) => {
            const found = areas.find((a) => a.id === event.target.value);
            setArea(found ? { id: found.id, name: found.name, colour: found.colour } : null);
          }}
        >
          <option value="">Pick a technology area…</option>
          <AreaOptions areas={areas} />
        </select>
        <p className="bulk-chosen">{area ? <AreaChip area={area} /> : <span className="muted">No area chosen yet</span>}</p>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        <BulkProgress {...bulk} />
        <div className="form-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={bulk.running}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={bulk.running}>
            {untag ? 'Remove' : 'Tag'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CiteDialog({ kind, target, selection, onClose, onDone }: DialogProps & { kind: 'entity' | 'link'; target: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  const bulk = useBulkRun();
  const cite = async (excerpts: readonly ExcerptOption[]) => {
    setFailure(null);
    try {
      const result = await bulk.run('bulk.cite', { kind, selection: selection(), excerptIds: excerpts.map((x) => x.id) });
      const what = excerpts.length === 1 ? 'an excerpt' : `${excerpts.length} excerpts`;
      const unchanged = result.items - result.changed;
      onDone(`${items(kind, result.changed)} now cite${result.changed === 1 ? 's' : ''} ${what}${unchanged ? ` (${items(kind, unchanged)} cited ${excerpts.length === 1 ? 'it' : 'them'} already)` : ''}.`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <>
      {bulk.running ? (
        <Dialog title={`Citing from ${target}`} labelledBy="bulk-cite-title" onClose={bulk.cancel}>
          <BulkProgress {...bulk} />
        </Dialog>
      ) : (
        <ExcerptPicker title={`Cite excerpts from ${target}`} actionLabel="Cite" onClose={onClose} onChoose={(x) => void cite([x])} onChooseMany={(xs) => void cite(xs)} />
      )}
      {failure ? (
        <p className="bulk-status form-failure" role="alert">
          {failure}
        </p>
      ) : null}
    </>
  );
}

function SetEntitiesDialog({ target, selection, onClose, onDone }: DialogProps & { target: string }) {
  const [type, setType] = useState<EntityType | ''>('');
  const [country, setCountry] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const bulk = useBulkRun();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setFields({});
    try {
      const result = await bulk.run('bulk.setEntities', { selection: selection(), ...(type ? { type } : {}), ...(country.trim() ? { country: country.trim() } : {}) });
      onDone(`Changed ${items('entity', result.changed)}${result.items > result.changed ? ` (${items('entity', result.items - result.changed)} had these values already)` : ''}.`);
    } catch (error) {
      const byField = fieldErrorsFromError(error);
      if (byField.type || byField.country) setFields(byField);
      else setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={`Set type or country of ${target}`} labelledBy="bulk-set-title" onClose={onClose}>
      <form className="bulk-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field-row">
          <Field id="bulk-type" label="Type" error={fields.type}>
            <select id="bulk-type" value={type} onChange={(e) => setType(e.target.value as EntityType | '')} autoFocus>
              <option value="">Leave as it is</option>
              {ENTITY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {ENTITY_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="bulk-country" label="Country" hint="A code such as CN, RU or US; empty leaves it as it is." error={fields.country}>
            <input id="bulk-country" value={country} onChange={(e) => setCountry(e.target.value)} placeholder="Leave as it is" />
          </Field>
        </div>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        <BulkProgress {...bulk} />
        <div className="form-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={bulk.running}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={bulk.running}>
            Set
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function SetLinksDialog({ target, selection, onClose, onDone }: DialogProps & { target: string }) {
  const [type, setType] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const bulk = useBulkRun();
  useEffect(() => {
    api
      .call('links.types', {})
      .then(setTypes)
      .catch(() => setTypes([]));
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    try {
      const result = await bulk.run('bulk.setLinks', { selection: selection(), type });
      onDone(`Set the type “${type.trim()}” on ${items('link', result.changed)}${result.items > result.changed ? ` (${items('link', result.items - result.changed)} had it already)` : ''}.`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  return (
    <Dialog title={`Set the type of ${target}`} labelledBy="bulk-set-title" onClose={onClose}>
      <form className="bulk-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="bulk-link-type" label="Link type" hint="Pick one or type a new one.">
          <input id="bulk-link-type" list="bulk-link-types" value={type} onChange={(e) => setType(e.target.value)} autoFocus />
        </Field>
        <datalist id="bulk-link-types">
          {types.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        {failure ? (
          <p className="form-failure" role="alert">
            {failure}
          </p>
        ) : null}
        <BulkProgress {...bulk} />
        <div className="form-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={bulk.running}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={bulk.running}>
            Set
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** What goes with the selection, in words: "Their 4 links go with them, and 9 citations." */
function consequences(preview: BulkPreview): string {
  const parts: string[] = [];
  if (preview.attachments) parts.push(`${number.format(preview.attachments)} attached ${preview.attachments === 1 ? 'file' : 'files'}`);
  if (preview.excerpts) parts.push(`${number.format(preview.excerpts)} ${preview.excerpts === 1 ? 'excerpt' : 'excerpts'}`);
  if (preview.links) parts.push(`${items('link', preview.links)} that join${preview.links === 1 ? 's' : ''} ${preview.items === 1 ? 'it' : 'them'} to other entities`);
  if (preview.citations) {
    const citations = `${number.format(preview.citations)} ${preview.citations === 1 ? 'citation' : 'citations'}`;
    // A source's excerpts go with it, so what cited them loses that citation; the entities and links stay.
    parts.push(preview.kind === 'source' ? `${citations} of those excerpts by entities and links (the entities and links stay)` : `${citations} (the excerpts stay)`);
  }
  if (preview.tags) parts.push(`${number.format(preview.tags)} technology area ${preview.tags === 1 ? 'tag' : 'tags'}`);
  return parts.length ? `Going with ${preview.items === 1 ? 'it' : 'them'}: ${parts.join(', ')}.` : 'Nothing else goes with them.';
}

function DeleteDialog({ kind, selection, onClose, onDone }: DialogProps & { kind: BulkKind }) {
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const bulk = useBulkRun();
  const [input] = useState(selection);
  useEffect(() => {
    api
      .call('bulk.preview', { kind, selection: input })
      .then(setPreview)
      .catch((error: unknown) => setFailure(errorMessage(error)));
  }, [kind, input]);
  const remove = async () => {
    setFailure(null);
    try {
      const result = await bulk.run('bulk.delete', { kind, selection: input, withLinks: true });
      onDone(`Deleted ${items(kind, result.changed)}${result.deletedLinks ? ` and ${items('link', result.deletedLinks)}` : ''}. Undo brings them back.`);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const title = preview ? `Delete ${items(kind, preview.items)}?` : `Delete ${NOUNS[kind][1]}?`;
  return (
    <Dialog title={title} labelledBy="bulk-delete-title" onClose={onClose}>
      {preview ? (
        <div className="bulk-delete">
          <p>
            {preview.names.join('; ')}
            {preview.items > preview.names.length ? `; and ${number.format(preview.items - preview.names.length)} more` : ''}
          </p>
          <p>{consequences(preview)}</p>
          <p className="muted">Undo (Ctrl+Z) brings everything back in one step.</p>
        </div>
      ) : failure ? null : (
        <p className="muted">Counting what goes with them…</p>
      )}
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      <BulkProgress {...bulk} />
      <div className="form-actions">
        <span className="spacer" />
        <button type="button" onClick={onClose} autoFocus disabled={bulk.running}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={!preview || preview.items === 0 || bulk.running} onClick={() => void remove()}>
          {preview ? `Delete ${items(kind, preview.items)}` : 'Delete'}
        </button>
      </div>
    </Dialog>
  );
}

/** The right-click menu of a row: open it, or act on it (or on the selection it belongs to). */
export function rowMenuItems(kind: BulkKind, count: number, open: (() => void) | null, start: (action: BulkAction) => void): MenuItem[] {
  const what = count > 1 ? ` ${items(kind, count)}` : '';
  if (kind === 'source') {
    return [
      ...(open ? [{ label: 'Open', onSelect: open }] : []),
      { label: count > 1 ? `Tag${what}…` : 'Tag with an area…', onSelect: () => start('tag') },
      { label: count > 1 ? `Remove an area from${what}…` : 'Remove an area…', onSelect: () => start('untag') },
      { label: `Delete${what}…`, onSelect: () => start('delete'), danger: true },
    ];
  }
  return [
    ...(open ? [{ label: 'Open', onSelect: open }] : []),
    { label: count > 1 ? `Cite an excerpt from${what}…` : 'Cite an excerpt…', onSelect: () => start('cite') },
    { label: count > 1 ? `Tag${what}…` : 'Tag with an area…', onSelect: () => start('tag') },
    { label: count > 1 ? `Remove an area from${what}…` : 'Remove an area…', onSelect: () => start('untag') },
    { label: kind === 'entity' ? `Set type or country${count > 1 ? ` of${what}` : ''}…` : `Set type${count > 1 ? ` of${what}` : ''}…`, onSelect: () => start('set') },
    { label: `Delete${what}…`, onSelect: () => start('delete'), danger: true },
  ];
}

/** Where a menu opened from the keyboard goes: beside the focused cell. */
export function placeOfFocus(): MenuPlace {
  const rect = (document.activeElement ?? document.body).getBoundingClientRect();
  return { x: rect.left + Math.min(rect.width, 40), y: rect.bottom };
}

/**
 * A grid's right-click menu on a row: opened by the pointer where it is, or by Shift+F10 or the menu key at
 * the focused cell; a row outside the selection becomes the selection first.
 */
export function useRowMenu<T extends { id: string }>(isSelected: (id: string) => boolean, selectOnly: (id: string) => void) {
  const [menu, setMenu] = useState<{ place: MenuPlace; row: T } | null>(null);
  const openMenu = useCallback(
    (row: T | undefined, place: MenuPlace) => {
      if (!row) return;
      if (!isSelected(row.id)) selectOnly(row.id);
      setMenu({ place, row });
    },
    [isSelected, selectOnly],
  );
  const onCellContextMenu = useCallback(
    (event: CellContextMenuEvent<T>) => {
      const pointer = event.event as MouseEvent | null;
      openMenu(event.data, pointer ? { x: pointer.clientX, y: pointer.clientY } : placeOfFocus());
    },
    [openMenu],
  );
  const onCellKeyDown = useCallback(
    (event: CellKeyDownEvent<T>) => {
      const key = event.event as KeyboardEvent | null;
      if (key && isMenuKey(key)) {
        key.preventDefault();
        openMenu(event.data, placeOfFocus());
      }
    },
    [openMenu],
  );
  return { menu, setMenu, onCellContextMenu, onCellKeyDown };
}
